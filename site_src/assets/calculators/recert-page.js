// The recertification tracker's page. The tracker's state (the file `ceu tracker` reads) lives
// in this browser's localStorage, and the certificate files in its IndexedDB (keyed by their
// SHA-256), and nowhere else: every input is data-private (nothing goes into the URL) and
// nothing is sent. The rules, every figure and the lists' text come from the worker
// (calculator_pages.tracker_session); this script adds and removes entries, keeps the files,
// stores what the worker says to store, and exports and imports files.
//
// Nothing is lost by mistake: a file is read only up to the worker's limit, and only a tracker
// file or a records CSV is imported (the worker refuses any other, and nothing changes); an
// import that would replace what is kept asks first, in a dialog; after an import or a removal
// an Undo button puts back the stored text exactly as it was (kept in this page only). Today's
// ACE-only state is migrated on load and its old text kept under OLD_KEY.
//
// A signed certificate (an Open Badges credential, .json) is checked here with the credential
// kit (its proof, offline) and then given to the worker, which makes an activity of its facts
// that keeps the credential unchanged, or refuses it with the reason (a proof that failed too).
import { Calculator, fieldValues, save } from "./calculator.js";

const STORAGE_KEY = "openceu.recert";
/** Where the ACE-only state of the earlier tracker is kept, as it was, once migrated. */
const OLD_KEY = "openceu.recert.v1";
const FILES_DB = "openceu-tracker-files";
const FILES_STORE = "files";
/** Where a change is told, with its Undo button: under a list, or by the import control. */
const SAID = { credentials: "credentials-said", activities: "activities-said", data: "data-status" };

// ---- certificate files: IndexedDB, one record per SHA-256 ({ name, type, size, blob })
function openFiles() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(FILES_DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(FILES_STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** One transaction: every file is stored, or (quota, error) none is. */
function transaction(db, mode, work) {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(FILES_STORE, mode);
    const store = tx.objectStore(FILES_STORE);
    const result = work(store);
    tx.oncomplete = () => resolve(result.value);
    tx.onabort = () => reject(tx.error);
    tx.onerror = () => {};
  });
}

async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The SHA-256 of every file a stored tracker text names (none when it cannot be read). */
function namedFiles(text) {
  const named = new Set();
  try {
    const data = JSON.parse(text || "{}");
    for (const activity of data.activities || []) {
      for (const file of activity.files || []) named.add(String(file.sha256));
    }
  } catch {
    // an unreadable state names no file
  }
  return named;
}

/** The credential kit, loaded the first time a signed certificate is added (kept offline with the page). */
let kit = null;
async function credentialKit() {
  kit ||= import("../credentials/credential-kit.js");
  return kit;
}

/** Bytes as base64 and back: how files cross to the worker and back, whole and unchanged. */
function toBase64(bytes) {
  let text = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(text);
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** The kit's reason a proof failed, to go inside a sentence: lower-case first word (unless an
 * acronym), no final period (as calculator_pages.verify_page.proof_reason writes it). */
