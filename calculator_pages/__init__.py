"""The browser calculators' page models: form values in, an Outcome out.

Standard library and ``calc`` only, so the same modules run in the build (the guides' worked
examples, :mod:`site_build.embeds`), in tests and, unchanged, in the browser, where they run in
a Web Worker (:mod:`calculator_pages.page_session`); the DOM is touched only by the pages' scripts
(``site_src/assets/calculators/calculator.js``), never here. This folder is zipped whole for
every calculator page (``site_build.runtime.CALCULATOR_PAGES_ZIP``), so it holds only what the
worker imports: code the build alone runs lives in ``site_build/`` (a build test checks).

Named for what it holds: the models of the calculator pages, beside ``calc`` (the rules they run).
"""
