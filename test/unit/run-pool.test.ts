/**
 * The worker-thread pool with a stand-in worker script (plain JavaScript written to a temporary
 * folder, so no build is needed): at most `size` threads, replies matched to requests, a worker
 * that dies fails only its own request (as an internal error) and is replaced, and destroy()
 * rejects what is still queued or running.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PoolDestroyedError, WorkerPool } from '../../src/engine/run/pool';
import type { TaskReply, TaskRequest } from '../../src/engine/run/execute';

let script = '';
beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'rgs-pool-'));
  script = join(dir, 'worker.js');
  // Replies with its thread id as the cache key, after `delay` ms; 'crash' exits the thread,
  // 'throw' throws outside any handler.
  writeFileSync(
    script,
    `const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', (req) => {
  const { subject, delay } = req.task;
  if (subject === 'crash') process.exit(3);
  if (subject === 'throw') throw new Error('boom in the worker');
  setTimeout(() => parentPort.postMessage({ id: req.id, ok: true, outcome: { rois: [], roiErrors: [] }, cached: false, key: String(threadId), hashed: [], seconds: 0 }), delay);
});
`,
  );
});

function req(id: number, subject: string, delay = 20): TaskRequest {
  return { id, task: { subject, delay } as unknown as TaskRequest['task'], known: {}, cacheDir: null };
}

const threadOf = (r: TaskReply) => (r.ok ? r.key : 'failed');

describe('WorkerPool', () => {
  it('runs every request on at most `size` threads and answers each with its own reply', async () => {
    const pool = new WorkerPool(script, 2);
    try {
      const replies = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => pool.run(req(i, `s${i}`))));
      expect(replies.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(replies.map(threadOf)).size).toBe(2);
    } finally {
      await pool.destroy();
    }
  });

  it('a thread that exits or throws fails only its request, as an internal error, and is replaced', async () => {
    const pool = new WorkerPool(script, 1);
    try {
      const [crash, after, thrown, last] = await Promise.all([pool.run(req(1, 'crash')), pool.run(req(2, 'ok')), pool.run(req(3, 'throw')), pool.run(req(4, 'ok'))]);
      expect(crash).toMatchObject({ id: 1, ok: false, internal: true });
      expect(crash.ok ? '' : crash.message).toMatch(/^internal error: the worker thread stopped \(exit code 3\)/);
      expect(after).toMatchObject({ id: 2, ok: true });
      expect(thrown).toMatchObject({ id: 3, ok: false, internal: true });
      expect(thrown.ok ? '' : thrown.message).toMatch(/boom in the worker/);
      expect(last).toMatchObject({ id: 4, ok: true });
      expect(threadOf(after)).not.toBe(threadOf(last));
    } finally {
      await pool.destroy();
    }
  });

  it('destroy() rejects running and queued requests and refuses new ones', async () => {
    const pool = new WorkerPool(script, 1);
    const outcome = (p: Promise<TaskReply>) => p.then(() => 'resolved', (e: unknown) => e);
    const running = outcome(pool.run(req(1, 'slow', 5_000)));
    const queued = outcome(pool.run(req(2, 'slow', 5_000)));
    await new Promise((r) => setTimeout(r, 50));
    await pool.destroy();
    expect(await running).toBeInstanceOf(PoolDestroyedError);
    expect(await queued).toBeInstanceOf(PoolDestroyedError);
    await expect(pool.run(req(3, 'ok'))).rejects.toBeInstanceOf(PoolDestroyedError);
  });
});
