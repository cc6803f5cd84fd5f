/**
 * Intensity normalisation (IBSI 2.3, "Intensity and spatial normalisation"), for MR images whose
 * intensities have no absolute scale:
 *
 * - zscore: (x - mean) / SD over a reference region (the ROI itself, or a reference mask such as
 *   the brain); SD is the population SD (numpy's std);
 * - percentile: the lower and upper percentiles of the reference region map to 0 and 1
 *   (percentiles as numpy's default: linear between the order statistics at rank (n - 1) q / 100);
 * - range: a fixed [min, max] maps to [0, 1].
 *
 * Every method is an affine map y = scale x + offset, computed here and applied by the caller.
 * The pipeline computes it on the ORIGINAL grid, before resampling: the reference region (a
 * brain mask, or the ROI as drawn) is defined on the acquired voxels, and its statistics should
 * not depend on the interpolation grid or on interpolation smoothing. Because interpolation
 * weights sum to 1, interpolating the mapped image equals mapping the interpolated one, so the
 * map is applied to the resampled values, before any rounding.
 */
import type { NormalisationSettings } from '../settings/types';
import type { Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';

const FIELD = 'preprocessing.normalisation';
const REF_FIELD = 'preprocessing.normalisation.reference';

/** The map and the statistics it came from (JSON-able, for the output's settings record). */
export interface NormalisationParameters {
  method: NormalisationSettings['method'];
  /** y = scale x + offset. */
  scale: number;
  offset: number;
  /** 'roi', the reference mask file, or null for methods without a reference region. */
  reference: string | null;
  referenceLabel?: number;
  referenceVoxels?: number;
  mean?: number;
  sd?: number;
  lowerPercentile?: number;
  upperPercentile?: number;
  /** Intensities at the lower and upper percentiles. */
  lowerValue?: number;
  upperValue?: number;
  min?: number;
  max?: number;
}

/** A label image on the image's grid from which the reference region is taken. */
export interface ReferenceMask {
  file: string;
  dims: Vec3;
  data: ArrayLike<number>;
}

export const IDENTITY_NORMALISATION: NormalisationParameters = { method: 'none', scale: 1, offset: 0, reference: null };

/** Whether the method needs a reference region and, if so, which. */
export function referenceOf(s: NormalisationSettings): 'roi' | { mask: string; label?: number } | null {
  return s.method === 'zscore' || s.method === 'percentile' ? s.reference : null;
}

/**
 * The reference region (0/1 on the image grid) of a reference mask file: voxels equal to
 * `label`, or all non-zero voxels when no label is given.
 */
export function referenceRegion(ref: { mask: string; label?: number }, loaded: ReferenceMask | undefined, imageDims: Vec3): Uint8Array {
  if (loaded === undefined) {
    throw new RgsError(`${REF_FIELD}: the reference mask ${ref.mask} is needed for normalisation but was not given`, { field: REF_FIELD, file: ref.mask });
  }
  if (loaded.dims[0] !== imageDims[0] || loaded.dims[1] !== imageDims[1] || loaded.dims[2] !== imageDims[2]) {
    throw new RgsError(
      `${REF_FIELD}: the reference mask ${loaded.file} has dimensions ${loaded.dims.join('x')}, the image ${imageDims.join('x')}`,
      { field: REF_FIELD, file: loaded.file },
    );
  }
  const out = new Uint8Array(loaded.data.length);
  let count = 0;
  for (let i = 0; i < out.length; i++) {
    const v = loaded.data[i];
    if (ref.label === undefined ? v !== 0 : v === ref.label) {
      out[i] = 1;
      count++;
    }
  }
  if (count === 0) {
    throw new RgsError(
      ref.label === undefined
        ? `${REF_FIELD}: the reference mask ${loaded.file} is empty`
        : `${REF_FIELD}: label ${ref.label} is absent from the reference mask ${loaded.file}`,
      { field: REF_FIELD, file: loaded.file },
    );
  }
  return out;
}

/**
 * The normalisation map for the image, with `region` (0/1 on the image grid) the reference region
 * for zscore/percentile (ignored for range/none). `regionName` names it in messages and in the
 * parameters ('roi' or the mask file).
 */
export function normalisationParameters(
  image: ArrayLike<number>,
  region: ArrayLike<number> | null,
  s: NormalisationSettings,
  regionName = 'roi',
): NormalisationParameters {
  switch (s.method) {
    case 'none':
      return { ...IDENTITY_NORMALISATION };
    case 'range': {
      if (!(Number.isFinite(s.min) && Number.isFinite(s.max) && s.max > s.min)) {
        throw new RgsError(`${FIELD}: the range method needs min < max, got [${s.min}, ${s.max}]`, { field: FIELD });
      }
      const w = s.max - s.min;
      return { method: 'range', scale: 1 / w, offset: -s.min / w, reference: null, min: s.min, max: s.max };
    }
    case 'zscore': {
      const values = regionValues(image, region, regionName);
      let sum = 0;
      for (let i = 0; i < values.length; i++) sum += values[i];
      const mean = sum / values.length;
      let ss = 0;
      for (let i = 0; i < values.length; i++) ss += (values[i] - mean) * (values[i] - mean);
      const sd = Math.sqrt(ss / values.length);
      if (!(sd > 0)) {
        throw new RgsError(`${REF_FIELD}: z-score normalisation is undefined: the intensities over ${regionName} are constant (SD 0)`, { field: REF_FIELD });
      }
      return { method: 'zscore', scale: 1 / sd, offset: -mean / sd, reference: regionName, referenceVoxels: values.length, mean, sd };
    }
    case 'percentile': {
      if (!(s.lower >= 0 && s.upper <= 100 && s.lower < s.upper)) {
        throw new RgsError(`${FIELD}: percentiles must satisfy 0 <= lower < upper <= 100, got ${s.lower} and ${s.upper}`, { field: FIELD });
      }
      const values = regionValues(image, region, regionName).sort();
      const lo = percentileOfSorted(values, s.lower);
      const hi = percentileOfSorted(values, s.upper);
      if (!(hi > lo)) {
        throw new RgsError(
          `${REF_FIELD}: percentile normalisation is undefined: percentiles ${s.lower} and ${s.upper} over ${regionName} are equal (${lo})`,
          { field: REF_FIELD },
        );
      }
      const w = hi - lo;
      return {
        method: 'percentile',
        scale: 1 / w,
        offset: -lo / w,
        reference: regionName,
        referenceVoxels: values.length,
        lowerPercentile: s.lower,
        upperPercentile: s.upper,
        lowerValue: lo,
        upperValue: hi,
      };
    }
  }
}

function regionValues(image: ArrayLike<number>, region: ArrayLike<number> | null, regionName: string): Float64Array {
  if (region === null) throw new RgsError(`${REF_FIELD}: no reference region (${regionName}) for normalisation`, { field: REF_FIELD });
  let n = 0;
  for (let i = 0; i < region.length; i++) if (region[i] !== 0) n++;
  if (n === 0) throw new RgsError(`${REF_FIELD}: the reference region (${regionName}) is empty`, { field: REF_FIELD });
  const out = new Float64Array(n);
  let q = 0;
  for (let i = 0; i < region.length; i++) if (region[i] !== 0) out[q++] = image[i];
  return out;
}

/** numpy's default percentile of ascending values: linear at the 0-based rank h = (n - 1) q / 100. */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1];
  const t = h - lo;
  return t === 0 ? sorted[lo] : sorted[lo] + (sorted[lo + 1] - sorted[lo]) * t;
}

/** Apply y = scale x + offset in place. */
export function applyNormalisation(data: Float64Array, p: NormalisationParameters): void {
  if (p.scale === 1 && p.offset === 0) return;
  for (let i = 0; i < data.length; i++) data[i] = p.scale * data[i] + p.offset;
}

/** Convenience: the normalised copy of an image and the parameters used. */
export function normalise(
  image: Float64Array,
  region: ArrayLike<number> | null,
  s: NormalisationSettings,
  regionName = 'roi',
): { image: Float64Array; parameters: NormalisationParameters } {
  const parameters = normalisationParameters(image, region, s, regionName);
  const out = Float64Array.from(image);
  applyNormalisation(out, parameters);
  return { image: out, parameters };
}
