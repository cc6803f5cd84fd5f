/**
 * The cohort runner on small synthetic cohorts (run-cohort-fixture.ts), tasks run in the test's
 * own thread (jobs: 0; the worker threads are exercised by test/e2e/run-cli.test.ts): table
 * layout and values, Parquet read back, the cache (what is recomputed after an edit), bad
 * cohorts, --fail-fast, interruption, shards + merge byte equality.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunInterrupted, runStudy, type RunOptions } from '../../src/engine/run/runner';
import { mergeRuns } from '../../src/engine/run/merge';
import { readParquetColumns } from '../../src/engine/run/parquet';
import { parseCsv } from '../../src/engine/run/outputs';
import type { RunEvent } from '../../src/engine/run/progress';
import type { RunProvenance } from '../../src/engine/run/provenance';
import { extractFromFiles } from '../../src/engine/pipeline/extract-files';
import { columnName } from '../../src/engine/output/feature-table';
import { RgsError } from '../../src/engine/util/errors';
import type { Study } from '../../src/engine/study/types';
import { DIMS, ROIS, fastSettings, labelAt, makeStudy, writeCohort, writeImage, writeMask } from './run-cohort-fixture';

let root = '';
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rgs-run-'));
});

function freshDir(name: string): string {
  const d = join(root, name);
  rmSync(d, { recursive: true, force: true });
  return d;
}

const read = (p: string) => readFileSync(p, 'utf8');
const bytes = (p: string) => readFileSync(p);
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

function statusTable(dir: string): Map<string, { status: string; message: string }> {
  const rows = parseCsv(read(join(dir, 'status.csv')), 'status.csv');
  expect(rows[0]).toEqual(['subject_id', 'sequence', 'status', 'message', 'seconds']);
  return new Map(rows.slice(1).map((r) => [`${r[0]}/${r[1]}`, { status: r[2], message: r[3] }]));
}

function countStatus(dir: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { status } of statusTable(dir).values()) out[status] = (out[status] ?? 0) + 1;
  return out;
}

function features(dir: string): { header: string[]; rows: Map<string, string[]> } {
  const rows = parseCsv(read(join(dir, 'features.csv')), 'features.csv');
  return { header: rows[0], rows: new Map(rows.slice(1).map((r) => [r[0], r])) };
}

async function run(study: Study, outDir: string, opts: Partial<RunOptions> = {}) {
  return runStudy(study, { outDir, jobs: 0, cacheDir: null, ...opts });
}

describe('a whole cohort', () => {
  let dir = '';
  let study: Study;
  const events: RunEvent[] = [];
  beforeAll(async () => {
    dir = freshDir('whole');
    const files = writeCohort({ dir, subjects: ['S03', 'S01', 'S02'] });
    study = makeStudy(dir, files);
    await run(study, join(dir, 'out'), { progress: { event: (e) => events.push(e) } });
  });

  it('writes one row per subject, sorted by id, columns <sequence>.<roi>.<feature> in study then engine order', () => {
    const { header, rows } = features(join(dir, 'out'));
    expect([...rows.keys()]).toEqual(['S01', 'S02', 'S03']);
    expect(header[0]).toBe('subject_id');
    // The engine's own column list for one ROI, prefixed per sequence and ROI in study order.
    const one = extractFromFiles({ imagePath: study.subjects[0].images.T1, maskPath: study.subjects[0].mask, rois: [], roiSpecs: ROIS, settings: fastSettings() });
    const engineColumns = one.results[0].features.map((f) => columnName(f));
    const expected = ['subject_id'];
    for (const seq of ['T1', 'FLAIR']) for (const roi of ['necrosis', 'enhancing', 'core']) for (const c of engineColumns) expected.push(`${seq}.${roi}.${c}`);
    expect(header).toEqual(expected);
    expect(read(join(dir, 'out', 'features.csv'))).not.toMatch(/NaN|Infinity/);
  });

  it('holds the values extractFromFiles gives for each subject, sequence and ROI', () => {
    const { header, rows } = features(join(dir, 'out'));
    for (const subj of study.subjects) {
      for (const seq of ['T1', 'FLAIR']) {
        const r = extractFromFiles({ imagePath: subj.images[seq], maskPath: subj.mask, rois: [], roiSpecs: ROIS, settings: fastSettings() });
        for (const roi of r.results) {
          for (const f of roi.features) {
            const cell = rows.get(subj.id)?.[header.indexOf(`${seq}.${roi.roi}.${columnName(f)}`)];
            if (Number.isFinite(f.value)) expect(Number(cell)).toBe(f.value);
            else expect(cell).toBe('');
          }
        }
      }
    }
  });

  it('records every task as ok in status.csv and emits start / task-done / end events', () => {
    const st = statusTable(join(dir, 'out'));
    expect(st.size).toBe(6);
    for (const v of st.values()) expect(v).toEqual({ status: 'ok', message: '' });
    expect(events[0]).toMatchObject({ event: 'start', study: 'synth', subjects: 3, total: 6, sequences: ['T1', 'FLAIR'] });
    const done = events.filter((e) => e.event === 'task-done');
    expect(done.map((e) => (e.event === 'task-done' ? e.done : 0))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.at(-1)).toMatchObject({ event: 'end', outcome: 'written', ok: 6, errors: 0, cached: 0, total: 6 });
  });

  it('writes provenance: study SHA-256, settings per sequence, SHA-256 of every input, diagnostics per ROI', () => {
    const p = JSON.parse(read(join(dir, 'out', 'provenance.json'))) as RunProvenance;
    expect(p.study.sha256).toBe(study.sha256);
    expect(p.engine.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(p.node).toBe(process.version);
    expect(p.sequences.map((s) => s.name)).toEqual(['T1', 'FLAIR']);
    expect(p.sequences[0].settings.features.discretisation).toEqual({ method: 'fbn', bin_count: 16 });
    for (const s of study.subjects) {
      for (const f of [s.mask, ...Object.values(s.images)]) expect(p.inputs[f]).toBe(sha(f));
    }
    expect(p.tasks).toHaveLength(6);
    const t = p.tasks.find((x) => x.subject === 'S02' && x.sequence === 'FLAIR');
    expect(t?.rois.map((r) => r.roi)).toEqual(['necrosis', 'enhancing', 'core']);
    // IBSI diagnostic features: the necrosis block is 4x4x2 = 32 voxels.
    expect(t?.rois[0].diagnostics).toMatchObject({ labels: [1], preprocessing: { initial: { roi: { morphVoxels: 32 } } } });
    expect(t?.rois[2].diagnostics).toMatchObject({ labels: [1, 4] });
    expect(p.shard).toBeNull();
    expect(Date.parse(p.ended)).toBeGreaterThanOrEqual(Date.parse(p.started));
  });

  it('writes a Parquet file whose every value equals the CSV', async () => {
    const { header, rows } = features(join(dir, 'out'));
    const pq = await readParquetColumns(new Uint8Array(bytes(join(dir, 'out', 'features.parquet'))));
    expect(pq.names).toEqual(header);
    const ids = pq.columns.get('subject_id') as string[];
    expect(ids).toEqual(['S01', 'S02', 'S03']);
    header.slice(1).forEach((c, ci) => {
      const col = pq.columns.get(c) as (number | null)[];
      ids.forEach((id, r) => {
        const cell = rows.get(id)?.[ci + 1];
        if (cell === '') expect(col[r]).toBeNull();
        else expect(col[r]).toBe(Number(cell));
      });
    });
  });
});

describe('the cache', () => {
  it('a re-run is all cached and byte-identical; an edited sequence and added subjects are the only tasks recomputed', async () => {
    const dir = freshDir('cache');
    const cacheDir = join(dir, '.rgs-cache');
    const files = writeCohort({ dir, subjects: ['A1', 'A2', 'A3', 'A4', 'A5'] });
    const study = makeStudy(dir, files.slice(0, 3));
    await run(study, join(dir, 'r1'), { cacheDir });
    expect(countStatus(join(dir, 'r1'))).toEqual({ ok: 6 });
    expect(existsSync(join(cacheDir, 'hash-index.json'))).toBe(true);

    await run(study, join(dir, 'r2'), { cacheDir });
    expect(countStatus(join(dir, 'r2'))).toEqual({ cached: 6 });
    expect(bytes(join(dir, 'r2', 'features.csv')).equals(bytes(join(dir, 'r1', 'features.csv')))).toBe(true);
    expect(bytes(join(dir, 'r2', 'features.parquet')).equals(bytes(join(dir, 'r1', 'features.parquet')))).toBe(true);

    // Without the hash index the files are hashed again (in the task) and still hit the cache.
    rmSync(join(cacheDir, 'hash-index.json'));
    await run(study, join(dir, 'r3'), { cacheDir });
    expect(countStatus(join(dir, 'r3'))).toEqual({ cached: 6 });

    // One setting of FLAIR changed: FLAIR recomputed, T1 cached.
    const flair = fastSettings();
    flair.features.discretisation = { method: 'fbn', binCount: 8 };
    const edited = makeStudy(dir, files.slice(0, 3), { settings: { FLAIR: flair } });
    await run(edited, join(dir, 'r4'), { cacheDir });
    const st4 = statusTable(join(dir, 'r4'));
    for (const [k, v] of st4) expect(v.status).toBe(k.endsWith('/FLAIR') ? 'ok' : 'cached');
    const f1 = features(join(dir, 'r1'));
    const f4 = features(join(dir, 'r4'));
    const t1col = f1.header.indexOf('T1.core.stat.mean_intensity');
    const cmcol = f1.header.indexOf('FLAIR.core.cm.joint_maximum.3d_averaged');
    expect(t1col).toBeGreaterThan(0);
    expect(cmcol).toBeGreaterThan(0);
    expect(f4.rows.get('A2')?.[t1col]).toBe(f1.rows.get('A2')?.[t1col]);
    expect(f4.rows.get('A2')?.[cmcol]).not.toBe(f1.rows.get('A2')?.[cmcol]);

    // Two subjects added: only their 4 tasks computed.
    await run(makeStudy(dir, files, { settings: { FLAIR: flair } }), join(dir, 'r5'), { cacheDir });
    const st5 = statusTable(join(dir, 'r5'));
    for (const [k, v] of st5) expect(v.status).toBe(k.startsWith('A4/') || k.startsWith('A5/') ? 'ok' : 'cached');

    // A changed image file (same path) is recomputed.
    writeImage(files[0].images.T1, 4242);
    await run(makeStudy(dir, files, { settings: { FLAIR: flair } }), join(dir, 'r6'), { cacheDir });
    const st6 = statusTable(join(dir, 'r6'));
    for (const [k, v] of st6) expect(v.status).toBe(k === 'A1/T1' ? 'ok' : 'cached');
  });

  it('--no-cache (cacheDir null) computes everything and stores nothing', async () => {
    const dir = freshDir('nocache');
    const files = writeCohort({ dir, subjects: ['B1'] });
    await run(makeStudy(dir, files), join(dir, 'out'), { cacheDir: null });
    expect(countStatus(join(dir, 'out'))).toEqual({ ok: 2 });
    expect(readdirSync(dir).sort()).toEqual(['data', 'out']);
  });
});

describe('bad cohorts', () => {
  let dir = '';
  beforeAll(async () => {
    dir = freshDir('bad');
    const files = writeCohort({
      dir,
      subjects: ['OK', 'MISSING', 'GARBAGE', 'GRID', 'NOENH', 'EMPTY'],
      maskLabel: (s) => (s === 'NOENH' ? (i, j, k) => (labelAt(i, j, k) === 4 ? 2 : labelAt(i, j, k)) : s === 'EMPTY' ? () => 0 : labelAt),
    });
    const byId = new Map(files.map((f) => [f.id, f]));
    rmSync(byId.get('MISSING')?.images.T1 as string);
    writeFileSync(byId.get('GARBAGE')?.images.FLAIR as string, Buffer.alloc(500, 3));
    writeMask(byId.get('GRID')?.mask as string, labelAt, [DIMS[0], DIMS[1], 6]);
    await run(makeStudy(dir, files), join(dir, 'out'));
  });

  it('a missing image file fails that task only, naming the file', () => {
    const st = statusTable(join(dir, 'out'));
    expect(st.get('MISSING/T1')?.status).toBe('error');
    expect(st.get('MISSING/T1')?.message).toMatch(/MISSING_T1\.nii\.gz: file not found/);
    expect(st.get('MISSING/FLAIR')?.status).toBe('ok');
  });

  it('an unreadable NIfTI fails that task, naming the file', () => {
    const st = statusTable(join(dir, 'out'));
    expect(st.get('GARBAGE/FLAIR')).toMatchObject({ status: 'error' });
    expect(st.get('GARBAGE/FLAIR')?.message).toMatch(/GARBAGE_FLAIR\.nii\.gz/);
    expect(st.get('GARBAGE/FLAIR')?.message).not.toMatch(/internal error/);
    expect(st.get('GARBAGE/T1')?.status).toBe('ok');
  });

  it('a mask on another grid fails both tasks of the subject', () => {
    const st = statusTable(join(dir, 'out'));
    for (const seq of ['T1', 'FLAIR']) {
      expect(st.get(`GRID/${seq}`)?.status).toBe('error');
      expect(st.get(`GRID/${seq}`)?.message).toMatch(/grid|dimension|16 x 16 x 6|16x16x6/i);
    }
  });

  it('a label absent from one mask fails only the ROIs made of it; the union keeps its present labels', () => {
    const st = statusTable(join(dir, 'out'));
    for (const seq of ['T1', 'FLAIR']) {
      expect(st.get(`NOENH/${seq}`)?.status).toBe('ok');
      expect(st.get(`NOENH/${seq}`)?.message).toMatch(/^ROI enhancing: .*ROI "enhancing" is empty \(label 4 is not in the mask/);
    }
    const { header, rows } = features(join(dir, 'out'));
    const row = rows.get('NOENH') as string[];
    const enh = header.indexOf('T1.enhancing.stat.mean_intensity');
    const core = header.indexOf('T1.core.morph.volume_voxel_counting');
    const nec = header.indexOf('T1.necrosis.morph.volume_voxel_counting');
    expect(row[enh]).toBe('');
    // core = labels 1 + 4 with 4 absent: the 4x4x2 necrosis block of 1x1x2 mm voxels = 64 mm^3.
    expect(row[core]).toBe('64');
    expect(row[nec]).toBe('64');
    const p = JSON.parse(read(join(dir, 'out', 'provenance.json'))) as RunProvenance;
    const t = p.tasks.find((x) => x.subject === 'NOENH' && x.sequence === 'T1');
    expect(t?.roi_errors.map((e) => e.roi)).toEqual(['enhancing']);
    expect(t?.rois.find((r) => r.roi === 'core')?.diagnostics).toMatchObject({ labels: [1], absent_labels: [4] });
  });

  it('a task none of whose ROIs exists is an error; the cohort carries on', () => {
    const st = statusTable(join(dir, 'out'));
    expect(st.get('EMPTY/T1')?.status).toBe('error');
    expect(st.get('EMPTY/T1')?.message).toMatch(/^ROI necrosis: .*EMPTY_mask\.nii\.gz: ROI "necrosis" is empty \(label 1 is not in the mask; labels present: none\); ROIs enhancing, core failed too \(each reason in provenance\.json\)$/);
    const p = JSON.parse(read(join(dir, 'out', 'provenance.json'))) as RunProvenance;
    expect(p.tasks.find((x) => x.subject === 'EMPTY' && x.sequence === 'T1')?.roi_errors.map((e) => e.roi)).toEqual(['necrosis', 'enhancing', 'core']);
    const { rows } = features(join(dir, 'out'));
    expect(rows.get('EMPTY')?.slice(1).every((c) => c === '')).toBe(true);
    expect(rows.get('OK')?.slice(1).every((c) => c !== '')).toBe(true);
    expect(statusTable(join(dir, 'out')).get('OK/T1')?.status).toBe('ok');
    expect([...rows.keys()]).toEqual(['EMPTY', 'GARBAGE', 'GRID', 'MISSING', 'NOENH', 'OK']);
  });
});

describe('--fail-fast and interruption leave the previous outputs', () => {
  const outputs = ['features.csv', 'features.parquet', 'status.csv', 'provenance.json'];
  const snapshot = (out: string) => outputs.map((f) => sha(join(out, f)));

  it('--fail-fast stops at the first failure and writes nothing', async () => {
    const dir = freshDir('failfast');
    const files = writeCohort({ dir, subjects: ['F1', 'F2', 'F3'] });
    const out = join(dir, 'out');
    await run(makeStudy(dir, files), out);
    const before = snapshot(out);
    writeFileSync(files[1].images.FLAIR, Buffer.alloc(400, 1));
    const events: RunEvent[] = [];
    const p = run(makeStudy(dir, files), out, { failFast: true, progress: { event: (e) => events.push(e) } });
    await expect(p).rejects.toThrow(RgsError);
    await expect(p).rejects.toThrow(/first failure.*F2 FLAIR.*F2_FLAIR\.nii\.gz.*no output written/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).sort()).toEqual([...outputs].sort());
    expect(events.at(-1)).toMatchObject({ event: 'end', outcome: 'failed-fast', out: null });
    // Without --fail-fast the same cohort completes.
    await run(makeStudy(dir, files), out);
    expect(statusTable(out).get('F2/FLAIR')?.status).toBe('error');
  });

  it('an abort after the first task stops the run without writing', async () => {
    const dir = freshDir('abort');
    const files = writeCohort({ dir, subjects: ['I1', 'I2', 'I3'] });
    const out = join(dir, 'out');
    await run(makeStudy(dir, files), out);
    const before = snapshot(out);
    const controller = new AbortController();
    let seen = 0;
    const p = run(makeStudy(dir, files, { sha256: 'b'.repeat(64) }), out, {
      signal: controller.signal,
      progress: {
        event: (e) => {
          if (e.event === 'task-done' && ++seen === 1) controller.abort();
        },
      },
    });
    await expect(p).rejects.toThrow(RunInterrupted);
    expect(seen).toBe(1);
    expect(snapshot(out)).toEqual(before);
  });
});

describe('shards and merge', () => {
  let dir = '';
  let study: Study;
  const ids = ['P05', 'P01', 'P04', 'P02', 'P03', 'P06', 'P07'];
  beforeAll(async () => {
    dir = freshDir('shards');
    const files = writeCohort({ dir, subjects: ids, maskLabel: (s) => (s === 'P04' ? (i, j, k) => (labelAt(i, j, k) === 4 ? 0 : labelAt(i, j, k)) : labelAt) });
    study = makeStudy(dir, files);
    await run(study, join(dir, 'whole'));
    for (let i = 1; i <= 3; i++) await run(study, join(dir, `shard-${i}`), { shard: { index: i, count: 3 } });
  });

  it('deals subjects round robin by sorted id', () => {
    const subjectsOf = (d: string) => (JSON.parse(read(join(dir, d, 'provenance.json'))) as RunProvenance).subjects;
    expect(subjectsOf('shard-1')).toEqual(['P01', 'P04', 'P07']);
    expect(subjectsOf('shard-2')).toEqual(['P02', 'P05']);
    expect(subjectsOf('shard-3')).toEqual(['P03', 'P06']);
    expect((JSON.parse(read(join(dir, 'shard-2', 'provenance.json'))) as RunProvenance).shard).toEqual({ index: 2, count: 3 });
  });

  it('3 merged shards equal one whole run byte for byte (status.csv up to seconds)', async () => {
    await mergeRuns([join(dir, 'shard-3'), join(dir, 'shard-1'), join(dir, 'shard-2')], join(dir, 'merged'));
    for (const f of ['features.csv', 'features.parquet']) expect(bytes(join(dir, 'merged', f)).equals(bytes(join(dir, 'whole', f)))).toBe(true);
    const noSeconds = (d: string) =>
      read(join(d, 'status.csv'))
        .split('\n')
        .map((l) => l.replace(/,[^,]*$/, ''))
        .join('\n');
    expect(noSeconds(join(dir, 'merged'))).toBe(noSeconds(join(dir, 'whole')));
    expect(statusTable(join(dir, 'merged')).get('P04/T1')?.message).toMatch(/ROI enhancing/);
    const p = JSON.parse(read(join(dir, 'merged', 'provenance.json'))) as RunProvenance;
    expect(p.shard).toBeNull();
    expect(p.merged_from?.map((m) => m.shard?.index)).toEqual([3, 1, 2]);
    expect(p.subjects).toEqual([...ids].sort());
    expect(p.tasks.map((t) => `${t.subject}/${t.sequence}`)).toEqual([...ids].sort().flatMap((s) => [`${s}/T1`, `${s}/FLAIR`]));
  });

  it('refuses a missing shard, a repeated subject and shards of another study', async () => {
    await expect(mergeRuns([join(dir, 'shard-1'), join(dir, 'shard-2')], join(dir, 'm1'))).rejects.toThrow(/shard 3\/3 missing/);
    await expect(mergeRuns([join(dir, 'shard-1'), join(dir, 'whole')], join(dir, 'm2'))).rejects.toThrow(/subject P01 is in both/);
    const other = makeStudy(dir, writeCohort({ dir: join(dir, 'other'), subjects: ids }), { sha256: 'c'.repeat(64) });
    await run(other, join(dir, 'other-shard-3'), { shard: { index: 3, count: 3 } });
    await expect(mergeRuns([join(dir, 'shard-1'), join(dir, 'shard-2'), join(dir, 'other-shard-3')], join(dir, 'm3'))).rejects.toThrow(/different study files/);
    await expect(mergeRuns([join(dir, 'shard-1'), join(dir, 'nowhere')], join(dir, 'm4'))).rejects.toThrow(/nowhere.*provenance\.json: not found/);
    for (const m of ['m1', 'm2', 'm3', 'm4']) expect(existsSync(join(dir, m))).toBe(false);
  });
});
