/**
 * A fixed-size pool of worker threads running cohort tasks (worker.ts). Requests queue in the
 * order they are submitted (the runner submits the largest images first, so that the last
 * tasks to finish are short ones) and go to the next idle worker. A worker that dies (e.g. out
 * of memory) fails its task with an internal error and is replaced. `destroy` terminates every
 * worker at once: used for --fail-fast and on SIGINT.
 */
import { Worker } from 'node:worker_threads';
import type { TaskReply, TaskRequest } from './execute';

interface Job {
  req: TaskRequest;
  resolve: (r: TaskReply) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

export class PoolDestroyedError extends Error {
  constructor() {
    super('the worker pool was stopped');
    this.name = 'PoolDestroyedError';
  }
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private destroyed = false;

  /** `script`: the bundled worker (dist/worker.js); `size` >= 1 threads, started on demand. */
  constructor(
    private readonly script: string,
    private readonly size: number,
  ) {
    if (!(size >= 1)) throw new RangeError(`pool size must be >= 1, got ${size}`);
  }

  run(req: TaskRequest): Promise<TaskReply> {
    if (this.destroyed) return Promise.reject(new PoolDestroyedError());
    return new Promise<TaskReply>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.dispatch();
    });
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.script), job: null };
    slot.worker.on('message', (reply: TaskReply) => {
      const job = slot.job;
      slot.job = null;
      job?.resolve(reply);
      this.dispatch();
    });
    const fail = (why: string) => {
      const i = this.slots.indexOf(slot);
      if (i >= 0) this.slots.splice(i, 1);
      const job = slot.job;
      slot.job = null;
      if (this.destroyed) return;
      job?.resolve({ id: job.req.id, ok: false, message: `internal error: the worker thread stopped (${why}) (a bug: please report it)`, internal: true, key: null, hashed: [], seconds: 0 });
      this.dispatch();
    };
    slot.worker.on('error', (err) => fail(err.message.split('\n')[0]));
    slot.worker.on('exit', (code) => {
      if (this.slots.includes(slot)) fail(`exit code ${code}`);
    });
    this.slots.push(slot);
    return slot;
  }

  private dispatch(): void {
    while (!this.destroyed && this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === null);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        slot = this.spawn();
      }
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.postMessage(job.req);
    }
  }

  /** Stop every worker now; queued and running requests reject with PoolDestroyedError. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    const err = new PoolDestroyedError();
    for (const job of this.queue.splice(0)) job.reject(err);
    const slots = this.slots.splice(0);
    for (const s of slots) s.job?.reject(err);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }
}
