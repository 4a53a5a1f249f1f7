// Registers the site's service worker (sw.js at the site's root, written by the build) so that
// the calculators work offline after this visit. Not in `mkdocs serve`, and not when the visitor
// asked the browser to save data: the calculators' runtime is about 15 MB, downloaded once.
(() => {
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
  if (navigator.connection && navigator.connection.saveData) return;
  const root = new URL("../../", document.currentScript.src);
  navigator.serviceWorker.register(new URL("sw.js", root), { scope: root.pathname }).catch(() => {
    // No worker (private mode, a blocked registration): the site works online as before.
  });
})();
