/**
 * Corrected resampled t-test for comparing two models on the same resampling splits
 * (Nadeau & Bengio, Machine Learning 52:239-281, 2003; applied to repeated k-fold CV by
 * Bouckaert & Frank, PAKDD 2004).
 *
 * The J = k·r per-split score differences d_j = a_j - b_j are not independent (training sets
 * overlap), so the naive t-test's variance σ²/J is far too small. Nadeau & Bengio's corrected
 * variance replaces 1/J by (1/J + n_test/n_train):
 *   t = d̄ / √((1/J + n_test/n_train) · σ̂²),  σ̂² = Σ(d_j - d̄)²/(J - 1),
 * referred to Student's t with J - 1 degrees of freedom (two-sided p).
 */
import { RgsError } from '../../util/errors';
import { studentTTwoSidedP } from './distributions';

export interface CorrectedTTestOptions {
  /**
   * n_test / n_train of the splits (e.g. 1/(k - 1) for k-fold CV); when folds differ in size,
   * the mean ratio.
   */
  testTrainRatio: number;
}

export interface CorrectedTTest {
  /** Mean of a_j - b_j. */
  meanDifference: number;
  /** Sample variance of the differences. */
  variance: number;
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Compares two models' scores on the same J splits (scoresA[j], scoresB[j] from split j).
 * When all differences are equal, σ̂² = 0: t is ±Infinity (p = 0), or NaN if they are all 0.
 */
export function correctedResampledTTest(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: CorrectedTTestOptions,
): CorrectedTTest {
  const J = scoresA.length;
  if (scoresB.length !== J) throw new RgsError(`corrected t-test: ${J} scores for model A but ${scoresB.length} for model B`);
  if (J < 2) throw new RgsError(`corrected t-test: needs at least 2 paired scores, got ${J}`);
  const ratio = options.testTrainRatio;
  if (!(ratio > 0 && Number.isFinite(ratio))) {
    throw new RgsError(`corrected t-test: testTrainRatio must be positive, got ${ratio}`, { field: 'testTrainRatio' });
  }
  const d = new Float64Array(J);
  let mean = 0;
  for (let j = 0; j < J; j++) {
    d[j] = scoresA[j] - scoresB[j];
    if (!Number.isFinite(d[j])) throw new RgsError(`corrected t-test: score pair ${j + 1} is not finite`);
    mean += d[j];
  }
  mean /= J;
  let ss = 0;
  for (let j = 0; j < J; j++) ss += (d[j] - mean) * (d[j] - mean);
  const variance = ss / (J - 1);
  const t = mean / Math.sqrt((1 / J + ratio) * variance);
  const df = J - 1;
  return { meanDifference: mean, variance, t, df, p: Number.isNaN(t) ? NaN : studentTTwoSidedP(t, df) };
}
