/**
 * The content-addressed feature cache. A task's key is the SHA-256 over the engine version, the
 * SHA-256 of its image, mask and any file its settings read, the canonical JSON of the
 * sequence's settings and the study's ROI specs: anything that can change a feature value. So
 * editing one sequence's settings recomputes only that sequence's tasks, adding subjects
 * computes only theirs, and a new engine version recomputes everything.
 *
 * Value: the task's outcome (feature rows + diagnostics) as JSON under
 * `<cache dir>/<first two hex digits>/<key>.json`, written atomically so that concurrent runs
 * (shards on a shared file system) and interrupted runs never leave half an entry. An entry
 * that cannot be read or does not match its key is a miss.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE_VERSION } from '../version';
import { writeFileAtomic } from '../util/atomic-write';
import { canonicalJson, sha256Hex } from './hashing';
import type { RunTask, TaskOutcome } from './tasks';

const FORMAT = 'rgs-cache/1';

export interface CacheKeyInputs {
  imageSha256: string;
  maskSha256: string;
  /** SHA-256 of task.extraFiles, in the same order. */
  extraSha256: string[];
}

export function cacheKey(task: Pick<RunTask, 'settings' | 'rois'>, inputs: CacheKeyInputs, engineVersion = ENGINE_VERSION): string {
  return sha256Hex(
    canonicalJson({
      format: FORMAT,
      engine: engineVersion,
      image: inputs.imageSha256,
      mask: inputs.maskSha256,
      extra: inputs.extraSha256,
      settings: task.settings,
      rois: task.rois.map((r) => ({ name: r.name, labels: r.labels })),
    }),
  );
}

export function cacheEntryPath(cacheDir: string, key: string): string {
  return join(cacheDir, key.slice(0, 2), `${key}.json`);
}

interface CacheEntry {
  format: typeof FORMAT;
  key: string;
  outcome: TaskOutcome;
}

function isOutcome(v: unknown): v is TaskOutcome {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Partial<TaskOutcome>;
  return (
    Array.isArray(o.rois) &&
    Array.isArray(o.roiErrors) &&
    o.rois.every((r) => typeof r?.roi === 'string' && Array.isArray(r.columns) && Array.isArray(r.values) && r.columns.length === r.values.length)
  );
}

/** The cached outcome of `key`, or null (absent, unreadable or damaged entries are misses). */
export function readCache(cacheDir: string, key: string): TaskOutcome | null {
  let text: string;
  try {
    text = readFileSync(cacheEntryPath(cacheDir, key), 'utf8');
  } catch {
    return null;
  }
  try {
    const entry = JSON.parse(text) as Partial<CacheEntry>;
    if (entry.format !== FORMAT || entry.key !== key || !isOutcome(entry.outcome)) return null;
    return entry.outcome;
  } catch {
    return null;
  }
}

export function writeCache(cacheDir: string, key: string, outcome: TaskOutcome): void {
  const path = cacheEntryPath(cacheDir, key);
  mkdirSync(join(path, '..'), { recursive: true });
  const entry: CacheEntry = { format: FORMAT, key, outcome };
  writeFileAtomic(path, JSON.stringify(entry));
}
