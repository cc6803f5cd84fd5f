/**
 * The notebook kernel's worker thread, driven from the test as the extension host drives it
 * (KernelSession: worker_threads + the protocol of src/kernel/protocol.ts), on a tiny synthetic
 * cohort: 3 subjects x 2 sequences of 12x12x6 NIfTI volumes with a 2-label mask.
 *
 * The worker is bundled with esbuild into a temporary folder first (worker_threads cannot run
 * the TypeScript), with parquet-wasm's module next to it as scripts/build.mjs arranges for dist/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { diagonalAffine, type Vec3 } from '../../src/engine/image/volume';
import { writeNifti } from '../../src/engine/io/nifti';
import { KernelSession, type ExecuteResult } from '../../src/extension/notebook/kernel-session';
import { checkMimeDocument, FEATURE_TABLE_MIME, VOLUME_MIME, type FeatureTableJson, type VolumeJson } from '../../src/kernel/mime-types';
import { decodeItem, encodeItem, type ExecuteRequest, type KernelItem, type KernelOptions, type KernelOutput, type WorkerMessage } from '../../src/kernel/protocol';
import type { StudyFragment } from '../../src/kernel/study-fragments';

const DIMS: Vec3 = [12, 12, 6];
const SPACING: Vec3 = [1, 1, 2];

let root: string;
let workerScript: string;

function hash32(a: number): number {
  let x = a | 0;
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  x = Math.imul(x ^ (x >>> 16), 0x45d9f3b);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Label 1: a 4x4x2 block; label 2: the shell around it out to 8x8x4. */
function labelAt(i: number, j: number, k: number): number {
  if (i >= 4 && i <= 7 && j >= 4 && j <= 7 && k >= 2 && k <= 3) return 1;
  if (i >= 2 && i <= 9 && j >= 2 && j <= 9 && k >= 1 && k <= 4) return 2;
  return 0;
}

/**
 * A cohort folder: data/<id>_<seq>.nii.gz, data/<id>_mask.nii.gz, manifest.csv. `offset(s)`
 * raises subject s's intensities (to plant a signal an outcome can be predicted from).
 */
function writeCohort(dir: string, subjects: string[], offset: (s: number) => number = () => 0): void {
  mkdirSync(join(dir, 'data'), { recursive: true });
  const n = DIMS[0] * DIMS[1] * DIMS[2];
  const grid = { dims: DIMS, spacing: SPACING, affine: diagonalAffine(SPACING) };
  const mask = new Uint8Array(n);
  for (let k = 0; k < DIMS[2]; k++) for (let j = 0; j < DIMS[1]; j++) for (let i = 0; i < DIMS[0]; i++) mask[i + DIMS[0] * (j + DIMS[1] * k)] = labelAt(i, j, k);
  const rows = ['subject_id,t1,flair,mask'];
  subjects.forEach((id, s) => {
    for (const [q, seq] of ['t1', 'flair'].entries()) {
      const data = new Int16Array(n);
      for (let v = 0; v < n; v++) data[v] = (hash32(1000 * (s + 1) + 17 * q + v * 7919) % 64) + offset(s);
      writeNifti(join(dir, 'data', `${id}_${seq}.nii.gz`), { ...grid, data });
    }
    writeNifti(join(dir, 'data', `${id}_mask.nii.gz`), { ...grid, data: mask });
    rows.push(`${id},data/${id}_t1.nii.gz,data/${id}_flair.nii.gz,data/${id}_mask.nii.gz`);
  });
  writeFileSync(join(dir, 'manifest.csv'), rows.join('\n') + '\n');
}

const COHORT_CELL = `study:
  id: tiny
  title: Tiny synthetic cohort
cohort:
  manifest: manifest.csv
  subject_column: subject_id
  modality: MR
  sequences:
    T1: { column: t1 }
    FLAIR: { column: flair }
  mask_column: mask
  labels: { core: 1, rim: 2 }
`;

const FEATURES_CELL = `features:
  families: [stat, ih]
  discretisation: { method: fbn, bin_count: 8 }
`;

function fragments(...texts: string[]): StudyFragment[] {
  return texts.map((text, i) => ({ id: `cell-${i}`, label: `cell ${i + 1}`, text }));
}

