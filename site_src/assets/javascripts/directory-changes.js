// "What changed since <date>" on /directory/changes/: every change from changes.json (built
// with the site) on or after the date, newest first. The date lives in the URL (?since=),
// so the view can be shared, bookmarked and reloaded; the browser's back button steps
// through earlier dates. Without JavaScript the page keeps its list of the newest changes.
//
// Each item is built with the DOM (never innerHTML): data text goes in <bdi>, as on the
// server-rendered list (the change_item macro in site_src/directory/_macros.html).

import { echoed } from "./search-controls.js";

const page = document.querySelector("[data-changes-json]");
if (page) start(page);

function start(page) {
  const form = page.querySelector(".directory-changes-since");
  const input = document.getElementById("changes-since");
  const list = document.getElementById("changes-list");
  const summary = document.getElementById("changes-summary");
  const original = { items: [...list.children], summary: summary.textContent };
  const siteRoot = new URL(page.dataset.siteRoot, window.location.href);
  let changes = null; // loaded on first use

  // data-state on the page: "busy" while a date is applied, then "ready" (tests wait on it).
  async function show() {
    page.dataset.state = "busy";
    await render();
    page.dataset.state = "ready";
  }

  async function render() {
    const since = new URLSearchParams(window.location.search).get("since");
    if (since === null || since === "") {
      input.value = "";
      list.replaceChildren(...original.items);
      summary.textContent = original.summary;
      return;
    }
    input.value = isDay(since) ? since : "";
    if (!isDay(since)) {
      summary.textContent = `“${echoed(since)}” is not a date: choose one, or write it as YYYY-MM-DD (2026-11-01).`;
      return;
    }
    try {
      changes ??= (await (await fetch(page.dataset.changesJson)).json()).changes;
    } catch {
      summary.textContent = "The list of changes could not be loaded: reload the page to try again.";
      return;
    }
    const found = changes.filter((change) => change.day >= since);
    list.replaceChildren(...found.map(item));
    summary.replaceChildren(
      found.length === 0
        ? `No change since ${since}. `
        : `${found.length} change${found.length === 1 ? "" : "s"} since ${since}, newest first. `,
      link("Show the newest changes", window.location.pathname),
    );
    const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target) target.scrollIntoView();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!input.value) return;
    history.pushState(null, "", `?since=${encodeURIComponent(input.value)}`);
    show();
  });
  window.addEventListener("popstate", show);
  show();

  function item(change) {
    const li = document.createElement("li");
    li.id = change.anchor;
    li.dataset.day = change.day;
    li.dataset.kind = change.kind;
    const time = document.createElement("time");
    time.dateTime = change.day;
    time.textContent = change.day;
    const headline = bdi(change.headline);
    li.append(time, ": ", change.path ? link(headline, new URL(change.path, siteRoot).href) : headline);
    if (change.fields.length) {
      const fields = document.createElement("ul");
      for (const field of change.fields) {
        const line = document.createElement("li");
        line.append(`${field.label}: `, value(field.before), " → ", value(field.after));
        fields.append(line);
      }
      li.append(fields);
    }
    const details = document.createElement("span");
    details.className = "directory-result-details";
    const commit = `commit ${change.commit.slice(0, 12)}`;
    details.append(
      "(",
      change.commit_url ? external(commit, change.commit_url) : commit,
      ": ",
      bdi(shortSubject(change.subject)),
      ")",
    );
    li.append(" ", details);
    return li;
  }
}

// As directory/changes_pages.py short_subject: cut at a word near its SUBJECT_CHARACTERS, which the
// build writes on the page (data-subject-characters), with an ellipsis.
function shortSubject(subject) {
  const most = Number(page.dataset.subjectCharacters);
  if (subject.length <= most) return subject;
  const cut = subject.slice(0, most);
  const space = cut.lastIndexOf(" ");
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[ ,;:]+$/, "")}…`;
}

function isDay(text) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

function bdi(text) {
  const element = document.createElement("bdi");
  element.textContent = text;
  return element;
}

function value(text) {
  return text ? bdi(text) : "(blank)";
}

function link(content, href) {
  const a = document.createElement("a");
  a.href = href;
  a.append(content);
  return a;
}

function external(content, href) {
  const a = link(content, /^https?:\/\//i.test(href) ? href : "#");
  a.rel = "nofollow noopener";
  return a;
}
