// The ACE recertification tracker's page. The tracker's state (the JSON file `ceu recert` reads)
// lives in this browser's localStorage and nowhere else: every input is data-private (nothing
// goes into the URL) and nothing is sent. The rules, every figure and the lists' text come from
// the worker (calculator_pages.recert_session); this script adds and removes entries, stores what
// the worker says to store, and exports and imports files.
//
// Nothing is lost by mistake: a file is read only up to the worker's limit, and only a tracker
// file or a records CSV is imported (the worker refuses any other, and nothing changes); an
// import that would replace what is kept asks first, in a dialog; after an import or a removal
// an Undo button puts back the stored text exactly as it was (kept in this page only).
import { Calculator, fieldValues, save, setValue } from "./calculator.js";

const STORAGE_KEY = "openceu.recert";
/** Where a change is told, with its Undo button: under a list, or by the import control. */
const SAID = { certifications: "certifications-said", records: "records-said", data: "data-status" };

class Tracker extends Calculator {
  constructor() {
    super("recert");
    this.certForm = this.byId("cert-form");
    this.recordForm = this.byId("record-form");
    this.worksheetFile = "recertification-packet.html";
    this.dialog = this.byId("confirm");
    this.importBytes = 0; // the largest file the worker takes (it says so on load)
    this.undoable = null; // { stored, where, refocus }: the stored text before the last import or removal
  }

  /** Ask the worker to change the tracker; show its lists and say what happened (under `where`,
   * with Undo if `undo` asks for it: then `undo.refocus` puts focus back after undoing), or
   * where the input is wrong. */
  async change(message, where = "data", undo = null) {
    this.panel.setAttribute("aria-busy", "true"); // until the figures are those of the change
    const before = localStorage.getItem(STORAGE_KEY);
    const answer = await this.python.ask(message);
    const changed = answer.stored !== undefined;
    if (answer.field) {
      this.fieldMessage(answer.field, answer.error);
    } else {
      if (changed) localStorage.setItem(STORAGE_KEY, answer.stored);
      this.renderLists(answer.lists);
      if (answer.error) this.importError(answer.error);
      else this.say(where, answer.said, changed && undo ? { ...undo, stored: before } : null);
    }
    if (changed) await this.run();
    else this.panel.removeAttribute("aria-busy");
    return answer;
  }

  /** Put back the stored text from before the last import or removal, byte for byte. */
  async undo() {
    const undo = this.undoable;
    if (!undo) return;
    this.panel.setAttribute("aria-busy", "true");
    if (undo.stored === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, undo.stored);
    const answer = await this.python.ask({ type: "load", stored: undo.stored ?? undefined });
    this.renderLists(answer.lists);
    if (answer.error) this.importError(answer.error);
    this.say(undo.where, "Undone: the tracker is as it was before.", null);
    if (undo.refocus) undo.refocus();
    await this.run();
  }

  /** Ask a yes-or-no question in the page's dialog (Escape says no); resolves true for yes. */
  confirm(title, question, yes, no) {
    this.byId("confirm-title").textContent = title;
    this.byId("confirm-text").textContent = question;
    this.byId("confirm-yes").textContent = yes;
    this.byId("confirm-no").textContent = no;
    this.dialog.returnValue = "";
    this.dialog.showModal();
    return new Promise((resolve) => {
      this.dialog.addEventListener("close", () => resolve(this.dialog.returnValue === "yes"), { once: true });
    });
  }

  /** An add form's entry goes to the worker and the form is emptied for the next one at once;
   * if the entry cannot be used, it comes back into the form (unless the next one is being typed). */
  async add(type, form, first, where) {
    this.clearMessages(form);
    const values = fieldValues(form, false);
    form.reset();
    const blank = JSON.stringify(fieldValues(form, false));
    this.byId(first).focus();
    const answer = await this.change({ type, values }, where);
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

  /** Say what happened under `where` (and nothing anywhere else), with an Undo button for `undo`. */
  say(where, text, undo) {
    this.undoable = undo ? { ...undo, where } : null;
    const slot = this.byId("error-import");
    slot.textContent = "";
    slot.hidden = true;
    for (const id of Object.values(SAID)) this.byId(id).replaceChildren();
    const region = this.byId(SAID[where]);
    region.append(text);
    if (undo) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "calc-button calc-button--small";
      button.dataset.action = "undo";
      button.textContent = "Undo";
      region.append(" ", button);
    }
  }

