// Bundles the engine's entry points with esbuild. Run by `npm ci` (prepare) and `npm run build`.
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { copyFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** esbuild, writing each output atomically (temp + rename): tests rebuild dist/ while other tests
 *  spawn the CLI, which must never load half a bundle. */
async function build(options) {
  const result = await esbuild({ ...options, write: false });
  for (const f of result.outputFiles) {
    mkdirSync(dirname(f.path), { recursive: true });
    const tmp = `${f.path}.${process.pid}.tmp`;
    writeFileSync(tmp, f.contents);
    renameSync(tmp, f.path);
  }
  return result;
}
const entries = {
  // `rgs`: the dispatcher with `extract`, and the study commands it loads on demand (src/cli/main.ts).
  cli: 'src/cli/main.ts',
  'cli-study': 'src/cli/study-commands.ts',
  // The helper thread of `rgs extract` that computes some of each ROI's feature families.
  'feature-thread': 'src/engine/features/feature-thread.ts',
  // The VS Code extension's host side (package.json "main": ./dist/extension.js; vscode external).
  extension: 'src/extension/extension.ts',
  // The cohort runner's worker threads (src/engine/run/pool.ts loads dist/worker.js).
  worker: 'src/engine/run/worker.ts',
  // The notebook kernel's worker thread (src/extension/notebook/kernel-session.ts loads dist/kernel-worker.js).
  'kernel-worker': 'src/kernel/worker.ts',
  'language-server': 'language-server/src/server.ts',
};

await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['vscode'],
});

// parquet-wasm's Node build loads its WebAssembly from `${__dirname}/parquet_wasm_bg.wasm`; in the
// bundle __dirname is dist/, so the module goes next to the bundles (src/engine/run/parquet.ts).
// Copied to a temporary name and renamed: a CLI started by a concurrent test never reads half a file.
mkdirSync(join(root, 'dist'), { recursive: true });
const wasmTmp = join(root, 'dist', `.parquet_wasm_bg.wasm.${process.pid}.tmp`);
copyFileSync(createRequire(import.meta.url).resolve('parquet-wasm/node/parquet_wasm_bg.wasm'), wasmTmp);
renameSync(wasmTmp, join(root, 'dist', 'parquet_wasm_bg.wasm'));

// The extension's webview app (NiiVue viewer and subject view): a browser bundle in dist/webview,
// next to the codicon font that @vscode-elements' icons use (a webview loads only files under the
// extension's dist/ and media/ and the workspace folders).
await build({
  absWorkingDir: root,
  entryPoints: { main: 'webview/src/main.ts' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'iife',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
for (const f of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(join(root, 'node_modules', '@vscode', 'codicons', 'dist', f), join(root, 'dist', 'webview', f));
}

// The notebook output renderers (package.json contributes.notebookRenderer): one ES module per
// MIME type, each exporting activate(ctx), loaded by VS Code into the notebook's output webview.
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(['feature-table', 'roc', 'calibration', 'km', 'coefficients', 'volume'].map((r) => [r, `notebook-renderers/src/${r}.ts`])),
  outdir: 'dist/renderers',
  bundle: true,
  platform: 'browser',
  target: 'chrome120',
  format: 'esm',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
