/**
 * The notebook kernel's live extraction progress (src/kernel/study-cell.ts, CellProgress): one
 * keyed output, refreshed at a steady interval (not once per finished task: each replacement
 * costs the extension host a message and changes the notebook), and always on start, when the
 * last task is done and at the end.
 */
import { describe, expect, it } from 'vitest';
import { CellProgress, PROGRESS_INTERVAL_MS } from '../../src/kernel/study-cell';
import type { KernelOutput } from '../../src/kernel/protocol';
import type { StartEvent, TaskDoneEvent } from '../../src/engine/run/progress';

function recorder() {
  const shown: { key: string | undefined; text: string }[] = [];
  const emit = {
    output(o: KernelOutput, key?: string) {
      const it = o.items[0];
      shown.push({ key, text: 'text' in it ? it.text : JSON.stringify(it.json) });
    },
  };
  return { shown, emit };
}

const start: StartEvent = { event: 'start', study: 's', subjects: 30, sequences: ['T1', 'T2'], total: 60, jobs: 1, shard: null, out: '/r', cache: null };
const task = (done: number): TaskDoneEvent => ({ event: 'task-done', subject: `S-${done}`, sequence: 'T1', status: 'ok', cached: false, seconds: 0.1, done, total: 60 });

describe('kernel extraction progress', () => {
  it('refreshes on the timer (every 500 ms by default), not per task; always on start, last task and end', () => {
    expect(PROGRESS_INTERVAL_MS).toBe(500);
    let t = 0;
    const { shown, emit } = recorder();
    const p = new CellProgress(emit, PROGRESS_INTERVAL_MS, () => t);
    p.tick(); // before the start: nothing to show
    p.event(start);
    // 59 tasks, one every 100 ms; extract()'s timer ticks every 500 ms.
    for (let d = 1; d < 60; d++) {
      t += 100;
      p.event(task(d));
      if (t % 500 === 0) p.tick();
    }
    t += 100;
    p.event(task(60)); // the last task: always shown
    p.tick(); // every task done: nothing more until the end
    p.event({ event: 'end', outcome: 'written', done: 60, total: 60, ok: 60, cached: 0, errors: 0, seconds: 6, out: '/r' });
    p.tick(); // after the end: nothing
    expect(shown.every((s) => s.key === 'progress')).toBe(true);
    expect(shown[0].text).toBe('Extracting features: 30 subjects x 2 sequences = 60 tasks on 1 worker');
    // Ticks at 0.5, 1.0, ... 5.5 s: 11 refreshes with the counts and the elapsed time.
    const refreshes = shown.slice(1, -2);
    expect(refreshes.map((s) => /(\d+)\/60 tasks/.exec(s.text)?.[1])).toEqual(['5', '10', '15', '20', '25', '30', '35', '40', '45', '50', '55']);
    expect(refreshes[0].text).toBe('Extracting features: 5/60 tasks (5 computed, 0 cached, 0 failed), 0.5 s\nlast: S-5 T1: ok');
    expect(shown.at(-2)?.text).toMatch(/^Extracting features: 60\/60 tasks \(60 computed, 0 cached, 0 failed\), 6\.0 s/);
    expect(shown.at(-1)?.text).toBe('Extracted 60/60 tasks: 60 computed, 0 cached, 0 failed in 6.0 s; results in /r');
  });

  it('shows every task with an interval of 0', () => {
    let t = 0;
    const { shown, emit } = recorder();
    const p = new CellProgress(emit, 0, () => t);
    p.event(start);
    for (let d = 1; d <= 5; d++) {
      t += 1;
      p.event(task(d));
    }
    expect(shown).toHaveLength(6);
  });
});
