// Run by site_build/runtime.py at build time (Node): start the site's own Pyodide, unpack the
// engine's zips where the calculators' worker unpacks them, import every module named, and write
// Pyodide's memory snapshot. The worker restores it (loadPyodide's `_loadSnapshot`) instead of
// starting Python and importing the engine itself, which is most of a calculator's start.
//
// node memory_snapshot.mjs <pyodide.mjs> <output> <folder> <modules, comma-separated> <zip>...
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [pyodideModule, output, folder, modules, ...zips] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(pyodideModule).href);
const python = await loadPyodide({ _makeSnapshot: true });
for (const zip of zips) {
  python.unpackArchive(new Uint8Array(readFileSync(zip)), "zip", { extractDir: folder });
}
python.globals.set("folder", folder);
python.globals.set("modules", modules);
python.runPython(`
import importlib, sys
sys.path.insert(0, folder)
for name in modules.split(","):
    importlib.import_module(name)
del folder, modules, importlib
`);
writeFileSync(output, python.makeMemorySnapshot());