  importError(text) {
    this.say("data", "", null);
    const slot = this.byId("error-import");
    slot.textContent = text;
    slot.hidden = false;
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
    return this.add("add-certification", this.certForm, "cert_name", "certifications");
  }

  addRecord(event) {
    event.preventDefault();
    return this.add("add-record", this.recordForm, "kind", "records");
  }

  // ---- removing, exporting, importing
  async listClicked(event) {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "remove-certification" || action === "remove-record") {
      const key = action === "remove-certification" ? "certifications" : "records";
      const index = Number(button.dataset.index);
      const refocus = () => {
        const restored = this.byId(key).querySelectorAll("[data-action]")[index];
        if (restored) restored.focus();
      };
      await this.change({ type: "remove", list: key, index }, key, { refocus });
      const rest = this.byId(key).querySelectorAll("[data-action]");
      const target = rest.length
        ? rest[Math.min(index, rest.length - 1)]
        : this.byId(key === "certifications" ? "cert_name" : "kind");
      target.focus();
    } else if (action === "export-json" || action === "export-csv") {
      const answer = await this.python.ask({ type: "export", format: action.slice("export-".length) });
      save(answer.file.text, answer.file.type, answer.file.name);
      this.say("data", answer.said, this.undoable); // an export keeps the Undo on offer
    } else if (action === "clear") {
      const yes = await this.confirm(
        "Remove everything?",
        "Remove every certification and record kept in this browser? You can undo it until you leave the page.",
        "Remove everything",
        "Keep them",
      );
      if (yes) await this.change({ type: "clear" }, "data", { refocus: () => button.focus() });
    } else if (action === "undo") {
      await this.undo();
    }
  }

  async imported(event) {
    const input = event.target;
    if (!input.files.length) return;
    const file = input.files[0];
    input.value = "";
    // A file over the limit is never read: the worker says why it is refused from its size.
    const text = file.size > this.importBytes ? "" : await file.text();
    const message = { name: file.name, size: file.size, text };
    const check = await this.python.ask({ type: "check-import", ...message });
    if (check.error) {
      this.importError(check.error);
      return;
    }
    if (check.question) {
      const yes = await this.confirm("Replace what is kept here?", check.question, "Replace", "Keep what is here");
      if (!yes) {
        this.say("data", `Nothing was changed: ${file.name} was not imported.`, this.undoable);
        return;
      }
    }
    await this.change({ type: "import", ...message }, "data", { refocus: () => input.focus() });
  }

  async start() {
    try {
      await this.python.started;
      const answer = await this.python.ask({ type: "load", stored: localStorage.getItem(STORAGE_KEY) ?? undefined });
      this.importBytes = answer.import_bytes;
      this.byId("import-limit").textContent = ` (or a file over ${answer.import_limit})`;
      this.renderLists(answer.lists);
      if (answer.error) this.importError(answer.error);
    } catch (error) {
      this.failed(error);
      return;
    }
    const guarded = (handler) => (event) => handler(event).catch((error) => this.failed(error));
    this.certForm.addEventListener(
      "submit",
      guarded((event) => this.addCertification(event)),
    );
    this.recordForm.addEventListener(
      "submit",
      guarded((event) => this.addRecord(event)),
    );
    for (const box of ["certifications", "records", "data", SAID.certifications, SAID.records]) {
      this.byId(box).addEventListener(
        "click",
        guarded((event) => this.listClicked(event)),
      );
    }
    this.byId("import").addEventListener(
      "change",
      guarded((event) => this.imported(event)),
    );
    await super.start();
  }
}

new Tracker().start();
