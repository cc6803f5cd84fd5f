// Bundles the engine's entry points with esbuild. Run by `npm ci` (prepare) and `npm run build`.
import { build as esbuild } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
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

// NiiVue (0.69) recomputes the 3D render's gradient texture (a blur and a Sobel pass over every
// slice of the volume) whenever the background volume is refreshed, even in views that show only
// 2D slices; with software WebGL (SwiftShader) that was 1-3 s per 240x240x155 volume here. The patch lets a Niivue instance
// whose `rgsDeferGradient` is true skip it; the subject view sets it while no 3D render is shown
// and refreshes once when one is (webview/src/niivue-setup.ts). The build fails if NiiVue's code
// no longer matches, rather than silently not applying.
const NIIVUE_GRADIENT_CALL = 'this.volumeTexture = outTexture;\n      this.gradientTexture = gradientGL({';
const niivueDeferGradient = {
  name: 'niivue-defer-gradient',
  setup(b) {
    b.onLoad({ filter: /[\\/]@niivue[\\/]niivue[\\/]build[\\/]niivue[\\/]index\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      const parts = src.split(NIIVUE_GRADIENT_CALL);
      if (parts.length !== 2) throw new Error(`niivue-defer-gradient: expected one refreshLayers gradient call in ${args.path}, found ${parts.length - 1}`);
      const patched = 'this.volumeTexture = outTexture;\n      if (!this.rgsDeferGradient) this.gradientTexture = gradientGL({';
      return { contents: parts.join(patched), loader: 'js' };
    });
  },
};

// NiiVue reads OME-Zarr through zarrita, whose blosc, lz4 and zstd codecs (numcodecs, WebAssembly
// inlined as base64) are 1.4 MB of the 2.4 MB bundle. The viewers open only NIfTI files, and the
// bundle is loaded through VS Code's webview resource path before the page can ask for its data:
// the codecs are left out, and a Zarr array that needed one fails with this message.
const zarrCodecStub = {
  name: 'zarr-codec-stub',
  setup(b) {
    b.onResolve({ filter: /^numcodecs\/(blosc|lz4|zstd)$/ }, (args) => ({ path: args.path, namespace: 'zarr-codec-stub' }));
    b.onLoad({ filter: /.*/, namespace: 'zarr-codec-stub' }, (args) => ({
      contents: `export default { fromConfig() { throw new Error(${JSON.stringify(`${args.path} is not bundled with the Radiogenomics Studio viewer (it opens NIfTI files)`)}); } };`,
      loader: 'js',
    }));
  },
};

// The extension's webview app (NiiVue viewer and subject view): a browser bundle in dist/webview,
// next to the codicon font that @vscode-elements' icons use (a webview loads only files under the
// extension's dist/ and media/ and the workspace folders).
await build({
  absWorkingDir: root,
  entryPoints: { main: 'webview/src/main.ts' },
  plugins: [niivueDeferGradient, zarrCodecStub],
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
