// Latency of the study-file language server, measured as a client sees it: the built server
// (dist/language-server.js --stdio) in its own process, JSON-RPC over pipes.
//
//  - diagnostics after a one-character edit: from sending didChange to receiving the
//    publishDiagnostics of that version (the text pass: syntax, schema, names, IBSI checks; the
//    server's 10 ms debounce included), and to the end of the file pass (manifest, clinical
//    table and every NIfTI header, in the server's worker thread, FileFactsCache warm; it
//    starts 200 ms after the text pass, the server's default `fileChecksDelay`);
//  - on a realistic study (the demo study's shape, 100 subjects x 4 sequences + mask on disk)
//    and on a generated 2,000-line study over the same cohort;
//  - completion: request to response, at a key, an enum value, a manifest column and an IBSI
//    identifier.
// Prints medians (and min/max). Targets: diagnostics < 30 ms (realistic) and < 100 ms (2,000
// lines), completion < 20 ms. `node bench/lsp.mjs [--json] [--runs N]`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node');

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : Number(process.env.RGS_BENCH_RUNS ?? 40);
const SUBJECTS = 100;

const server = join(root, 'dist', 'language-server.js');
if (!existsSync(server)) {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// The cohort on disk: tiny uncompressed NIfTI-1 files (the header is what the checks read).

function nifti(dims, spacing, datatype, bitpix, fill) {
  const n = dims[0] * dims[1] * dims[2];
  const bytes = new ArrayBuffer(352 + n * (bitpix / 8));
  const v = new DataView(bytes);
  v.setInt32(0, 348, true);
  [3, ...dims, 1, 1, 1, 1].forEach((d, i) => v.setInt16(40 + 2 * i, d, true));
  v.setInt16(70, datatype, true);
  v.setInt16(72, bitpix, true);
  [1, ...spacing, 0, 0, 0, 0].forEach((p, i) => v.setFloat32(76 + 4 * i, p, true));
  v.setFloat32(108, 352, true);
  v.setFloat32(112, 1, true);
  v.setUint8(123, 2); // mm
  new Uint8Array(bytes, 344, 4).set([0x6e, 0x2b, 0x31, 0]); // "n+1\0"
  for (let i = 0; i < n; i++) {
    if (bitpix === 16) v.setInt16(352 + 2 * i, fill(i), true);
    else v.setUint8(352 + i, fill(i));
  }
  return new Uint8Array(bytes);
}

const dir = mkdtempSync(join(tmpdir(), 'rgs-lsp-bench-'));
const SEQUENCES = ['t1', 't1ce', 't2', 'flair'];
mkdirSync(join(dir, 'subjects'));
const manifest = ['subject_id,t1,t1ce,t2,flair,mask,site'];
const clinical = ['subject_id,age,idh1,mgmt,survival_months,death'];
for (let s = 1; s <= SUBJECTS; s++) {
  const id = `GBM-${String(s).padStart(3, '0')}`;
  const dims = [16, 16, 8];
  const spacing = [2, 2, 2];
  for (const seq of SEQUENCES) writeFileSync(join(dir, 'subjects', `${id}_${seq}.nii`), nifti(dims, spacing, 4, 16, (i) => (i * 7 + s) % 300));
  writeFileSync(join(dir, 'subjects', `${id}_seg.nii`), nifti(dims, spacing, 2, 8, (i) => [0, 1, 2, 4][i % 4]));
  manifest.push([id, ...SEQUENCES.map((q) => `subjects/${id}_${q}.nii`), `subjects/${id}_seg.nii`, s % 2 ? 'site-A' : 'site-B'].join(','));
  clinical.push([id, 40 + (s % 30), s % 3 ? 'wildtype' : 'mutant', s % 2 ? 'methylated' : 'unmethylated', (5 + (s % 40)).toFixed(1), s % 4 ? 1 : 0].join(','));
}
writeFileSync(join(dir, 'manifest.csv'), `${manifest.join('\n')}\n`);
writeFileSync(join(dir, 'clinical.csv'), `${clinical.join('\n')}\n`);

const REALISTIC = `# Radiogenomics of glioblastoma: the demo study's shape over ${SUBJECTS} subjects.
study:
  id: demo-gbm
  title: Radiogenomics of glioblastoma
  question: IDH1 mutation status and overall survival from pre-operative MRI

cohort:
  manifest: manifest.csv
  subject_column: subject_id
  modality: MR
  sequences:
    T1: { column: t1 }
    T1CE: { column: t1ce }
    T2: { column: t2, preprocessing: { normalisation: { method: zscore, reference: roi } } }
    FLAIR: { column: flair }
  mask_column: mask
  labels: { necrosis: 1, oedema: 2, enhancing: 4 }
  unions:
    tumour_core: [necrosis, enhancing]
    whole_tumour: [necrosis, oedema, enhancing]
  rois: [necrosis, oedema, enhancing, tumour_core, whole_tumour]
  site_column: site
  clinical:
    - { file: clinical.csv, subject_column: subject_id }

# Resample to 2 mm isotropic; fixed bin number for MR texture.
preprocessing:
  resampling:
    spacing: [2, 2, 2]
    interpolation: linear
    mask_interpolation: linear
    mask_threshold: 0.5
  normalisation: { method: percentile, lower: 1, upper: 99 }

features:
  families: [morph, stat, ih, cm, rlm, szm]
  discretisation: { method: fbn, bin_count: 32 }
  ibsi_codes: [GYBY, RNU0]

outcomes:
  idh1: { type: binary, column: idh1, positive: mutant }
  mgmt: { type: binary, column: mgmt, positive: methylated }
  survival: { type: survival, time: survival_months, event: death, unit: months }
`;

/** A study of `lines` lines over the same cohort: many sequences with their own preprocessing, labels, unions, outcomes. */
function largeStudy(lines) {
  const out = ['# A generated study of about 2,000 lines.', 'study:', '  id: large-study', '  title: Generated study', 'cohort:', '  manifest: manifest.csv',
    '  subject_column: subject_id', '  mask_column: mask', '  site_column: site', '  clinical:', '    - file: clinical.csv', '  sequences:'];
  for (let s = 0; out.length < lines * 0.6; s++) {
    out.push(`    SEQ${s}:   # sequence ${s}`, `      column: ${SEQUENCES[s % 4]}`, '      preprocessing:', '        resampling:', '          spacing: [2, 2, 2]',
      '          interpolation: linear', '          mask_threshold: 0.5', '        normalisation:', '          method: percentile', '          lower: 1',
      '          upper: 99', '        resegmentation:', `          outlier_sigma: ${3 + (s % 3)}`, '');
  }
  out.push('  labels:');
  const labels = Math.floor(lines * 0.15);
  for (let l = 0; l < labels; l++) out.push(`    region${l}: ${l + 1}`);
  out.push('  unions:');
  for (let u = 0; out.length < lines * 0.9; u++) out.push(`    union${u}: [region${u % labels}, region${(u + 1) % labels}]`);
  out.push('preprocessing:', '  resampling: { spacing: [2, 2, 2], interpolation: linear }', '  normalisation: { method: zscore, reference: roi }', 'features:',
    '  families: [stat, ih, cm, rlm, szm]', '  discretisation: { method: fbn, bin_count: 32 }', '  ibsi_codes: [GYBY, RNU0]', 'outcomes:');
  for (let o = 0; out.length + 4 <= lines; o++) out.push(`  idh${o}:`, '    type: binary', '    column: idh1', '    positive: mutant');
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// The client

function startServer() {
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiters = [];
  const settle = (kind, p) => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i];
      if (w.kind === kind && w.uri === p.uri && w.version === p.version && (kind !== 'phase' || w.phase === p.phase)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  };
  connection.onNotification('textDocument/publishDiagnostics', (p) => settle('diagnostics', p));
  connection.onNotification('rgs/diagnosticsPhase', (p) => settle('phase', p));
  connection.listen();
  const wait = (kind, uri, version, phase) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${kind} ${phase ?? ''} of ${uri} v${version}`)), 60_000);
    waiters.push({ kind, uri, version, phase, resolve: (p) => { clearTimeout(timer); resolve(p); } });
  });
  return { child, connection, wait };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) => ({ median_ms: +median(xs).toFixed(2), min_ms: +Math.min(...xs).toFixed(2), max_ms: +Math.max(...xs).toFixed(2), runs: xs.length });

function positionAfter(text, needle, occurrence = 0) {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) throw new Error(`bench: \`${needle}\` not in the study`);
  const offset = at + needle.length;
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

async function measure(name, text) {
  const { child, connection, wait } = startServer();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
  connection.sendNotification('initialized', {});
  const file = join(dir, `${name}.study.yaml`);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const opened = wait('phase', uri, 1, 'files');
  connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const first = await opened;

  // One-character edits in the title: insert an `x`, then delete it, alternately.
  const at = positionAfter(text, '  title: ');
  const textPass = [];
  const filePass = [];
  const serverText = [];
  const serverFiles = [];
  let version = 1;
  for (let r = 0; r < RUNS + 2; r++) {
    version++;
    const change = r % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
    const published = wait('diagnostics', uri, version);
    const textDone = wait('phase', uri, version, 'text');
    const filesDone = wait('phase', uri, version, 'files');
    const t0 = performance.now();
    connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [change] });
    await published;
    const t1 = performance.now();
    const files = await filesDone;
    const t2 = performance.now();
    const phase = await textDone;
    if (r < 2) continue; // warm-up (JIT)
    textPass.push(t1 - t0);
    filePass.push(t2 - t0);
    serverText.push(phase.ms);
    serverFiles.push(files.ms);
  }

  // Completion at a key, an enum value, a manifest column and an IBSI identifier.
  const spots = [
    ['key (in preprocessing)', positionAfter(text, 'preprocessing:\n  ')],
    ['enum value (interpolation)', positionAfter(text, 'interpolation: ')],
    ['manifest column', positionAfter(text, 'column: ')],
    ['IBSI identifier', positionAfter(text, 'ibsi_codes: [')],
  ];
  const completion = {};
  for (const [label, position] of spots) {
    const times = [];
    let items = 0;
    for (let r = 0; r < RUNS + 2; r++) {
      const t0 = performance.now();
      const res = await connection.sendRequest('textDocument/completion', { textDocument: { uri }, position });
      const dt = performance.now() - t0;
      items = Array.isArray(res) ? res.length : (res?.items?.length ?? 0);
      if (r >= 2) times.push(dt);
    }
    completion[label] = { ...stats(times), items };
  }
  await connection.sendRequest('shutdown');
  connection.sendNotification('exit');
  await new Promise((resolve) => child.on('exit', resolve));
  connection.dispose();
  return {
    study: name,
    lines: text.split('\n').length - 1,
    open_files_pass_ms: +first.ms.toFixed(2),
    diagnostics_after_edit: stats(textPass),
    diagnostics_server_compute: stats(serverText),
    diagnostics_with_files_after_edit: stats(filePass),
    file_pass_worker: stats(serverFiles),
    completion,
  };
}

const results = [await measure('realistic', REALISTIC), await measure('generated-2000', largeStudy(2000))];
rmSync(dir, { recursive: true, force: true });

if (asJson) {
  process.stdout.write(`${JSON.stringify({ subjects: SUBJECTS, runs: RUNS, results }, null, 2)}\n`);
} else {
  const f = (s) => `median ${s.median_ms.toFixed(1)} ms (min ${s.min_ms.toFixed(1)}, max ${s.max_ms.toFixed(1)})`;
  for (const r of results) {
    console.log(`LSP ${r.study} study (${r.lines} lines, ${SUBJECTS} subjects x ${SEQUENCES.length} sequences + mask)`);
    console.log(`  diagnostics after a 1-char edit (to publish)      ${f(r.diagnostics_after_edit)}   [server ${r.diagnostics_server_compute.median_ms.toFixed(1)} ms]`);
    console.log(`  diagnostics incl. file checks (200 ms later)      ${f(r.diagnostics_with_files_after_edit)}   [file pass ${r.file_pass_worker.median_ms.toFixed(1)} ms, worker, warm cache]`);
    for (const [label, s] of Object.entries(r.completion)) console.log(`  completion: ${label.padEnd(30)} ${f(s)}  [${s.items} items]`);
  }
}
