/**
 * Stratified hold-out test set at the subject level, and the external-cohort split.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';
import { Fold, SplitInput, indexSubjects, internalSubjectsByStratum, rowsOfSubjects } from './subjects';

export interface HoldOutOptions {
  /** Fraction of the internal subjects put in the test set, in (0, 1). */
  testFraction: number;
  /** Seed (or generator) of the shuffle. */
  seed: number | Rng;
}

/**
 * How many of each stratum's subjects go to the test set: the total round(f * n) is shared out by
 * largest remainder (ties to the earlier stratum in sorted order), so each stratum gets
 * floor(f * n_c) or one more — within 1 of its ideal share.
 */
export function allocateTestCounts(sizes: readonly number[], fraction: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const total = Math.round(fraction * n);
  const counts = sizes.map((s) => Math.floor(fraction * s));
  let missing = total - counts.reduce((a, b) => a + b, 0);
  const byRemainder = sizes
    .map((s, i) => ({ i, rem: fraction * s - Math.floor(fraction * s) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of byRemainder) {
    if (missing <= 0) break;
    if (counts[i] < sizes[i]) {
      counts[i]++;
      missing--;
    }
  }
  return counts;
}

/**
 * Splits the internal subjects into a training and a test part, stratified, seeded. External
 * rows are in neither part. Deterministic given the seed and independent of row order.
 */
export function holdOutSplit(input: SplitInput, options: HoldOutOptions): Fold {
  const f = options.testFraction;
  if (!(f > 0 && f < 1)) throw new RgsError(`hold-out: testFraction must be in (0, 1), got ${f}`, { field: 'testFraction' });
  const index = indexSubjects(input);
  const byStratum = internalSubjectsByStratum(index);
  const groups = [...byStratum.values()];
  const counts = allocateTestCounts(groups.map((g) => g.length), f);
  const total = groups.reduce((a, g) => a + g.length, 0);
  const nTest = counts.reduce((a, b) => a + b, 0);
  if (nTest === 0 || nTest === total) {
    throw new RgsError(`hold-out: testFraction ${f} of ${total} subjects leaves an empty training or test set`, {
      field: 'testFraction',
    });
  }
  const rng = toRng(options.seed);
  const test: number[] = [];
  const train: number[] = [];
  groups.forEach((g, c) => {
    const order = rng.shuffle(g.slice());
    test.push(...order.slice(0, counts[c]));
    train.push(...order.slice(counts[c]));
  });
  return { train: rowsOfSubjects(index, train), test: rowsOfSubjects(index, test) };
}

/**
 * External validation: train (and tune) on every internal row, test on the external cohort's
 * rows only.
 */
export function externalTestSplit(input: SplitInput): Fold {
  const index = indexSubjects(input);
  const internal: number[] = [];
  const external: number[] = [];
  index.external.forEach((e, s) => (e ? external : internal).push(s));
  if (external.length === 0) throw new RgsError('external validation: no row is flagged as external', { field: 'external' });
  if (internal.length === 0) throw new RgsError('external validation: every row is external; nothing to train on', { field: 'external' });
  return { train: rowsOfSubjects(index, internal), test: rowsOfSubjects(index, external) };
}
