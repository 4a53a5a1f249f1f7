// The certificates page (issue 33): a provider signs one Open Badges 3.0 credential per learner,
// in this page. The signing key is made or opened here with the credential kit
// (assets/credentials/credential-kit.js: WebCrypto seals it in a passphrase-locked file, which
// is the only form of it that leaves memory, as a download); it is never stored and never sent,
// and the worker never sees it. The worker (calculator_pages.certificates_page, through the
// calculators' PythonWorker) reads the attendance file, builds each learner's unsigned credential
// with the engine's CEUs, and once the page has signed them, writes the zip's files: each
// credential and the printable certificates with their verification links, each link also as a
// QR code the page draws with the kit.
import * as kit from "../credentials/credential-kit.js";
import { fieldValues, PythonWorker, save } from "./calculator.js";

const NAME = "certificates";
const byId = (id) => document.getElementById(`${NAME}-${id}`);

const status = byId("status");
const keyForm = byId("key-form");
const keyState = byId("key-state");
const keyButton = keyForm.querySelector("[data-action=key]");
const form = byId("form");
const fileInput = byId("attendance");
const eventSelect = byId("event");
const drop = byId("drop");
const progressBox = byId("progress");
const progressLabel = byId("progress-label");
const bar = byId("progress-bar");
const progressText = byId("progress-text");
const panel = byId("result");
const summary = panel.querySelector(".calc-summary");
const details = panel.querySelector(".calc-details");
const downloadButton = panel.querySelector("[data-action=download]");

let worker = null;
let ready = false;
let busy = false;
let signer = null; // the open key: in this page's memory only
let zip = null;
let zipName = "certificates.zip";

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function show(state, text, more = "") {
  panel.dataset.state = state;
  summary.textContent = text;
  details.textContent = more;
}

