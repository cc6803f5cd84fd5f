/**
 * The first-order summary shared by the intensity-based statistics (IBSI 3.3) and the intensity
 * histogram (IBSI 3.4): both families define the same moments, order statistics and deviations,
 * the first over the raw intensities, the second over the discretised ones.
 *
 * The input is a histogram: counts[b] voxels have value values[b], values strictly ascending in b
 * (zero counts allowed). Working from counts keeps every feature O(number of distinct values)
 * after one pass over the voxels. Percentiles are those of numpy's default (linear interpolation
 * at rank (n - 1) q / 100), which the IBSI reference values were produced with.
 */
import { percentileOfHistogram } from '../util/quantile';

export interface FirstOrderSummary {
  /** Number of voxels. */
  n: number;
  mean: number;
  /** Biased (1/N) variance. */
  variance: number;
  /** Biased moment ratios; NaN (0/0) when the variance is 0. */
  skewness: number;
  /** Excess kurtosis; NaN when the variance is 0. */
  kurtosis: number;
  min: number;
  max: number;
  p10: number;
  p25: number;
  median: number;
  p75: number;
  p90: number;
  /** Mean absolute deviation from the mean. */
  meanAbsDev: number;
  /** Mean absolute deviation, from their own mean, of the voxels with P10 <= x <= P90. */
  robustMeanAbsDev: number;
  /** Mean absolute deviation from the median (IBSI's "median absolute deviation"). */
  medianAbsDev: number;
  /** Sum of squares. */
  energy: number;
}

/** The summary of a histogram; every field is NaN when it holds no voxels. */
export function summariseHistogram(values: ArrayLike<number>, counts: ArrayLike<number>, first: number, last: number): FirstOrderSummary {
  let n = 0;
  let sum = 0;
  let energy = 0;
  let min = NaN;
  let max = NaN;
  for (let b = first; b <= last; b++) {
    const c = counts[b];
    if (c === 0) continue;
    const v = values[b];
    if (n === 0) min = v;
    max = v;
    n += c;
    sum += c * v;
    energy += c * v * v;
  }
  if (n === 0) {
    return {
      n: 0,
      mean: NaN,
      variance: NaN,
      skewness: NaN,
      kurtosis: NaN,
      min: NaN,
      max: NaN,
      p10: NaN,
      p25: NaN,
      median: NaN,
      p75: NaN,
      p90: NaN,
      meanAbsDev: NaN,
      robustMeanAbsDev: NaN,
      medianAbsDev: NaN,
      energy: NaN,
    };
  }
  const mean = sum / n;
  const pct = (q: number) => percentileOfHistogram(counts, values, first, last, q);
  const p10 = pct(10);
  const p25 = pct(25);
  const median = pct(50);
  const p75 = pct(75);
  const p90 = pct(90);

  // Central moments in a second pass (stable for HU offsets of ~1000), with the deviations.
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  let absDev = 0;
  let medDev = 0;
  let robustN = 0;
  let robustSum = 0;
  for (let b = first; b <= last; b++) {
    const c = counts[b];
    if (c === 0) continue;
    const v = values[b];
    const d = v - mean;
    const d2 = d * d;
    m2 += c * d2;
    m3 += c * d2 * d;
    m4 += c * d2 * d2;
    absDev += c * Math.abs(d);
    medDev += c * Math.abs(v - median);
    // The robust subset is inclusive at both ends (IBSI 3.3.13 / 3.4.14).
    if (v >= p10 && v <= p90) {
      robustN += c;
      robustSum += c * v;
    }
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  const robustMean = robustSum / robustN;
  let robustDev = 0;
  for (let b = first; b <= last; b++) {
    const c = counts[b];
    const v = values[b];
    if (c !== 0 && v >= p10 && v <= p90) robustDev += c * Math.abs(v - robustMean);
  }

  return {
    n,
    mean,
    variance: m2,
    skewness: m2 === 0 ? NaN : m3 / Math.pow(m2, 1.5),
    kurtosis: m2 === 0 ? NaN : m4 / (m2 * m2) - 3,
    min,
    max,
    p10,
    p25,
    median,
    p75,
    p90,
    meanAbsDev: absDev / n,
    robustMeanAbsDev: robustDev / robustN,
    medianAbsDev: medDev / n,
    energy,
  };
}

/** a / b, or NaN when b is 0 (an undefined feature, never an infinity). */
export function ratioOrNaN(a: number, b: number): number {
  return b === 0 ? NaN : a / b;
}
