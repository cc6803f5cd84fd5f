/**
 * The host's side of one notebook's kernel: starts the worker thread (dist/kernel-worker.js) on
 * the first cell, sends it one request per cell, routes the outputs it streams back to the cell
 * being run, and stops it for an interrupt. Uses Node only (no vscode), so the tests drive it
 * as the controller does.
 *
 * Interrupting terminates the thread: whatever the cell was doing (an extraction, a model fit,
 * a JavaScript loop) stops at once; the cell and every queued cell end as interrupted. The next
 * cell starts a fresh worker, which reloads the results from the results folder (the cohort
 * runner writes its outputs only when a run completes, so an interrupted run leaves the
 * previous results intact). State kept in JavaScript cells' `state` is lost.
 */
import { Worker } from 'node:worker_threads';
import type { EncodedOutput, ExecuteRequest, KernelOptions, WorkerMessage } from '../../kernel/protocol';
import type { LocatedProblem } from '../../kernel/study-fragments';

export type ExecuteResult =
  | { status: 'done'; success: boolean; problems: LocatedProblem[] }
  | { status: 'interrupted' }
  /** The worker thread died (e.g. out of memory); the message says how. */
  | { status: 'crashed'; message: string };

export interface OutputSink {
  /** An output of the running cell (its items as the bytes VS Code stores, encoded on the
   *  kernel's thread); one with a key already seen replaces that output. */
  output(output: EncodedOutput, key: string | undefined): void;
}

interface Pending {
  sink: OutputSink;
  resolve: (r: ExecuteResult) => void;
}

export interface KernelSessionOptions {
  /** The bundled kernel worker (dist/kernel-worker.js). */
  workerScript: string;
  kernel: KernelOptions;
  /** Environment of the worker (default: the host's). */
  env?: NodeJS.ProcessEnv;
}

export class KernelSession {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  /** Workers started so far (1 + restarts). */
  starts = 0;

  constructor(private readonly options: KernelSessionOptions) {}

  /** Whether a cell is running or queued. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Run a cell; resolves when it ends, is interrupted or the worker dies. */
  execute(request: Omit<ExecuteRequest, 'type' | 'id'>, sink: OutputSink): Promise<ExecuteResult> {
    if (this.disposed) return Promise.resolve({ status: 'interrupted' });
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<ExecuteResult>((resolve) => {
      this.pending.set(id, { sink, resolve });
      worker.postMessage({ type: 'execute', id, ...request } satisfies ExecuteRequest);
    });
  }

  /** Stop the running and the queued cells now (terminates the worker thread). */
  interrupt(): Promise<void> {
    return this.stop({ status: 'interrupted' });
  }

  /** Stop everything; the session cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.stop({ status: 'interrupted' });
  }

  private async stop(result: ExecuteResult): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.settleAll(result);
    if (w !== null) await w.terminate();
  }

  private settleAll(result: ExecuteResult): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.resolve(result);
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const w = new Worker(this.options.workerScript, { workerData: this.options.kernel, ...(this.options.env ? { env: this.options.env } : {}) });
    this.starts++;
    this.worker = w;
    w.on('message', (m: WorkerMessage) => {
      if (this.worker !== w) return; // a terminated worker's last words
      if (m.type === 'output') this.pending.get(m.id)?.sink.output(m.output, m.key);
      else if (m.type === 'done') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve({ status: 'done', success: m.success, problems: m.problems });
      }
    });
    const crashed = (message: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.settleAll({ status: 'crashed', message });
    };
    w.on('error', (e) => crashed(e.message.split('\n')[0]));
    w.on('exit', (code) => crashed(`the kernel stopped (exit code ${code})`));
    return w;
  }
}
