/**
 * The study checks that read files (manifest and clinical CSVs, NIfTI headers), run off the
 * editing thread: a worker thread holds the engine's FileFactsCache (path + mtime + size) and
 * analyses each requested text with `checkFiles`. A cold cache (a new manifest with hundreds of
 * image headers) then never delays the handling of keystrokes, completion or hover.
 *
 * The worker is the language server's own bundle started again with a marker in `workerData`
 * (server.ts dispatches on it), so the build has one entry point. Where there is no bundle (the
 * sources run directly), the checks run on the main thread between messages instead.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { analyseStudyText, FileFactsCache } from '../../src/engine/study/load';
import type { StudyProblem } from '../../src/engine/study/types';

const WORKER_ROLE = 'rgs-study-file-checks';

interface CheckRequest {
  id: number;
  text: string;
  file: string;
}

export interface FileCheckResult {
  /** Every problem of the text, the file checks included. */
  problems: StudyProblem[];
  /** Time the analysis took (in the worker), ms. */
  ms: number;
}

type CheckResponse = { id: number; ok: true; result: FileCheckResult } | { id: number; ok: false; error: string };

/** Whether this thread is the file-checks worker (server.ts then runs `runFileChecksWorker`). */
export function isFileChecksWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE;
}

/** The analysis with the file checks. */
export function analyseWithFiles(text: string, file: string, cache: FileFactsCache): FileCheckResult {
  const t0 = performance.now();
  const problems = analyseStudyText(text, file, { checkFiles: true, fileCache: cache }).problems;
  return { problems, ms: performance.now() - t0 };
}

/** The worker's loop: one request at a time, one cache for the worker's life. */
export function runFileChecksWorker(): void {
  const port = parentPort;
  if (port === null) return;
  const cache = new FileFactsCache();
  port.on('message', (req: CheckRequest) => {
    let res: CheckResponse;
    try {
      res = { id: req.id, ok: true, result: analyseWithFiles(req.text, req.file, cache) };
    } catch (e) {
      res = { id: req.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
    }
    port.postMessage(res);
  });
}

/** Runs file checks, in the worker when the bundle can start one. */
export class FileChecker {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, { resolve: (r: FileCheckResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private readonly inlineCache = new FileFactsCache();

  /** `script`: the bundle to start as the worker (null: check on this thread). */
  constructor(script: string | null) {
    if (script !== null) {
      try {
        const worker = new Worker(script, { workerData: { role: WORKER_ROLE } });
        worker.on('message', (res: CheckResponse) => {
          const w = this.waiting.get(res.id);
          if (w === undefined) return;
          this.waiting.delete(res.id);
          if (res.ok) w.resolve(res.result);
          else w.reject(new Error(res.error));
        });
        worker.on('error', (e) => this.failAll(e));
        worker.on('exit', () => {
          this.worker = null;
          this.failAll(new Error('the file-checks worker stopped'));
        });
        // The worker must not keep the server alive after the client is gone.
        worker.unref();
        this.worker = worker;
      } catch {
        this.worker = null;
      }
    }
  }

  /** Whether the checks run in the worker thread (else between messages on this thread). */
  get inWorker(): boolean {
    return this.worker !== null;
  }

  check(text: string, file: string): Promise<FileCheckResult> {
    const worker = this.worker;
    if (worker === null) {
      return new Promise((resolveResult, reject) => {
        setImmediate(() => {
          try {
            resolveResult(analyseWithFiles(text, file, this.inlineCache));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        });
      });
    }
    const id = this.nextId++;
    return new Promise((resolveResult, reject) => {
      this.waiting.set(id, { resolve: resolveResult, reject });
      worker.postMessage({ id, text, file } satisfies CheckRequest);
    });
  }

  dispose(): void {
    const w = this.worker;
    this.worker = null;
    if (w !== null) void w.terminate();
  }

  private failAll(e: Error): void {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }
}
