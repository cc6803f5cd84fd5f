/**
 * The extension benchmark's runner (`npm run bench:extension`, and the end of `npm run bench`):
 *
 * 1. the subject view's first frame: four 240x240x155 volumes and their mask, from the command
 *    to the first frame with every volume and the mask drawn (median of N openings);
 * 2. the extension host's event loop while the notebook kernel extracts the demo cohort;
 * 3. the .vsix: bytes and files.
 *
 * Parts 1 and 2 run inside a real VS Code: code-server 4.100.3 (npm run setup:e2e) serves the
 * workbench with bench/.data as its folder, Chromium (playwright-core, software WebGL) opens it
 * with the `payload` that loads this repository as the extension under development and
 * bench/extension/suite.ts as its tests module; the runner answers the suite's first-frame
 * watches (protocol.ts). Results: bench/results/extension.{md,json}, written atomically, with the
 * machine's description. Bundled and called by bench/extension.mjs as main(root, buildDir).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { buildSync } from 'esbuild';
import type { Browser, Frame, Page } from 'playwright-core';
import { parseDocument } from 'yaml';
import { describeMachine } from '../machine.mjs';
import { DEMO_STUDY_YAML } from '../../src/engine/demo/study-file';
import { generateGliomaCase } from '../../src/engine/demo/cohort';
import { serialiseRgnb, type RgnbNotebook } from '../../src/extension/notebook/rgnb-format';
import { CODE_SERVER_BIN, E2E_DIR, EXTENSION_ID, codeServerSkipReason, runExtensionTests, startCodeServer, type CodeServer } from '../../test/vscode/code-server';
import { serveFileRequests } from '../../test/vscode/file-exchange';
import { browserSkipReason, launchChromium } from '../../test/webview/harness';
import { summarise } from '../../test/webview/pixels';
import { decodePng } from '../../test/webview/png';
import {
  BENCH_CONFIG_FILE,
  type BenchConfig,
  type CanvasPixels,
  type FrameTiming,
  type SubjectRun,
  type SuiteOutput,
  type WatchRequest,
  type WatchResponse,
} from './protocol';

const SEQUENCES = { T1: 't1', T1CE: 't1ce', T2: 't2', FLAIR: 'flair' } as const;
const SHAPE: [number, number, number] = [240, 240, 155];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A whole number >= 1 from the environment variable `name`, or `dflt` when it is unset; any
 *  other value stops the run before it starts, naming the variable. */