function reasonText(reason) {
  const text = String(reason).trim().replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

class Tracker extends Calculator {
  constructor() {
    super("recert");
    this.credentialForm = this.byId("credential-form");
    this.activityForm = this.byId("activity-form");
    this.worksheetFile = "recertification-audit.html";
    this.dialog = this.byId("confirm");
    this.importBytes = 0; // the largest tracker file the worker takes (it says so on load)
    this.bundleBytes = 0; // the largest audit bundle
    this.undoable = null; // { stored, where, refocus }: the stored text before the last import or removal
    this.db = null;
  }

  /** Ask the worker to change the tracker; show its lists and say what happened (under `where`,
   * with Undo if `undo` asks for it), or where the input is wrong. Files no state names any
   * more (neither this one nor the one Undo would restore) are deleted. */
  async change(message, where = "data", undo = null, accepted = null) {
    this.panel.setAttribute("aria-busy", "true"); // until the figures are those of the change
    const before = localStorage.getItem(STORAGE_KEY);
    const answer = await this.python.ask(message);
    const changed = answer.stored !== undefined;
    if (answer.field) {
      this.fieldMessage(answer.field, answer.error);
    } else {
      if (changed) localStorage.setItem(STORAGE_KEY, answer.stored);
      // The add form is emptied as the entry appears in its list, never later: the next entry
      // may already be being typed while the figures are counted.
      if (accepted) accepted();
      this.renderLists(answer);
      if (answer.error) this.importError(answer.error);
      else this.say(where, answer.said, changed && undo ? { ...undo, stored: before } : null);
    }
    await this.keepOnly(answer.files);
    if (changed) await this.run();
    else this.panel.removeAttribute("aria-busy");
    return answer;
  }

  /** Delete every kept file that neither `files` (the state's) nor the Undo state names. */
  async keepOnly(files) {
    if (!this.db) return;
    const keep = new Set([...(files || []), ...namedFiles(this.undoable?.stored)]);
    const keys = await transaction(this.db, "readonly", (store) => {
      const found = { value: [] };
      store.getAllKeys().onsuccess = (event) => {
        found.value = event.target.result;
      };
      return found;
    });
    const gone = keys.filter((key) => !keep.has(key));
    if (gone.length) {
      await transaction(this.db, "readwrite", (store) => {
        for (const key of gone) store.delete(key);
        return {};
      });
    }
    await this.showStorage();
  }

  /** How many files are kept and how much room the browser gives this site. */
  async showStorage() {
    const line = this.byId("storage");
    if (!this.db) {
      line.textContent = "This browser does not let the page keep files: the activities are kept without them.";
      return;
    }
    const sizes = await transaction(this.db, "readonly", (store) => {
      const found = { value: [] };
      store.getAll().onsuccess = (event) => {
        found.value = event.target.result.map((item) => item.size);
      };
      return found;
    });
    const total = sizes.reduce((sum, size) => sum + size, 0);
    let room = "";
    if (navigator.storage?.estimate) {
      const { quota, usage } = await navigator.storage.estimate();
      if (quota) room = ` This browser lets this site keep about ${megabytes(Math.max(quota - usage, 0))} more.`;
    }
    const count = sizes.length === 1 ? "1 certificate file" : `${sizes.length} certificate files`;
    line.textContent = `${count} kept in this browser (${megabytes(total)}).${room}`;
  }

  /** Put back the stored text from before the last import or removal, byte for byte. */
  async undo() {
    const undo = this.undoable;
    if (!undo) return;
    this.panel.setAttribute("aria-busy", "true");
    if (undo.stored === null) localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, undo.stored);
    const answer = await this.python.ask({ type: "load", stored: undo.stored ?? undefined });
    this.renderLists(answer);
    if (answer.error) this.importError(answer.error);
    this.say(undo.where, "Undone: the tracker is as it was before.", null);
    await this.keepOnly(answer.files);
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

  // ---- messages beside the forms and the import control
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
    if (control?.matches("input, select, textarea")) {
      control.setAttribute("aria-invalid", "true");
      control.focus();
    } else if (control) {
      control.querySelector("input")?.focus();
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

  // ---- the lists and the credential boxes (text only: nothing here is markup)
  renderLists(answer) {
    const lists = answer.lists;
    for (const key of ["credentials", "activities"]) {
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
        button.dataset.action = key === "credentials" ? "remove-credential" : "remove-activity";
        button.dataset.index = String(index);
        button.setAttribute("aria-label", entry.label);
        item.append(text, " ", button);
        if (key === "credentials") {
          const calendar = document.createElement("button");
          calendar.type = "button";
          calendar.className = "calc-button calc-button--small";
          calendar.textContent = "Calendar (.ics)";
          calendar.dataset.action = "calendar-credential";
          calendar.dataset.index = String(index);
          calendar.setAttribute("aria-label", entry.calendar);
          item.append(" ", calendar);
        }
        if (entry.signed) item.dataset.signed = "";
        list.append(item);
      });
      if (!lists[key].length) {
        const item = document.createElement("li");
        item.className = "calc-list-empty";
        item.textContent = lists.empty[key];
        list.append(item);
      }
    }
    const boxes = this.byId("credentials-boxes");
    boxes.replaceChildren();
    answer.names.forEach((name, index) => {
      boxes.append(this.box(`recert-for-${index}`, name, name, true));
    });
    if (!answer.names.length) boxes.append("Add a credential first; an activity counts for every one you tick.");
  }

  /** A ticked-or-not checkbox in its label; its value is read back from `data-value`. */
  box(id, value, text, checked) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.id = id;
    input.dataset.value = value;
    input.checked = checked;
    input.defaultChecked = checked;
    label.append(input, ` ${text}`);
    return label;
  }

  fillOptions(options) {
    const fill = (select, pairs) => {
      for (const [value, text] of pairs) {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = text;
        select.append(option);
      }
    };
    fill(this.byId("requirement"), options.requirements);
    fill(this.byId("credit_unit"), options.units);
    const kinds = this.byId("kinds-boxes");
    for (const [kind, label] of options.kinds) kinds.append(this.box(`recert-kind-${kind}`, kind, label, false));
  }

  ticked(id) {
    return Array.from(this.byId(id).querySelectorAll("input:checked"), (node) => node.dataset.value);
  }

  // ---- adding
  async addCredential(event) {
    event.preventDefault();
    const form = this.credentialForm;
    this.clearMessages(form);
    const values = fieldValues(form, false);
    await this.change({ type: "add-credential", values }, "credentials", null, () => {
      form.reset();
      this.byId("requirement").focus();
    });
  }

  /** The files are stored first (all or none, each under its SHA-256), then the activity is
   * added naming them; if it cannot be added, files no activity names are deleted again. */
  async addActivity(event) {
    event.preventDefault();
    const form = this.activityForm;
    this.clearMessages(form);
    const picked = Array.from(this.byId("files").files);
    const files = [];
    const entries = [];
    for (const file of picked) {
      const buffer = await file.arrayBuffer();
      const digest = await sha256(buffer);
      files.push({ name: file.name, type: file.type, size: file.size, sha256: digest });
      entries.push([
        digest,
        { name: file.name, type: file.type, size: file.size, blob: new Blob([buffer], { type: file.type }) },
      ]);
    }
    if (entries.length) {
      if (!this.db) {
        this.fieldMessage("files", "This browser does not let the page keep files: add the activity without them.");
        return;
      }
      try {
        await transaction(this.db, "readwrite", (store) => {
          for (const [digest, entry] of entries) store.put(entry, digest);
          return {};
        });
      } catch (error) {
        const full = error?.name === "QuotaExceededError";
        const size = megabytes(files.reduce((sum, file) => sum + file.size, 0));
        this.fieldMessage(
          "files",
          full
            ? `These files (${size}) do not fit in the room this browser gives the page: nothing was added. Remove other activities' files, or keep this certificate outside the tracker.`
            : `The files could not be kept (${error?.message || error}): nothing was added.`,
        );
        await this.showStorage();
        return;
      }
    }
    const message = {
      type: "add-activity",
      values: fieldValues(form, false),
      kinds: this.ticked("kinds-boxes"),
      credentials: this.ticked("credentials-boxes"),
      files,
    };
    await this.change(message, "activities", null, () => {
      form.reset();
      this.byId("title").focus();
    });
  }

  /** A signed certificate: its proof checked here, then kept as an activity by the worker
   * (or refused with the reason, nothing changed). */
  async addSigned(file) {
    const form = this.byId("signed-form");
    this.clearMessages(form);
    if (!file) return;
    if (file.size > this.importBytes) {
      this.fieldMessage("signed", `${file.name} is far larger than a certificate: it was not read.`);
      return;
    }
    const text = await file.text();
    let problem = null;
    let credential;
    try {
      credential = JSON.parse(text);
    } catch {
      credential = undefined; // the worker says why it is not a credential
    }
    if (credential && typeof credential === "object" && !Array.isArray(credential)) {
      const outcome = await (await credentialKit()).verifyProof(credential);
      if (!outcome.ok) problem = outcome.reason;
    }
    await this.change({ type: "add-signed", text, problem }, "activities", null, () => form.reset());
  }

  // ---- removing, exporting, importing
  async listClicked(event) {
    const button = event.target.closest("[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    if (action === "remove-credential" || action === "remove-activity") {
      const key = action === "remove-credential" ? "credentials" : "activities";
      const index = Number(button.dataset.index);
      const refocus = () => {
        const restored = this.byId(key).querySelectorAll("[data-action]")[index];
        if (restored) restored.focus();
      };
      await this.change({ type: "remove", list: key, index }, key, { refocus });
      const rest = this.byId(key).querySelectorAll("[data-action]");
      const target = rest.length
        ? rest[Math.min(index, rest.length - 1)]
        : this.byId(key === "credentials" ? "requirement" : "title");
      target.focus();
    } else if (action === "calendar-credential") {
      await this.latest?.catch(() => {}); // counted on the day the result shows
      const answer = await this.python.ask({ type: "calendar-credential", index: Number(button.dataset.index) });
      if (answer.error) this.importError(answer.error);
      else {
        save(answer.file.text, answer.file.type, answer.file.name);
        this.say("credentials", answer.said, this.undoable);
      }
    } else if (action === "export-bundle") {
      await this.exportBundle();
    } else if (action === "export-json") {
      const answer = await this.python.ask({ type: "export" });
      save(answer.file.text, answer.file.type, answer.file.name);
      this.say("data", answer.said, this.undoable); // an export keeps the Undo on offer
    } else if (action === "clear") {
      const yes = await this.confirm(
        "Remove everything?",
        "Remove every credential, activity and certificate file kept in this browser? You can undo it until you leave the page.",
        "Remove everything",
        "Keep them",
      );
      if (yes) await this.change({ type: "clear" }, "data", { refocus: () => button.focus() });
    } else if (action === "undo") {
      await this.undo();
    }
  }

  /** Every kept file (by SHA-256) as base64, for the worker to put in the audit bundle. */
  async keptFiles() {
    if (!this.db) return {};
    const items = await transaction(this.db, "readonly", (store) => {
      const found = { value: [] };
      const keys = store.getAllKeys();
      store.getAll().onsuccess = (event) => {
        found.value = keys.result.map((key, index) => [key, event.target.result[index].blob]);
      };
      return found;
    });
    const files = {};
    for (const [key, blob] of items) files[key] = toBase64(new Uint8Array(await blob.arrayBuffer()));
    return files;
  }

  async exportBundle() {
    await this.latest?.catch(() => {}); // counted on the day the result shows
    const answer = await this.python.ask({ type: "bundle", files: await this.keptFiles() });
    if (answer.error) {
      this.importError(answer.error);
      return;
    }
    const blob = new Blob([fromBase64(answer.bundle.data)], { type: answer.bundle.type });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = answer.bundle.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
    this.say("data", answer.said, this.undoable);
  }

  /** An audit bundle's files are kept first (all or none), then its tracker replaces the state;
   * if the files do not fit, the worker is given back the state from before and nothing changes. */
  async importBundle(message, input) {
    const before = localStorage.getItem(STORAGE_KEY);
    this.panel.setAttribute("aria-busy", "true");
    const answer = await this.python.ask({ type: "import", ...message });
    if (answer.error) {
      this.importError(answer.error);
      this.panel.removeAttribute("aria-busy");
      return;
    }
    const entries = Object.entries(answer.restore || {});
    try {
      if (entries.length && !this.db) throw new Error("this browser does not let the page keep files");
      if (entries.length) {
        await transaction(this.db, "readwrite", (store) => {
          for (const [digest, file] of entries) {
            const blob = new Blob([fromBase64(file.data)], { type: file.type });
            store.put({ name: file.name, type: file.type, size: file.size, blob }, digest);
          }
          return {};
        });
      }
    } catch (error) {
      await this.python.ask({ type: "load", stored: before ?? undefined });
      const full = error?.name === "QuotaExceededError";
      this.importError(
        `${message.name}: ${full ? "its certificate files do not fit in the room this browser gives the page" : error?.message || error}. Nothing was changed.`,
      );
      this.panel.removeAttribute("aria-busy");
      return;
    }
    localStorage.setItem(STORAGE_KEY, answer.stored);
    this.renderLists(answer);
    this.say("data", answer.said, { refocus: () => input.focus(), stored: before });
    await this.keepOnly(answer.files);
    await this.run();
  }

  async imported(event) {
    const input = event.target;
    if (!input.files.length) return;
    const file = input.files[0];
    input.value = "";
    // A file over the limit is never read: the worker says why it is refused from its size.
    const zip = file.name.toLowerCase().endsWith(".zip");
    const limit = zip ? this.bundleBytes : this.importBytes;
    const message = { name: file.name, size: file.size };
    if (zip) message.data = file.size > limit ? "" : toBase64(new Uint8Array(await file.arrayBuffer()));
    else message.text = file.size > limit ? "" : await file.text();
    const check = await this.python.ask({ type: "check-import", ...message });
    if (check.error) {
      this.importError(check.error);
      return;
    }
    // Each signed certificate the file keeps must still verify, or nothing is imported.
    for (const [number, text] of check.signed || []) {
      const outcome = await (await credentialKit()).verifyProof(JSON.parse(text));
      if (!outcome.ok) {
        this.importError(
          `${file.name}: the signed certificate of activity ${number} does not verify: ${reasonText(outcome.reason)}. Nothing was changed.`,
        );
        return;
      }
    }
    if (check.question) {
      const yes = await this.confirm("Replace what is kept here?", check.question, "Replace", "Keep what is here");
      if (!yes) {
        this.say("data", `Nothing was changed: ${file.name} was not imported.`, this.undoable);
        return;
      }
    }
    if (zip) await this.importBundle(message, input);
    else await this.change({ type: "import", ...message }, "data", { refocus: () => input.focus() });
  }

  /** Load the kept state; today's ACE-only state is migrated, its old text kept under OLD_KEY. */
  async load() {
    const stored = localStorage.getItem(STORAGE_KEY);
    const answer = await this.python.ask({ type: "load", stored: stored ?? undefined });
    if (answer.migrated) {
      if (localStorage.getItem(OLD_KEY) === null) localStorage.setItem(OLD_KEY, stored);
      localStorage.setItem(STORAGE_KEY, answer.stored);
    }
    return answer;
  }

  async start() {
    try {
      await this.python.started;
      try {
        this.db = await openFiles();
      } catch {
        this.db = null; // a browser that keeps no files (private mode in some): activities still work
      }
      const answer = await this.load();
      this.importBytes = answer.import_bytes;
      this.bundleBytes = answer.bundle_bytes;
      this.byId("import-limit").textContent = ` (or a file over ${answer.import_limit})`;
      this.fillOptions(answer.options);
      this.renderLists(answer);
      if (answer.error) this.importError(answer.error);
      else if (answer.said) this.say("data", answer.said, null);
      await this.showStorage();
    } catch (error) {
      this.failed(error);
      return;
    }
    const guarded = (handler) => (event) => handler(event).catch((error) => this.failed(error));
    this.credentialForm.addEventListener(
      "submit",
      guarded((event) => this.addCredential(event)),
    );
    this.activityForm.addEventListener(
      "submit",
      guarded((event) => this.addActivity(event)),
    );
    for (const box of ["credentials", "activities", "data", SAID.credentials, SAID.activities]) {
      this.byId(box).addEventListener(
        "click",
        guarded((event) => this.listClicked(event)),
      );
    }
    this.byId("import").addEventListener(
      "change",
      guarded((event) => this.imported(event)),
    );
    const signed = this.byId("signed");
    signed.addEventListener(
      "change",
      guarded(() => this.addSigned(signed.files[0])),
    );
    const drop = this.byId("signed-drop");
    drop.addEventListener("dragover", (event) => {
      event.preventDefault();
      drop.classList.add("calc-drop--over");
    });
    drop.addEventListener("dragleave", () => drop.classList.remove("calc-drop--over"));
    drop.addEventListener(
      "drop",
      guarded(async (event) => {
        event.preventDefault();
        drop.classList.remove("calc-drop--over");
        await this.addSigned(event.dataTransfer.files[0]);
      }),
    );
    await super.start();
  }
}

new Tracker().start();
