// Registers the site's service worker (sw.js at the site's root, written by the build from
// site_build/service_worker.js) once the page has loaded, and tells it which page opened: a
// calculator page has the calculators saved for use offline (about 15 MB, once); any other page
// has nothing saved beyond the small offline page. Where a page has a place for it
// ([data-offline-use]: the calculator pages, About, the offline page), this script says whether
// the calculators work offline on this device, with a button to save them.
// Not in `mkdocs serve`. When the browser is set to save data, nothing is registered or saved
// until the visitor presses that button.
(() => {
  const places = Array.from(document.querySelectorAll("[data-offline-use]"));
  if (!("serviceWorker" in navigator) || !window.isSecureContext) {
    for (const place of places) {
      const note = document.createElement("p");
      note.textContent = "This browser cannot keep the calculators for use offline.";
      place.replaceChildren(note);
    }
    return;
  }
  const container = navigator.serviceWorker;
  const root = new URL("../../", document.currentScript.src);
  const saveData = Boolean(navigator.connection?.saveData);
  let asked = false; // the visitor pressed the button on this page
  let last = null; // the worker's last word on the calculators

  const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

  /** A place's parts, made on the worker's first word (until then the place stays empty). */
  function view(place) {
    const status = document.createElement("p");
    status.className = "openceu-offline__status";
    status.setAttribute("role", "status");
    const meter = document.createElement("p");
    meter.className = "openceu-offline__meter";
    meter.hidden = true;
    const progress = document.createElement("progress");
    progress.setAttribute("aria-label", "Saved so far");
    const amount = document.createElement("span");
    meter.append(progress, " ", amount);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "calc-button";
    button.hidden = true;
    button.addEventListener("click", () => saveNow().catch(failed));
    place.replaceChildren(status, meter, button);
    return { place, status, meter, progress, amount, button };
  }
  let views = [];

  function show(state) {
    if (!last) views = places.map(view);
    last = state;
    let text;
    let action = "";
    if (state.state === "saved") {
      text = "The calculators work offline on this device.";
    } else if (state.state === "saving") {
      text = "Saving the calculators for use offline…";
    } else {
      if (state.state === "failed") text = `The calculators could not be saved for use offline: ${state.reason}.`;
      else if (saveData && !asked)
        text = "Your browser is set to save data, so the calculators were not saved for use offline.";
      else text = "The calculators are not saved on this device yet.";
      if (navigator.onLine) {
        if (state.total) text += ` Saving them is a one-time download of about ${megabytes(state.total)}.`;
        action = state.state === "failed" ? "Try again" : "Make the calculators work offline";
      }
    }
    for (const view of views) {
      view.place.dataset.state = state.state;
      if (view.status.textContent !== text) view.status.textContent = text;
      view.meter.hidden = state.state !== "saving";
      if (state.total) {
        view.progress.max = state.total;
        view.progress.value = state.done || 0;
        view.amount.textContent = `${megabytes(state.done || 0)} of ${megabytes(state.total)}`;
      }
      view.button.hidden = !action;
      view.button.disabled = false;
      view.button.textContent = action;
    }
  }

  function failed() {
    // The browser refused the worker (a private window may): the site works online as before.
    show({ state: "failed", reason: "this browser does not allow it here" });
  }

  function register() {
    return container.register(new URL("sw.js", root), { scope: root.pathname });
  }

  async function activeWorker() {
    return (await container.ready).active;
  }

  async function saveNow() {
    asked = true;
    for (const view of views) view.button.disabled = true;
    await register();
    (await activeWorker()).postMessage({ type: "save" });
  }

  container.addEventListener("message", (event) => {
    if (event.data && event.data.type === "offline-calculators") show(event.data);
  });
  container.startMessages();
  window.addEventListener("online", () => last && show(last));
  window.addEventListener("offline", () => last && show(last));

  async function start() {
    if (saveData && !(await container.getRegistration(root.href))) {
      show({ state: "not-saved" }); // nothing downloaded unless asked
      return;
    }
    await register();
    (await activeWorker()).postMessage({ type: "opened", saveData });
  }

  const begin = () => start().catch(failed);
  if (document.readyState === "complete") begin();
  else window.addEventListener("load", begin, { once: true });
})();
