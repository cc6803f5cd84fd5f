/**
 * Reading `rgs run --progress json` for the "Run study" notification
 * (src/extension/study/run-events.ts): lines out of arbitrary chunks, the events recognised,
 * the notification's increments (which VS Code adds up to 100 %), and the final message.
 */
import { describe, expect, it } from 'vitest';
import type { EndEvent, RunEvent, StartEvent } from '../../src/engine/run/progress';
import { describeRun, formatSeconds, LineSplitter, parseRunEvent, RunProgress, type RunReport } from '../../src/extension/study/run-events';

const start: StartEvent = { event: 'start', study: 'demo-gbm', subjects: 3, sequences: ['T1', 'T2'], total: 6, jobs: 2, shard: null, out: '/w/results/demo-gbm', cache: '/w/.rgs-cache' };
const task = (done: number, status: 'ok' | 'error' | 'cached' = 'ok', total = 6): RunEvent => ({
  event: 'task-done',
  subject: `GBM-00${Math.ceil(done / 2)}`,
  sequence: done % 2 === 1 ? 'T1' : 'T2',
  status,
  cached: status === 'cached',
  seconds: 1.5,
  done,
  total,
  ...(status === 'error' ? { message: 'T2 image not found' } : {}),
});
const end = (over: Partial<EndEvent> = {}): EndEvent => ({ event: 'end', outcome: 'written', done: 6, total: 6, ok: 6, cached: 0, errors: 0, seconds: 12.4, out: '/w/results/demo-gbm', ...over });
const report = (over: Partial<RunReport> = {}): RunReport => ({ exitCode: 0, signal: null, start, end: end(), otherLines: [], cancelled: false, ...over });

describe('LineSplitter', () => {
  it('splits lines whatever the chunk boundaries, LF or CRLF, and keeps a last line without newline', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.push('{"event":"st');
    s.push('art"}\r\n\nsecond');
    expect(lines).toEqual(['{"event":"start"}']);
    s.push(' line\nthird');
    s.end();
    expect(lines).toEqual(['{"event":"start"}', 'second line', 'third']);
    s.end(); // nothing pending: no empty line
    expect(lines).toHaveLength(3);
  });
});

describe('parseRunEvent', () => {
  it('recognises the four events of the schema', () => {
    for (const e of [start, task(1), end(), { event: 'warning', message: 'study.yaml:3:1 warning x' }] as RunEvent[]) {
      expect(parseRunEvent(JSON.stringify(e))).toEqual(e);
    }
  });

  it('keeps fields added to the schema later', () => {
    expect(parseRunEvent(JSON.stringify({ ...end(), future: 1 }))).toMatchObject({ event: 'end', future: 1 });
  });

  it('refuses what is not an event', () => {
    for (const line of ['rgs: demo.study.yaml:9:13 error cohort.manifest: no such file', '{not json', '[1,2]', '{"event":"other"}', '{"event":"task-done","done":"1","total":6}', '{"event":"end","outcome":"written"}', 'null']) {
      expect(parseRunEvent(line), line).toBeNull();
    }
  });
});

describe('RunProgress', () => {
  it('reports the growth of done/total, adding up to 100 % at the end', () => {
    const p = new RunProgress();
    const steps = [start, task(1), task(2), task(3, 'error'), task(4, 'cached'), task(5), task(6), end({ errors: 1, ok: 4, cached: 1 })].map((e) => p.update(e));
    // 6 tasks: each done task is 100/6 %; "end" adds what is left (nothing here).
    expect(steps.map((s) => s?.increment)).toEqual([0, 100 / 6, 100 / 6, 100 / 6, 100 / 6, 100 / 6, 100 / 6, 0].map((x, i) => (i === 0 || i === 7 ? x : expect.closeTo(x, 12))));
    expect(steps.reduce((a, s) => a + (s?.increment ?? 0), 0)).toBeCloseTo(100, 10);
    expect(steps[0]?.message).toBe('0/6 tasks (3 subjects × 2 sequences, 2 workers)');
    expect(steps[2]?.message).toBe('2/6 tasks · GBM-001 T2');
    expect(steps[3]?.message).toBe('3/6 tasks · GBM-002 T1 error · 1 failed');
    expect(steps[4]?.message).toBe('4/6 tasks · GBM-002 T2 cached · 1 failed');
    expect(steps[7]?.message).toBe('outputs written');
    expect(p.start).toBe(start);
    expect(p.end?.errors).toBe(1);
  });

  it('jumps to 100 % when the run ends early, never reports a negative increment, and collects warnings', () => {
    const p = new RunProgress();
    expect(p.update({ event: 'warning', message: 'w1' })).toBeNull();
    p.update(start);
    p.update(task(2));
    expect(p.update(task(1))?.increment).toBe(0); // out of order: done only grows in the CLI, but be safe
    expect(p.update(end({ outcome: 'interrupted', done: 2 }))?.increment).toBeCloseTo(100 - 200 / 6, 12);
    expect(p.warnings).toEqual(['w1']);
  });
});