interface Run {
  result: ExecuteResult;
  outputs: Map<string, KernelOutput>;
  /** Every output message in order (key or '' for keyed-less). */
  events: { key: string | undefined; output: KernelOutput }[];
}

/** The run's output items of one MIME type; every radiogenomics document must match its schema. */
function items(run: Run, mime: string): KernelItem[] {
  const found = [...run.outputs.values()].flatMap((o) => o.items.filter((it) => it.mime === mime));
  for (const it of found) if (mime.startsWith('application/vnd.radiogenomics.') && 'json' in it) expect(checkMimeDocument(mime, it.json)).toBeNull();
  return found;
}

function textOf(item: KernelItem): string {
  return 'text' in item ? item.text : JSON.stringify(item.json);
}

/** Run one cell through a session; outputs are kept as the host keeps them (keyed ones replaced). */
async function runCell(
  session: KernelSession,
  notebook: string,
  cell: { index: number; language: string; source: string },
  frags: StudyFragment[],
  current: number,
  onOutput?: (key: string | undefined, o: KernelOutput) => void,
): Promise<Run> {
  const outputs = new Map<string, KernelOutput>();
  const events: Run['events'] = [];
  let n = 0;
  const result = await session.execute(
    { cell: { ...cell, label: `cell ${cell.index + 1}` }, fragments: frags, current, studyFile: join(notebook, '..', 'analysis.study.yaml') },
    {
      output(encoded, key) {
        const o: KernelOutput = { items: encoded.items.map(decodeItem) };
        events.push({ key, output: o });
        outputs.set(key ?? `#${n++}`, o);
        onOutput?.(key, o);
      },
    },
  );
  return { result, outputs, events };
}

function kernelOptions(notebook: string): KernelOptions {
  return { notebookFile: notebook, trusted: true, jobs: 0, progressIntervalMs: 0 };
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rgs-kernel-'));
  const bin = join(root, 'bin');
  mkdirSync(bin);
  await build({
    entryPoints: { 'kernel-worker': 'src/kernel/worker.ts', worker: 'src/engine/run/worker.ts' },
    outdir: bin,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
    external: ['vscode'],
  });
  copyFileSync(createRequire(import.meta.url).resolve('parquet-wasm/node/parquet_wasm_bg.wasm'), join(bin, 'parquet_wasm_bg.wasm'));
  workerScript = join(bin, 'kernel-worker.js');
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Nice value of each thread of process `pid` (Linux: /proc/<pid>/task/<tid>/stat, field 19). */
function threadNices(pid: number | 'self'): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces): state is field 3, nice field 19.
      out.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

describe('kernel output encoding', () => {
  it('encodes items to the bytes NotebookCellOutputItem.json / .text store, and back', () => {
    const doc = { title: 'Ångström — T1', values: [1.5, null, -0], nested: { a: [] as number[] } };
    const json = encodeItem({ mime: FEATURE_TABLE_MIME, json: doc });
    // VS Code's NotebookCellOutputItem.json: JSON.stringify(value, undefined, '\t'), UTF-8.
    expect(Buffer.from(json.data).toString('utf8')).toBe(JSON.stringify(doc, undefined, '\t'));
    expect(json).toMatchObject({ mime: FEATURE_TABLE_MIME, encoding: 'json' });
    expect(decodeItem(json)).toEqual({ mime: FEATURE_TABLE_MIME, json: JSON.parse(JSON.stringify(doc)) });
    const text = encodeItem({ mime: 'text/markdown', text: '| a | b |\n| é | 😀 |' });
    expect(Buffer.from(text.data).equals(Buffer.from('| a | b |\n| é | 😀 |', 'utf8'))).toBe(true);
    expect(decodeItem(text)).toEqual({ mime: 'text/markdown', text: '| a | b |\n| é | 😀 |' });
  });
});

