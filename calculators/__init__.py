"""The browser calculators' page models: form values in, an Outcome out.

Standard library and ``calc`` only, so the same modules run in the build (embeds),
in tests and, unchanged, in the browser. The DOM is touched by one adapter
(``site_src/assets/calculators/adapter.py``), never here.
"""
