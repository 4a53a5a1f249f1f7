// Mounts Pagefind's own UI on the search page; ?q= in the URL runs that query, and
// the URL follows what the visitor types so a search can be shared or reloaded.
(function () {
  var mount = document.getElementById("site-search");
  if (!mount || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({ element: "#site-search", showSubResults: true, showImages: false, resetStyles: false });
  // Pagefind's input is labelled only by its placeholder; give it a visible label.
  var input = mount.querySelector(".pagefind-ui__search-input");
  if (input) {
    input.id = "search-query";
    var label = document.createElement("label");
    label.htmlFor = input.id;
    label.className = "openceu-search-label";
    label.textContent = "Search the directory and guides";
    mount.parentNode.insertBefore(label, mount);
  }
  var query = new URLSearchParams(location.search).get("q");
  if (query) ui.triggerSearch(query);
  mount.addEventListener("input", function (event) {
    if (!event.target.matches("input")) return;
    var url = new URL(location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  });
})();
