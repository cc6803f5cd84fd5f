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
import { extractFeatures, familiesToRun, workUnitsToRun, type ExtractionOutput, type WorkUnit } from './extract';
import { AUTOCORRELATION_CODES } from './morphology';
import { splitFamilies } from './split-families';
import type { Family, FeatureInput, FeatureValue } from './types';

/** What the main thread sends: one share of one ROI's families. */
export interface HelperRequest {
  id: number;
  input: FeatureInput;
  settings: FeatureSettings;
  families: WorkUnit[];
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
  compute(input: FeatureInput, settings: FeatureSettings, families: WorkUnit[]): Promise<ExtractionOutput> {
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
 * One output from two shares, in the order one thread would give: family by family; within the
 * morphological family, whichever share computed the shape features first, then Moran's I and
 * Geary's C (always the family's last two, whichever share computed them). A family's time is
 * the sum of its parts.
 */
export function mergeShares(families: readonly Family[], a: ExtractionOutput, b: ExtractionOutput): ExtractionOutput {
  const out: ExtractionOutput = { features: [], timings: [] };
  const isAutocorrelation = (f: FeatureValue) => f.family === 'morph' && AUTOCORRELATION_CODES.includes(f.ibsi_code);
  for (const family of families) {
    for (const pass of [false, true]) {
      for (const from of [a, b]) for (const f of from.features) if (f.family === family && isAutocorrelation(f) === pass) out.features.push(f);
    }
    const parts = [...a.timings, ...b.timings].filter((t) => t.family === family);
    if (parts.length > 0) out.timings.push({ family, milliseconds: parts.reduce((s, t) => s + t.milliseconds, 0) });
  }
  return out;
}

/**
 * A FeatureRunner (pipeline/extract-files.ts) that computes about half of each ROI's families
 * (by estimated cost) on `helper` while this thread computes the rest; the output is in the
 * same order, with the same values, as a single thread's.
 */
export function sharingFamiliesWith(helper: FeatureHelperThread) {
  return async (input: FeatureInput, settings: FeatureSettings): Promise<ExtractionOutput> => {
    const [mine, theirs = []] = splitFamilies(workUnitsToRun(settings), input, settings, 2);
    if (theirs.length === 0) return extractFeatures(input, settings);
    // postMessage copies the ROI now, so this thread may go on with the same arrays.
    const remote = helper.compute(input, settings, theirs);
    remote.catch(() => undefined); // a local failure must not leave an unhandled rejection
    const local = extractFeatures(input, settings, mine);
    return mergeShares(familiesToRun(settings), local, await remote);
  };
}
