// What the directory's search (directory-search.js) and the site's search page (search.js)
// share: Pagefind loaded once on demand, the view kept in the address with a history entry per
// choice (Back undoes a filter, Forward redoes it), the filters folded behind a button that says
// how many are ticked, with a "Show N results" button that jumps to the results, and the
// filters' checkboxes with their counts.
//
// Whatever the address says is only looked up among the page's own choices with an own-key
// test: ?sort=constructor or ?type=__proto__ must name nothing, not Object's own properties.
// Data becomes text only (textContent), never markup.

/** object[key] when the object itself has that key, else undefined (never an inherited property). */
export function own(object, key) {
  return object != null && Object.hasOwn(object, key) ? object[key] : undefined;
}

/** As calc.errors.ECHO_CHARS: a sentence repeats at most this much of what the address says. */
export const ECHO_CHARS = 40;

/** Text from the address for a sentence: cut to ECHO_CHARS characters with "…" when longer. */
export function echoed(text) {
  return text.length <= ECHO_CHARS ? text : `${text.slice(0, ECHO_CHARS)}…`;
}

/** Data text in a <bdi>, so a right-to-left name cannot reorder the words around it. */
export function isolated(text) {
  const bdi = document.createElement("bdi");
  bdi.textContent = text;
  return bdi;
}

/** A loader for this site's Pagefind (loaded once, on first call; `siteRoot` is a URL). */
export function pagefindLoader(siteRoot) {
  let loading = null;
  return () => {
    loading ??= (async () => {
      const pagefind = await import(new URL("pagefind/pagefind.js", siteRoot).href);
      await pagefind.options({ baseUrl: new URL(siteRoot).pathname });
      pagefind.init();
      // Load the filters' one file once: Pagefind counts only the filters already loaded.
      await pagefind.filters();
      return pagefind;
    })();
    return loading;
  };
}

// ---- the view <-> the address

/**
 * The view the address describes: the query, the sort (one of `sorts`' own keys, else ""), and,
 * for each filter name the page offers, the values ticked (each once).
 */
export function readAddress(names, sorts = {}) {
  const params = new URLSearchParams(location.search);
  const chosen = Object.create(null);
  for (const name of names) chosen[name] = [...new Set(params.getAll(name))];
  const sort = params.get("sort") || "";
  return { q: params.get("q") || "", sort: Object.hasOwn(sorts, sort) ? sort : "", chosen };
}

function addressOf(view, names) {
  const params = new URLSearchParams();
  if (view.q) params.set("q", view.q);
  if (view.sort) params.set("sort", view.sort);
  for (const name of names) for (const value of view.chosen[name]) params.append(name, value);
  return params.toString();
}

/**
 * Keeps the view in the address. A choice (a filter, a sort, Clear) is a new history entry, so
 * Back undoes it; typing is one entry however many keys it takes (the first key pushes, the
 * rest replace). `onReturn(view)` runs when Back or Forward brings another entry's view.
 */
export function addressKeeper(names, sorts, onReturn) {
  let typing = false;
  addEventListener("popstate", () => {
    typing = false;
    onReturn(readAddress(names, sorts));
  });
  return {
    record(view, how) {
      const search = addressOf(view, names);
      if (search === new URLSearchParams(location.search).toString()) return;
      const url = search ? `?${search}` : location.pathname;
      if (how === "typing" && typing) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
      typing = how === "typing";
    },
  };
}

// ---- the filters

/** How many values are ticked, over every filter. */
export function tickedCount(chosen, names) {
  return names.reduce((total, name) => total + chosen[name].length, 0);
}

/**
 * The filters folded behind their button. The button says how many values are ticked
 * ("Filters (2)"); "Show N results" folds them and moves focus (and the screen) to `results`.
 */
export function filterPanel(toggle, panel, results) {
  const show = panel.querySelector(".search-show-results");
  function setOpen(open) {
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
  }
  toggle.addEventListener("click", () => setOpen(panel.hidden));
  show.addEventListener("click", () => {
    setOpen(false);
    results.focus({ preventScroll: true });
    results.scrollIntoView({ block: "start" });
  });
  return {
    ticked(count) {
      toggle.textContent = count ? `Filters (${count})` : "Filters";
    },
    found(count) {
      show.textContent = count === 1 ? "Show 1 result" : `Show ${count} results`;
    },
    searching() {
      show.textContent = "Show results";
    },
    hide() {
      setOpen(false);
      toggle.hidden = true;
    },
  };
}

/** The fieldsets' names, and their names for coded values (a fieldset's data-labels). */
export function facetsOf(form) {
  const fieldsets = [...form.querySelectorAll("fieldset[data-filter]")];
  const labels = Object.create(null);
  for (const fieldset of fieldsets) {
    labels[fieldset.dataset.filter] = JSON.parse(fieldset.dataset.labels || "{}");
  }
  return { fieldsets, names: fieldsets.map((fieldset) => fieldset.dataset.filter), labels };
}

/** Ticked values per filter, as the checkboxes say. */
export function tickedIn(fieldsets) {
  const chosen = Object.create(null);
  for (const fieldset of fieldsets) {
    chosen[fieldset.dataset.filter] = [...fieldset.querySelectorAll("input:checked")].map((box) => box.value);
  }
  return chosen;
}

/**
 * Each filter's values as checkboxes labelled with their count (what ticking them gives),
 * sorted by name. A value ticked in the address but unknown to the index is shown too, with 0,
 * so the visitor sees why nothing matches and can untick it.
 */
