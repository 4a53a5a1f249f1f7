// The directory's instant search: Pagefind's own index (built with the site), its filters
// with counts, sorting, and the whole view kept in the URL so it can be shared, reloaded, and
// walked with Back and Forward. Without JavaScript the page keeps its plain paginated listing;
// this only adds to it. What it shares with the search page is in search-controls.js.
//
// The filters are those each entry's search record carries (directory/search_records.py:
// DirectoryView.filters, which the opening view counts too); the page declares which to
// show (fieldset[data-filter], from directory/search_filters.py SEARCH_FILTERS); counts are computed
// per filter with the other filters applied, so a count says how many results ticking that
// box gives. A fieldset's data-labels (JSON: value -> name) names coded
// values: the country and region filters carry ISO codes (US, US-TX), which keep the counts
// and the URL (?country=US) stable, and show names ("United States", "Texas, United States").
//
// The opening view (no query, no filter, sorted by name) is computed by the build and written
// into the page (#directory-opening: the total, every filter's counts, the first results), so
// opening the directory downloads no index at any size. Pagefind is loaded the first time the
// visitor searches, ticks a filter, sorts another way or asks for more results.
//
// When Pagefind cannot load (offline, blocked, failed), the search box filters the plain
// listing the page holds by name, and the page says that full search is unavailable.

import {
  addressKeeper,
  facetsOf,
  filterPanel,
  isolated,
  own,
  pagefindLoader,
  readAddress,
  renderFacets,
  searchAll,
  searchWithCounts,
  tickAsIn,
  tickedCount,
  tickedIn,
} from "./search-controls.js";

const SORTS = {
  "name-asc": { name: "asc" },
  "name-desc": { name: "desc" },
  "verified-desc": { verified: "desc" },
  "verified-asc": { verified: "asc" },
};
// Every directory entry has a type; filtering on it keeps guides and other pages out.
const ENTRIES = { type: ["Provider", "Organization"] };

const app = document.getElementById("directory-app");
// Results shown at a time: the build's number (directory/search_filters.py RESULTS_PER_PAGE), written on the page.
const PAGE_SIZE = Number(app?.dataset.pageSize);
const searchEngine = pagefindLoader(new URL("../../", import.meta.url));
// What the page does when Pagefind fails; once the page is wired, the search box filters the
// plain listing by name (until then, the listing shows with a word on why).
let fallBack = () => {
  const count = document.getElementById("directory-result-count");
  if (count) count.textContent = "Full search is unavailable (it could not load); the list below still works.";
};
if (app) start().catch(failed);

