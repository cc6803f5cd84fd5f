/**
 * Shards: `--shard i/N` runs the i-th of N deterministic shares of a cohort. Subjects are
 * sorted by id and dealt round robin (shard i gets sorted positions i-1, i-1+N, ...), so shares
 * differ in size by at most one subject whatever the order of the manifest. (Which shard a
 * subject falls in does not matter to the cache: its keys are the files' contents.)
 */
import { RgsError } from '../util/errors';
import { compareIds } from './tasks';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** Parse "i/N" (1 <= i <= N). `what` names the option in errors. */
export function parseShard(text: string, what = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new RgsError(`${what}: expected i/N (e.g. 2/8: the second of 8 shares), got \`${text}\``, { field: what });
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1) throw new RgsError(`${what}: the number of shards must be at least 1, got ${m[2]}`, { field: what });
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    throw new RgsError(`${what}: shard ${m[1]} is not between 1 and ${count} (shards are numbered from 1)`, { field: what });
  }
  return { index, count };
}

export function formatShard(s: Shard): string {
  return `${s.index}/${s.count}`;
}

/** Sort by id, then keep the shard's share (all of them without a shard). */
export function selectShare<T extends { id: string }>(subjects: readonly T[], shard: Shard | null): T[] {
  const sorted = [...subjects].sort((a, b) => compareIds(a.id, b.id));
  if (shard === null) return sorted;
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