// ---- fields: a message beside each, as the other calculator pages show them
function clearMessages(root) {
  for (const node of root.querySelectorAll(".calc-error")) {
    node.textContent = "";
    node.hidden = true;
  }
  for (const node of root.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

/** Show `message` beside `field`; the first field given a message is focused. */
function fieldMessage(field, message, focus) {
  const slot = byId(`error-${field}`);
  if (slot) {
    slot.textContent = message;
    slot.hidden = false;
  }
  const input = byId(field) || document.querySelector(`#${NAME}-key-form input[name=key_action]:checked`);
  if (input) {
    input.setAttribute("aria-invalid", "true");
    if (focus) input.focus();
  }
}

function showMessages(errors) {
  errors.forEach(([field, message], index) => {
    fieldMessage(field, message, index === 0);
  });
}

/** Parts shown only while a radio has a value (data-when="source=file"). */
function showParts(root) {
  const values = fieldValues(root);
  for (const part of root.querySelectorAll("[data-when]")) {
    const [field, wanted] = part.dataset.when.split("=", 2);
    part.hidden = !wanted.split(" ").includes(values[field] || "");
  }
}

// ---- the worker
function startWorker() {
  ready = false;
  worker = new PythonWorker(progress);
  worker.started.then(
    () => {
      ready = true;
      setStatus("Ready: open or create your signing key, then make the certificates.", "ready");
    },
    (error) => {
      console.error(error.message);
      setStatus("The page could not start; the details are in the console. Reload the page to try again.", "error");
    },
  );
}

function progress(message) {
  if (message.type !== "progress") return;
  bar.max = Math.max(message.total, 1);
  bar.value = message.done;
  progressText.textContent = `${(message.done / 1048576).toFixed(1)} of ${(message.total / 1048576).toFixed(1)} MB read`;
}

function showProgress(label, max) {
  progressLabel.textContent = label;
  bar.max = Math.max(max, 1);
  bar.value = 0;
  progressText.textContent = "";
  progressBox.hidden = false;
}

// ---- 1. the signing key
function keyAction() {
  return keyForm.querySelector("input[name=key_action]:checked")?.value || "open";
}

function keyChoiceChanged() {
  showParts(keyForm);
  keyButton.textContent = keyAction() === "create" ? "Create the key and download its file" : "Open key";
  clearMessages(keyForm);
}

/** A name for the key file: the issuer's name in plain letters. */
function keyFileName(issuerName) {
  const plain = issuerName
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase()
    .slice(0, 60);
  return `${plain || "openceu"}-signing-key.json`;
}

function keyOpened(opened, told) {
  signer = opened;
  const did = document.createElement("code");
  did.textContent = opened.did;
  keyState.replaceChildren(`${told} Certificates are signed as ${opened.issuerName} with the key `, did, ".");
  keyState.dataset.state = "open";
}

async function createKey() {
  const name = byId("issuer_name").value.trim();
  const first = byId("new_passphrase").value;
  const again = byId("new_passphrase_again").value;
  const errors = [];
  if (!name) errors.push(["issuer_name", "Type your organization's name as learners should see it."]);
  const problem = kit.passphraseProblem(first);
  if (problem) errors.push(["new_passphrase", problem]);
  else if (first !== again) errors.push(["new_passphrase_again", "The two passphrases differ: type the same twice."]);
  if (errors.length) return showMessages(errors);
  keyState.textContent = "Creating the key…";
  const { keyFile, signer: made } = await kit.createKey(name, first);
  const fileName = keyFileName(name);
  save(`${JSON.stringify(keyFile, null, 2)}\n`, "application/json", fileName);
  byId("new_passphrase").value = "";
  byId("new_passphrase_again").value = "";
  keyOpened(made, `Key created; its file, ${fileName}, is downloading: keep it and its passphrase safe.`);
}

async function openKey() {
  const file = byId("key_file").files[0];
  const passphrase = byId("passphrase").value;
  if (!file) return showMessages([["key_file", "Choose your key file (its name ends -signing-key.json)."]]);
  if (!passphrase) return showMessages([["passphrase", "Type the key file's passphrase."]]);
  let keyFile;
  try {
    keyFile = JSON.parse(await file.text());
  } catch {
    return showMessages([["key_file", "This file is not a key file (it is not JSON)."]]);
  }
  keyState.textContent = "Opening the key…";
  try {
    const opened = await kit.openKeyFile(keyFile, passphrase);
    byId("passphrase").value = "";
    keyOpened(opened, "Key open.");
  } catch (error) {
    keyState.textContent = signer ? keyState.textContent : "No key is open yet.";
    const field = error.message === kit.WRONG_PASSPHRASE ? "passphrase" : "key_file";
    showMessages([[field, error.message]]);
  }
}

keyForm.addEventListener("change", (event) => {
  if (event.target.name === "key_action") keyChoiceChanged();
});
keyForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearMessages(keyForm);
  keyButton.disabled = true;
  try {
    if (keyAction() === "create") await createKey();
    else await openKey();
  } catch (error) {
    console.error(error);
    showMessages([[keyAction() === "create" ? "issuer_name" : "key_file", error.message]]);
  } finally {
    keyButton.disabled = false;
  }
});

// ---- 2. the attendance file's events
async function chooseFile(file) {
  clearMessages(form);
  eventSelect.replaceChildren(new Option("Reading the file…", ""));
  if (!file) {
    eventSelect.replaceChildren(new Option("Choose the attendance file first", ""));
    return;
  }
  await worker.started;
  showProgress("Reading the attendance file", file.size);
  const answer = await worker.ask({ type: "events", file });
  progressBox.hidden = true;
  if (!answer.ok) {
    eventSelect.replaceChildren(new Option("Choose the attendance file first", ""));
    showMessages(answer.errors);
    return;
  }
  const options = answer.events.map(([id, label, first, last]) => {
    const option = new Option(label, id);
    option.dataset.first = first;
    option.dataset.last = last;
    return option;
  });
  eventSelect.replaceChildren(new Option(`Choose one of the file's ${options.length} event(s)`, ""), ...options);
  if (options.length === 1) {
    eventSelect.value = options[0].value;
    eventChosen();
  }
}

function eventChosen() {
  const option = eventSelect.selectedOptions[0];
  if (!option?.value) return;
  if (!byId("start").value) byId("start").value = option.dataset.first;
  if (!byId("end").value) byId("end").value = option.dataset.last;
}

