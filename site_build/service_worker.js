// OpenCEU's service worker. The build (site_build/offline.py) fills in the lines marked
// "@build" with this build's facts and writes the result as sw.js at the site's root.
//
// What it keeps, in caches named by the build's version:
// * when it is installed: the offline page and what that page loads (shown, in the site's
//   style, for a page that is neither saved nor reachable);
// * the calculators (every calculator page, what those pages load, the Python runtime): only
//   once a calculator page is opened or the visitor asks for it (never on a visit to another
//   page; a page asks only when the browser is not set to save data);
// * pages as they are visited, from the responses the page loaded anyway (nothing extra).
//
// A page never mixes two builds: each saved file is checked against this build's own digest
// before it is kept, and a new version installs beside the old one and takes over only when no
// tab uses the old one, then deletes the old caches.

const VERSION = "0000000000000000"; // @build version
/** The calculators: requests (site paths) saved together, once a calculator page is opened. */
const PRECACHE = []; // @build precache
/** The offline page and what it loads: saved when the worker is installed. */
const SHELL = []; // @build shell
/** The pages whose opening saves the calculators. */
const CALCULATOR_PAGES = []; // @build pages
/** The page shown, offline, for a page that was not saved. */
const OFFLINE_PAGE = "offline/"; // @build offline_page
/** Each saved request's size in bytes and SHA-256 digest (hex), as the build wrote it. */
const FILES = {}; // @build files

const ROOT = new URL("./", self.location).href;
const CALCULATORS = `openceu-${VERSION}`;
const SHELL_CACHE = `openceu-shell-${VERSION}`;
const VISITED = `openceu-visited-${VERSION}`;
const OURS = new Set([CALCULATORS, SHELL_CACHE, VISITED]);
/** An earlier build's calculators cache: the visitor had them saved. */
const EARLIER_CALCULATORS = /^openceu-[0-9a-f]{16}$/;
const TOTAL = PRECACHE.reduce((sum, path) => sum + FILES[path][0], 0);

const at = (path) => new URL(path, ROOT).href;
const PRECACHED = new Set(PRECACHE.map(at));

/** A file the server gave that is not this build's: the site was published again since. */
class AnotherBuild extends Error {}