async function start() {
  const openingData = document.getElementById("directory-opening");
  const opening = openingData ? JSON.parse(openingData.textContent) : null;
  const form = document.getElementById("directory-search");
  const query = document.getElementById("directory-query");
  const sort = document.getElementById("directory-sort");
  const count = document.getElementById("directory-result-count");
  const list = document.getElementById("directory-results");
  const empty = document.getElementById("directory-empty");
  const more = document.getElementById("directory-more");
  const browse = document.getElementById("directory-browse");
  const facets = facetsOf(form);
  const names = facets.names;
  const panel = filterPanel(
    document.getElementById("directory-filters-toggle"),
    document.getElementById("directory-filters"),
    count,
  );
  const address = addressKeeper(names, SORTS, (view) => {
    showInForm(view);
    if (app.dataset.state === "error") filterByName();
    else run(view).catch(failed);
  });

  let results = [];
  let shown = 0;
  let generation = 0;
  let openingView = false; // the list shows the build's opening view, not a Pagefind search

  function readForm() {
    return { q: query.value.trim(), sort: sort.value, chosen: tickedIn(facets.fieldsets) };
  }
  function showInForm(view) {
    query.value = view.q;
    sort.value = view.sort;
    tickAsIn(facets.fieldsets, view.chosen);
    panel.ticked(tickedCount(view.chosen, names));
  }

  // ---- searching
  function sortFor(view) {
    return own(SORTS, view.sort) ?? (view.q ? undefined : SORTS["name-asc"]);
  }
  function isOpening(view) {
    return !view.q && tickedCount(view.chosen, names) === 0 && sortFor(view) === SORTS["name-asc"];
  }
  function showCount(total, filtered) {
    browse.hidden = true; // the search lists every entry; the plain table is the no-JS path
    empty.hidden = total > 0;
    count.textContent =
      total === 0
        ? "No entries match."
        : total === 1
          ? `1 entry ${filtered ? "matches" : "in the directory"}.`
          : `${total} entries ${filtered ? "match" : "in the directory"}.`;
    panel.found(total);
    app.dataset.state = "ready";
    app.dataset.resultCount = String(total);
  }
  function showOpening(view) {
    ++generation; // a search still running for an earlier view is not shown
    renderFacets(facets, opening.counts, view.chosen);
    results = [];
    list.replaceChildren(...opening.first.map(resultItem));
    shown = opening.first.length;
    openingView = true;
    more.hidden = shown >= opening.total;
    showCount(opening.total, false);
  }
  async function run(view) {
    panel.ticked(tickedCount(view.chosen, names));
    if (opening && isOpening(view)) {
      showOpening(view);
      return;
    }
    const mine = ++generation;
    app.dataset.state = "searching";
    panel.searching();
    const pagefind = await searchEngine();
    if (mine !== generation) return; // a newer search has started
    const found = await searchWithCounts(pagefind, view.q || null, view.chosen, names, ENTRIES, sortFor(view));
    if (mine !== generation) return; // a newer search has started
    renderFacets(facets, found.counts, view.chosen);
    results = found.results;
    shown = 0;
    openingView = false;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    showCount(results.length, Boolean(view.q) || tickedCount(view.chosen, names) > 0);
  }
  async function showMore(mine) {
    let wanted = PAGE_SIZE;
    let fresh = false;
    if (openingView) {
      // The rest of the opening view is Pagefind's: search it, and list its results from the
      // top (its order of equal names may differ from the build's).
      const pagefind = await searchEngine();
      const found = await searchAll(pagefind, ENTRIES, SORTS["name-asc"]);
      if (mine !== generation) return;
      results = found.results;
      wanted = shown + PAGE_SIZE;
      shown = 0;
      fresh = true;
      openingView = false;
    }
    const next = results.slice(shown, shown + wanted);
    const records = await Promise.all(next.map((result) => result.data()));
    if (mine !== generation) return;
    if (fresh) list.replaceChildren();
    for (const record of records) list.append(resultItem(record));
    shown += next.length;
    more.hidden = shown >= results.length;
  }

  // ---- rendering (textContent only: data never becomes markup; data text goes in a <bdi>
  // so a right-to-left name cannot reorder the words around it, as on the built pages)
  function resultItem(record) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = record.url;
    link.append(isolated(record.meta?.title || record.url));
    const details = document.createElement("span");
    details.className = "directory-result-details";
    const meta = record.meta || {};
    const parts = [
      meta.type,
      meta.place && isolated(meta.place),
      meta.status,
      meta.verified && `verified ${meta.verified}`,
    ].filter(Boolean);
    details.append(...parts.flatMap((part, i) => (i ? [" · ", part] : [part])));
    item.append(link, " ", details);
    return item;
  }

  // ---- without Pagefind: the search box filters the listing the page holds, by name
  const rows = [...browse.querySelectorAll("tbody tr")];
  const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  const rowNames = rows.map((row) => folded(row.cells[0].textContent));
  function filterByName() {
    const words = folded(query.value).split(/\s+/).filter(Boolean);
    let matching = 0;
    rows.forEach((row, i) => {
      row.hidden = !words.every((word) => rowNames[i].includes(word));
      if (!row.hidden) matching += 1;
    });
    const onPage = rows.length < Number(browse.dataset.total || rows.length) ? " on this page" : "";
    const said = words.length ? `: ${matching} of ${rows.length} entries${onPage} match.` : ".";
    count.textContent = `Full search is unavailable (it could not load), so the box above filters the list below by name${said}`;
  }
  fallBack = () => {
    ++generation; // nothing Pagefind started is shown any more
    panel.hide();
    document.getElementById("directory-sort-field").hidden = true;
    document.querySelector('label[for="directory-query"]').textContent = "Filter the list by name";
    list.replaceChildren();
    more.hidden = true;
    empty.hidden = true;
    browse.hidden = false;
    // The count above says how many entries match: the listing's own heading and count step aside.
    for (const said of browse.querySelectorAll("#browse-heading, #browse-heading + p")) said.hidden = true;
    query.removeEventListener("input", typed);
    query.addEventListener("input", filterByName);
    filterByName();
  };

  // ---- wiring
  let typing;
  function changed(delay, how) {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const view = readForm();
      address.record(view, how);
      run(view).catch(failed);
    }, delay);
  }
  function typed() {
    changed(150, "typing");
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  query.addEventListener("input", typed);
  // Whoever is about to search: start fetching Pagefind now, not on the first keystroke.
  query.addEventListener("focus", () => searchEngine().catch(failed), { once: true });
  form.addEventListener("change", (event) => {
    if (event.target !== query && app.dataset.state !== "error") changed(0, "choice");
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
      if (app.dataset.state === "error") filterByName();
      else changed(0, "choice");
    }, 0);
  });
  more.addEventListener("click", () => showMore(generation).catch(failed));

  const initial = readAddress(names, SORTS);
  showInForm(initial);
  app.hidden = false;
  await run(initial);
}

function failed(error) {
  // Say what happened instead of failing silently; the search box then filters the listing by name.
  if (!app || app.dataset.state === "error") return;
  app.dataset.state = "error";
  console.error(error);
  fallBack();
}
