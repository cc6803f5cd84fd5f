/**
 * `rgs run`, `rgs merge` and `rgs plan` as a user runs them: the built CLI (worker threads from
 * dist/worker.js, parquet-wasm from dist/) on a synthetic study written to a temporary folder.
 * Determinism across --jobs, the cache, progress events, a task failing at run time (with and
 * without --fail-fast), SIGKILL and SIGINT midway leaving the previous outputs intact, shards
 * merged by the CLI equal to a whole run, and the cluster plans.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { writeCohort } from '../unit/run-cohort-fixture';

const root = join(__dirname, '..', '..');
const rgs = join(root, 'bin', 'rgs');
const SUBJECTS = ['GBM-005', 'GBM-001', 'GBM-004', 'GBM-002', 'GBM-003'];
const OUTPUTS = ['features.csv', 'features.parquet', 'provenance.json', 'status.csv'];
let dir = '';
let study = '';

function run(args: string[]) {
  const r = spawnSync(rgs, args, { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const bytes = (p: string) => readFileSync(p);
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const snapshot = (out: string) => Object.fromEntries(OUTPUTS.map((f) => [f, sha(join(out, f))]));

function statusOf(out: string): Map<string, string> {
  const lines = readFileSync(join(out, 'status.csv'), 'utf8').trim().split('\n').slice(1);
  return new Map(lines.map((l) => l.split(',')).map((c) => [`${c[0]}/${c[1]}`, c[2]]));
}

/** Spawn `rgs run`, send `signal` when the first task-done event arrives; resolve on exit. */
function interruptAfterFirstTask(args: string[], signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; sent: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(rgs, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (!sent && stderr.includes('"event":"task-done"')) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('close', (code, sig) => resolve({ code, signal: sig, stderr, sent }));
  });
}

beforeAll(() => {
  const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'rgs-run-cli-'));
  const files = writeCohort({ dir, subjects: SUBJECTS });
  const rel = (p: string) => p.slice(dir.length + 1);
  writeFileSync(join(dir, 'manifest.csv'), ['subject_id,t1,flair,mask', ...files.map((f) => [f.id, rel(f.images.T1), rel(f.images.FLAIR), rel(f.mask)].join(','))].join('\n') + '\n');
  study = join(dir, 'synth.study.yaml');
  writeFileSync(
    study,
    `study:
  id: synth
  title: Synthetic cohort
cohort:
  manifest: manifest.csv
  subject_column: subject_id
  sequences:
    T1: { column: t1 }
    FLAIR: { column: flair, preprocessing: { normalisation: { method: zscore, reference: roi } } }
  mask_column: mask
  labels: { necrosis: 1, oedema: 2, enhancing: 4 }
  unions: { core: [necrosis, enhancing] }
  rois: [necrosis, enhancing, core]
features:
  families: [morph, stat, ih, cm, szm]
  discretisation: { method: fbn, bin_count: 16 }
`,
  );
});

