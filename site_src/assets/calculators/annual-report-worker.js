// The annual-report helper's Web Worker: the self-hosted Pyodide, the engine's zips and the
// glue (annual_report_worker.py), loaded once; then one file counted per "run" message, with
// "progress" messages while it reads. The page cancels a run by ending this worker.
let run = null;

async function start(config) {
  const { loadPyodide } = await import(config.pyodide + "pyodide.mjs");
  const python = await loadPyodide({ indexURL: config.pyodide });
  const folder = "/home/pyodide/engine";
  for (const zip of config.zips) {
    const response = await fetch(zip);
    if (!response.ok) throw new Error(`${zip}: HTTP ${response.status}`);
    python.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: folder });
  }
  const glue = await fetch(config.glue);
  if (!glue.ok) throw new Error(`${config.glue}: HTTP ${glue.status}`);
  python.runPython(`import sys\nsys.path.insert(0, "${folder}")`);
  python.runPython(await glue.text());
  return python.globals.get("run");
}

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === "start") {
      run = await start(message.config);
      self.postMessage({ type: "ready" });
    } else if (message.type === "run") {
      self.postMessage(run(message.file, message.asOf, message.today, message.url));
    }
  } catch (error) {
    self.postMessage({ type: "failed", message: String(error && error.message ? error.message : error) });
  }
};
