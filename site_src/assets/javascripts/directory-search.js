// The directory's instant search: Pagefind's own index (built with the site), its filters
// with counts, sorting, and the whole view kept in the URL so it can be shared and reloaded.
// Without JavaScript the page keeps its plain paginated listing; this only adds to it.
//
// The filters are those the profile pages declare with data-pagefind-filter; the page
// declares which to show (fieldset[data-filter]); counts are computed per filter with the
// other filters applied, so a count says how many results ticking that box gives.
// A fieldset's data-labels (JSON: value -> name) names coded values: the country and region
// filters carry ISO codes (US, US-TX), which keep the counts and the URL (?country=US)
// stable, and show names ("United States", "Texas, United States"). Options sort by name.
//
// The opening view (no query, no filter, sorted by name) is computed by the build and written
// into the page (#directory-opening: the total, every filter's counts, the first results), so
// opening the directory downloads no index at any size. Pagefind is loaded the first time the
// visitor searches, ticks a filter, sorts another way or asks for more results.

const PAGE_SIZE = 20;
const SORTS = {
  "name-asc": { name: "asc" },
  "name-desc": { name: "desc" },
  "verified-desc": { verified: "desc" },
  "verified-asc": { verified: "asc" },
};
// Every directory entry has a type; filtering on it keeps guides and other pages out.
const ENTRY_TYPES = ["Provider", "Organization"];

const app = document.getElementById("directory-app");
let loading = null; // Pagefind, once asked for
if (app) start().catch(failed);

