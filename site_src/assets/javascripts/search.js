// The search page: every guide and directory entry, through this site's own Pagefind index.
// The query and the ticked filters live in the address (?q=safety&type=Provider), so a search
// can be shared or reloaded, and each filter is a history entry that Back undoes. Results come
// first: the filters (the directory's, with the same legends, from search.html) fold behind a
// button that says how many are ticked. What it shares with the directory is in
// search-controls.js.
//
// Pagefind's excerpts are HTML (the page's words, escaped, with <mark> around the matches);
// they are rebuilt here as text and <mark> elements only, so nothing in them becomes markup.

import {
  addressKeeper,
  allCounts,
  echoed,
  facetsOf,
  filterPanel,
  isolated,
  pagefindLoader,
  readAddress,
  renderFacets,
  searchWithCounts,
  tickAsIn,
  tickedCount,
  tickedIn,
} from "./search-controls.js";

const SUB_RESULTS = 3;

const app = document.getElementById("search-app");
// Results shown at a time: the build's number (directory/search_filters.py RESULTS_PER_PAGE), written on the page.
const PAGE_SIZE = Number(app?.dataset.pageSize);
const searchEngine = pagefindLoader(new URL("../../", import.meta.url));
if (app) start().catch(failed);

async function start() {
  const form = document.getElementById("search-form");
  const query = document.getElementById("search-query");
  const count = document.getElementById("search-result-count");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const facets = facetsOf(form);
  const names = facets.names;
  const panel = filterPanel(
    document.getElementById("search-filters-toggle"),
    document.getElementById("search-filters"),
    count,
  );
  const address = addressKeeper(names, {}, (view) => {
    showInForm(view);
    run(view).catch(failed);
  });

  let results = [];
  let shown = 0;
  let generation = 0;

  function readForm() {
    return { q: query.value.trim(), sort: "", chosen: tickedIn(facets.fieldsets) };
  }
  function showInForm(view) {
    query.value = view.q;
    tickAsIn(facets.fieldsets, view.chosen);
    panel.ticked(tickedCount(view.chosen, names));
  }

  function said(total, view) {
    const ticked = tickedCount(view.chosen, names);
    const filtered = ticked === 1 ? ", with 1 filter" : ticked ? `, with ${ticked} filters` : "";
    if (view.q) {
      const found = total === 0 ? "No results" : total === 1 ? "1 result" : `${total} results`;
      return `${found} for ${echoed(view.q)}${filtered}.`;
    }
    return total === 1 ? "1 page matches the filters." : `${total} pages match the filters.`;
  }
  async function run(view) {
    const mine = ++generation;
    panel.ticked(tickedCount(view.chosen, names));
    app.dataset.state = "searching";
    panel.searching();
    const pagefind = await searchEngine();
    if (mine !== generation) return; // a newer search has started
    if (!view.q && tickedCount(view.chosen, names) === 0) {
      // Nothing asked yet: the filters offer every value, counted over the whole index.
      renderFacets(facets, await allCounts(pagefind, names), view.chosen);
      if (mine !== generation) return;
      results = [];
      list.replaceChildren();
      more.hidden = true;
      count.textContent = "";
      panel.found(0);
      app.dataset.resultCount = "0";
      app.dataset.state = "ready";
      return;
    }
    const found = await searchWithCounts(pagefind, view.q || null, view.chosen, names, {}, undefined);
    if (mine !== generation) return;
    renderFacets(facets, found.counts, view.chosen);
    results = found.results;
    shown = 0;
    list.replaceChildren();
    await showMore(mine);
    if (mine !== generation) return;
    count.textContent = said(results.length, view);
    panel.found(results.length);
    app.dataset.resultCount = String(results.length);
    app.dataset.state = "ready";
  }
  async function showMore(mine) {
    const next = results.slice(shown, shown + PAGE_SIZE);
    const records = await Promise.all(next.map((result) => result.data()));
    if (mine !== generation) return;
    for (const record of records) list.append(resultItem(record));
    shown += next.length;
    more.hidden = shown >= results.length;
  }

  // ---- rendering: text and <mark> only
  function excerpt(html) {
    const paragraph = document.createElement("p");
    paragraph.className = "search-result-excerpt";
    paragraph.dir = "auto";
    const parsed = new DOMParser().parseFromString(`<p>${html || ""}</p>`, "text/html").body;
    for (const node of parsed.firstChild ? parsed.firstChild.childNodes : []) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    }
    return paragraph;
  }
  function link(url, title) {
    const anchor = document.createElement("a");
    anchor.className = "search-result-link";
    anchor.href = url;
    anchor.append(isolated(title || url));
    return anchor;
  }
  function resultItem(record) {
    const item = document.createElement("li");
    const meta = record.meta || {};
    item.append(link(record.url, meta.title));
    const facts = [meta.type, meta.place && isolated(meta.place), meta.status].filter(Boolean);
    if (facts.length) {
      // A directory entry: what it is, where, and its status, as the directory lists it.
      const details = document.createElement("span");
      details.className = "directory-result-details";
      details.append(...facts.flatMap((part, i) => (i ? [" · ", part] : [part])));
      item.append(details);
    }
    item.append(excerpt(record.excerpt));
    // The sections of a long page that match, each under its own heading (not the page's own title).
    const sections = (record.sub_results || [])
      .filter((sub) => sub.url.includes("#") && sub.title !== meta.title)
      .slice(0, SUB_RESULTS);
    if (sections.length) {
      const sub = document.createElement("ul");
      sub.className = "search-subresults";
      for (const section of sections) {
        const entry = document.createElement("li");
        entry.append(link(section.url, section.title), excerpt(section.excerpt));
        sub.append(entry);
      }
      item.append(sub);
    }
    return item;
  }

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
  form.addEventListener("submit", (event) => event.preventDefault());
  query.addEventListener("input", () => changed(150, "typing"));
  form.addEventListener("change", (event) => {
    if (event.target !== query) changed(0, "choice");
  });
  form.addEventListener("reset", () => {
    setTimeout(() => {
      for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
      changed(0, "choice");
    }, 0);
  });
  more.addEventListener("click", () => showMore(generation).catch(failed));

  const initial = readAddress(names, {});
  showInForm(initial);
  app.hidden = false;
  await run(initial);
}

function failed(error) {
  // Say so instead of failing silently; the directory's listing works without search.
  if (!app) return;
  app.dataset.state = "error";
  const count = document.getElementById("search-result-count");
  if (count) {
    count.textContent = "Search is unavailable (it could not load). The directory can still be browsed: ";
    const browse = document.createElement("a");
    browse.href = new URL("../../directory/", import.meta.url).href;
    browse.textContent = "open the directory";
    count.append(browse, ".");
  }
  console.error(error);
}
