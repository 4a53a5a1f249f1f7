// The annual-report helper's page. The file the visitor picks (or drops) goes to a Web Worker
// running the engine in Pyodide (the calculators' PythonWorker: python-worker.js with the one
// worker entry, worker.py, and calculator_pages.annual_report_page.FileSession); this page only shows its progress and result, so it stays
// responsive however long the file is. Cancel ends the worker (and starts a fresh one for the
// next file), and so does a failure. Nothing is uploaded: the worker reads the file where it
// is, and not at all when it is over the page's size limit
// (calculator_pages.annual_report_page.MAX_FILE_BYTES, said in the result).
import { PythonWorker, printWorksheet, save } from "./calculator.js";

const NAME = "annual-report";
const byId = (id) => document.getElementById(`${NAME}-${id}`);

const form = byId("form");
const status = byId("status");
const fileInput = byId("attendance");
const asOf = byId("as_of");
const drop = byId("drop");
const progressBox = byId("progress");
const bar = byId("progress-bar");
const progressText = byId("progress-text");
const panel = byId("result");

let worker = null; // the PythonWorker now counting; answers from one that was ended are dropped
let ready = false;
let running = false;
let waiting = false; // a count was asked for before Python was ready
let broken = false; // the helper could not start: only a reload helps
let chosen = null;
let worksheet = null;

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function megabytes(bytes) {
  return (bytes / (1024 * 1024)).toFixed(1);
}

function today() {
  const now = new Date();
  const two = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}

function startWorker() {
  ready = false;
  setStatus("Loading the helper (starting Python in your browser)…", "loading");
  worker = new PythonWorker(progress);
  current(worker.started, started);
}

/** `then(answer)` once `asked` is answered (or `failed()` if it fails), unless its worker was ended since. */
function current(asked, then) {
  const python = worker;
  asked.then(
    (answer) => python === worker && then(answer),
    (error) => {
      if (python !== worker) return;
      console.error(error.message);
      failed();
    },
  );
}

// The helper failed. While it starts (its files could not be loaded) it says so and stops: a
// reload is the way to try again. Once it has counted (its Python raised, ran out of memory,
// or the worker died) it says so in the result and starts a fresh worker, so the next file or
// Count is counted instead of waiting for ever on a worker that no longer answers.
const BROKEN = "The helper could not start; the details are in the console. Reload the page to try again.";

function failed() {
  worker.end();
  if (!ready) {
    broken = true;
    running = false;
    waiting = false;
    progressBox.hidden = true;
    setStatus(BROKEN, "error");
    if (chosen) showPanel("error", BROKEN);
    return;
  }
  running = false;
  waiting = false;
  progressBox.hidden = true;
  showPanel(
    "error",
    "Something went wrong in the helper (the details are in the console); it has restarted: press Count to try again.",
  );
  startWorker();
}

function started() {
  ready = true;
  setStatus("Ready: choose or drop an attendance file.", "ready");
  if (waiting) {
    waiting = false;
    count();
  }
}

function progress(message) {
  if (message.type !== "progress") return;
  bar.max = message.total;
  bar.value = message.done;
  progressText.textContent = `${megabytes(message.done)} of ${megabytes(message.total)} MB read`;
}

function counted(result) {
  running = false;
  progressBox.hidden = true;
  show(result);
}

function clearMessages() {
  for (const node of form.querySelectorAll(".calc-error")) {
    node.textContent = "";
    node.hidden = true;
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
}

function showPanel(state, summary, figures = "", tables = "") {
  panel.dataset.state = state;
  panel.querySelector(".calc-summary").textContent = summary;
  panel.querySelector(".calc-figures").innerHTML = figures; // markup made by calculator_pages.worksheet: escaped
  panel.querySelector(".calc-tables").innerHTML = tables;
  for (const button of panel.querySelectorAll("[data-action=print], [data-action=download]")) {
    button.disabled = state !== "ok";
  }
}

function fieldMessage(field, message) {
  const slot = byId(`error-${field}`);
  if (slot) {
    slot.textContent = message;
    slot.hidden = false;
  }
  const input = field === "attendance" ? fileInput : field === "as_of" ? asOf : null;
  if (input) input.setAttribute("aria-invalid", "true");
}

function show(result) {
  clearMessages();
  for (const [field, message] of result.errors) fieldMessage(field, message);
  worksheet = result.ok ? result : null;
  showPanel(result.ok ? "ok" : "error", result.summary, result.figures, result.tables);
}

function count(asked = false) {
  clearMessages();
  if (!chosen) {
    if (asked) {
      fieldMessage("attendance", "choose the attendance file (CSV), or drop it here");
      fileInput.focus();
    }
    showPanel("incomplete", "Choose an attendance file to count.");
    return;
  }
  if (broken) {
    showPanel("error", BROKEN);
    return;
  }
  if (running) cancel(false);
  if (!ready) {
    waiting = true;
    showPanel("incomplete", `Waiting for Python to start, then ${chosen.name} is counted.`);
    return;
  }
  running = true;
  bar.value = 0;
  bar.max = Math.max(chosen.size, 1);
  progressText.textContent = `0 of ${megabytes(chosen.size)} MB read`;
  progressBox.hidden = false;
  showPanel("running", `Counting ${chosen.name}…`);
  const run = { type: "run", file: chosen, asOf: asOf.value, today: today(), url: location.href };
  current(worker.ask(run), counted);
}

function cancel(say = true) {
  worker.end();
  running = false;
  waiting = false;
  progressBox.hidden = true;
  if (say) {
    showPanel("cancelled", "Cancelled: nothing was counted. Press Count to read the file again.");
  }
  startWorker();
}

function choose(file) {
  chosen = file || null;
  count();
}

fileInput.addEventListener("change", () => choose(fileInput.files[0]));
asOf.addEventListener("change", () => chosen && count());
form.addEventListener("submit", (event) => {
  event.preventDefault();
  count(true);
});
form.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=cancel]") && running) cancel();
});
panel.addEventListener("click", (event) => {
  const button = event.target.closest("[data-action]");
  if (!button || !worksheet) return;
  if (button.dataset.action === "download") save(worksheet.document, "text/html", `${NAME}-worksheet.html`);
  if (button.dataset.action === "print") printWorksheet(worksheet.fragment);
});
window.addEventListener("afterprint", () => document.body.classList.remove("printing-worksheet"));
// A file dropped anywhere on the page is taken, never opened in place of the page.
for (const type of ["dragover", "drop"]) document.addEventListener(type, (event) => event.preventDefault());
drop.addEventListener("dragenter", () => drop.classList.add("calc-drop--over"));
drop.addEventListener("dragleave", () => drop.classList.remove("calc-drop--over"));
document.addEventListener("drop", (event) => {
  drop.classList.remove("calc-drop--over");
  const files = event.dataTransfer?.files;
  if (!files?.length) return;
  fileInput.files = files;
  choose(files[0]);
});

startWorker();
showPanel("incomplete", "Choose an attendance file to count.");
