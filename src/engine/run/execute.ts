/**
 * What a worker does with one task: hash the inputs the main thread could not vouch for, look
 * the key up in the cache (another run may have computed it), otherwise extract every ROI of the
 * study from the image in one pass and store the outcome in the cache. Runs in a worker thread
 * (worker.ts) or, for tests and `--jobs 0`, in the calling thread.
 */
import { extractFromFiles } from '../pipeline/extract-files';
import { columnName, type RoiFeatures } from '../output/feature-table';
import { RgsError } from '../util/errors';
import { cacheKey, readCache, writeCache } from './cache';
import { hashFile, type HashedFile } from './hashing';
import { oneLine, type RoiResult, type RunTask, type TaskOutcome } from './tasks';

export interface TaskRequest {
  id: number;
  task: RunTask;
  /** path -> SHA-256 for the task's files whose identity the hash index vouches for. */
  known: Record<string, string>;
  /** null: do not read or write the cache. */
  cacheDir: string | null;
}

export type TaskReply =
  | { id: number; ok: true; outcome: TaskOutcome; cached: boolean; key: string; hashed: HashedFile[]; seconds: number }
  | { id: number; ok: false; message: string; internal: boolean; key: string | null; hashed: HashedFile[]; seconds: number };

/** Features of one ROI as plain data: NaN (undefined feature) -> null, -0 -> 0 (CSV and JSON cannot tell them apart). */
function roiResult(r: RoiFeatures): RoiResult {
  const columns: string[] = new Array<string>(r.features.length);
  const values: (number | null)[] = new Array<number | null>(r.features.length);
  r.features.forEach((f, i) => {
    columns[i] = columnName(f);
    values[i] = Number.isFinite(f.value) ? (f.value === 0 ? 0 : f.value) : null;
  });
  return { roi: r.roi, columns, values, diagnostics: r.diagnostics };
}

/** The message recorded for an error: RgsError text as is, anything else marked as a bug. */
export function errorMessage(err: unknown): { message: string; internal: boolean } {
  if (err instanceof RgsError) return { message: oneLine(err.message), internal: false };
  const msg = err instanceof Error ? err.message : String(err);
  return { message: `internal error: ${oneLine(msg)} (a bug: please report it)`, internal: true };
}

export function executeTask(req: TaskRequest): TaskReply {
  const t0 = performance.now();
  const seconds = () => (performance.now() - t0) / 1000;
  const hashed: HashedFile[] = [];
  let key: string | null = null;
  try {
    const { task } = req;
    const sha = (path: string): string => {
      const known = req.known[path];
      if (known !== undefined) return known;
      const h = hashFile(path);
      hashed.push(h);
      req.known[path] = h.sha256;
      return h.sha256;
    };
    key = cacheKey(task, { imageSha256: sha(task.imagePath), maskSha256: sha(task.maskPath), extraSha256: task.extraFiles.map(sha) });
    if (req.cacheDir !== null) {
      const hit = readCache(req.cacheDir, key);
      if (hit !== null) return { id: req.id, ok: true, outcome: hit, cached: true, key, hashed, seconds: seconds() };
    }
    const result = extractFromFiles({
      imagePath: task.imagePath,
      maskPath: task.maskPath,
      rois: [],
      roiSpecs: task.rois,
      continueOnRoiError: true,
      settings: task.settings,
    });
    const outcome: TaskOutcome = {
      rois: result.results.map(roiResult),
      roiErrors: result.roiErrors.map((e) => ({ roi: e.roi, message: oneLine(e.message) })),
    };
    // A task none of whose ROIs could be extracted is an error, reported again (not from the
    // cache) on the next run.
    if (req.cacheDir !== null && outcome.rois.length > 0) {
      try {
        writeCache(req.cacheDir, key, outcome);
      } catch {
        // The cache is an optimisation: a cache folder that cannot be written costs a
        // recomputation next time, not this task's result.
      }
    }
    return { id: req.id, ok: true, outcome, cached: false, key, hashed, seconds: seconds() };
  } catch (err) {
    return { id: req.id, ok: false, ...errorMessage(err), key, hashed, seconds: seconds() };
  }
}