function envCount(name: string, dflt: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return dflt;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name}=${JSON.stringify(raw)}: expected a whole number of at least 1`);
  return v;
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---- inputs ------------------------------------------------------------------------------------

/** dims[1..3] of a .nii.gz: its header is the first 348 bytes of the stream, so 64 KiB of the
 *  file, decompressed as far as they go, are enough. */
function niftiDims(file: string): number[] {
  const b = gunzipSync(readFileSync(file).subarray(0, 65_536), { finishFlush: constants.Z_SYNC_FLUSH });
  return [1, 2, 3].map((i) => b.readInt16LE(40 + 2 * i));
}

interface GliomaFiles {
  dir: string;
  images: Record<string, string>;
  mask: string;
  source: string;
}

/** bench/prepare.ts's glioma case (bench/.data/glioma/case) when it is complete, else the same
 *  case (same generator, seed and grid) written into bench/.data/extension/glioma. */
function gliomaSource(data: string): GliomaFiles {
  const shared = join(data, 'glioma', 'case');
  if (fits(shared)) return { dir: shared, ...caseFiles(shared), source: 'bench/prepare.ts\'s glioma case (bench/.data/glioma/case)' };
  const own = join(data, 'extension', 'glioma');
  if (!fits(own)) {
    console.log('bench:extension: writing the glioma case (4 x 240x240x155 and a mask) into bench/.data/extension/glioma');
    generateGliomaCase(own, { seed: 7, shape: SHAPE, spacing: [1, 1, 1] });
  }
  return { dir: own, ...caseFiles(own), source: 'the glioma case of bench/prepare.ts (generateGliomaCase, seed 7), in bench/.data/extension/glioma' };
}

function caseFiles(dir: string): { images: Record<string, string>; mask: string } {
  return {
    images: Object.fromEntries(Object.entries(SEQUENCES).map(([k, f]) => [k, join(dir, `${f}.nii.gz`)])),
    mask: join(dir, 'seg.nii.gz'),
  };
}

function fits(dir: string): boolean {
  const f = caseFiles(dir);
  return [...Object.values(f.images), f.mask].every((p) => existsSync(p) && niftiDims(p).join() === SHAPE.join());
}

/** The axial slices (k) the mask labels, first and last. */
function labelledSlices(mask: Buffer): [number, number] {
  const off = Math.round(mask.readFloatLE(108));
  const [nx, ny, nz] = [1, 2, 3].map((i) => mask.readInt16LE(40 + 2 * i));
  let lo = -1;
  let hi = -1;
  for (let k = 0; k < nz; k++) {
    const slice = mask.subarray(off + k * nx * ny, off + (k + 1) * nx * ny);
    if (slice.some((v) => v !== 0)) {
      if (lo < 0) lo = k;
      hi = k;
    }
  }
  return [lo, hi];
}

/**
 * NiiVue shows the central axial slice first; the glioma case's tumour may lie above or below
 * it. For "the first frame with the mask visible" the bench uses the case moved along z (every
 * volume and the mask by the same whole number of slices, the vacated slices zero) so that the
 * tumour's middle slice is the central one; dims, spacing, types and header are unchanged.
 * Written once into bench/.data/extension/glioma-centred (rewritten when its source changes).
 */
function centredCase(src: GliomaFiles, data: string): GliomaFiles & { shiftSlices: number } {
  const dst = join(data, 'extension', 'glioma-centred');
  const mask = gunzipSync(readFileSync(src.mask));
  const [lo, hi] = labelledSlices(mask);
  const nz = SHAPE[2];
  const shift = Math.round((lo + hi) / 2 - (nz - 1) / 2);
  const stamp = JSON.stringify({ source: src.dir, shift, files: [...Object.values(src.images), src.mask].map((p) => [p, statSync(p).size, statSync(p).mtimeMs]) });
  const stampFile = join(dst, 'source.json');
  const out: GliomaFiles & { shiftSlices: number } = {
    dir: dst,
    ...caseFiles(dst),
    source: `${src.source}, moved ${Math.abs(shift)} slices ${shift > 0 ? 'down' : 'up'} so that the tumour (axial slices ${lo}–${hi}) crosses the central slice NiiVue shows first (bench/.data/extension/glioma-centred)`,
    shiftSlices: shift,
  };
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && fits(dst)) return out;
  mkdirSync(dst, { recursive: true });
  const pairs: [string, string][] = [
    ...Object.keys(SEQUENCES).map((k): [string, string] => [src.images[k], out.images[k]]),
    [src.mask, out.mask],
  ];
  for (const [from, to] of pairs) {
    const raw = from === src.mask ? mask : gunzipSync(readFileSync(from));
    const off = Math.round(raw.readFloatLE(108));
    const sliceBytes = SHAPE[0] * SHAPE[1] * (raw.readInt16LE(72) / 8);
    const moved = Buffer.alloc(raw.length);
    raw.copy(moved, 0, 0, off);
    // New slice k holds old slice k + shift.
    if (shift >= 0) raw.copy(moved, off, off + shift * sliceBytes, off + nz * sliceBytes);
    else raw.copy(moved, off - shift * sliceBytes, off, off + (nz + shift) * sliceBytes);
    const tmp = `${to}.${process.pid}.tmp`;
    writeFileSync(tmp, gzipSync(moved, { level: 6 }));
    renameSync(tmp, to);
  }
  writeAtomic(stampFile, stamp);
  return out;
}

/** The demo cohort of bench/prepare.ts (bench/.data/demo), generated by it when missing. */
function demoCohort(root: string, data: string, buildDir: string): string {
  const dir = join(data, 'demo');
  if (existsSync(join(dir, 'manifest.csv')) && existsSync(join(dir, 'clinical.csv')) && existsSync(join(dir, 'demo.study.yaml'))) return dir;
  console.log('bench:extension: generating the demo cohort (120 subjects) into bench/.data/demo with bench/prepare.ts (1-2 minutes)');
  const prepare = join(buildDir, 'prepare.js');
  buildSync({ entryPoints: [join(root, 'bench', 'prepare.ts')], bundle: true, platform: 'node', outfile: prepare, logLevel: 'error' });
  const r = spawnSync(process.execPath, [prepare, 'demo', dir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench/prepare.ts demo failed');
  return dir;
}

/** The notebook of the event-loop measurement: the demo study's `study`, `cohort` and `outcomes`
 *  in one cell, its `preprocessing` and `features` in the next (the extraction), with the paths
 *  pointing at the demo cohort. A fresh folder each time: no results, no feature cache. */
function writeNotebook(notebookDir: string, demoDir: string): string {
  rmSync(notebookDir, { recursive: true, force: true });
  mkdirSync(notebookDir, { recursive: true });
  const study = parseDocument(DEMO_STUDY_YAML);
  const rel = (p: string) => relative(notebookDir, join(demoDir, p));
  study.setIn(['study', 'id'], 'bench-extension');
  study.setIn(['cohort', 'manifest'], rel(String(study.getIn(['cohort', 'manifest']))));
  const clinical = study.getIn(['cohort', 'clinical']);
  if (clinical !== undefined) {
    const n = (study.getIn(['cohort', 'clinical']) as { items: unknown[] }).items.length;
    for (let i = 0; i < n; i++) study.setIn(['cohort', 'clinical', i, 'file'], rel(String(study.getIn(['cohort', 'clinical', i, 'file']))));
  }
  const section = (keys: string[]) => {
    const d = parseDocument('{}');
    for (const k of keys) if (study.has(k)) d.set(k, study.get(k, true));
    return d.toString({ lineWidth: 0 });
  };
  const code = (source: string) => ({ kind: 'code' as const, language: 'yaml', source, metadata: {}, outputs: [] });
  const nb: RgnbNotebook = {
    metadata: {},
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Extension benchmark: the demo cohort', metadata: {}, outputs: [] },
      code(section(['study', 'cohort', 'outcomes'])),
      code(section(['preprocessing', 'features'])),
    ],
  };
  const file = join(notebookDir, 'bench.rgnb');
  writeFileSync(file, serialiseRgnb(nb));
  return file;
}

// ---- the .vsix ---------------------------------------------------------------------------------

function newestMtime(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(p).map((f) => newestMtime(join(p, f))));
}

interface ZipEntry {
  name: string;
  size: number;
  compressed: number;
}

/** The zip's central directory (a .vsix is a zip). */
function zipEntries(file: string): ZipEntry[] {
  const b = readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65_535); i--) {
    if (b.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = b.readUInt16LE(eocd + 10);
  let p = b.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (b.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const nameLen = b.readUInt16LE(p + 28);
    const extraLen = b.readUInt16LE(p + 30);
    const commentLen = b.readUInt16LE(p + 32);
    out.push({ name: b.toString('utf8', p + 46, p + 46 + nameLen), compressed: b.readUInt32LE(p + 20), size: b.readUInt32LE(p + 24) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

interface VsixInfo {
  file: string;
  bytes: number;
  entries: number;
  files: number;
  uncompressedBytes: number;
  repackaged: boolean;
  largest: ZipEntry[];
}

function vsixInfo(root: string): VsixInfo {
  const vsix = join(root, 'out', 'radiogenomics-studio.vsix');
  const inputs = Math.max(newestMtime(join(root, 'dist')), newestMtime(join(root, 'package.json')), newestMtime(join(root, 'media')));
  const stale = !existsSync(vsix) || statSync(vsix).mtimeMs < inputs;
  if (stale) {
    console.log('bench:extension: npm run package (out/radiogenomics-studio.vsix is older than dist/)');
    const r = spawnSync('npm', ['run', 'package'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}${r.stderr}`);
  }
  const entries = zipEntries(vsix);
  const files = entries.filter((e) => !e.name.endsWith('/'));
  return {
    file: relative(root, vsix),
    bytes: statSync(vsix).size,
    entries: entries.length,
    files: files.filter((e) => e.name.startsWith('extension/')).length,
    uncompressedBytes: files.reduce((s, e) => s + e.size, 0),
    repackaged: stale,
    largest: [...files].sort((a, b) => b.size - a.size).slice(0, 6),
  };
}

