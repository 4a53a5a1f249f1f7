// Material for MkDocs' inline bootstrap, moved to a file so that no page needs an
// inline script under the site's Content-Security-Policy. Same behaviour: the
// storage helpers Material's bundle expects, and opening a tab named in the URL hash.
(function () {
  // Scripts run: pages lay out for them before the first paint (the directory's search shows
  // at once instead of pushing the page down when its module starts; see openceu.css).
  document.documentElement.classList.add("openceu-js");
  var scope = document.currentScript.dataset.scope;
  window.__md_scope = new URL(scope, location);
  window.__md_hash = function (text) {
    return Array.from(text).reduce(function (hash, ch) { return (hash << 5) - hash + ch.charCodeAt(0); }, 0);
  };
  window.__md_get = function (key, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(base.pathname + "." + key));
  };
  window.__md_set = function (key, value, storage, base) {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try { storage.setItem(base.pathname + "." + key, JSON.stringify(value)); } catch (error) { /* storage full or blocked */ }
  };
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
  });
})();
