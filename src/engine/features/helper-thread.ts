/**
 * A worker thread that computes some of an ROI's feature families while the calling thread
 * computes the others (split-families.ts). Started before the image is read, so that the
 * thread's start-up overlaps the file reading; the ROI's arrays are copied to it (a few MB for
 * a cropped ROI). Errors come back with their message, and user errors (RgsError) stay
 * RgsErrors, so `rgs extract` reports them as it reports its own.
 */
import { Worker } from 'node:worker_threads';
import type { FeatureSettings } from '../settings/types';
import { RgsError } from '../util/errors';
import { extractFeatures, familiesToRun, type ExtractionOutput } from './extract';
import { splitFamilies } from './split-families';
import type { Family, FeatureInput } from './types';

/** What the main thread sends: one share of one ROI's families. */
export interface HelperRequest {
  id: number;
  input: FeatureInput;
  settings: FeatureSettings;
  families: Family[];
}

/** What the helper answers. */
export type HelperResponse =
  | { id: number; ok: true; output: ExtractionOutput }
  | { id: number; ok: false; message: string; userError: boolean; file?: string; field?: string };

export class FeatureHelperThread {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (o: ExtractionOutput) => void; reject: (e: Error) => void }>();
  private failure: Error | null = null;

  /** @param script the bundled worker entry (dist/feature-thread.js). */
  constructor(script: string) {
    this.worker = new Worker(script);
    this.worker.on('message', (m: HelperResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.output);
      else p.reject(m.userError ? new RgsError(m.message, { file: m.file, field: m.field }) : new Error(m.message));
    });
    const fail = (err: Error) => {
      this.failure = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', (err) => fail(new Error(`feature helper thread failed: ${err.message}`)));
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`feature helper thread exited (code ${code}) before answering`));
    });
    // An idle helper must not keep the process alive.
    this.worker.unref();
  }

  /** The families `families` of the ROI `input`, computed on the helper thread. */
  compute(input: FeatureInput, settings: FeatureSettings, families: Family[]): Promise<ExtractionOutput> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const request: HelperRequest = { id, input, settings, families };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage(request);
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    }) as Promise<ExtractionOutput>;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/**
 * A FeatureRunner (pipeline/extract-files.ts) that computes about half of each ROI's families
 * (by estimated cost) on `helper` while this thread computes the rest; the output is in the
 * same order, with the same values, as a single thread's.
 */
export function sharingFamiliesWith(helper: FeatureHelperThread) {
  return async (input: FeatureInput, settings: FeatureSettings): Promise<ExtractionOutput> => {
    const families = familiesToRun(settings);
    const [mine, theirs = []] = splitFamilies(families, input, settings, 2);
    if (theirs.length === 0) return extractFeatures(input, settings);
    // postMessage copies the ROI now, so this thread may go on with the same arrays.
    const remote = helper.compute(input, settings, theirs);
    remote.catch(() => undefined); // a local failure must not leave an unhandled rejection
    const local = extractFeatures(input, settings, mine);
    const other = await remote;
    const out: ExtractionOutput = { features: [], timings: [] };
    for (const family of families) {
      const from = mine.includes(family) ? local : other;
      for (const f of from.features) if (f.family === family) out.features.push(f);
      for (const t of from.timings) if (t.family === family) out.timings.push(t);
    }
    return out;
  };
}
