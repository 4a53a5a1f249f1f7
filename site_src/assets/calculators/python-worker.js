// A calculator page's Web Worker: the self-hosted Pyodide restored from the build's memory
// snapshot (Python started, the engine and page models imported: site_build/runtime.py), the
// engine's zips (their source, for tracebacks), the page's data files and the one worker entry (worker.py, whose `start(name)` finds the page's calculator in
// calculator_pages.registry), loaded once on "start". Every later message goes to the answerer
// `start` returned; its answer is posted back with the message's id (a Python dict arrives as a
// plain object). The page never runs Python itself, so it never freezes while
// Python starts or computes.
let handle = null;

async function fetched(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** The snapshot's bytes: it is served gzipped (6.7 MB, not 31 MB) whatever the host does. */
async function snapshot(url) {
  const response = await fetched(url);
  const unzipped = response.body.pipeThrough(new DecompressionStream("gzip"));
  return new Response(unzipped).arrayBuffer();
}

async function start(config) {
  // The page's own files download while Pyodide starts, not after.
  const memory = snapshot(config.snapshot);
  memory.catch(() => {}); // a failure is thrown by loadPyodide
  const downloads = Promise.all([
    Promise.all(config.zips.map(async (zip) => (await fetched(zip)).arrayBuffer())),
    Promise.all((config.files || []).map(async (file) => (await fetched(file)).arrayBuffer())),
    fetched(config.entry).then((response) => response.text()),
  ]);
  downloads.catch(() => {}); // a failure is thrown below, once awaited
  const { loadPyodide } = await import(`${config.pyodide}pyodide.mjs`);
  const python = await loadPyodide({ indexURL: config.pyodide, _loadSnapshot: memory });
  const folder = "/home/pyodide/engine"; // site_build.runtime.ENGINE_FOLDER, on sys.path in the snapshot
  const [zips, files, entry] = await downloads;
  for (const zip of zips) python.unpackArchive(zip, "zip", { extractDir: folder });
  (config.files || []).forEach((file, index) => {
    // A data file lands in Python's working folder under its own name.
    const name = new URL(file).pathname.split("/").pop();
    python.FS.writeFile(name, new Uint8Array(files[index]));
  });
  python.runPython(entry);
  return python.globals.get("start")(config.name);
}

function plain(answer) {
  if (answer && typeof answer.toJs === "function") {
    const value = answer.toJs({ dict_converter: Object.fromEntries });
    answer.destroy();
    return value;
  }
  return answer;
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "start") {
      handle = await start(message.config);
      self.postMessage({ type: "ready", id: message.id });
    } else {
      self.postMessage({ ...plain(handle(message)), id: message.id });
    }
  } catch (error) {
    const text = String(error?.message ? error.message : error);
    self.postMessage({ type: "failed", id: message.id, message: text });
  }
};
