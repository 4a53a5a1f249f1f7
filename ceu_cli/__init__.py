"""The ``ceu`` command line: the credit engine (``calc``) and the directory tools at the shell.

It sits on top of both packages so that neither depends on it, and ``calc`` stays
free of anything but the standard library. ``main.py`` parses and dispatches;
``engine_commands.py`` and ``directory_commands.py`` hold the commands and their
help; ``files.py`` reads the user's files and the data bundled with OpenCEU.
"""