export function renderFacets(facets, counts, chosen) {
  for (const fieldset of facets.fieldsets) {
    const name = fieldset.dataset.filter;
    const values = own(counts, name) || {};
    const names = facets.labels[name];
    const named = (value) => own(names, value) ?? value;
    const keys = Object.keys(values).sort((a, b) => named(a).localeCompare(named(b)) || a.localeCompare(b));
    for (const value of chosen[name]) if (!keys.includes(value)) keys.push(value);
    fieldset.querySelector(".directory-facet-options").replaceChildren(
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
        label.append(isolated(named(value)), ` (${own(values, value) || 0})`);
        const wrap = document.createElement("div");
        wrap.className = "directory-facet-option";
        wrap.append(box, label);
        return wrap;
      }),
    );
    fieldset.hidden = keys.length === 0;
  }
}

/** Ticks the checkboxes the view names (before its search has redrawn them). */
export function tickAsIn(fieldsets, chosen) {
  for (const fieldset of fieldsets) {
    for (const box of fieldset.querySelectorAll("input[type=checkbox]")) {
      box.checked = chosen[fieldset.dataset.filter].includes(box.value);
    }
  }
}

// ---- the filters' values in the index
//
// Pagefind holds one filter, FACETS (site_build/search_index.py): each entry's filter values as
// one value, a query string (country=CA&type=Provider, every value percent-encoded), so its one
// filter file lists each entry once, under its combination (seven filters apart listed every
// entry seven times, and a search that counts loads them all). A search filters with the
// combinations that pass the ticked values, and counts each filter's values from the
// combinations' counts: one search where each filter's counts took one search of their own.

/** Pagefind's one filter (site_build/search_index.py FACETS). */
export const FACETS = "facets";

/** Each combination Pagefind counted: its values (filter name -> values) and its count. */
function combinationsIn(counted) {
  return Object.entries(own(counted, FACETS) || {}).map(([value, count]) => {
    const values = Object.create(null);
    const pairs = new URLSearchParams(value);
    for (const name of pairs.keys()) values[name] = pairs.getAll(name);
    return { value, values, count };
  });
}

/** Every combination the index holds, read once per loaded Pagefind (each search reads them). */
const combinationsRead = new WeakMap();
function everyCombination(pagefind) {
  if (!combinationsRead.has(pagefind)) combinationsRead.set(pagefind, pagefind.filters().then(combinationsIn));
  return combinationsRead.get(pagefind);
}

/** Whether a combination has, for each filter in `chosen` but `except`, one of the values chosen. */
function passes(values, chosen, names, except) {
  return names.every((name) => {
    const wanted = own(chosen, name) || [];
    if (name === except || wanted.length === 0) return true;
    const has = own(values, name) || [];
    return wanted.some((value) => has.includes(value));
  });
}

/**
 * Pagefind's filter argument for the entries whose values pass `chosen` (and `base`): the
 * combinations that do. None passing, a value no entry has (Pagefind reads an empty list as
 * "any value").
 */
function filterFor(combinations, chosen, names, base) {
  const baseNames = Object.keys(base);
  const allowed = combinations
    .filter(({ values }) => passes(values, base, baseNames) && passes(values, chosen, names))
    .map(({ value }) => value);
  return { [FACETS]: { any: allowed.length ? allowed : [""] } };
}

/**
 * Each filter's values counted from the combinations' counts: a value's count is the sum over
 * the combinations that have it and pass every other ticked filter (and `base`), so it says how
 * many results ticking it gives. Every value the index holds is listed, with 0 when none.
 */
function countsFrom(counted, every, chosen, names, base) {
  const baseNames = Object.keys(base);
  const counts = Object.create(null);
  for (const name of names) counts[name] = Object.create(null);
  for (const { values } of every) {
    for (const name of names) for (const value of own(values, name) || []) counts[name][value] = 0;
  }
  for (const { values, count } of counted) {
    if (!count || !passes(values, base, baseNames)) continue;
    for (const name of names) {
      if (!passes(values, chosen, names, name)) continue;
      for (const value of own(values, name) || []) counts[name][value] = (counts[name][value] || 0) + count;
    }
  }
  return counts;
}

/** Every filter's values, counted over the whole index (the search page before anything is asked). */
export async function allCounts(pagefind, names) {
  const every = await everyCombination(pagefind);
  return countsFrom(every, every, Object.create(null), names, {});
}

/**
 * Every entry whose values pass `base` (as `chosen`: filter name -> values, one of which an
 * entry must have), in the order `sort` gives.
 */
export async function searchAll(pagefind, base, sort) {
  const every = await everyCombination(pagefind);
  return pagefind.search(null, { filters: filterFor(every, Object.create(null), [], base), sort });
}

/**
 * One search and its counts: each filter counted with every other filter applied (and `base`,
 * as `chosen`), so a count says how many results ticking that value gives.
 */
export async function searchWithCounts(pagefind, term, chosen, names, base, sort) {
  const every = await everyCombination(pagefind);
  const baseFilter = Object.keys(base).length ? filterFor(every, Object.create(null), [], base) : {};
  const ticked = tickedCount(chosen, names) > 0;
  const counting = pagefind.search(term, { filters: baseFilter, sort });
  const main = ticked ? pagefind.search(term, { filters: filterFor(every, chosen, names, base), sort }) : counting;
  const [all, found] = await Promise.all([counting, main]);
  const counts = countsFrom(combinationsIn(all?.filters), every, chosen, names, base);
  return { results: found ? found.results : [], counts };
}