async function digest(buffer) {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function isThisBuilds(path, response) {
  const [size, expected] = FILES[path];
  const body = await response.clone().arrayBuffer();
  return body.byteLength === size && (await digest(body)) === expected;
}

/** This build's response for `path`: the browser's HTTP cache copy if it is this build's
 * (a page just loaded it: nothing is downloaded twice), else the server's. */
async function download(path) {
  for (const mode of ["default", "reload"]) {
    const response = await fetch(at(path), { cache: mode, credentials: "same-origin" });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    if (await isThisBuilds(path, response)) return response;
  }
  throw new AnotherBuild(`${path} on the server is not this build's`);
}

/** The requests of `paths` that `name` does not hold yet (never creating the cache). */
async function missing(name, paths) {
  if (!(await caches.has(name))) return paths;
  const held = new Set((await (await caches.open(name)).keys()).map((request) => request.url));
  return paths.filter((path) => !held.has(at(path)));
}

/** Save every file of `paths` in cache `name`, four at a time, calling `saved(bytes)` after each. */
async function save(name, paths, saved = () => {}) {
  const cache = await caches.open(name);
  const queue = [...paths];
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      await cache.put(at(path), await download(path));
      await saved(FILES[path][0]);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

// ---- the calculators: saved on request, the state told to every page

let saving = null; // the save under way: { done, promise }
let lastFailure = "";

async function calculatorsState() {
  if (saving) return { state: "saving", done: saving.done, total: TOTAL };
  const left = await missing(CALCULATORS, PRECACHE);
  if (!left.length) return { state: "saved", done: TOTAL, total: TOTAL };
  const done = TOTAL - left.reduce((sum, path) => sum + FILES[path][0], 0);
  return { state: lastFailure ? "failed" : "not-saved", done, total: TOTAL, reason: lastFailure };
}

async function tellEveryPage(state) {
  const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  for (const page of pages) page.postMessage({ type: "offline-calculators", ...state });
}

function saveCalculators() {
  if (!saving) {
    saving = { done: 0 };
    saving.promise = saveMissing();
  }
  return saving.promise;
}

async function saveMissing() {
  try {
    const left = await missing(CALCULATORS, PRECACHE);
    saving.done = TOTAL - left.reduce((sum, path) => sum + FILES[path][0], 0);
    if (left.length) {
      await tellEveryPage(await calculatorsState());
      let told = saving.done;
      await save(CALCULATORS, left, async (bytes) => {
        saving.done += bytes;
        if (saving.done - told >= TOTAL / 50) {
          told = saving.done;
          await tellEveryPage(await calculatorsState());
        }
      });
    }
    lastFailure = "";
  } catch (error) {
    const another = error instanceof AnotherBuild;
    lastFailure = another ? "the site was updated since this page opened" : "the network failed";
    // The new build's worker saves them when it installs (this build's files kept so far say
    // the visitor wants them) and takes over once no tab uses this one.
    if (another) self.registration.update();
  } finally {
    saving = null;
  }
  await tellEveryPage(await calculatorsState());
}

self.addEventListener("message", (event) => {
  const message = event.data || {};
  const page = event.source;
  event.waitUntil(
    (async () => {
      if (message.type === "save") return saveCalculators();
      if (message.type === "opened" && page) {
        const url = new URL(page.url);
        url.search = "";
        url.hash = "";
        const calculator = CALCULATOR_PAGES.some((path) => at(path) === url.href);
        if (calculator && !message.saveData) return saveCalculators();
      }
      if (page) page.postMessage({ type: "offline-calculators", ...(await calculatorsState()) });
    })(),
  );
});

// ---- installing, taking over

function savesData() {
  return Boolean(self.navigator.connection?.saveData);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      // All or nothing: a worker whose offline page is not saved is not installed.
      try {
        await save(SHELL_CACHE, await missing(SHELL_CACHE, SHELL));
      } catch (error) {
        await caches.delete(SHELL_CACHE);
        throw error;
      }
      // A visitor who had the calculators saved keeps them through a new build.
      const names = await caches.keys();
      if (!savesData() && names.some((name) => EARLIER_CALCULATORS.test(name) && name !== CALCULATORS)) {
        await save(CALCULATORS, await missing(CALCULATORS, PRECACHE));
      }
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith("openceu-") && !OURS.has(name)) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

// ---- answering the pages' requests

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(ROOT)) return;
  event.respondWith(answer(event));
});

/** Keep what a page loaded: a calculator file (if it is this build's) with the calculators,
 * anything else with the visited pages. Nothing is fetched for it. */
async function keep(request, response) {
  const url = new URL(request.url);
  url.search = "";
  if (PRECACHED.has(url.href) && url.href === request.url) {
    const path = PRECACHE.find((candidate) => at(candidate) === url.href);
    if (await isThisBuilds(path, response)) await (await caches.open(CALCULATORS)).put(request, response);
    return;
  }
  await (await caches.open(VISITED)).put(request, response);
}

async function answer(event) {
  const request = event.request;
  // A page's address may carry a calculator's inputs (?minutes=...): the page is the same.
  const navigate = request.mode === "navigate";
  const built = await caches.match(request, { cacheName: CALCULATORS, ignoreSearch: navigate });
  if (built) return built;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") event.waitUntil(keep(request, response.clone()));
    return response;
  } catch (error) {
    // Offline: the copy kept from the last visit, even if asked for with another query
    // (Pagefind asks for pagefind-entry.json?ts=<now> to get past caches).
    const kept =
      (await caches.match(request, { cacheName: VISITED })) ||
      (await caches.match(request, { cacheName: VISITED, ignoreSearch: true })) ||
      (await caches.match(request, { cacheName: SHELL_CACHE }));
    if (kept) return kept;
    if (navigate) {
      const page = await offlinePage();
      if (page) return page;
    }
    throw error;
  }
}

/** The offline page, at the address asked for: its links and files are found from its own
 * address (a <base>), so the visitor's address stays and a reload online opens the page. */
async function offlinePage() {
  const saved = await caches.match(at(OFFLINE_PAGE), { cacheName: SHELL_CACHE });
  if (!saved) return undefined;
  const html = (await saved.text()).replace(/<head>/i, `<head><base href="${at(OFFLINE_PAGE)}">`);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}
