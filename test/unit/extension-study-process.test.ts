/**
 * `rgs run` as the extension host starts it (src/extension/study/rgs-process.ts): the command
 * line, working folder and environment; events passed on in order with their progress steps;
 * the other lines kept; cancellation by SIGINT, SIGKILL for a process that ignores it; a binary
 * that cannot start. First with a stand-in CLI whose behaviour the test controls, then with the
 * real bundled CLI (dist/cli.js) on a small synthetic cohort.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/run/progress';
import { runRgsStudy } from '../../src/extension/study/rgs-process';
import { describeRun, type ProgressStep } from '../../src/extension/study/run-events';
import { writeCohort } from './run-cohort-fixture';

/** The stand-in: records how it was started, then behaves as FAKE_MODE says. */
const FAKE_CLI = `
const fs = require('node:fs');
fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), electron: process.env.ELECTRON_RUN_AS_NODE }));
const emit = (e) => process.stderr.write(JSON.stringify(e) + '\\n');
const start = { event: 'start', study: 's', subjects: 2, sequences: ['T1', 'T2'], total: 4, jobs: 1, shard: null, out: '/out/s', cache: null };
const task = (done) => ({ event: 'task-done', subject: 'A' + Math.ceil(done / 2), sequence: done % 2 ? 'T1' : 'T2', status: 'ok', cached: false, seconds: 0.1, done, total: 4 });
const mode = process.env.FAKE_MODE;
if (mode === 'ok') {
  emit({ event: 'warning', message: 's.study.yaml:3:1 warning w' });
  // An event split over two writes, a plain line on stdout.
  const s = JSON.stringify(start);
  process.stderr.write(s.slice(0, 20));
  setTimeout(() => {
    process.stderr.write(s.slice(20) + '\\n');
    process.stdout.write('a plain line\\n');
    for (let d = 1; d <= 4; d++) emit(task(d));
    emit({ event: 'end', outcome: 'written', done: 4, total: 4, ok: 4, cached: 0, errors: 0, seconds: 0.4, out: '/out/s' });
  }, 50);
} else if (mode === 'fail') {
  process.stderr.write('rgs: s.study.yaml:9:13 error cohort.manifest: no such file\\n');
  process.exitCode = 1;
} else if (mode === 'wait') {
  process.on('SIGINT', () => {
    emit({ event: 'end', outcome: 'interrupted', done: 1, total: 4, ok: 1, cached: 0, errors: 0, seconds: 0.2, out: null });
    process.stderr.write('rgs: interrupted; no output written\\n');
    process.exit(130);
  });
  emit(start);
  emit(task(1));
  setInterval(() => undefined, 1000);
} else if (mode === 'stubborn') {
  process.on('SIGINT', () => undefined);
  emit(start);
  setInterval(() => undefined, 1000);
}
`;

let dir = '';
let fake = '';
let study = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rgs-ext-run-'));
  fake = join(dir, 'fake-cli.cjs');
  writeFileSync(fake, FAKE_CLI);
  study = join(dir, 'sub dir', 's.study.yaml');
});

function fakeRun(mode: string, opts: { abortOn?: (e: RunEvent) => boolean; killAfterMs?: number } = {}) {
  const record = join(dir, `record-${mode}.json`);
  const events: RunEvent[] = [];
  const steps: (ProgressStep | null)[] = [];
  const output: string[] = [];
  const controller = new AbortController();
  const result = runRgsStudy({
    node: process.execPath,
    cli: fake,
    study: join(dir, 's.study.yaml'),
    args: ['--jobs', '1'],
    signal: controller.signal,
    killAfterMs: opts.killAfterMs,
    env: { ...process.env, FAKE_MODE: mode, FAKE_RECORD: record },
    onEvent: (e, step) => {
      events.push(e);
      steps.push(step);
      if (opts.abortOn?.(e)) controller.abort();
    },
    onOutput: (l) => output.push(l),
  });
  return { result, events, steps, output, record: () => JSON.parse(readFileSync(record, 'utf8')) as { argv: string[]; cwd: string; electron: string } };
}

