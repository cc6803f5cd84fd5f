/**
 * The cohort runner's building blocks: canonical JSON and the hash index, the cache key, shard
 * parsing and round-robin shares, CSV writing/parsing, progress output, cluster plans.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HashIndex, canonicalJson, hashFile } from '../../src/engine/run/hashing';
import { cacheKey, readCache, writeCache, cacheEntryPath } from '../../src/engine/run/cache';
import { parseShard, selectShare } from '../../src/engine/run/shard';
import { buildCohortTable, featuresCsv, parseCsv, readFeaturesCsv, statusCsv } from '../../src/engine/run/outputs';
import { BarProgress, JsonLinesProgress, progressSink } from '../../src/engine/run/progress';
import { defaultPlanOptions, kubernetesPlan, slurmPlan, shQuote } from '../../src/engine/run/plan';
import { roiErrorsMessage, type TaskRecord } from '../../src/engine/run/tasks';
import { errorMessage } from '../../src/engine/run/execute';
import { RgsError } from '../../src/engine/util/errors';
import { presetByName } from '../../src/engine/settings/presets';

describe('canonical JSON', () => {
  it('is independent of key order, keeps array order, writes NaN as null', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1]},"b":1}');
    expect(canonicalJson({ a: { c: 'x', d: [3, 1] }, b: 1 })).toBe(canonicalJson({ b: 1, a: { d: [3, 1], c: 'x' } }));
    expect(canonicalJson([Number.NaN, null, undefined, true])).toBe('[null,null,null,true]');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });
});

describe('hashing and the hash index', () => {
  it('hashes a file like crypto does and remembers it until size, mtime or inode change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-hash-'));
    const f = join(dir, 'a.bin');
    const data = Buffer.alloc(3 * (1 << 20) + 17, 0);
    for (let i = 0; i < data.length; i++) data[i] = (i * 31) & 255;
    writeFileSync(f, data);
    const h = hashFile(f);
    expect(h.sha256).toBe(createHash('sha256').update(data).digest('hex'));
    expect(h.size).toBe(data.length);

    const idx = HashIndex.load(join(dir, 'cache'));
    expect(idx.lookup(f, h)).toBeUndefined();
    idx.record(h);
    idx.save();
    const again = HashIndex.load(join(dir, 'cache'));
    expect(again.lookup(f, h)).toBe(h.sha256);
    expect(again.lookup(f, { ...h, mtimeMs: h.mtimeMs + 1 })).toBeUndefined();
    expect(again.lookup(f, { ...h, size: h.size + 1 })).toBeUndefined();
    expect(again.lookup(f, { ...h, ino: h.ino + 1 })).toBeUndefined();
    // A touched file has a new identity.
    utimesSync(f, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(again.lookup(f, hashFile(f))).toBeUndefined();
    expect(() => hashFile(join(dir, 'nope.nii'))).toThrow(/nope\.nii: file not found/);
  });

  it('treats a damaged index as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-hash-'));
    writeFileSync(join(dir, 'hash-index.json'), '{"format": "rgs-hash-index/1", "entries": ');
    expect(HashIndex.load(dir).lookup('/x', { size: 1, mtimeMs: 1, ino: 1 })).toBeUndefined();
  });
});

describe('the cache key', () => {
  const settings = presetByName('default');
  const rois = [{ name: 'core', labels: [1, 4] }];
  const inputs = { imageSha256: 'i'.repeat(64), maskSha256: 'm'.repeat(64), extraSha256: [] };
  const key = cacheKey({ settings, rois }, inputs, '1.0.0');

  it('changes with each input and not with the order of settings keys', () => {
    const reordered = JSON.parse(JSON.stringify({ features: settings.features, preprocessing: settings.preprocessing })) as typeof settings;
    expect(cacheKey({ settings: reordered, rois }, inputs, '1.0.0')).toBe(key);
    expect(cacheKey({ settings, rois }, inputs, '1.0.1')).not.toBe(key);
    expect(cacheKey({ settings, rois }, { ...inputs, imageSha256: 'j'.repeat(64) }, '1.0.0')).not.toBe(key);
    expect(cacheKey({ settings, rois }, { ...inputs, maskSha256: 'n'.repeat(64) }, '1.0.0')).not.toBe(key);
    expect(cacheKey({ settings, rois }, { ...inputs, extraSha256: ['e'.repeat(64)] }, '1.0.0')).not.toBe(key);
    expect(cacheKey({ settings, rois: [{ name: 'core', labels: [1] }] }, inputs, '1.0.0')).not.toBe(key);
    const s2 = presetByName('default');
    s2.features.glcm.distance = 2;
    expect(cacheKey({ settings: s2, rois }, inputs, '1.0.0')).not.toBe(key);
  });

  it('stores entries under <aa>/<key>.json and treats damaged ones as misses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-cache-'));
    const outcome = { rois: [{ roi: 'core', columns: ['stat.mean_intensity'], values: [1.5], diagnostics: {} }], roiErrors: [] };
    expect(readCache(dir, key)).toBeNull();
    writeCache(dir, key, outcome);
    expect(cacheEntryPath(dir, key)).toBe(join(dir, key.slice(0, 2), `${key}.json`));
    expect(readCache(dir, key)).toEqual(outcome);
    writeFileSync(cacheEntryPath(dir, key), readFileSync(cacheEntryPath(dir, key), 'utf8').slice(0, 30));
    expect(readCache(dir, key)).toBeNull();
  });
});

describe('task messages', () => {
  it('keep RgsError text, mark anything else as an internal error, and fit on one line', () => {
    expect(errorMessage(new RgsError('a.nii: file not found'))).toEqual({ message: 'a.nii: file not found', internal: false });
    expect(errorMessage(new TypeError('x is undefined\n  at foo'))).toEqual({ message: 'internal error: x is undefined at foo (a bug: please report it)', internal: true });
    expect(errorMessage('boom').message).toBe('internal error: boom (a bug: please report it)');
  });

  it('name the failed ROIs, at most two in full', () => {
    expect(roiErrorsMessage([])).toBe('');
    expect(roiErrorsMessage([{ roi: 'enh', message: 'm.nii: empty' }])).toBe('ROI enh: m.nii: empty');
    expect(roiErrorsMessage([{ roi: 'a', message: 'x' }, { roi: 'b', message: 'y' }])).toBe('ROI a: x; ROI b: y');
    expect(roiErrorsMessage(['a', 'b', 'c'].map((roi) => ({ roi, message: `bad ${roi}` })))).toBe('ROI a: bad a; ROIs b, c failed too (each reason in provenance.json)');
  });
});

describe('shards', () => {
  it('parses i/N and rejects what is not a shard', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(() => parseShard('0/3')).toThrow(/numbered from 1/);
    expect(() => parseShard('4/3')).toThrow(/not between 1 and 3/);
    expect(() => parseShard('1/0')).toThrow(/at least 1/);
    expect(() => parseShard('2of3')).toThrow(/expected i\/N/);
  });

  it('deals sorted subjects round robin: shares are disjoint, cover the cohort and differ by at most one', () => {
    const subjects = ['s10', 's02', 's07', 's01', 's05', 's03', 's09', 's04', 's08', 's06', 's11'].map((id) => ({ id }));
    const sorted = [...subjects].map((s) => s.id).sort();
    const shares = [1, 2, 3, 4].map((i) => selectShare(subjects, { index: i, count: 4 }).map((s) => s.id));
    expect(shares[0]).toEqual(['s01', 's05', 's09']);
    expect(shares[3]).toEqual(['s04', 's08']);
    expect(shares.flat().sort()).toEqual(sorted);
    const sizes = shares.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(selectShare(subjects, null).map((s) => s.id)).toEqual(sorted);
  });
});

describe('CSV tables', () => {
  const rec = (subject: string, sequence: string, values: (number | null)[]): TaskRecord => ({
    subject,
    sequence,
    status: 'ok',
    message: '',
    seconds: 0.5,
    cacheKey: null,
    outcome: { rois: [{ roi: 'core', columns: ['a', 'b'], values, diagnostics: {} }], roiErrors: [] },
  });

  it('writes subject_id then <sequence>.<roi>.<feature> in study order; missing and undefined values are empty', () => {
    const t = buildCohortTable(['x,2', 'x1'], ['T2', 'T1'], ['core'], [rec('x1', 'T1', [0.1, null]), rec('x1', 'T2', [1e-300, 3]), rec('x,2', 'T1', [-2.5, 7])]);
    const csv = featuresCsv(t);
    expect(csv).toBe('subject_id,T2.core.a,T2.core.b,T1.core.a,T1.core.b\n"x,2",,,-2.5,7\nx1,1e-300,3,0.1,\n');
    const back = readFeaturesCsv(csv, 'f.csv');
    expect(back.subjects).toEqual(['x,2', 'x1']);
    expect(back.columns).toEqual(['T2.core.a', 'T2.core.b', 'T1.core.a', 'T1.core.b']);
    expect(Array.from(back.rows[1])).toEqual([1e-300, 3, 0.1, Number.NaN]);
    expect(Number.isNaN(back.rows[0][0])).toBe(true);
  });

  it('round-trips doubles exactly through the CSV text', () => {
    const xs = [0.1 + 0.2, Math.PI, -1 / 3, 5e-324, 1.7976931348623157e308, 123456789.12345679];
    const t = buildCohortTable(['s'], ['T1'], ['core'], [
      { ...rec('s', 'T1', []), outcome: { rois: [{ roi: 'core', columns: xs.map((_, i) => `f${i}`), values: xs, diagnostics: {} }], roiErrors: [] } },
    ]);
    const back = readFeaturesCsv(featuresCsv(t), 'f.csv');
    expect(back.columns).toEqual(xs.map((_, i) => `T1.core.f${i}`));
    xs.forEach((x, i) => expect(back.rows[0][i]).toBe(x));
  });

  it('parses quoted cells with commas, quotes and newlines', () => {
    expect(parseCsv('a,"b,""c""\nd",e\r\n1,,3\n', 'x.csv')).toEqual([
      ['a', 'b,"c"\nd', 'e'],
      ['1', '', '3'],
    ]);
    expect(() => parseCsv('a,"b\n', 'x.csv')).toThrow(/x\.csv: unterminated/);
  });

  it('status.csv is sorted by subject then study sequence order', () => {
    const text = statusCsv(
      [
        { subject: 'b', sequence: 'T1', status: 'ok', message: '', seconds: 1 },
        { subject: 'a', sequence: 'T1', status: 'error', message: 'x: file not found, "really"', seconds: 0.0004 },
        { subject: 'a', sequence: 'T2', status: 'cached', message: '', seconds: 0.25 },
      ],
      ['T2', 'T1'],
    );
    expect(text).toBe('subject_id,sequence,status,message,seconds\na,T2,cached,,0.250\na,T1,error,"x: file not found, ""really""",0.000\nb,T1,ok,,1.000\n');
  });
});

describe('progress', () => {
  const start = { event: 'start' as const, study: 'gbm', subjects: 2, sequences: ['T1', 'T2'], total: 4, jobs: 2, shard: null, out: '/o', cache: null };
  const done = (n: number, cached = false) => ({
    event: 'task-done' as const,
    subject: `S${n}`,
    sequence: 'T1',
    status: cached ? ('cached' as const) : ('ok' as const),
    cached,
    seconds: 1,
    done: n,
    total: 4,
  });

  it('writes one JSON object per line', () => {
    let text = '';
    const p = new JsonLinesProgress({ write: (s: string) => (text += s) });
    p.event(start);
    p.event(done(1));
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([start, done(1)]);
  });

  it('draws a bar with subjects per minute (computed tasks / sequences) and an ETA', () => {
    let t = 0;
    let text = '';
    const bar = new BarProgress({ write: (s: string) => (text += s), isTTY: true }, () => t);
    bar.event(start);
    t = 30_000;
    bar.event(done(1, true));
    bar.event(done(2));
    // 1 computed task in 30 s = half a subject of 2 sequences in 30 s = 1 subject/min; 2 tasks left at 30 s each.
    expect(bar.line()).toMatch(/^\[#{12}-{12}\]\s+50%\s+2\/4 tasks\s+1\.0 subjects\/min\s+ETA 1m00s\s+1 cached$/);
    expect(text).toContain('\r');
  });

  it('auto: a bar on a terminal, JSON otherwise', () => {
    expect(progressSink('auto', { write: () => true, isTTY: true })).toBeInstanceOf(BarProgress);
    expect(progressSink('auto', { write: () => true })).toBeInstanceOf(JsonLinesProgress);
  });
});

describe('cluster plans', () => {
  const o = { ...defaultPlanOptions('studies/gbm.study.yaml', 'GBM cohort'), shards: 3, results: 'results/gbm' };

  it('Slurm: a job array 1-N running shard $SLURM_ARRAY_TASK_ID/N, then a merge with afterok', () => {
    const text = slurmPlan(o);
    expect(text.startsWith('#!/bin/bash\n')).toBe(true);
    const directives = text.split('\n').filter((l) => l.startsWith('#SBATCH'));
    expect(directives).toContain('#SBATCH --array=1-3');
    expect(directives).toContain('#SBATCH --cpus-per-task=4');
    expect(directives).toContain('#SBATCH --job-name=rgs-gbm-cohort');
    // #SBATCH lines must come before the first command for Slurm to read them.
    const firstCommand = text.split('\n').findIndex((l) => l !== '' && !l.startsWith('#'));
    expect(text.split('\n').findIndex((l) => l.startsWith('#SBATCH'))).toBeLessThan(firstCommand);
    const lines = text.split('\n');
    const lastDirective = lines.length - 1 - [...lines].reverse().findIndex((l) => l.startsWith('#SBATCH'));
    expect(lastDirective).toBeLessThan(firstCommand);
    expect(text).toMatch(/exec rgs run studies\/gbm\.study\.yaml --shard "\$\{SLURM_ARRAY_TASK_ID\}\/\$\{SHARDS\}" \\\n\s+--out "results\/gbm\/shard-\$\{SLURM_ARRAY_TASK_ID\}"/);
    expect(text).toContain('SHARDS=3\n');
    expect(text).toMatch(/sbatch --parsable --job-name=rgs-gbm-cohort-merge --dependency=afterok:\$\{array_job\}/);
    expect(text).toContain(`--wrap='rgs merge results/gbm/shard-1 results/gbm/shard-2 results/gbm/shard-3 --out results/gbm'`);
  });

  it('Kubernetes: an Indexed Job of N completions running shard JOB_COMPLETION_INDEX + 1, and a merge Job', () => {
    const docs = parseAllDocuments(kubernetesPlan({ ...o, parallelism: 2 }));
    const objs = (Array.isArray(docs) ? docs : [])
      .map((d) => d.toJS() as Record<string, unknown> | null)
      .filter((d): d is Record<string, unknown> => d !== null);
    expect(objs).toHaveLength(2);
    type JobDoc = {
      kind: string;
      metadata: { name: string; labels: Record<string, string> };
      spec: { completionMode?: string; completions: number; parallelism?: number; template: { spec: { restartPolicy: string; containers: { command: string[]; workingDir: string; volumeMounts: { mountPath: string }[] }[]; volumes: { persistentVolumeClaim: { claimName: string } }[] } } };
    };
    const [shards, merge] = objs as unknown as JobDoc[];
    expect(shards.kind).toBe('Job');
    expect(shards.metadata.labels['rgs/step']).toBe('shards');
    expect(shards.spec.completionMode).toBe('Indexed');
    expect(shards.spec.completions).toBe(3);
    expect(shards.spec.parallelism).toBe(2);
    const c = shards.spec.template.spec.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['/bin/sh', '-c']);
    expect(c.command[2]).toBe('rgs run studies/gbm.study.yaml --shard $((JOB_COMPLETION_INDEX + 1))/3 --out results/gbm/shard-$((JOB_COMPLETION_INDEX + 1)) --jobs 4 --progress json');
    expect(c.workingDir).toBe('/data');
    expect(shards.spec.template.spec.volumes[0].persistentVolumeClaim.claimName).toBe('rgs-data');
    expect(shards.spec.template.spec.restartPolicy).toBe('Never');
    expect(merge.kind).toBe('Job');
    expect(merge.metadata.labels['rgs/step']).toBe('merge');
    expect(merge.spec.completionMode).toBeUndefined();
    expect(merge.spec.template.spec.containers[0].command[2]).toBe('rgs merge results/gbm/shard-1 results/gbm/shard-2 results/gbm/shard-3 --out results/gbm');
  });

  it('quotes paths for the shell and rejects impossible shard counts', () => {
    expect(shQuote('results/a b')).toBe(`'results/a b'`);
    expect(shQuote(`it's`)).toBe(`'it'\\''s'`);
    expect(slurmPlan({ ...o, study: 'my study.yaml' })).toContain(`exec rgs run 'my study.yaml' --shard`);
    expect(() => slurmPlan({ ...o, shards: 0 })).toThrow(/--shards/);
  });
});