describe('describeRun', () => {
  it('a written run: counts, time and the outputs folder', () => {
    expect(describeRun('demo.study.yaml', report())).toEqual({
      kind: 'written',
      level: 'info',
      message: 'demo.study.yaml: 6 tasks (6 ok) in 12 s; outputs in /w/results/demo-gbm',
      outDir: '/w/results/demo-gbm',
      failedTasks: 0,
    });
    const cached = describeRun('demo.study.yaml', report({ end: end({ ok: 2, cached: 4, seconds: 0.42 }) }));
    expect(cached.message).toBe('demo.study.yaml: 6 tasks (2 ok, 4 from the cache) in 0.4 s; outputs in /w/results/demo-gbm');
    // Shown relative to the workspace, while outDir stays absolute (to open and reveal it).
    const shown = describeRun('demo.study.yaml', report(), (p) => p.replace('/w/', ''));
    expect(shown.message).toBe('demo.study.yaml: 6 tasks (6 ok) in 12 s; outputs in results/demo-gbm');
    expect(shown.outDir).toBe('/w/results/demo-gbm');
  });

  it('a written run with failed tasks is a warning pointing at status.csv', () => {
    const o = describeRun('demo.study.yaml', report({ end: end({ ok: 5, errors: 1, seconds: 75 }) }));
    expect(o.level).toBe('warning');
    expect(o.failedTasks).toBe(1);
    expect(o.message).toBe('demo.study.yaml: 6 tasks (5 ok, 1 failed) in 1 min 15 s; outputs in /w/results/demo-gbm. The failed tasks and why are in status.csv.');
  });

  it('a cancelled run: nothing written', () => {
    const o = describeRun('demo.study.yaml', report({ exitCode: 130, cancelled: true, end: end({ outcome: 'interrupted', done: 2, out: null }), otherLines: ['rgs: interrupted; no output written'] }));
    expect(o).toMatchObject({ kind: 'cancelled', level: 'warning', outDir: null });
    expect(o.message).toBe('demo.study.yaml: run cancelled after 2/6 tasks; no output written (earlier outputs are as they were).');
    // Cancelled before the CLI said anything (killed while loading the study).
    expect(describeRun('s.study.yaml', report({ exitCode: null, signal: 'SIGKILL', cancelled: true, start: null, end: null })).kind).toBe('cancelled');
  });

  it('a failed run shows the CLI message', () => {
    const o = describeRun('demo.study.yaml', report({ exitCode: 1, start: null, end: null, otherLines: ['rgs: demo.study.yaml:34:5 unknown key `interpolaton` in preprocessing.resampling; did you mean `interpolation`?'] }));
    expect(o).toEqual({
      kind: 'failed',
      level: 'error',
      message: 'demo.study.yaml: demo.study.yaml:34:5 unknown key `interpolaton` in preprocessing.resampling; did you mean `interpolation`?',
      outDir: null,
      failedTasks: 0,
    });
    expect(describeRun('x.study.yaml', report({ exitCode: 1, end: end({ outcome: 'failed-fast', errors: 1, out: null }), otherLines: ['rgs: GBM-002 T2: image not found'] })).message).toBe(
      'x.study.yaml: stopped at the first failed task; no output written: GBM-002 T2: image not found',
    );
    expect(describeRun('x.study.yaml', report({ exitCode: null, signal: 'SIGSEGV', start: null, end: null })).message).toBe('x.study.yaml: rgs run was killed by SIGSEGV without a message.');
    // "end: written" but a non-zero exit (a crash after writing) is not success.
    expect(describeRun('x.study.yaml', report({ exitCode: 70, otherLines: ['rgs: internal error'] })).kind).toBe('failed');
  });
});

describe('formatSeconds', () => {
  it('formats durations for people', () => {
    expect([0.04, 9.96, 10, 59.4, 60, 75, 3599.6, 3600, 7380, -1, Number.NaN].map(formatSeconds)).toEqual([
      '0.0 s',
      '10 s',
      '10 s',
      '59 s',
      '1 min 00 s',
      '1 min 15 s',
      '1 h 00 min',
      '1 h 00 min',
      '2 h 03 min',
      '?',
      '?',
    ]);
  });
});
