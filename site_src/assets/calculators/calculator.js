// Where a calculator page meets the DOM. Python (the page model, calculators.*) runs in a Web
// Worker (python-worker.js, calculators/page_session.py), so the page never freezes while
// Python starts or computes; this script reads the form, asks the worker, and shows what it
// answers: figures, tables, steps, a message beside each field it is about. It keeps the
// inputs in the URL and prints or saves the worksheet. Conventions in the page's HTML, all
// under `#<name>-form`:
//
// * inputs by `name`; `data-private` keeps an input out of the URL;
// * `<p class="calc-error" id="<name>-error-<field>">` beside each field;
// * `[data-when="mode=minutes"]` shows a part only while that radio (or select) has that value;
//   `[data-when="rule=a b"]` while it has any of the space-separated values;
// * `<p class="calc-note" id="<name>-hint-<field>" hidden>` beside a field takes a hint that is not
//   an error (a figure that looks like hours typed as minutes), shown whether or not it is touched;
// * a row list `[data-rows]` holding `[data-row-list]` (the rows, each with `data-row="<n>"`),
//   a `<template>` for one row (`__N__` stands for its position in ids, labels and text) and
//   `[data-action=add-row]` / `[data-action=remove-row]` buttons; rows are renumbered from
//   the template when one is removed, so row n's inputs are `#<name>-row-<n>-<input name>` and
//   a message for field `row-<n>-<input name>` goes in `#<name>-error-row-<n>-<input name>`;
//   the URL keeps rows as repeated `row.<input name>` params (`rows=0` when the visitor removed
//   them all);
// * the URL keeps what the visitor chose: the worker writes it with each outcome, from the values
//   it computed with, and this script only puts it into the address; a first visit's query is read
//   back in the same first message (only the form's own fields and values that fit them), and
//   what it restored comes back with the outcome (calculator_pages.url_state, in the worker, from
//   the form's description sent with that message: names are looked up, never put into a selector);
// * `#<name>-result` (an aria-live region, aria-busy while the worker computes) with
//   `.calc-summary`, `.calc-figures`, `.calc-tables` and `[data-action=print]` /
//   `[data-action=download]` (and `[data-action=calendar]` where the outcome carries dates);
//   `[data-action=copy-link]` (enabled with them, once there is a result) copies the page's
//   address with the inputs, says so in `[data-copy-status]` (a live region), and where the
//   clipboard cannot be written shows the address in `[data-copy-field]`, selected, to copy;
//   the markup inside comes from calculator_pages.worksheet (escaped, tested in CPython);
// * `#<name>-status` goes `loading` -> `ready` (once the first result is shown) or `error`.
//
// A message beside a field shows only once the visitor has typed in that field or left it,
// or pressed Calculate (the form's submit button, or Enter): a new visitor does not meet red
// errors under fields they have not reached. Until then the result panel says what is still
// needed without marking it an error (data-state="incomplete"). Fields a shared link filled in
// count as touched.

const config = JSON.parse(document.getElementById("openceu-worker-config").textContent);
const absolute = (path) => new URL(path, document.baseURI).href;
const FAILED = "Something went wrong in the calculator; the details are in the console.";

/**
 * The page's Python in a module Worker: `ask(message)` resolves with its answer, or rejects when
 * the worker fails. What the worker posts unasked (no id: the annual report's progress) goes to
 * `told`. `end()` stops the worker: what was still asked is refused, and a page that wants Python
 * again starts a new PythonWorker (the annual report's Cancel and restart after a failure).
 */
export class PythonWorker {
  constructor(told = () => {}) {
    this.told = told;
    this.next = 0;
    this.waiting = new Map();
    this.worker = new Worker(absolute(config.worker), { type: "module" });
    this.worker.onmessage = (event) => this.answered(event.data);
    this.worker.onerror = (event) => this.broken(event.message || "the calculator's worker failed");
    const settings = {
      pyodide: absolute(config.pyodide),
      zips: config.zips.map(absolute),
      snapshot: absolute(config.snapshot),
      files: (config.files || []).map(absolute),
      entry: absolute(config.entry),
      name: config.name,
    };
    this.started = this.ask({ type: "start", config: settings });
  }