// ---- the first-frame watch ---------------------------------------------------------------------

/** Run in the webview page: resolves with the page's timestamps (epoch ms) of body[data-state]
 *  becoming 'loaded' and of the first animation frame after it. A string, so that this
 *  Node-typed file needs no DOM types. */
const WATCH_SCRIPT = `new Promise((resolve) => {
  const now = () => performance.timeOrigin + performance.now();
  const found = document.body ? document.body.dataset.state || '' : '';
  const result = { stateWhenFound: found, loadedAt: null, frameAt: null, state: found, fetches: [], navigationAt: performance.timeOrigin, bundle: null, marks: [] };
  const bundle = () => {
    const e = performance.getEntriesByType('resource').find((r) => /\\/main\\.js($|[?#])/.test(r.name));
    return e ? { start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd } : null;
  };
  const fetches = () => performance.getEntriesByType('resource')
    .filter((e) => /\\.nii(\\.gz)?($|[?#])/.test(e.name))
    .map((e) => ({ name: e.name.split('/').pop(), start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd }));
  if (found === 'loaded' || found === 'error' || found === 'no-webgl2') { resolve(result); return; }
  const obs = new MutationObserver(() => {
    const s = document.body.dataset.state || '';
    result.state = s;
    if (s === 'loaded') {
      obs.disconnect();
      result.loadedAt = now();
      requestAnimationFrame(() => {
        result.frameAt = now(); result.fetches = fetches(); result.bundle = bundle();
        result.marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('rgs:')).map((m) => ({ name: m.name.slice(4), at: performance.timeOrigin + m.startTime }));
        resolve(result);
      });
    } else if (s === 'error' || s === 'no-webgl2') {
      obs.disconnect();
      result.fetches = fetches();
      resolve(result);
    }
  });
  obs.observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
})`;

const RENDERER_SCRIPT = `(() => {
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return 'no WebGL2';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
})()`;

