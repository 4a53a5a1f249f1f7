// Material for MkDocs' inline bootstrap, moved to a file so that no page needs an
// inline script under the site's Content-Security-Policy. Same behaviour: the
// storage helpers Material's bundle expects, and opening a tab named in the URL hash.
(() => {
  // Scripts run: pages lay out for them before the first paint (the directory's search shows
  // at once instead of pushing the page down when its module starts; see openceu.css).
  document.documentElement.classList.add("openceu-js");
  const scope = document.currentScript.dataset.scope;
  window.__md_scope = new URL(scope, location);
  window.__md_hash = (text) => Array.from(text).reduce((hash, ch) => (hash << 5) - hash + ch.charCodeAt(0), 0);
  window.__md_get = (key, storage, base) => {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    return JSON.parse(storage.getItem(`${base.pathname}.${key}`));
  };
  window.__md_set = (key, value, storage, base) => {
    storage = storage || localStorage;
    base = base || window.__md_scope;
    try {
      storage.setItem(`${base.pathname}.${key}`, JSON.stringify(value));
    } catch {
      /* storage full or blocked */
    }
  };
  document.addEventListener("DOMContentLoaded", () => {
    const target = document.getElementById(location.hash.slice(1));
    if (target?.name) target.checked = target.name.startsWith("__tabbed_");
  });
})();