fileInput.addEventListener("change", () => chooseFile(fileInput.files[0]).catch(failed));
eventSelect.addEventListener("change", eventChosen);
form.addEventListener("change", (event) => {
  if (event.target.name === "source") showParts(form);
});
for (const type of ["dragover", "drop"]) document.addEventListener(type, (event) => event.preventDefault());
drop.addEventListener("dragenter", () => drop.classList.add("calc-drop--over"));
drop.addEventListener("dragleave", () => drop.classList.remove("calc-drop--over"));
drop.addEventListener("drop", (event) => {
  drop.classList.remove("calc-drop--over");
  const files = event.dataTransfer?.files;
  if (!files?.length) return;
  fileInput.files = files;
  chooseFile(files[0]).catch(failed);
});

// ---- 3. make, sign and zip
function verifyAddress() {
  // The site's root, as Material knows it (its __config base), then the verify page.
  const base = JSON.parse(document.getElementById("__config")?.textContent || "{}").base || ".";
  return new URL(`${base.replace(/\/$/, "")}/verify/`, location.href).href;
}

function nowUtc() {
  return `${new Date().toISOString().slice(0, 19)}Z`;
}

function failed(error) {
  console.error(error);
  busy = false;
  progressBox.hidden = true;
  panel.removeAttribute("aria-busy");
  show(
    "error",
    "Something went wrong (the details are in the console); nothing was made. Press Make certificates to try again.",
  );
}

async function make() {
  clearMessages(form);
  clearMessages(keyForm);
  zip = null;
  downloadButton.disabled = true;
  if (!ready) {
    show("incomplete", "Python is still starting in your browser; press Make certificates again in a moment.");
    return;
  }
  const issuer = signer ? { did: signer.did, name: signer.issuerName } : {};
  const made = await worker.ask({ type: "make", values: fieldValues(form), issuer, now: nowUtc() });
  if (!made.ok) {
    const keyErrors = made.errors.filter(([field]) => field === "key");
    showMessages(made.errors.filter(([field]) => field !== "key"));
    if (keyErrors.length) fieldMessage("key", keyErrors[0][1], made.errors[0][0] === "key");
    show("incomplete", "Nothing was made: see the messages beside the fields.");
    return;
  }
  const count = made.credentials.length;
  panel.setAttribute("aria-busy", "true");
  show("running", `Signing ${count} certificate(s)…`);
  showProgress("Signing certificates", count);
  const signed = [];
  for (const text of made.credentials) {
    signed.push(JSON.stringify(await kit.sign(JSON.parse(text), signer)));
    bar.value = signed.length;
    progressText.textContent = `${signed.length} of ${count} signed`;
  }
  progressLabel.textContent = "Writing the zip";
  const { files, links } = await worker.ask({ type: "files", credentials: signed, verify: verifyAddress() });
  // Each printed certificate carries a QR code of its link (none for a link too long for one).
  const qr = links.map((link) => {
    try {
      return kit.qrSvg(link);
    } catch {
      return null; // the document says so in plain words
    }
  });
  const { file } = await worker.ask({ type: "document", qr });
  zip = kit.zipFiles([...files, file].map(([name, data]) => ({ name, data })));
  zipName = `certificates-${nowUtc().slice(0, 10)}.zip`;
  progressBox.hidden = true;
  panel.removeAttribute("aria-busy");
  downloadButton.disabled = false;
  save(zip, "application/zip", zipName);
  show(
    "ok",
    `${count} certificate${count === 1 ? "" : "s"} made and signed: ${made.summary}`,
    `${made.details} The zip (${zipName}, ${Math.ceil(zip.length / 1024)} kB) is downloading: a file per ` +
      "learner in credentials/ and certificates.html to print.",
  );
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (busy) return;
  busy = true;
  make()
    .catch(failed)
    .finally(() => {
      busy = false;
    });
});
downloadButton.addEventListener("click", () => zip && save(zip, "application/zip", zipName));

showParts(keyForm);
showParts(form);
keyChoiceChanged();
startWorker();