function searchEngine() {
  // Pagefind, loaded once, on first need.
  loading ??= (async () => {
    const siteRoot = new URL("../../", import.meta.url);
    const pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
    await pagefind.options({ baseUrl: siteRoot.pathname });
    pagefind.init();
    // Load every filter's index once: counts are only reported for filters already loaded.
    await pagefind.filters();
    return pagefind;
  })();
  return loading;
}

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
  const facets = [...form.querySelectorAll("fieldset[data-filter]")];
  const names = facets.map((fieldset) => fieldset.dataset.filter);
  const labels = {};
  for (const fieldset of facets) labels[fieldset.dataset.filter] = JSON.parse(fieldset.dataset.labels || "{}");

  let results = [];
  let shown = 0;
  let generation = 0;
  let openingView = false; // the list shows the build's opening view, not a Pagefind search

  // ---- the view <-> the URL
  function readUrl() {
    const params = new URLSearchParams(location.search);
    const chosen = {};
    for (const name of names) chosen[name] = params.getAll(name);
    return { q: params.get("q") || "", sort: params.get("sort") || "", chosen };
  }
  function writeUrl(view) {
    const params = new URLSearchParams();
    if (view.q) params.set("q", view.q);
    if (view.sort) params.set("sort", view.sort);
    for (const name of names) for (const value of view.chosen[name]) params.append(name, value);
    const search = params.toString();
    history.replaceState(null, "", search ? `?${search}` : location.pathname);
  }
  function readForm() {
    const chosen = {};
    for (const fieldset of facets) {
      chosen[fieldset.dataset.filter] = [...fieldset.querySelectorAll("input:checked")].map((box) => box.value);
    }
    return { q: query.value.trim(), sort: sort.value, chosen };
  }

  // ---- searching
  function filtersFor(chosen, except) {
    const filters = { type: { any: ENTRY_TYPES } };
    for (const name of names) {
      if (name === except || chosen[name].length === 0) continue;
      filters[name] = { any: chosen[name] };
    }
    return filters;
  }
  function sortFor(view) {
    if (SORTS[view.sort]) return SORTS[view.sort];
    return view.q ? undefined : SORTS["name-asc"];
  }
  function isOpening(view) {
    return !view.q && !names.some((name) => view.chosen[name].length > 0) && sortFor(view) === SORTS["name-asc"];
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
    app.dataset.state = "ready";
    app.dataset.resultCount = String(total);
  }
  function showOpening(view) {
    ++generation; // a search still running for an earlier view is not shown
    renderFacets(opening.counts, view.chosen);
    results = [];
    list.replaceChildren(...opening.first.map(resultItem));
    shown = opening.first.length;
    openingView = true;
    more.hidden = shown >= opening.total;
    showCount(opening.total, false);
  }
  async function run(view) {
    if (opening && isOpening(view)) {
      showOpening(view);
      return;
    }
    const mine = ++generation;
    app.dataset.state = "searching";
    const pagefind = await searchEngine();
    if (mine !== generation) return; // a newer search has started
    const term = view.q || null;
    const main = pagefind.search(term, { filters: filtersFor(view.chosen), sort: sortFor(view) });
    // Disjunctive counts: each facet counted with every other facet applied.
    const perFacet = names.map((name) => pagefind.search(term, { filters: filtersFor(view.chosen, name) }));
    const [found, ...counted] = await Promise.all([main, ...perFacet]);
    if (mine !== generation) return; // a newer search has started
    const counts = {};
    names.forEach((name, i) => (counts[name] = (counted[i] && counted[i].filters[name]) || {}));
    renderFacets(counts, view.chosen);
    results = found.results;
    shown = 0;
    openingView = false;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    showCount(results.length, view.q || names.some((name) => view.chosen[name].length > 0));
  }
  async function showMore(mine) {
    let wanted = PAGE_SIZE;
    let fresh = false;
    if (openingView) {
      // The rest of the opening view is Pagefind's: search it, and list its results from the
      // top (its order of equal names may differ from the build's).
      const pagefind = await searchEngine();
      const found = await pagefind.search(null, { filters: filtersFor(readForm().chosen), sort: SORTS["name-asc"] });
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
  function isolated(text) {
    const bdi = document.createElement("bdi");
    bdi.textContent = text;
    return bdi;
  }
  function resultItem(record) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = record.url;
    link.append(isolated((record.meta && record.meta.title) || record.url));
    const details = document.createElement("span");
    details.className = "directory-result-details";
    const meta = record.meta || {};
    const parts = [
      meta.type,
      meta.place && isolated(meta.place),
      meta.status,
      meta.verified && `verified ${meta.verified}`,
    ].filter(Boolean);
    parts.forEach((part, i) => details.append(...(i ? [" · ", part] : [part])));
    item.append(link, " ", details);
    return item;
  }
  function renderFacets(counts, chosen) {
    for (const fieldset of facets) {
      const name = fieldset.dataset.filter;
      const values = counts[name] || {};
      const options = fieldset.querySelector(".directory-facet-options");
      const named = (value) => (Object.hasOwn(labels[name], value) ? labels[name][value] : value);
      const keys = Object.keys(values).sort((a, b) => named(a).localeCompare(named(b)) || a.localeCompare(b));
      for (const value of chosen[name]) if (!keys.includes(value)) keys.push(value);
      options.replaceChildren(
        ...keys.map((value, i) => {
          const id = `facet-${name}-${i}`;
          const box = document.createElement("input");
          box.type = "checkbox";
          box.id = id;
          box.name = name;
          box.value = value;
          box.checked = chosen[name].includes(value);
          const label = document.createElement("label");
          label.htmlFor = id;
          label.append(isolated(named(value)), ` (${values[value] || 0})`);
          const wrap = document.createElement("div");
          wrap.className = "directory-facet-option";
          wrap.append(box, label);
          return wrap;
        }),
      );
      fieldset.hidden = keys.length === 0;
    }
  }

  // ---- wiring
  let typing;
  function changed(delay) {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const view = readForm();
      writeUrl(view);
      run(view).catch(failed);
    }, delay);
  }
  form.addEventListener("submit", (event) => event.preventDefault());
  query.addEventListener("input", () => changed(150));
  // Whoever is about to search: start fetching Pagefind now, not on the first keystroke.
  query.addEventListener("focus", () => searchEngine().catch(failed), { once: true });
  form.addEventListener("change", (event) => {
    if (event.target !== query) changed(0);
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
      changed(0);
    }, 0);
  });
  more.addEventListener("click", () => showMore(generation).catch(failed));

  const initial = readUrl();
  // On a phone the filters start folded so the results come first, unless the URL sets some.
  const anyChosen = names.some((name) => initial.chosen[name].length > 0);
  if (!anyChosen && matchMedia("(max-width: 44.9375em)").matches) {
    document.getElementById("directory-filters").open = false;
  }
  query.value = initial.q;
  sort.value = SORTS[initial.sort] ? initial.sort : "";
  app.hidden = false;
  await run(initial);
}

function failed(error) {
  // The plain listing stays usable; say what happened instead of failing silently.
  if (!app) return;
  app.dataset.state = "error";
  const count = document.getElementById("directory-result-count");
  if (count) count.textContent = "Search could not start; the list below still works.";
  const browse = document.getElementById("directory-browse");
  if (browse) browse.hidden = false;
  console.error(error);
}
