"""The site build's MkDocs plugin (``openceu``): wiring only.

The design card keeps this folder for the build's MkDocs glue, and keeps it thin: the rules
live in ``directory``, ``calculator_pages`` and ``site_build``, which never import MkDocs; this
package is the only one that does (tests/unit/test_import_graph.py). It is a package, not
loose hook scripts, so pyproject.toml can name the plugin as an entry point.
"""