/** The webview page whose <title> is `title` (the subject view's inner #active-frame). */
async function findPage(page: Page, title: string): Promise<Frame | null> {
  for (const f of page.frames()) {
    if (f === page.mainFrame()) continue;
    try {
      if ((await f.title()) === title) return f;
    } catch {
      // detached or navigating
    }
  }
  return null;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<never>((_, reject) => (t = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

async function watch(page: Page, req: WatchRequest, armed: () => void, wantRenderer: boolean): Promise<WatchResponse> {
  const res: WatchResponse = { name: req.name, foundAt: null, timing: null, pixelsConfirmedAt: null, pixels: {}, renderer: null, error: null };
  armed();
  try {
    const end = Date.now() + 120_000;
    let frame: Frame | null = null;
    while (frame === null) {
      if (Date.now() > end) throw new Error(`no webview titled "${req.title}" within 120 s`);
      frame = await findPage(page, req.title);
      if (frame === null) await sleep(15);
    }
    res.foundAt = Date.now();
    res.timing = await withTimeout(frame.evaluate(WATCH_SCRIPT) as Promise<FrameTiming>, 180_000, 'the page');
    // Only now the screenshots (they would compete with the page for the two cores before).
    const stop = Date.now() + 30_000;
    for (;;) {
      let ok = true;
      for (const sel of req.canvases) {
        const loc = frame.locator(sel);
        if ((await loc.count()) === 0) {
          res.pixels[sel] = null;
          ok = false;
          continue;
        }
        const s = summarise(decodePng(await loc.screenshot()));
        const c: CanvasPixels = { total: s.total, grey: s.counts.grey, red: s.counts.red, green: s.counts.green, yellow: s.counts.yellow };
        res.pixels[sel] = c;
        ok &&= c.grey > 0 && c.red > 20 && c.green > 20 && c.yellow > 20;
      }
      if (ok) {
        res.pixelsConfirmedAt = Date.now();
        break;
      }
      if (Date.now() > stop) break;
      await sleep(100);
    }
    if (wantRenderer) res.renderer = (await frame.evaluate(RENDERER_SCRIPT)) as string;
  } catch (e) {
    res.error = e instanceof Error ? e.message : String(e);
  }
  return res;
}

/** Answer the suite's watch requests until stopped. */
function serveWatches(page: Page, exchange: string): () => Promise<void> {
  let first = true;
  return serveFileRequests<WatchRequest, unknown>(exchange, 20, async (req, responses) => {
    const res = await watch(page, req, () => writeFileSync(join(responses, `${req.name}.armed`), ''), first);
    first = false;
    return res;
  });
}

// ---- the run -----------------------------------------------------------------------------------

interface HostRun {
  code: number;
  output: SuiteOutput | null;
  log: string[];
  chromium: string;
}

async function runInVsCode(root: string, server: CodeServer, browser: Browser, config: BenchConfig, suite: string, workspace: string, timeoutMs: number): Promise<HostRun> {
  const { code, log } = await runExtensionTests(server, browser, {
    workspace,
    extensionDir: root,
    testsModule: suite,
    workbenchTimeoutMs: 120_000,
    timeoutMs,
    attach: (page) => serveWatches(page, config.exchangeDir),
    onLog: (message) => {
      if (/subject view|event loop/.test(message)) console.log(`  ${message.trim()}`);
    },
  });
  const output = existsSync(config.resultFile) ? (JSON.parse(readFileSync(config.resultFile, 'utf8')) as SuiteOutput) : null;
  return { code, output, log, chromium: browser.version() };
}

/** RGS_BENCH_EXT_SETTINGS: user settings (JSON) added for a diagnostic run, e.g.
 *  '{"remote.autoForwardPorts": false}'. The bench's numbers are taken with the defaults. */
function extraSettings(): Record<string, unknown> {
  const raw = process.env.RGS_BENCH_EXT_SETTINGS;
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
}

// ---- the report --------------------------------------------------------------------------------

/** The latest of a run's page marks whose name ends with `suffix` (ms from the command). */
function lastMark(r: SubjectRun, suffix: string, except?: string): number | null {
  const v = Object.entries(r.marks ?? {}).filter(([k]) => k.endsWith(suffix) && !(except && k.startsWith(except))).map(([, ms]) => ms);
  return v.length > 0 ? Math.max(...v) : null;
}

/** Per sequence: from the moment both its volume was decoded and its view was set up to the end
 *  of addVolume (upload, conversion to the colour texture, or waiting for the GPU to accept it). */
function addVolumeTimes(r: SubjectRun): number[] {
  const m = r.marks ?? {};
  return Object.keys(m)
    .filter((k) => k.endsWith(':added'))
    .map((k) => k.slice(0, -':added'.length))
    .flatMap((seq) => (m[`${seq}:decoded`] !== undefined && m[`${seq}:webgl`] !== undefined ? [m[`${seq}:added`] - Math.max(m[`${seq}:decoded`], m[`${seq}:webgl`])] : []));
}

const fmt = (x: number | null | undefined, digits = 0) => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

interface Spread {
  median: number | null;
  min: number | null;
  max: number | null;
  n: number;
}

function spread(xs: (number | null)[]): Spread {
  const v = xs.filter((x): x is number => x !== null);
  return v.length === 0 ? { median: null, min: null, max: null, n: 0 } : { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

export async function main(root: string, buildDir: string): Promise<number> {
  // The settings from the environment first: a bad value stops the run before any work.
  const runs = Math.max(5, envCount('RGS_BENCH_EXT_RUNS', 7));
  const loopRunCount = envCount('RGS_BENCH_EXT_LOOP_RUNS', 3);
  const resolutionMs = envCount('RGS_BENCH_EXT_RESOLUTION_MS', 2);
  const skip = codeServerSkipReason() ?? browserSkipReason() ?? (existsSync(join(root, 'dist', 'extension.js')) ? null : 'dist/extension.js is missing: run npm run build');
  const data = join(root, 'bench', '.data');
  const resultsDir = join(root, 'bench', 'results');
  const machine = describeMachine();
  console.log(`bench:extension: machine ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GiB, Node ${machine.node}`);

  const vsix = vsixInfo(root);
  console.log(`bench:extension: ${vsix.file}: ${vsix.bytes} bytes, ${vsix.files} files`);

  let host: HostRun | null = null;
  let glioma: (GliomaFiles & { shiftSlices: number }) | null = null;
  let config: BenchConfig | null = null;
  if (skip !== null) {
    console.log(`bench:extension: the subject view and event-loop parts are skipped: ${skip}`);
  } else {
    glioma = centredCase(gliomaSource(data), data);
    const skipLoop = process.env.RGS_BENCH_EXT_EVENT_LOOP === '0';
    const demo = skipLoop ? join(data, 'demo') : demoCohort(root, data, buildDir);
    const run = join(data, 'extension', 'run');
    rmSync(run, { recursive: true, force: true });
    // One notebook per run, each in a fresh folder (no feature cache).
    rmSync(join(data, 'extension', 'notebook'), { recursive: true, force: true });
    const notebooks = skipLoop ? [] : Array.from({ length: loopRunCount }, (_, i) => writeNotebook(join(data, 'extension', 'notebook', `run-${i + 1}`), demo));
    config = {
      extensionId: EXTENSION_ID,
      exchangeDir: join(run, 'exchange'),
      resultFile: join(run, 'suite-result.json'),
      subject: { runs, images: glioma.images, mask: glioma.mask, labels: { necrosis: 1, oedema: 2, enhancing: 4, tumour_core: [1, 4] }, skip: process.env.RGS_BENCH_EXT_SUBJECT === '0' },
      eventLoop: {
        notebooks,
        resolutionMs,
        profileFile: process.env.RGS_BENCH_EXT_PROFILE ? resolve(process.env.RGS_BENCH_EXT_PROFILE) : null,
        idleSeconds: 10,
        timeoutSeconds: 1200,
        skip: skipLoop,
      },
    };
    writeFileSync(join(buildDir, BENCH_CONFIG_FILE), JSON.stringify(config, null, 2));
    // The workspace is bench/.data: the volumes are inside it, so the webview streams them by URL
    // as it does a user's files.
    const server = await startCodeServer({ dataDir: join(run, 'code-server'), workspace: data, settings: { 'notebook.output.textLineLimit': 30, ...extraSettings() } });
    const browser = await launchChromium({ webgl: true });
    try {
      console.log(`bench:extension: code-server on ${server.origin}; the suite runs ${runs} + 1 subject-view openings, then the notebook (about 2-4 minutes)`);
      host = await runInVsCode(root, server, browser, config, join(buildDir, 'suite.js'), data, 40 * 60_000);
    } finally {
      await browser.close();
      await server.stop();
    }
    writeFileSync(join(run, 'workbench.log'), host.log.join('\n'));
    if (host.code !== 0 || host.output === null) {
      console.error(`bench:extension: the suite ended with code ${host.code}${host.output === null ? ' and wrote no result' : ''}; last log lines:\n${host.log.slice(-30).join('\n')}\n--- code-server ---\n${server.output.join('').slice(-3000)}`);
    }
  }

  // ---- write bench/results/extension.{json,md} ----
  const out = host?.output ?? null;
  const timed: SubjectRun[] = (out?.subject ?? []).filter((r) => !r.warmUp);
  const warm = (out?.subject ?? []).find((r) => r.warmUp) ?? null;
  const summary = {
    firstFrameMs: spread(timed.map((r) => r.firstFrameMs)),
    hostLoadedMs: spread(timed.map((r) => r.hostLoadedMs)),
    navigationMs: spread(timed.map((r) => r.navigationMs)),
    webglReadyMs: spread(timed.map((r) => lastMark(r, ':webgl'))),
    lastDecodedMs: spread(timed.map((r) => lastMark(r, ':decoded', 'mask:'))),
    lastAddedMs: spread(timed.map((r) => lastMark(r, ':added'))),
    addVolumeMs: spread(timed.flatMap((r) => addVolumeTimes(r))),
    bundleFetchedMs: spread(timed.map((r) => r.bundleFetchedMs)),
    pageWrittenMs: spread(timed.map((r) => r.pageWrittenMs ?? null)),
    pageReadyMs: spread(timed.map((r) => r.pageReadyMs)),
    fetchStartMs: spread(timed.map((r) => r.fetchStartMs)),
    fetchedMs: spread(timed.map((r) => r.fetchedMs)),
    pixelsConfirmedMs: spread(timed.map((r) => r.pixelsConfirmedMs)),
  };
  const loop = out?.eventLoop ?? null;
  const loopRuns = out?.eventLoopRuns ?? [];
  const csVersion = existsSync(CODE_SERVER_BIN) ? (JSON.parse(readFileSync(join(E2E_DIR, 'code-server', 'node_modules', 'code-server', 'package.json'), 'utf8')) as { version: string }).version : null;
  const targets = {
    subjectViewFirstFrameUnder2s: summary.firstFrameMs.median === null ? null : summary.firstFrameMs.median < 2000 && timed.every((r) => r.maskVisible),
    // Over every run: `loop` is the run with the longest stall.
    eventLoopMaxUnder50ms: loop === null ? null : loop.run.max < 50,
  };
  const stamp = new Date().toISOString();
  const doc = {
    date: stamp,
    machine,
    environment: { codeServer: csVersion, chromium: host?.chromium ?? null, webglRenderer: out?.renderer ?? null, extraSettings: extraSettings(), skipped: skip },
    subjectView: glioma && config ? { volumes: glioma.source, shiftSlices: glioma.shiftSlices, shape: SHAPE, sequences: Object.keys(SEQUENCES), runs: config.subject.runs, summary, warmUp: warm, perRun: timed } : null,
    eventLoop: loop,
    eventLoopRuns: loopRuns,
    vsix,
    targets,
    errors: [...(out?.errors ?? []), ...(host && host.code !== 0 ? [`the suite ended with code ${host.code}`] : [])],
  };
  writeAtomic(join(resultsDir, 'extension.json'), JSON.stringify(doc, null, 2) + '\n');

  const yes = (b: boolean | null) => (b === null ? 'not measured' : b ? '**met**' : '**not met**');
  const md: string[] = [
    `# Extension benchmark (${stamp})`,
    '',
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory_gb} GiB, Linux ${machine.kernel}, Node ${machine.node}.`,
    skip !== null
      ? `The subject view and event-loop parts did not run: ${skip}.`
      : `${Object.keys(extraSettings()).length > 0 ? `**Diagnostic run with extra settings ${JSON.stringify(extraSettings())}.** ` : ''}VS Code: code-server ${csVersion ?? '?'} (VS Code 1.100.3 web) on 127.0.0.1, driven by headless Chromium ${host?.chromium ?? '?'} (playwright-core) with Chromium's own choice for a machine without a GPU: the page is composited in software, and WebGL is software-rendered: ${out?.renderer ?? 'renderer unknown'}. Command: \`npm run bench:extension\`.`,
    '',
  ];
  if (skip === null && glioma && config) {
    const row = (what: string, s: Spread) => `| ${what} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} |`;
    md.push(
      '## Subject view: command to first frame',
      '',
      `Four 240×240×155 int16 volumes (T1, T1CE, T2, FLAIR, 1 mm) and their uint8 label mask (necrosis 1, oedema 2, enhancing 4), .nii.gz in the workspace (${glioma.source}), so the webview streams them by URL. The suite executes \`radiogenomics.openSubject\` in the extension host; each opening is a new panel (closed between runs); ${config.subject.runs} timed openings after one warm-up.`,
      '',
      '**First frame** = the first animation frame in the webview after `body[data-state]` becomes `loaded`, which webview/src/main.ts sets once every NiiVue view has loaded its sequence and the mask (fetched and decoded once, each view\'s label drawing) and the GPU has finished drawing them (a one-pixel `readPixels` after the draw: `gl.finish()` alone does not wait in Chromium). Times are the page\'s clock (`performance.timeOrigin + now()`) minus the extension host\'s `Date.now()` just before `executeCommand`, on one machine. Afterwards a screenshot checks grey, red, green and yellow pixels on all four canvases ("mask confirmed", an upper bound that includes the screenshot).',
      '',
      '| from the command to … (ms) | median | min | max |',
      '| --- | --- | --- | --- |',
      row("the host gave VS Code the page's HTML (after its first answer: headers and size checks)", summary.pageWrittenMs),
      row("the page's navigation started (its document's time origin)", summary.navigationMs),
      row('the page\'s HTML was parsed (its first preload started)', summary.fetchStartMs),
      row('the page had its script bundle (main.js, Resource Timing)', summary.bundleFetchedMs),
      row('the page posted `ready` (host side)', summary.pageReadyMs),
      row('the four WebGL contexts were set up (NiiVue, shaders compiled; last of four)', summary.webglReadyMs),
      row("the page had every volume's bytes (Resource Timing)", summary.fetchedMs),
      row('the host received `loaded`', summary.hostLoadedMs),
      row('the last sequence was decoded (NVImage, from the page\'s marks)', summary.lastDecodedMs),
      row('the last volume was uploaded and converted (addVolume)', summary.lastAddedMs),
      row('**first frame** (page)', summary.firstFrameMs),
      row('mask confirmed by a screenshot', summary.pixelsConfirmedMs),
      '',
      `Per sequence, from having both its decoded volume and its view to the end of \`addVolume\` (upload and conversion to NiiVue's colour 3D texture; SwiftShader runs one conversion at a time): median ${fmt(summary.addVolumeMs.median)} ms (min ${fmt(summary.addVolumeMs.min)}, max ${fmt(summary.addVolumeMs.max)}).`,
      '',
      `Warm-up opening (first in this window, not in the table): first frame ${fmt(warm?.firstFrameMs)} ms, host loaded ${fmt(warm?.hostLoadedMs)} ms. Mask visible in every timed run: ${timed.length > 0 && timed.every((r) => r.maskVisible) ? 'yes' : 'NO'}.`,
      '',
      `Target (median first frame < 2 s, mask visible): ${yes(targets.subjectViewFirstFrameUnder2s)}.`,
      '',
      '| run | navigation | bundle | ready | fetch start | fetched | host loaded | first frame | mask confirmed | status |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...(out?.subject ?? []).map(
        (r) => `| ${r.warmUp ? 'warm-up' : r.run} | ${fmt(r.navigationMs)} | ${fmt(r.bundleFetchedMs)} | ${fmt(r.pageReadyMs)} | ${fmt(r.fetchStartMs)} | ${fmt(r.fetchedMs)} | ${fmt(r.hostLoadedMs)} | ${fmt(r.firstFrameMs)} | ${fmt(r.pixelsConfirmedMs)} | ${r.status}${r.maskVisible ? '' : ', mask NOT seen'}${r.message ? `: ${r.message}` : ''} |`,
      ),
      '',
    );
  }
  if (loop !== null) {
    md.push(
      '## Extension host event loop during a notebook extraction of the demo cohort',
      '',
      `A .rgnb notebook of two YAML cells — the demo study's \`study\`, \`cohort\` and \`outcomes\`, then its \`preprocessing\` and \`features\` — over the demo cohort (bench/.data/demo, ${loop.subjects ?? '?'} subjects), run with Run All and the Radiogenomics kernel (a worker thread of the extension host at the lowest priority, nice 19 on Linux; the cohort runner's ${machine.cores - 1} worker thread(s) started by it, at the same priority). Measured inside the extension host: \`perf_hooks.monitorEventLoopDelay({ resolution: ${loop.resolutionMs} })\` (values include the ${loop.resolutionMs} ms timer period) and a 2 ms timer listing each stall over 10 ms. ${loopRuns.length} run(s), each of a fresh notebook in a fresh folder (RGS_BENCH_EXT_LOOP_RUNS); the tables below are of the run with the longest stall.`,
      '',
      '| run | max (ms) | p99 (ms) | stalls over 50 ms | duration (s) | tasks | child processes started in the host |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...loopRuns.map((r, i) => `| ${i + 1} | ${fmt(r.max, 1)} | ${fmt(r.p99, 1)} | ${r.stallsOver50} | ${fmt(r.runSeconds, 1)} | ${r.tasks ?? '?'}${r.error ? ` (error: ${r.error.replace(/\|/g, '\\|')})` : ''} | ${r.spawns} |`),
      '',
      '| extension host event loop (ms) | max | p99 | p50 | mean | duration |',
      '| --- | --- | --- | --- | --- | --- |',
      `| idle, before the run | ${fmt(loop.idle.max, 1)} | ${fmt(loop.idle.p99, 1)} | ${fmt(loop.idle.p50, 1)} | ${fmt(loop.idle.mean, 2)} | ${loop.idleSeconds} s |`,
      `| **during the run** (Run All to the last cell's end) | **${fmt(loop.run.max, 1)}** | ${fmt(loop.run.p99, 1)} | ${fmt(loop.run.p50, 1)} | ${fmt(loop.run.mean, 2)} | ${fmt(loop.runSeconds, 1)} s |`,
      '',
      `Extraction: ${loop.tasks ?? '?'} tasks. Cells: ${loop.cells.map((c) => `cell ${c.index + 1} ${c.success === true ? 'ok' : 'FAILED'} in ${fmt(c.seconds, 1)} s (${c.summary.replace(/\|/g, '\\|').replace(/\n/g, ' ')})`).join('; ')}.${loop.error ? ` Error: ${loop.error}.` : ''}`,
      '',
      `Target (max delay < 50 ms): ${yes(targets.eventLoopMaxUnder50ms)}. Stalls over 50 ms: ${loop.stallsOver50}, of which ${loop.stallsOver50Active} with the loop running callbacks for most of the stall (event-loop utilisation; the others are waits, e.g. for a core: the kernel, Chromium and code-server share ${machine.cores} cores).`,
      '',
      `Longest stalls (seconds into the run: stall ms / of which running callbacks ms): ${loop.stalls.length === 0 ? 'none over 10 ms' : loop.stalls.map((s) => `${s.atS} s: ${s.ms} / ${s.activeMs}`).join(', ')}.`,
      '',
      ...(loop.stallsOver50List && loop.stallsOver50List.length > 0
        ? [
            'Every stall over 50 ms: how long the loop was running callbacks (event-loop utilisation), what the scheduler says of the main thread meanwhile (ms on a core; ms runnable but waiting for a core), the VM\'s steal time (ms the hypervisor gave this VM\'s cores to something else, summed over both), and with a CPU profile what the thread\'s samples show ("idle" = the thread sat in the poll):',
            '',
            '| at (s) | stall ms | running callbacks ms | on a core ms | waiting for a core ms | steal ms | child processes started in it (spawn call ms) | profile: what ran (ms) |',
            '| --- | --- | --- | --- | --- | --- | --- | --- |',
            ...loop.stallsOver50List.map((s) => `| ${s.atS} | ${s.ms} | ${s.activeMs} | ${fmt(s.cpuMs ?? null, 1)} | ${fmt(s.runQueueMs ?? null, 1)} | ${fmt(s.stealMs ?? null, 0)} | ${(s.spawns ?? []).map((p) => `\`${p.command.replace(/\|/g, '\\|').replace(/`/g, "'")}\` ${p.ms}`).join('; ') || '–'} | ${(s.attribution ?? []).map((a) => `${a.what.replace(/\|/g, '\\|')} ${a.ms}`).join('; ') || '–'} |`),
            '',
          ]
        : []),
      ...(loop.profileInStalls
        ? [`CPU profile (RGS_BENCH_EXT_PROFILE; the profiler slows the thread, so these numbers come from a profiled run): own time inside the stalls over 50 ms: ${loop.profileInStalls.map((p) => `${p.fn} ${p.ms} ms`).join(', ')}.`, '']
        : []),
      ...(loop.rssMiB ? [`Extension host process: resident memory ${loop.rssMiB.before} MiB before the run, peak ${loop.rssMiB.peak} MiB during it (every child process spawned from the host forks it: the more it maps, the longer the spawn blocks the event loop); its threads by nice value 10 s into the run: ${(loop.threadNices ?? []).map((t) => `${t.threads} at ${t.nice}`).join(', ') || 'not read'}.`, ''] : []),
      ...(loop.spawns ? [`Child processes started in the extension host during the run (by any extension or VS Code itself; the spawn call holds the event loop until the child has exec'd): ${loop.spawns.count}; the longest calls: ${loop.spawns.longest.map((p) => `${p.atS.toFixed(2)} s \`${p.command.replace(/`/g, "'")}\` ${p.ms} ms`).join(', ') || 'none'}.`, ''] : []),
      `Main-thread GC pauses over 10 ms (seconds into the run: ms, kind): ${loop.gcPauses.length === 0 ? 'none' : loop.gcPauses.map((g) => `${g.atS} s: ${g.ms} ${g.kind}`).join(', ')}.`,
      '',
    );
  }
  md.push(
    '## Package',
    '',
    `\`${vsix.file}\` (\`npm run package\`${vsix.repackaged ? ', rebuilt for this run' : ', reused: newer than dist/'}): **${vsix.bytes.toLocaleString('en-US')} bytes** (${(vsix.bytes / 2 ** 20).toFixed(2)} MiB), **${vsix.files} files** under extension/ (${vsix.entries} zip entries with the manifest files), ${(vsix.uncompressedBytes / 2 ** 20).toFixed(1)} MiB uncompressed. Largest: ${vsix.largest.map((e) => `${e.name.replace(/^extension\//, '')} ${(e.size / 2 ** 20).toFixed(2)} MiB`).join(', ')}.`,
    '',
  );
  if (doc.errors.length > 0) md.push('## Errors', '', ...doc.errors.map((e) => `- ${e}`), '');
  writeAtomic(join(resultsDir, 'extension.md'), md.join('\n'));
  console.log('bench:extension: written bench/results/extension.json, bench/results/extension.md');
  console.log(
    `bench:extension: subject view first frame median ${fmt(summary.firstFrameMs.median)} ms (min ${fmt(summary.firstFrameMs.min)}, max ${fmt(summary.firstFrameMs.max)}); event loop max ${fmt(loop?.run.max, 1)} ms over ${fmt(loop?.runSeconds, 1)} s; vsix ${vsix.bytes} bytes, ${vsix.files} files`,
  );
  return skip === null && (host === null || host.code !== 0 || doc.errors.length > 0) ? 1 : 0;
}