describe('rgs run', () => {
  it('gives the same features.csv and features.parquet bytes with 1 and 2 workers', () => {
    const a = run(['run', study, '--jobs', '1', '--no-cache', '--out', 'j1']);
    const b = run(['run', study, '--jobs', '2', '--no-cache', '--out', 'j2']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    for (const f of ['features.csv', 'features.parquet']) expect(bytes(join(dir, 'j1', f)).equals(bytes(join(dir, 'j2', f)))).toBe(true);
    expect(readdirSync(join(dir, 'j2')).sort()).toEqual(OUTPUTS);
    expect(existsSync(join(dir, '.rgs-cache'))).toBe(false);
  });

  it('emits JSON-lines progress on a non-terminal stderr: start, one task-done per task, end', () => {
    const r = run(['run', study, '--jobs', '2', '--no-cache', '--out', 'events']);
    const events = r.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      // Study warnings (IBSI consistency checks), if any, come first as events of their own.
      .filter((e) => e.event !== 'warning');
    expect(events[0]).toMatchObject({ event: 'start', study: 'synth', subjects: 5, total: 10, jobs: 2, shard: null });
    const done = events.filter((e) => e.event === 'task-done');
    expect(done).toHaveLength(10);
    expect(done.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(done.map((e) => `${String(e.subject)}/${String(e.sequence)}`)).size).toBe(10);
    expect(done[0]).toMatchObject({ status: 'ok', cached: false, total: 10 });
    expect(events.at(-1)).toMatchObject({ event: 'end', outcome: 'written', ok: 10, errors: 0, out: join(dir, 'events') });
  });

  it('writes to <study dir>/results/<id>/ and caches in <study dir>/.rgs-cache by default; a re-run is all cached and equal', () => {
    expect(run(['run', study, '--progress', 'none']).code).toBe(0);
    const out = join(dir, 'results', 'synth');
    expect([...statusOf(out).values()].every((s) => s === 'ok')).toBe(true);
    expect(existsSync(join(dir, '.rgs-cache', 'hash-index.json'))).toBe(true);
    const first = snapshot(out);
    expect(run(['run', study, '--progress', 'none', '--jobs', '2']).code).toBe(0);
    expect([...statusOf(out).values()].every((s) => s === 'cached')).toBe(true);
    const second = snapshot(out);
    expect(second['features.csv']).toBe(first['features.csv']);
    expect(second['features.parquet']).toBe(first['features.parquet']);
    expect(bytes(join(out, 'features.csv')).equals(bytes(join(dir, 'j1', 'features.csv')))).toBe(true);
  });

  it('rejects bad options with a usage error (exit 2)', () => {
    for (const args of [['--jobs', '0'], ['--shard', '3/2'], ['--progress', 'fancy'], ['--cache', 'c', '--no-cache']]) {
      const r = run(['run', study, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('interruption leaves the previous outputs byte-identical', () => {
  it('SIGKILL after the first progress event', async () => {
    expect(run(['run', study, '--no-cache', '--out', 'killed', '--progress', 'none']).code).toBe(0);
    const out = join(dir, 'killed');
    const before = snapshot(out);
    const r = await interruptAfterFirstTask(['run', study, '--no-cache', '--jobs', '1', '--out', 'killed', '--progress', 'json'], 'SIGKILL');
    expect(r.sent).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(r.stderr).not.toContain('"event":"end"');
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).sort()).toEqual(OUTPUTS);
  });

  it('SIGINT stops the workers and exits 130 without writing', async () => {
    expect(run(['run', study, '--no-cache', '--out', 'sigint', '--progress', 'none']).code).toBe(0);
    const out = join(dir, 'sigint');
    const before = snapshot(out);
    const r = await interruptAfterFirstTask(['run', study, '--no-cache', '--jobs', '2', '--out', 'sigint', '--progress', 'json'], 'SIGINT');
    expect(r.sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('"outcome":"interrupted"');
    expect(r.stderr).toMatch(/rgs: interrupted; no output written\n$/);
    expect(snapshot(out)).toEqual(before);
    expect(readdirSync(out).sort()).toEqual(OUTPUTS);
  });
});

describe('a task failing at run time', () => {
  // The study loader checks the NIfTI headers; a gzip stream cut after the header passes that
  // check and fails when the task reads the voxels.
  let broken = '';
  beforeAll(() => {
    mkdirSync(join(dir, 'broken'), { recursive: true });
    const src = join(dir, 'data', 'GBM-003_FLAIR.nii.gz');
    const data = readFileSync(src);
    broken = join(dir, 'broken', 'synth.study.yaml');
    writeFileSync(join(dir, 'broken', 'GBM-003_FLAIR.nii.gz'), data.subarray(0, Math.floor(data.length * 0.6)));
    const manifest = readFileSync(join(dir, 'manifest.csv'), 'utf8')
      .split('\n')
      .map((l) => l.replace(/^(GBM-00\d),data\//, '$1,../data/').replace(/,data\//g, ',../data/'))
      .join('\n')
      .replace('../data/GBM-003_FLAIR.nii.gz', 'GBM-003_FLAIR.nii.gz');
    writeFileSync(join(dir, 'broken', 'manifest.csv'), manifest);
    writeFileSync(broken, readFileSync(study, 'utf8'));
  });

  it('is recorded in status.csv and the cohort carries on (exit 0)', () => {
    const r = run(['run', broken, '--no-cache', '--out', 'broken-out', '--progress', 'none']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^rgs: 1 of 10 tasks failed \(see .*status\.csv\)\n$/);
    const st = readFileSync(join(dir, 'broken-out', 'status.csv'), 'utf8');
    expect(st).toMatch(/\nGBM-003,FLAIR,error,.*GBM-003_FLAIR\.nii\.gz: .*(truncated|corrupt).*\n/);
    expect([...statusOf(join(dir, 'broken-out')).entries()].filter(([, s]) => s !== 'ok')).toEqual([['GBM-003/FLAIR', 'error']]);
  });

  it('--fail-fast stops at it: exit 1, one line, nothing written', () => {
    const r = run(['run', broken, '--no-cache', '--fail-fast', '--out', 'broken-ff', '--progress', 'none']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^rgs: stopped at the first failure \(--fail-fast\): GBM-003 FLAIR: .*GBM-003_FLAIR\.nii\.gz.*no output written\n$/);
    expect(existsSync(join(dir, 'broken-ff'))).toBe(false);
  });
});

describe('rgs run --shard and rgs merge', () => {
  it('3 shards merged equal one whole run byte for byte', () => {
    for (let i = 1; i <= 3; i++) expect(run(['run', study, '--shard', `${i}/3`, '--jobs', '1', '--out', `shards/shard-${i}`, '--progress', 'none']).code).toBe(0);
    const m = run(['merge', 'shards/shard-2', 'shards/shard-1', 'shards/shard-3', '--out', 'shards/merged']);
    expect(m.code).toBe(0);
    expect(m.stderr).toMatch(/merged 3 folders \(5 subjects\)/);
    for (const f of ['features.csv', 'features.parquet']) expect(bytes(join(dir, 'shards', 'merged', f)).equals(bytes(join(dir, 'j1', f)))).toBe(true);
    // The shards ran with the cache the earlier tests filled (status cached), j1 without: compare
    // subject, sequence and message, and that no task failed.
    const rows = (p: string) =>
      readFileSync(p, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(','))
        .map((c) => [c[0], c[1], c[2] === 'error' ? 'error' : 'done', c[3]].join(','));
    const noSeconds = (p: string) => rows(p).join('\n');
    expect(rows(join(dir, 'shards', 'merged', 'status.csv'))).toHaveLength(10);
    expect(noSeconds(join(dir, 'shards', 'merged', 'status.csv'))).toBe(noSeconds(join(dir, 'j1', 'status.csv')));
  });

  it('refuses an incomplete set of shards', () => {
    const r = run(['merge', 'shards/shard-1', 'shards/shard-3', '--out', 'shards/partial']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rgs: shard 2\/3 missing: all 3 shards are needed\n$/);
    expect(existsSync(join(dir, 'shards', 'partial'))).toBe(false);
  });
});

describe('rgs plan', () => {
  it('--k8s writes an Indexed Job and a merge Job with paths relative to the plan', () => {
    const r = run(['plan', study, '--k8s', '--shards', '3', '--out', 'plan.yaml']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(readFileSync(join(dir, 'plan.yaml'), 'utf8'));
    const objs = (Array.isArray(docs) ? docs : []).map((d) => d.toJS() as { kind: string; spec: { completionMode?: string; completions: number; template: { spec: { containers: { command: string[] }[] } } } } | null).filter((d) => d !== null);
    expect(objs.map((o) => o.kind)).toEqual(['Job', 'Job']);
    expect(objs[0].spec.completionMode).toBe('Indexed');
    expect(objs[0].spec.completions).toBe(3);
    expect(objs[0].spec.template.spec.containers[0].command[2]).toMatch(/^rgs run synth\.study\.yaml --shard \$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/3 --out results\/synth\/shard-\$\(\(JOB_COMPLETION_INDEX \+ 1\)\) /);
    expect(objs[1].spec.template.spec.containers[0].command[2]).toBe('rgs merge results/synth/shard-1 results/synth/shard-2 results/synth/shard-3 --out results/synth');
  });

  it('--slurm writes a job-array script whose syntax bash accepts', () => {
    expect(run(['plan', study, '--slurm', '--shards', '4', '--out', 'plan.sh']).code).toBe(0);
    const text = readFileSync(join(dir, 'plan.sh'), 'utf8');
    expect(text).toContain('#SBATCH --array=1-4\n');
    expect(text).toMatch(/exec rgs run synth\.study\.yaml --shard "\$\{SLURM_ARRAY_TASK_ID\}\/\$\{SHARDS\}"/);
    expect(text).toContain('--dependency=afterok:${array_job}');
    const bash = spawnSync('bash', ['-n', join(dir, 'plan.sh')], { encoding: 'utf8' });
    expect(bash.status).toBe(0);
    expect(run(['plan', study, '--shards', '2']).code).toBe(2);
  });
});
