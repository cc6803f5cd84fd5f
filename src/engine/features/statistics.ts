/**
 * Intensity-based statistical features (IBSI 3.3), over the intensities of the intensity mask.
 *
 * The ROI intensities are first reduced to a histogram of their distinct values: by counting
 * when they are integers over a modest range (CT in HU: O(N), no sort), else by one sort of a
 * Float64Array copy. All features then come from that histogram (intensity-summary.ts).
 */
import type { FeatureInput, FeatureValue } from './types';
import { ratioOrNaN, summariseHistogram } from './intensity-summary';

/** Distinct ROI values ascending, and how many voxels hold each. */
export interface ValueHistogram {
  values: Float64Array;
  counts: Float64Array;
}

/** The histogram of the distinct intensities inside the mask. */
export function distinctValueHistogram(image: Float64Array, mask: Uint8Array): ValueHistogram {
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  let integers = true;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    const v = image[i];
    n++;
    if (v < min) min = v;
    if (v > max) max = v;
    if (integers && !Number.isInteger(v)) integers = false;
  }
  if (n === 0) return { values: new Float64Array(0), counts: new Float64Array(0) };

  const span = max - min + 1;
  if (integers && span <= 2 * n + 65536) {
    const counts = new Float64Array(span);
    for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) counts[image[i] - min]++;
    const values = new Float64Array(span);
    for (let b = 0; b < span; b++) values[b] = min + b;
    return { values, counts };
  }

  const sorted = new Float64Array(n);
  for (let i = 0, k = 0; i < mask.length; i++) if (mask[i] !== 0) sorted[k++] = image[i];
  sorted.sort();
  const values: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    values.push(sorted[i]);
    counts.push(j - i);
    i = j;
  }
  return { values: Float64Array.from(values), counts: Float64Array.from(counts) };
}

/**
 * The 18 statistics features. Undefined values are NaN: all of them for an empty ROI; skewness
 * and kurtosis when the variance is 0 (0/0); the coefficient of variation when the mean is 0;
 * the quartile coefficient of dispersion when P75 + P25 = 0; the robust mean absolute
 * deviation when no voxel lies in [P10, P90] (e.g. two voxels).
 */
export function computeStatistics(input: FeatureInput): FeatureValue[] {
  const h = distinctValueHistogram(input.image, input.intensityMask);
  const s = summariseHistogram(h.values, h.counts, 0, h.values.length - 1);
  const f = (feature: string, code: string, value: number): FeatureValue => ({
    family: 'stat',
    feature,
    ibsi_code: code,
    aggregation: '',
    value,
    standardised: true,
  });
  return [
    f('Mean intensity', 'Q4LE', s.mean),
    f('Intensity variance', 'ECT3', s.variance),
    f('Intensity skewness', 'KE2A', s.skewness),
    f('(Excess) intensity kurtosis', 'IPH6', s.kurtosis),
    f('Median intensity', 'Y12H', s.median),
    f('Minimum intensity', '1GSF', s.min),
    f('10th intensity percentile', 'QG58', s.p10),
    f('90th intensity percentile', '8DWT', s.p90),
    f('Maximum intensity', '84IY', s.max),
    f('Intensity interquartile range', 'SALO', s.p75 - s.p25),
    f('Intensity range', '2OJQ', s.max - s.min),
    f('Intensity-based mean absolute deviation', '4FUA', s.meanAbsDev),
    f('Intensity-based robust mean absolute deviation', '1128', s.robustMeanAbsDev),
    // N72L: IBSI's "median absolute deviation" is the mean absolute deviation from the median.
    f('Intensity-based median absolute deviation', 'N72L', s.medianAbsDev),
    f('Intensity-based coefficient of variation', '7TET', ratioOrNaN(Math.sqrt(s.variance), s.mean)),
    f('Intensity-based quartile coefficient of dispersion', '9S40', ratioOrNaN(s.p75 - s.p25, s.p75 + s.p25)),
    // N8CA: the plain sum of squares, without a voxel-volume factor (the IBSI reference values
    // are sum x^2: 567 for the digital phantom).
    f('Intensity-based energy', 'N8CA', s.energy),
    f('Root mean square intensity', '5ZWQ', Math.sqrt(s.energy / s.n)),
  ];
}
