/**
 * Intensity histogram features (IBSI 3.4), over the discretised grey levels of the intensity
 * mask. Everything is computed from the histogram counts over ALL bins 1..binCount (empty bins
 * included: they shape the gradient features), with bin b standing for grey level binValues[b].
 * Percentiles follow the IBSI reference implementations (numpy linear interpolation on the
 * per-voxel discretised values), computed from cumulative counts without expanding the voxels.
 */
import type { Discretised, FeatureInput, FeatureValue } from './types';
import { ratioOrNaN, summariseHistogram } from './intensity-summary';

/** Voxel count per bin (index 0 unused); bins outside 1..binCount are ignored. */
export function binCounts(d: Discretised): Float64Array {
  const counts = new Float64Array(d.binCount + 1);
  const bins = d.bins;
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i];
    if (b > 0 && b <= d.binCount) counts[b]++;
  }
  return counts;
}

/**
 * The 23 intensity histogram features. binValues must ascend with the bin number (they do for
 * FBS, FBN and integer intensities). Undefined values are NaN: all of them for an empty ROI;
 * skewness and kurtosis for a single occupied grey level (variance 0); the coefficient of
 * variation when the mean is 0; the quartile coefficient of dispersion when P75 + P25 = 0;
 * the robust mean absolute deviation when no voxel lies in [P10, P90] (e.g. two voxels).
 */
export function computeIntensityHistogram(input: FeatureInput): FeatureValue[] {
  const d = input.discretised;
  const ng = d.binCount;
  const g = d.binValues;
  for (let b = 2; b <= ng; b++) {
    if (!(g[b] > g[b - 1])) throw new Error(`intensity histogram: binValues must ascend (bin ${b - 1}: ${g[b - 1]}, bin ${b}: ${g[b]})`);
  }
  const counts = binCounts(d);
  const s = summariseHistogram(g, counts, 1, ng);
  const n = s.n;
  const mean = s.mean;

  let uniformity = 0;
  let entropy = 0;
  for (let b = 1; b <= ng; b++) {
    if (counts[b] === 0) continue;
    const p = counts[b] / n;
    uniformity += p * p;
    // TLU2: Shannon entropy in bits over the occupied bins (0 log 0 = 0).
    entropy -= p * Math.log2(p);
  }

  // AMMC: the most populated bin; ties go to the bin closest to the mean, and among equally
  // close ones to the lowest grey level (the IBSI reference implementation's rule).
  let mode = NaN;
  let modeCount = -1;
  for (let b = 1; b <= ng; b++) {
    const c = counts[b];
    if (c > modeCount || (c === modeCount && Math.abs(g[b] - mean) < Math.abs(mode - mean))) {
      modeCount = c;
      mode = g[b];
    }
  }
  if (n === 0) mode = NaN;

  // 12CE/8E6O/VQB3/RHQZ: histogram gradient by central differences inside, one-sided first
  // differences at the two ends (numpy.gradient, as the reference implementation); the
  // intensity is that of the first bin reaching the extreme.
  let maxGrad = -Infinity;
  let minGrad = Infinity;
  let maxGradAt = NaN;
  let minGradAt = NaN;
  for (let b = 1; b <= ng; b++) {
    let grad: number;
    if (ng === 1) grad = 0;
    else if (b === 1) grad = counts[2] - counts[1];
    else if (b === ng) grad = counts[ng] - counts[ng - 1];
    else grad = (counts[b + 1] - counts[b - 1]) / 2;
    if (grad > maxGrad) {
      maxGrad = grad;
      maxGradAt = g[b];
    }
    if (grad < minGrad) {
      minGrad = grad;
      minGradAt = g[b];
    }
  }
  if (n === 0) maxGrad = minGrad = maxGradAt = minGradAt = NaN;

  const f = (feature: string, code: string, value: number): FeatureValue => ({
    family: 'ih',
    feature,
    ibsi_code: code,
    aggregation: '',
    value,
    standardised: true,
  });
  return [
    f('Mean discretised intensity', 'X6K6', mean),
    f('Discretised intensity variance', 'CH89', s.variance),
    f('Discretised intensity skewness', '88K1', s.skewness),
    f('(Excess) discretised intensity kurtosis', 'C3I7', s.kurtosis),
    f('Median discretised intensity', 'WIFQ', s.median),
    f('Minimum discretised intensity', '1PR8', s.min),
    f('10th discretised intensity percentile', 'GPMT', s.p10),
    f('90th discretised intensity percentile', 'OZ0C', s.p90),
    f('Maximum discretised intensity', '3NCY', s.max),
    f('Intensity histogram mode', 'AMMC', mode),
    f('Discretised intensity interquartile range', 'WR0O', s.p75 - s.p25),
    f('Discretised intensity range', '5Z3W', s.max - s.min),
    f('Intensity histogram mean absolute deviation', 'D2ZX', s.meanAbsDev),
    f('Intensity histogram robust mean absolute deviation', 'WRZB', s.robustMeanAbsDev),
    f('Intensity histogram median absolute deviation', '4RNL', s.medianAbsDev),
    f('Intensity histogram coefficient of variation', 'CWYJ', ratioOrNaN(Math.sqrt(s.variance), s.mean)),
    f('Intensity histogram quartile coefficient of dispersion', 'SLWD', ratioOrNaN(s.p75 - s.p25, s.p75 + s.p25)),
    f('Discretised intensity entropy', 'TLU2', n > 0 ? entropy : NaN),
    f('Discretised intensity uniformity', 'BJ5W', n > 0 ? uniformity : NaN),
    f('Maximum histogram gradient', '12CE', maxGrad),
    f('Maximum histogram gradient intensity', '8E6O', maxGradAt),
    f('Minimum histogram gradient', 'VQB3', minGrad),
    f('Minimum histogram gradient intensity', 'RHQZ', minGradAt),
  ];
}