describe('kernel thread priority', () => {
  it.runIf(process.platform === 'linux')('runs the kernel thread, and the extraction threads it starts, at nice 19; the host thread unchanged', async () => {
    const dir = join(root, 'study-nice');
    writeCohort(dir, Array.from({ length: 6 }, (_, i) => `S-0${i + 1}`));
    const notebook = join(dir, 'analysis.rgnb');
    const before = threadNices('self');
    // One cohort-runner worker thread (jobs: 1), started by the kernel's thread.
    const session = new KernelSession({ workerScript, kernel: { ...kernelOptions(notebook), jobs: 1 } });
    const seen: number[] = [];
    try {
      const all = 'features:\n  discretisation: { method: fbn, bin_count: 8 }\n';
      const r = await runCell(session, notebook, { index: 1, language: 'yaml', source: all }, fragments(COHORT_CELL, all), 1, (key) => {
        if (key === 'progress') seen.push([...threadNices('self').entries()].filter(([tid, n]) => n === 19 && !before.has(tid)).length);
      });
      expect(r.result).toMatchObject({ status: 'done', success: true });
    } finally {
      await session.dispose();
    }
    // While the tasks ran: the kernel's thread and the runner's worker at 19 (new threads only).
    expect(Math.max(...seen)).toBeGreaterThanOrEqual(2);
    // This (the host's) thread and the threads it had before keep their priority.
    const after = threadNices('self');
    for (const [tid, nice] of before) if (after.has(tid)) expect(after.get(tid)).toBe(nice);
    expect(after.get(process.pid)).toBe(before.get(process.pid));
  });
});