  ask(message) {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  answered(reply) {
    if (reply.id === undefined) {
      this.told(reply);
      return;
    }
    const asked = this.waiting.get(reply.id);
    if (!asked) return;
    this.waiting.delete(reply.id);
    if (reply.type === "failed") asked.reject(new Error(reply.message));
    else asked.resolve(reply);
  }

  broken(message) {
    for (const asked of this.waiting.values()) asked.reject(new Error(message));
    this.waiting.clear();
  }

  end() {
    this.worker.terminate();
    this.broken("the worker was stopped");
  }
}

/** Put a value into a control as a visitor would (never through markup or a selector). */
export function setValue(node, value) {
  if (node.type === "radio") node.checked = node.value === value;
  else if (node.type === "checkbox") node.checked = value === "yes";
  else node.value = value;
}

/** The form's values by name (a checkbox ticked is "yes", unticked ""), rows' inputs left out on request. */
export function fieldValues(root, skipRows) {
  const values = {};
  for (const node of root.querySelectorAll("input, select, textarea")) {
    if (skipRows && node.closest("[data-row]")) continue;
    const name = node.name;
    if (!name || node.type === "file") continue;
    if (node.type === "radio") {
      if (node.checked) values[name] = node.value;
    } else if (node.type === "checkbox") {
      if (node.checked) values[name] = "yes";
      else if (!Object.hasOwn(values, name)) values[name] = "";
    } else {
      values[name] = node.value;
    }
  }
  return values;
}

/** How calculator_pages.url_state sees one input, select or textarea:
 * [name, type, options, initial, when, private] (calculator_pages.url_state.Control). */
function described(node) {
  let options = [];
  let initial = node.defaultValue;
  if (node.type === "radio" || node.type === "checkbox") {
    if (node.type === "radio") options = [node.value];
    initial = node.defaultChecked ? "yes" : "";
  } else if (node.tagName === "SELECT") {
    options = Array.from(node.options, (option) => option.value);
    const marked = Array.from(node.options).find((option) => option.defaultSelected);
    initial = marked ? marked.value : undefined; // undefined, not null: Pyodide gives Python None for it
  }
  const when = [];
  for (let part = node.closest("[data-when]"); part; part = part.parentElement?.closest("[data-when]")) {
    when.push(part.dataset.when);
  }
  return [node.name, node.type, options, initial, when, node.hasAttribute("data-private")];
}

/** The same values by name, whatever their order (rows compared row by row). */
function sameInputs(a, b) {
  const same = (x, y) => {
    const keys = Object.keys(x || {});
    return keys.length === Object.keys(y || {}).length && keys.every((key) => x[key] === y?.[key]);
  };
  const rows = (x) => x.rows || [];
  return (
    same(a.values, b.values) &&
    Boolean(a.rows) === Boolean(b.rows) &&
    rows(a).length === rows(b).length &&
    rows(a).every((row, index) => same(row, rows(b)[index]))
  );
}

export function save(text, type, filename) {
  // Hand the visitor a file made here; nothing leaves the browser.
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Print the worksheet alone (the page's print styles show only #calc-worksheet-print). */
export function printWorksheet(fragment) {
  let box = document.getElementById("calc-worksheet-print");
  if (!box) {
    box = document.createElement("div");
    box.id = "calc-worksheet-print";
    box.className = "calc-worksheet";
    document.body.append(box);
  }
  box.innerHTML = fragment; // made by calculator_pages.worksheet: escaped
  document.body.classList.add("printing-worksheet");
  window.print();
}

export class Calculator {
  constructor(name) {
    this.name = name;
    this.python = new PythonWorker();
    this.form = this.byId("form");
    this.panel = this.byId("result");
    this.status = this.byId("status");
    this.rowsBox = this.form.querySelector("[data-rows]");
    this.outcome = null;
    this.asked = 0; // the newest compute asked for: older answers are not shown
    this.touched = new Set(); // fields typed in or left (row fields as row-<n>-<name>)
    this.showAll = false; // Calculate was pressed: every message shows
    this.worksheetFile = `${name}-worksheet.html`;
  }

  byId(suffix) {
    return document.getElementById(`${this.name}-${suffix}`);
  }

  failed(error) {
    console.error(error);
    this.status.textContent = FAILED;
    this.status.dataset.state = "error";
    this.panel.removeAttribute("aria-busy");
  }

  // ---- reading the form
  rowNodes() {
    return this.rowsBox ? Array.from(this.rowsBox.querySelectorAll("[data-row]")) : [];
  }

  read() {
    return {
      values: fieldValues(this.form, true),
      // undefined, not null: Pyodide gives Python None for it (and a JsNull for null)
      rows: this.rowsBox ? this.rowNodes().map((row) => fieldValues(row, false)) : undefined,
    };
  }

  // ---- showing the outcome
  show(outcome) {
    this.outcome = outcome;
    for (const node of this.form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    for (const node of this.form.querySelectorAll(".calc-error")) {
      node.textContent = "";
      node.hidden = true;
    }
    const shown = outcome.errors.filter(([field]) => this.showAll || this.touched.has(field));
    for (const [field, message] of shown) {
      const slot = this.byId(`error-${field}`);
      if (slot) {
        slot.textContent = message;
        slot.hidden = false;
      }
      for (const node of this.form.querySelectorAll("[name]")) {
        if (node.getAttribute("name") === field) node.setAttribute("aria-invalid", "true");
      }
      const own = this.byId(field); // a row's input
      if (own?.matches("input, select, textarea")) own.setAttribute("aria-invalid", "true");
    }
    for (const node of this.form.querySelectorAll(".calc-note")) {
      node.textContent = "";
      node.hidden = true;
    }
    for (const [field, message] of outcome.hints || []) {
      const slot = this.byId(`hint-${field}`);
      if (slot) {
        slot.textContent = message;
        slot.hidden = false;
      }
    }
    this.panel.querySelector(".calc-summary").textContent = outcome.summary;
    this.panel.dataset.state = outcome.ok ? "ok" : shown.length ? "error" : "incomplete";
    this.panel.dataset.verdict = outcome.verdict || ""; // the answer page styles its sentence by it
    this.panel.querySelector(".calc-figures").innerHTML = outcome.figures; // calculator_pages.worksheet: escaped
    const tables = this.panel.querySelector(".calc-tables");
    // A folded table the visitor opened stays open while they type.
    const opened = new Set(
      Array.from(tables.querySelectorAll("details[data-fold]"), (node) => node.open && node.dataset.fold),
    );
    tables.innerHTML = outcome.tables; // calculator_pages.worksheet: escaped
    for (const node of tables.querySelectorAll("details[data-fold]")) node.open = opened.has(node.dataset.fold);
    const actions = "[data-action=print], [data-action=download], [data-action=copy-link]";
    for (const button of this.panel.querySelectorAll(actions)) button.disabled = !outcome.ok;
    for (const button of this.panel.querySelectorAll("[data-action=calendar]")) {
      button.disabled = !outcome.calendar;
    }
  }

  // ---- which messages the visitor has earned
  fieldKey(node) {
    const row = node.closest("[data-row]");
    return row ? `row-${row.dataset.row}-${node.name}` : node.name;
  }

  touch(event) {
    const target = event.target;
    if (!target?.name) return;
    this.touched.add(this.fieldKey(target));
    const group = target.closest("fieldset[id]"); // a message about a group names the fieldset
    if (group?.id.startsWith(`${this.name}-`)) this.touched.add(group.id.slice(this.name.length + 1));
    if (target.closest("[data-rows]")) this.touched.add("rows"); // "add at least one activity"
  }

  renumberTouched(removed) {
    // Row `removed` is gone and the rows after it moved up one.
    const moved = new Set();
    for (const key of this.touched) {
      const match = /^row-(\d+)-(.*)$/s.exec(key);
      if (!match || Number(match[1]) < removed) moved.add(key);
      else if (Number(match[1]) > removed) moved.add(`row-${Number(match[1]) - 1}-${match[2]}`);
    }
    this.touched = moved;
  }

  /** Ask the worker for the outcome of the form as it is now, and show it with the address that
   * keeps its inputs (unless a newer one was asked); `this.latest` settles once that is done.
   * `first` is what only the first message carries: the form's description and, on a visit
   * with a query, the URL's params. */
  run(first = {}) {
    this.latest = this.computed(first);
    return this.latest;
  }

  async computed(first) {
    const { values, rows } = this.read();
    this.showParts(values);
    const asked = ++this.asked;
    this.panel.setAttribute("aria-busy", "true");
    let outcome;
    try {
      outcome = await this.python.ask({ type: "compute", values, rows, ...first });
    } catch (error) {
      this.failed(error);
      return;
    }
    if (asked !== this.asked) return;
    if (outcome.restored) this.putBack(outcome.restored);
    if (outcome.inputs && !sameInputs(this.read(), outcome.inputs)) {
      // The controls hold other values than were computed: the browser changed a value as it
      // set it (a text input drops line breaks), or the visitor typed while Python started.
      await this.run();
      return;
    }
    if (outcome.restored) this.showParts(this.read().values);
    this.keepQuery(outcome.query);
    this.show(outcome);
    this.panel.removeAttribute("aria-busy");
  }

  // ---- parts shown only for one choice (data-when="mode=agenda")
  showParts(values) {
    for (const part of this.form.querySelectorAll("[data-when]")) {
      const [field, wanted] = part.dataset.when.split("=", 2);
      part.hidden = !wanted.split(" ").includes(values[field] || "");
    }
  }

  // ---- the URL keeps the inputs: the worker writes the query (calculator_pages.url_state.encode)
  keepQuery(query) {
    const address = location.pathname + (query ? `?${query}` : "") + location.hash;
    if (address === location.pathname + location.search + location.hash) return; // the same inputs
    history.replaceState(null, "", address);
    const shownLink = this.panel.querySelector("[data-copy-field]");
    if (shownLink && !shownLink.hidden) shownLink.value = location.href; // the link follows the inputs
    const copied = this.panel.querySelector("[data-copy-status]");
    if (copied) copied.textContent = ""; // "Link copied" was about the inputs before this change
  }

  // ---- "Copy link": the address holds the inputs (keepQuery), so it is the calculation to share
  async copyLink() {
    const status = this.panel.querySelector("[data-copy-status]");
    const field = this.panel.querySelector("[data-copy-field]");
    await this.latest?.catch(() => {}); // the address the worker writes for the inputs as they are
    const link = location.href;
    try {
      if (!navigator.clipboard?.writeText) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(link);
      if (field) field.hidden = true;
      if (status) status.textContent = "Link copied";
    } catch {
      // No clipboard (an insecure page, a browser that refuses): show the link, selected, to copy.
      if (field) {
        field.value = link;
        field.hidden = false;
        field.focus();
        field.select();
      }
      if (status) status.textContent = "The link is selected: copy it with Ctrl+C (⌘C on a Mac)";
    }
  }

  /** The form's controls (a row's from the row template) and a blank row's values: sent with
   * the first message, for the worker to read the URL back and write it. */
  described() {
    const outside = Array.from(this.form.querySelectorAll("input, select, textarea")).filter(
      (node) => node.name && node.type !== "file" && !node.closest("[data-row]"),
    );
    const template = this.rowsBox?.querySelector("template");
    return {
      controls: outside.map(described),
      // undefined, not null: Pyodide gives Python None for it
      rowControls: template
        ? Array.from(template.content.querySelectorAll("input, select, textarea"), described)
        : undefined,
      blankRow: template ? fieldValues(this.newRow(0, {}), false) : undefined,
    };
  }

  /** Put what the worker took from the URL into the controls, as a visitor would. */
  putBack(restored) {
    const byName = new Map();
    for (const node of this.form.querySelectorAll("input, select, textarea")) {
      if (!node.name || node.closest("[data-row]") || node.hasAttribute("data-private")) continue;
      byName.set(node.name, [...(byName.get(node.name) || []), node]);
    }
    for (const [name, value] of Object.entries(restored.values)) {
      this.touched.add(name); // the link chose it: a message about it shows at once
      for (const node of byName.get(name) || []) setValue(node, value);
    }
    if (restored.rows) {
      for (const row of this.rowNodes()) row.remove();
      restored.rows.forEach((values, index) => {
        this.addRow(null, values);
        for (const key of Object.keys(values)) this.touched.add(`row-${index + 1}-${key}`);
      });
    }
  }

  // ---- repeatable rows (numbered by position: row n's ids hold n)
  newRow(number, values) {
    const holder = document.createElement("div");
    holder.innerHTML = this.rowsBox.querySelector("template").innerHTML.replaceAll("__N__", String(number));
    const row = holder.firstElementChild;
    for (const node of row.querySelectorAll("input, select, textarea")) {
      if (Object.hasOwn(values, node.name)) setValue(node, values[node.name]);
    }
    return row;
  }

  addRow(event, values = {}) {
    const row = this.newRow(this.rowNodes().length + 1, values);
    this.rowsBox.querySelector("[data-row-list]").append(row);
    if (event) {
      const first = row.querySelector("input, select");
      if (first) first.focus();
      this.run();
    }
    return row;
  }

  removeRow(button) {
    const row = button.closest("[data-row]");
    if (!row) return;
    const index = Number(row.dataset.row) - 1;
    row.remove();
    this.renumberTouched(index + 1);
    this.touched.add("rows");
    this.rowNodes().forEach((node, position) => {
      const number = position + 1;
      if (node.dataset.row !== String(number)) {
        node.replaceWith(this.newRow(number, fieldValues(node, false))); // rebuilt from the template
      }
    });
    const rest = this.rowNodes();
    const target = rest.length
      ? rest[Math.min(index, rest.length - 1)].querySelector("input, select")
      : this.rowsBox.querySelector("[data-action=add-row]");
    if (target) target.focus();
    this.run();
  }

  // ---- the worksheet and the calendar, made by the worker from the outcome shown
  async printWorksheet() {
    if (!this.outcome?.ok) return;
    const sheet = await this.python.ask({ type: "worksheet", url: location.href });
    printWorksheet(sheet.fragment);
  }

  async downloadWorksheet() {
    if (!this.outcome?.ok) return;
    const sheet = await this.python.ask({ type: "worksheet", url: location.href });
    save(sheet.document, "text/html", this.worksheetFile);
  }

  async downloadCalendar() {
    if (!this.outcome?.calendar) return;
    const calendar = await this.python.ask({ type: "calendar" });
    if (calendar.text) save(calendar.text, "text/calendar", calendar.filename);
  }

  clicked(event) {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    const actions = {
      "add-row": () => this.addRow(event),
      "remove-row": () => this.removeRow(button),
      print: () => this.printWorksheet(),
      download: () => this.downloadWorksheet(),
      calendar: () => this.downloadCalendar(),
      "copy-link": () => this.copyLink(),
    };
    // An own-key test: data-action="constructor" names no action, not Object's own function.
    const done = Object.hasOwn(actions, action) ? actions[action] : null;
    if (done) Promise.resolve(done()).catch((error) => this.failed(error));
  }

  // ---- wiring
  async start() {
    try {
      await this.python.started;
    } catch (error) {
      this.failed(error);
      return;
    }
    // One message: the form's description and the URL's params, restored and computed at once.
    // What the visitor types meanwhile is in the controls, and computed as soon as it is answered.
    const params = location.search ? Array.from(new URLSearchParams(location.search).entries()) : undefined;
    await this.run({ form: this.described(), params });
    this.form.addEventListener("input", (event) => {
      this.touch(event);
      this.run();
    });
    this.form.addEventListener("change", (event) => {
      this.touch(event);
      this.run();
    });
    this.form.addEventListener("focusout", (event) => {
      // Leaving a field shows its message (without waiting for the next keystroke).
      this.touch(event);
      if (this.outcome) this.show(this.outcome);
    });
    this.form.addEventListener("submit", async (event) => {
      // Calculate (or Enter): every message shows, and the first field in error takes focus.
      event.preventDefault();
      this.showAll = true;
      await this.run();
      const first = this.form.querySelector("[aria-invalid=true]");
      if (first) first.focus();
    });
    this.form.addEventListener("click", (event) => this.clicked(event));
    this.panel.addEventListener("click", (event) => this.clicked(event));
    window.addEventListener("afterprint", () => document.body.classList.remove("printing-worksheet"));
    if (this.status.dataset.state !== "error") {
      this.status.textContent = "Ready: results update as you type.";
      this.status.dataset.state = "ready";
    }
  }
}

export { config };
