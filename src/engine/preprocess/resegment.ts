/**
 * Re-segmentation (IBSI 2.5): the intensity mask is the morphological mask restricted to the
 * voxels whose intensity lies in an interval, both ends inclusive.
 *
 * - range re-segmentation: [lower, upper] from the settings (either end may be open);
 * - outlier filtering: [mean - sigma SD, mean + sigma SD], mean and SD (population, as numpy's
 *   std) over the morphological mask, i.e. the whole ROI before any range re-segmentation.
 *
 * When both are set (IBSI config E), the interval is their intersection: the outlier statistics
 * are those of the whole ROI, not of the range-resegmented voxels (MIRP's resegmentise_mask
 * computes them on the ROI and then intersects the two intervals; the IBSI config E reference
 * values follow it).
 */
import type { ResegmentationSettings } from '../settings/types';
import { RgsError } from '../util/errors';

export interface ResegmentationInterval {
  /** Effective inclusive bounds (null = open). */
  lower: number | null;
  upper: number | null;
  /** The outlier filter's statistics over the morphological mask, when it is on. */
  outlier: { mean: number; sd: number; lower: number; upper: number } | null;
}

function checkSettings(s: ResegmentationSettings): void {
  const r = s.range;
  if (r !== null && r.lower !== null && r.upper !== null && r.lower > r.upper) {
    throw new RgsError(`preprocessing.resegmentation.range: lower bound ${r.lower} is above the upper bound ${r.upper}`, {
      field: 'preprocessing.resegmentation.range',
    });
  }
  if (s.outlierSigma !== null && !(s.outlierSigma > 0 && Number.isFinite(s.outlierSigma))) {
    throw new RgsError(`preprocessing.resegmentation.outlier_sigma: must be a positive number (IBSI: 3), got ${s.outlierSigma}`, {
      field: 'preprocessing.resegmentation.outlier_sigma',
    });
  }
}

/** The interval the intensity mask keeps, given the image and the morphological mask. */
export function resegmentationInterval(image: ArrayLike<number>, morphMask: Uint8Array, s: ResegmentationSettings): ResegmentationInterval {
  checkSettings(s);
  let lower = s.range?.lower ?? null;
  let upper = s.range?.upper ?? null;
  let outlier: ResegmentationInterval['outlier'] = null;
  if (s.outlierSigma !== null) {
    let n = 0;
    let sum = 0;
    for (let i = 0; i < morphMask.length; i++) {
      if (morphMask[i] !== 0) {
        sum += image[i];
        n++;
      }
    }
    if (n > 0) {
      const mean = sum / n;
      let ss = 0;
      for (let i = 0; i < morphMask.length; i++) {
        if (morphMask[i] !== 0) {
          const d = image[i] - mean;
          ss += d * d;
        }
      }
      const sd = Math.sqrt(ss / n);
      const lo = mean - s.outlierSigma * sd;
      const hi = mean + s.outlierSigma * sd;
      outlier = { mean, sd, lower: lo, upper: hi };
      lower = lower === null ? lo : Math.max(lower, lo);
      upper = upper === null ? hi : Math.min(upper, hi);
    }
  }
  return { lower, upper, outlier };
}

/** Keep the morphological-mask voxels whose intensity lies in [lower, upper]. */
export function applyInterval(image: ArrayLike<number>, morphMask: Uint8Array, interval: { lower: number | null; upper: number | null }): Uint8Array {
  const lo = interval.lower ?? -Infinity;
  const hi = interval.upper ?? Infinity;
  const out = new Uint8Array(morphMask.length);
  for (let i = 0; i < morphMask.length; i++) {
    if (morphMask[i] === 0) continue;
    const v = image[i];
    out[i] = v >= lo && v <= hi ? 1 : 0;
  }
  return out;
}

/** The intensity mask: morphological mask AND range AND (if set) within mean ± sigma SD of the ROI. */
export function resegment(image: ArrayLike<number>, morphMask: Uint8Array, s: ResegmentationSettings): Uint8Array {
  return applyInterval(image, morphMask, resegmentationInterval(image, morphMask, s));
}