describe('notebook kernel', () => {
  it('summarises the cohort, extracts with live progress, answers queries, keeps results across cells', async () => {
    const dir = join(root, 'study-a');
    writeCohort(dir, ['S-01', 'S-02', 'S-03']);
    const notebook = join(dir, 'analysis.rgnb');
    const session = new KernelSession({ workerScript, kernel: kernelOptions(notebook) });
    try {
      // Cohort cell: a markdown summary and the first subject's image with its mask.
      const cohort = await runCell(session, notebook, { index: 0, language: 'yaml', source: COHORT_CELL }, fragments(COHORT_CELL), 0);
      expect(cohort.result).toMatchObject({ status: 'done', success: true });
      const md = items(cohort, 'text/markdown').map(textOf).join('\n');
      expect(md).toContain('| Subjects | 3 |');
      expect(md).toContain('T1, FLAIR');
      expect(md).toContain('not extracted yet');
      // Shown as HTML (VS Code's built-in renderer), the same rows.
      const html = items(cohort, 'text/html').map(textOf).join('\n');
      expect(html).toContain('<tr><th style="text-align: left">Subjects</th><td>3</td></tr>');
      expect([...cohort.outputs.values()].some((o) => o.items.map((i) => i.mime).join() === 'text/html,text/markdown')).toBe(true);
      const [vol] = items(cohort, VOLUME_MIME);
      const volume = (vol as { json: VolumeJson }).json;
      expect(volume.image.name).toBe('S-01_t1.nii.gz');
      expect(volume.mask?.labels?.map((l) => [l.value, l.name])).toEqual([
        [1, 'core'],
        [2, 'rim'],
      ]);
      // Gzipped NIfTI-1, cropped to the mask's box (8x8x4) + 8 voxels = the whole 12x12x6 grid here.
      const bytes = Buffer.from(volume.image.data, 'base64');
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);

      // Features cell: progress replaces itself as tasks finish, then the table.
      const progress: string[] = [];
      const feat = await runCell(session, notebook, { index: 1, language: 'yaml', source: FEATURES_CELL }, fragments(COHORT_CELL, FEATURES_CELL), 1, (key, o) => {
        if (key === 'progress') progress.push(textOf(o.items[0]));
      });
      expect(feat.result).toMatchObject({ status: 'done', success: true });
      // start + one per task (6 tasks: 3 subjects x 2 sequences, interval 0) + end.
      expect(progress.length).toBe(8);
      expect(progress[0]).toMatch(/^Extracting features: 3 subjects x 2 sequences = 6 tasks/);
      expect(progress[3]).toMatch(/3\/6 tasks/);
      expect(progress[7]).toMatch(/^Extracted 6\/6 tasks: 6 computed, 0 cached, 0 failed/);
      // The host keeps one progress output (replaced in place), not eight.
      expect([...feat.outputs.keys()].filter((k) => k === 'progress')).toHaveLength(1);
      const [tableItem] = items(feat, FEATURE_TABLE_MIME);
      const table = (tableItem as { json: FeatureTableJson }).json;
      expect(table.rows).toEqual(['S-01', 'S-02', 'S-03']);
      const mean = table.columns.find((c) => c.name === 'T1.core.stat.mean_intensity');
      expect(mean).toMatchObject({ ibsi: 'Q4LE', family: 'stat', feature: 'Mean intensity', sequence: 'T1', roi: 'core' });
      expect(mean?.values.every((v) => typeof v === 'number')).toBe(true);
      expect(existsSync(join(dir, 'results', 'tiny', 'features.csv'))).toBe(true);

      // JavaScript cells: `features` is the arquero table, `state` persists, the last line is the value.
      const q1 = await runCell(session, notebook, { index: 2, language: 'javascript', source: 'state.n = features.numRows()\nconsole.log("rows", state.n)\nfeatures.numCols()' }, fragments(COHORT_CELL, FEATURES_CELL), -1);
      expect(q1.result).toMatchObject({ status: 'done', success: true });
      expect(items(q1, 'application/vnd.code.notebook.stdout').map(textOf)).toEqual(['rows 3\n']);
      expect(items(q1, 'text/plain').map(textOf)).toEqual([String(1 + table.columns.length)]);
      const q2 = await runCell(
        session,
        notebook,
        { index: 3, language: 'javascript', source: "const m = features.select('subject_id', 'T1.core.stat.mean_intensity')\nstate.n + ':' + m.numRows()" },
        fragments(COHORT_CELL, FEATURES_CELL),
        -1,
      );
      expect(items(q2, 'text/plain').map(textOf)).toEqual(['3:3']);
      // A table value is shown as a feature table.
      const q3 = await runCell(session, notebook, { index: 4, language: 'javascript', source: "features.filter(d => d.subject_id !== 'S-02').select('subject_id', aq.matches(/^FLAIR\\.rim\\.stat\\./))" }, fragments(COHORT_CELL, FEATURES_CELL), -1);
      const shown = (items(q3, FEATURE_TABLE_MIME)[0] as { json: FeatureTableJson }).json;
      expect(shown.rows).toEqual(['S-01', 'S-03']);
      expect(shown.columns.every((c) => c.name.startsWith('FLAIR.rim.stat.'))).toBe(true);

      // A JavaScript error names the cell's file and line.
      const bad = await runCell(session, notebook, { index: 5, language: 'javascript', source: 'const a = 1\nnull.x' }, fragments(COHORT_CELL), -1);
      expect(bad.result).toMatchObject({ status: 'done', success: false });
      const err = (items(bad, 'application/vnd.code.notebook.error')[0] as { json: { name: string; stack?: string } }).json;
      expect(err.name).toBe('TypeError');
      expect(err.stack).toContain('cell-6.js:2');
      expect(session.starts).toBe(1);
    } finally {
      await session.dispose();
    }
  });

  it('maps study problems back to the cell and line they come from', async () => {
    const dir = join(root, 'study-b');
    writeCohort(dir, ['S-01', 'S-02', 'S-03']);
    const notebook = join(dir, 'analysis.rgnb');
    const session = new KernelSession({ workerScript, kernel: kernelOptions(notebook) });
    try {
      const badFeatures = 'features:\n  families: [stat]\n  discretisation: { method: fbn, bin_count: 0 }\n';
      const r = await runCell(session, notebook, { index: 1, language: 'yaml', source: badFeatures }, fragments(COHORT_CELL, badFeatures), 1);
      expect(r.result.status).toBe('done');
      if (r.result.status !== 'done') return;
      expect(r.result.success).toBe(false);
      const errors = r.result.problems.filter((p) => p.severity === 'error');
      expect(errors).toHaveLength(1);
      // `0` is on line 3 of cell 2, at column 45 ("  discretisation: { method: fbn, bin_count: " is 44 characters).
      expect(errors[0]).toMatchObject({ fragment: 1, line: 3, column: 45 });
      const err = (items(r, 'application/vnd.code.notebook.error')[0] as { json: { message: string } }).json;
      expect(err.message).toMatch(/^cell 2:3:45 error features\.discretisation\.bin_count/);
      expect(existsSync(join(dir, 'results'))).toBe(false);
    } finally {
      await session.dispose();
    }
  });

  it('interrupt stops a running cell; the next cell gets a fresh worker that reloads the results', async () => {
    const dir = join(root, 'study-c');
    writeCohort(dir, ['S-01', 'S-02', 'S-03']);
    const notebook = join(dir, 'analysis.rgnb');
    const session = new KernelSession({ workerScript, kernel: kernelOptions(notebook) });
    try {
      const frags = fragments(COHORT_CELL, FEATURES_CELL);
      const feat = await runCell(session, notebook, { index: 1, language: 'yaml', source: FEATURES_CELL }, frags, 1);
      expect(feat.result).toMatchObject({ status: 'done', success: true });
      // An endless loop: only terminating the thread stops it.
      const loop = runCell(session, notebook, { index: 2, language: 'javascript', source: 'state.x = 1\nconsole.log("spinning")\nwhile (true) {}' }, frags, -1, (key) => {
        if (key === 'stdout') void session.interrupt();
      });
      // A cell queued behind it is interrupted too.
      const queued = runCell(session, notebook, { index: 3, language: 'javascript', source: '1 + 1' }, frags, -1);
      expect((await loop).result).toEqual({ status: 'interrupted' });
      expect((await queued).result).toEqual({ status: 'interrupted' });
      const after = await runCell(session, notebook, { index: 4, language: 'javascript', source: '[features.numRows(), state.x]' }, frags, -1);
      expect(after.result).toMatchObject({ status: 'done', success: true });
      // Results reloaded from results/tiny/features.csv; the JavaScript state is gone.
      expect(items(after, 'text/plain').map(textOf)).toEqual(['[ 3, undefined ]']);
      expect(session.starts).toBe(2);
    } finally {
      await session.dispose();
    }
  });

  it('an extraction interrupted through the raw worker protocol writes nothing', async () => {
    const dir = join(root, 'study-d');
    // 8 subjects x 2 sequences x every family: far more work than the few milliseconds between the
    // first progress message and the terminate.
    writeCohort(dir, Array.from({ length: 8 }, (_, i) => `S-0${i + 1}`));
    const notebook = join(dir, 'analysis.rgnb');
    const all = 'features:\n  discretisation: { method: fbn, bin_count: 8 }\n';
    const worker = new Worker(workerScript, { workerData: kernelOptions(notebook) });
    const seen: WorkerMessage[] = [];
    const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
    await new Promise<void>((resolve) => {
      worker.on('message', (m: WorkerMessage) => {
        seen.push(m);
        if (m.type === 'ready') {
          const req: ExecuteRequest = {
            type: 'execute',
            id: 7,
            cell: { index: 1, language: 'yaml', source: all, label: 'cell 2' },
            fragments: fragments(COHORT_CELL, all),
            current: 1,
            studyFile: join(dir, 'analysis.study.yaml'),
          };
          worker.postMessage(req);
        } else if (m.type === 'output' && m.key === 'progress') {
          void worker.terminate();
          resolve();
        }
      });
    });
    await exited;
    expect(seen[0]).toEqual({ type: 'ready' });
    const progress = seen.find((m) => m.type === 'output' && m.key === 'progress');
    expect(progress).toMatchObject({ id: 7, output: { items: [{ mime: 'text/plain' }] } });
    expect(seen.some((m) => m.type === 'done')).toBe(false);
    expect(existsSync(join(dir, 'results', 'tiny', 'features.csv'))).toBe(false);
  });

  it('an analysis cell extracts, fits the models and draws ROC, calibration, Kaplan-Meier and coefficients', async () => {
    const dir = join(root, 'study-f');
    // 24 subjects; the odd ones are IDH-mutant and 12 intensity units brighter, and live longer.
    const ids = Array.from({ length: 24 }, (_, i) => `S-${String(i + 1).padStart(2, '0')}`);
    writeCohort(dir, ids, (s) => (s % 2 === 1 ? 12 : 0));
    const clinical = ['subject_id,idh,os_months,death', ...ids.map((id, s) => `${id},${s % 2 === 1 ? 'mutant' : 'wildtype'},${s % 2 === 1 ? 30 + s : 8 + (s % 7)},${s % 5 === 0 ? 0 : 1}`)];
    writeFileSync(join(dir, 'clinical.csv'), clinical.join('\n') + '\n');
    const notebook = join(dir, 'analysis.rgnb');
    const cohort = COHORT_CELL + `  clinical:\n    - { file: clinical.csv, subject_column: subject_id }\noutcomes:\n  idh: { type: binary, column: idh, positive: mutant }\n  os: { type: survival, time: os_months, event: death, unit: months }\n`;
    const analysis = `analysis:
  seed: 4
  features: { families: [stat] }
  validation: { method: nested_cv, folds: 3, repeats: 1, inner_folds: 3 }
  models:
    - { type: logistic }
    - { type: cox }
`;
    const session = new KernelSession({ workerScript, kernel: kernelOptions(notebook) });
    try {
      const frags = fragments(cohort, FEATURES_CELL, analysis);
      const r = await runCell(session, notebook, { index: 2, language: 'yaml', source: analysis }, frags, 2);
      const errors = items(r, 'application/vnd.code.notebook.error').map(textOf);
      expect(errors).toEqual([]);
      expect(r.result).toMatchObject({ status: 'done', success: true });
      const md = items(r, 'text/markdown').map(textOf);
      expect(md[0]).toMatch(/^\*\*idh\*\* \(binary\): 24 subjects \(12 mutant, 12 other\)/);
      expect(md[1]).toMatch(/^\*\*os\*\* \(survival\): 24 subjects/);
      const roc = (items(r, 'application/vnd.radiogenomics.roc+json')[0] as { json: { curves: { label: string; auc: number; fpr: number[] }[] } }).json;
      expect(roc.curves.map((c) => c.label)).toEqual(['logistic']);
      // The planted signal is strong: out-of-fold AUC well above chance.
      expect(roc.curves[0].auc).toBeGreaterThan(0.8);
      expect(items(r, 'application/vnd.radiogenomics.calibration+json')).toHaveLength(1);
      const km = (items(r, 'application/vnd.radiogenomics.km+json')[0] as { json: { groups: { label: string }[]; atRisk: { counts: number[][] } } }).json;
      expect(km.groups.map((g) => g.label).sort()).toEqual(['high risk', 'low risk']);
      // Everyone is at risk at time 0: the two groups' first counts add up to the cohort.
      expect(km.atRisk.counts[0][0] + km.atRisk.counts[1][0]).toBe(24);
      expect(items(r, 'application/vnd.radiogenomics.coefficients+json').length).toBeGreaterThan(0);
      expect(existsSync(join(dir, 'results', 'tiny', 'analysis', 'results.json'))).toBe(true);
      // The results stay in the kernel for JavaScript cells.
      const q = await runCell(session, notebook, { index: 3, language: 'javascript', source: 'results.outcomes.map((o) => o.name)' }, frags, -1);
      expect(items(q, 'text/plain').map(textOf)).toEqual(["[ 'idh', 'os' ]"]);

      // A design error (selection fitted on the whole cohort) lands on the line of `scope`.
      const leaky = analysis.replace('  models:', '  selection: { method: lasso, features: 3, scope: cohort }\n  models:');
      const bad = await runCell(session, notebook, { index: 2, language: 'yaml', source: leaky }, fragments(cohort, FEATURES_CELL, leaky), 2);
      expect(bad.result.status).toBe('done');
      if (bad.result.status !== 'done') return;
      expect(bad.result.success).toBe(false);
      const scope = bad.result.problems.find((p) => p.severity === 'error');
      // Line 5 of cell 3; `cohort` starts at column 51.
      expect(scope).toMatchObject({ fragment: 2, line: 5 });
      expect(leaky.split('\n')[4].indexOf('cohort') + 1).toBe(51);
      expect(scope?.column).toBe(51);
    } finally {
      await session.dispose();
    }
  });

  it('refuses JavaScript when the workspace is not trusted', async () => {
    const dir = join(root, 'study-e');
    mkdirSync(dir, { recursive: true });
    const notebook = join(dir, 'analysis.rgnb');
    const session = new KernelSession({ workerScript, kernel: { ...kernelOptions(notebook), trusted: false } });
    try {
      writeFileSync(join(dir, 'marker'), 'x');
      const r = await runCell(session, notebook, { index: 0, language: 'javascript', source: "require('fs').rmSync(" + JSON.stringify(join(dir, 'marker')) + ')' }, [], -1);
      expect(r.result).toMatchObject({ status: 'done', success: false });
      expect(textOf(items(r, 'application/vnd.code.notebook.error')[0])).toContain('trusted workspace');
      expect(readFileSync(join(dir, 'marker'), 'utf8')).toBe('x');
    } finally {
      await session.dispose();
    }
  });
});