describe('runRgsStudy with a stand-in CLI', () => {
  it('starts `<cli> run <study> --progress json` in the study folder with ELECTRON_RUN_AS_NODE', async () => {
    const r = fakeRun('ok');
    await r.result;
    expect(r.record()).toEqual({ argv: ['run', join(dir, 's.study.yaml'), '--progress', 'json', '--jobs', '1'], cwd: dir, electron: '1' });
  });

  it('passes the events on in order with their steps, and the other lines apart', async () => {
    const r = fakeRun('ok');
    const res = await r.result;
    expect(r.events.map((e) => (e.event === 'task-done' ? `task ${e.done}` : e.event))).toEqual(['warning', 'start', 'task 1', 'task 2', 'task 3', 'task 4', 'end']);
    expect(r.steps.map((s) => s?.increment ?? null)).toEqual([null, 0, 25, 25, 25, 25, 0]);
    expect(r.output).toEqual(['a plain line']);
    expect(res).toMatchObject({ exitCode: 0, signal: null, cancelled: false, otherLines: ['a plain line'] });
    expect(res.end?.outcome).toBe('written');
    expect(res.start?.total).toBe(4);
    expect(res.progress.warnings).toEqual(['s.study.yaml:3:1 warning w']);
    expect(describeRun('s.study.yaml', res).message).toBe('s.study.yaml: 4 tasks (4 ok) in 0.4 s; outputs in /out/s');
  });

  it('reports the CLI error line and exit code', async () => {
    const res = await fakeRun('fail').result;
    expect(res).toMatchObject({ exitCode: 1, start: null, end: null, cancelled: false });
    expect(describeRun('s.study.yaml', res)).toMatchObject({ kind: 'failed', message: 's.study.yaml: s.study.yaml:9:13 error cohort.manifest: no such file' });
  });

  it('cancels with SIGINT: the CLI ends the run and exits 130', async () => {
    const r = fakeRun('wait', { abortOn: (e) => e.event === 'task-done' });
    const res = await r.result;
    expect(res).toMatchObject({ exitCode: 130, signal: null, cancelled: true });
    expect(res.end?.outcome).toBe('interrupted');
    expect(describeRun('s.study.yaml', res).message).toBe('s.study.yaml: run cancelled after 1/4 tasks; no output written (earlier outputs are as they were).');
  });

  it('kills a process that ignores SIGINT after killAfterMs', async () => {
    const res = await fakeRun('stubborn', { abortOn: (e) => e.event === 'start', killAfterMs: 300 }).result;
    expect(res).toMatchObject({ exitCode: null, signal: 'SIGKILL', cancelled: true });
    expect(describeRun('s.study.yaml', res).kind).toBe('cancelled');
  });

  it('does not start when already cancelled, and reports a binary that cannot start', async () => {
    const controller = new AbortController();
    controller.abort();
    const none = await runRgsStudy({ node: process.execPath, cli: fake, study, signal: controller.signal });
    expect(none).toMatchObject({ cancelled: true, exitCode: null, start: null });
    const missing = await runRgsStudy({ node: join(dir, 'no-such-node'), cli: fake, study: join(dir, 's.study.yaml') });
    expect(missing.exitCode).toBeNull();
    expect(missing.otherLines).toHaveLength(1);
    expect(missing.otherLines[0]).toMatch(/^cannot start .*no-such-node .*fake-cli\.cjs: spawn .*ENOENT/);
    expect(describeRun('s.study.yaml', missing).kind).toBe('failed');
  });
});

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const cliMissing = existsSync(CLI) ? null : 'dist/cli.js is not built (npm run build)';

describe.skipIf(cliMissing !== null)('runRgsStudy with the bundled CLI', () => {
  const SUBJECTS = ['GBM-001', 'GBM-002', 'GBM-003', 'GBM-004', 'GBM-005'];
  let cohort = '';
  let studyFile = '';

  beforeAll(() => {
    cohort = mkdtempSync(join(tmpdir(), 'rgs-ext-cohort-'));
    const files = writeCohort({ dir: cohort, subjects: SUBJECTS });
    const rel = (p: string) => p.slice(cohort.length + 1);
    writeFileSync(join(cohort, 'manifest.csv'), ['subject_id,t1,flair,mask', ...files.map((f) => [f.id, rel(f.images.T1), rel(f.images.FLAIR), rel(f.mask)].join(','))].join('\n') + '\n');
    studyFile = join(cohort, 'synth.study.yaml');
    writeFileSync(
      studyFile,
      [
        'study: { id: synth, title: Synthetic cohort }',
        'cohort:',
        '  manifest: manifest.csv',
        '  subject_column: subject_id',
        '  sequences: { T1: { column: t1 }, FLAIR: { column: flair } }',
        '  mask_column: mask',
        '  labels: { necrosis: 1, oedema: 2, enhancing: 4 }',
        'features:',
        '  families: [stat, ih]',
        '  discretisation: { method: fbn, bin_count: 16 }',
        '',
      ].join('\n'),
    );
  });

  it('runs the study: one task-done per subject × sequence, the outputs in results/<id>', async () => {
    let increments = 0;
    const tasks: string[] = [];
    const res = await runRgsStudy({
      node: process.execPath,
      cli: CLI,
      study: studyFile,
      args: ['--jobs', '2', '--no-cache'],
      onEvent: (e, step) => {
        increments += step?.increment ?? 0;
        if (e.event === 'task-done') tasks.push(`${e.subject}/${e.sequence}/${e.status}`);
      },
    });
    const out = join(cohort, 'results', 'synth');
    expect(res.exitCode).toBe(0);
    expect(tasks.sort()).toEqual(SUBJECTS.flatMap((s) => [`${s}/FLAIR/ok`, `${s}/T1/ok`]));
    expect(increments).toBeCloseTo(100, 10);
    const o = describeRun('synth.study.yaml', res);
    expect(o).toMatchObject({ kind: 'written', level: 'info', outDir: out, failedTasks: 0 });
    expect(o.message).toMatch(new RegExp(`^synth\\.study\\.yaml: 10 tasks \\(10 ok\\) in [0-9.]+ s; outputs in ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const rows = readFileSync(join(out, 'features.csv'), 'utf8').trim().split('\n');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(SUBJECTS);
  });

  it('cancelled after the first task: exit 130, nothing written', async () => {
    const controller = new AbortController();
    const res = await runRgsStudy({
      node: process.execPath,
      cli: CLI,
      study: studyFile,
      args: ['--jobs', '2', '--no-cache', '--out', 'cancelled'],
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'task-done') controller.abort();
      },
    });
    expect(res).toMatchObject({ exitCode: 130, cancelled: true });
    expect(res.end?.outcome).toBe('interrupted');
    expect(res.otherLines).toContain('rgs: interrupted; no output written');
    expect(describeRun('synth.study.yaml', res).kind).toBe('cancelled');
    expect(existsSync(join(cohort, 'cancelled'))).toBe(false);
  });
});
