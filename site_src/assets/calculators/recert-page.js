// The ACE recertification tracker's page. The tracker's state (the JSON file `ceu recert` reads)
// lives in this browser's localStorage and nowhere else: every input is data-private (nothing
// goes into the URL) and nothing is sent. The rules, every figure and the lists' text come from
// the worker (calculators.recert_session); this script adds and removes entries, stores what
// the worker says to store, and exports and imports files.
import { Calculator, fieldValues, save, setValue } from "./calculator.js";

const STORAGE_KEY = "openceu.recert";

class Tracker extends Calculator {
  constructor() {
    super("recert");
    this.certForm = this.byId("cert-form");
    this.recordForm = this.byId("record-form");
    this.worksheetFile = "recertification-packet.html";
  }

  /** Ask the worker to change the tracker; show its lists and say what happened, or where the input is wrong. */
  async change(message) {
    this.panel.setAttribute("aria-busy", "true"); // until the figures are those of the change
    const answer = await this.python.ask(message);
    const changed = answer.stored !== undefined;
    if (answer.field) {
      this.fieldMessage(answer.field, answer.error);
    } else {
      if (changed) localStorage.setItem(STORAGE_KEY, answer.stored);
      this.renderLists(answer.lists);
      this.dataMessage(answer.error || answer.said, Boolean(answer.error));
    }
    if (changed) await this.run();
    else this.panel.removeAttribute("aria-busy");
    return answer;
  }

  /** An add form's entry goes to the worker and the form is emptied for the next one at once;
   * if the entry cannot be used, it comes back into the form (unless the next one is being typed). */
  async add(type, form, first) {
    this.clearMessages(form);
    const values = fieldValues(form, false);
    form.reset();
    const blank = JSON.stringify(fieldValues(form, false));
    this.byId(first).focus();
    const answer = await this.change({ type, values });
    if (answer.field && JSON.stringify(fieldValues(form, false)) === blank) {
      for (const node of form.querySelectorAll("input, select, textarea")) {
        if (Object.hasOwn(values, node.name)) setValue(node, values[node.name]);
      }
      this.byId(answer.field).focus();
    }
  }

  // ---- messages beside the add forms and the import control
  clearMessages(form) {
    for (const node of form.querySelectorAll(".calc-error")) {
      node.textContent = "";
      node.hidden = true;
    }
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  fieldMessage(field, message) {
    const slot = this.byId(`error-${field}`);
    slot.textContent = message;
    slot.hidden = false;
    const control = this.byId(field);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    }
  }

  dataMessage(text, error = false) {
    const slot = this.byId("error-import");
    slot.textContent = error ? text : "";
    slot.hidden = !error;
    this.byId("data-status").textContent = error ? "" : text;
  }

  // ---- the lists, each entry with its Remove button (text only: nothing here is markup)
  renderLists(lists) {
    for (const key of ["certifications", "records"]) {
      const list = this.byId(key);
      list.replaceChildren();
      lists[key].forEach((entry, index) => {
        const item = document.createElement("li");
        const text = document.createElement("span");
        text.textContent = entry.text;
        const button = document.createElement("button");
        button.type = "button";
        button.className = "calc-button calc-button--small";
        button.textContent = "Remove";
        button.dataset.action = key === "certifications" ? "remove-certification" : "remove-record";
        button.dataset.index = String(index);
        button.setAttribute("aria-label", entry.label);
        item.append(text, " ", button);
        list.append(item);
      });
      if (!lists[key].length) {
        const item = document.createElement("li");
        item.className = "calc-list-empty";
        item.textContent = lists.empty[key];
        list.append(item);
      }
    }
  }

  // ---- adding
  addCertification(event) {
    event.preventDefault();
    return this.add("add-certification", this.certForm, "cert_name");
  }

  addRecord(event) {
    event.preventDefault();
    return this.add("add-record", this.recordForm, "kind");
  }

  // ---- removing, exporting, importing
  async listClicked(event) {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "remove-certification" || action === "remove-record") {
      const key = action === "remove-certification" ? "certifications" : "records";
      const index = Number(button.dataset.index);
      await this.change({ type: "remove", list: key, index });
      const rest = this.byId(key).querySelectorAll("[data-action]");
      const target = rest.length
        ? rest[Math.min(index, rest.length - 1)]
        : this.byId(key === "certifications" ? "cert_name" : "kind");
      target.focus();
    } else if (action === "export-json" || action === "export-csv") {
      const answer = await this.python.ask({ type: "export", format: action.slice("export-".length) });
      save(answer.file.text, answer.file.type, answer.file.name);
      this.dataMessage(answer.said);
    } else if (action === "clear" && window.confirm("Remove every certification and record kept in this browser?")) {
      await this.change({ type: "clear" });
    }
  }

  async imported(event) {
    const input = event.target;
    if (!input.files.length) return;
    const file = input.files[0];
    const text = await file.text();
    input.value = "";
    await this.change({ type: "import", name: file.name, text });
  }

  async start() {
    try {
      await this.python.started;
      const answer = await this.python.ask({ type: "load", stored: localStorage.getItem(STORAGE_KEY) ?? undefined });
      this.renderLists(answer.lists);
      if (answer.error) this.dataMessage(answer.error, true);
    } catch (error) {
      this.failed(error);
      return;
    }
    const guarded = (handler) => (event) => handler(event).catch((error) => this.failed(error));
    this.certForm.addEventListener("submit", guarded((event) => this.addCertification(event)));
    this.recordForm.addEventListener("submit", guarded((event) => this.addRecord(event)));
    for (const box of ["certifications", "records", "data"]) {
      this.byId(box).addEventListener("click", guarded((event) => this.listClicked(event)));
    }
    this.byId("import").addEventListener("change", guarded((event) => this.imported(event)));
    await super.start();
  }
}

new Tracker().start();
