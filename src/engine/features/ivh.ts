/**
 * Intensity-volume histogram features (IBSI 4.1).
 *
 * The IVH is evaluated on the discrete intensity grid g_k = min + k * step, k = 0..L-1, of the
 * IvhInput (see ivh-input.ts for how each discretisation sets it up). At each g_k:
 * - the fractional volume nu_k = 1 - (number of voxels with intensity < g_k) / N, the fraction of
 *   the ROI at or above g_k;
 * - the fractional intensity gamma_k = (g_k - min) / (max - min).
 * Empty grid levels count: the intensity at x% volume can be an intensity no voxel has (on the
 * digital phantom, the intensity at 10% volume is one of its empty levels).
 */
import type { FeatureInput, FeatureValue, IvhInput } from './types';

export interface IvhCurve {
  /** Intensity g_k of each grid level. */
  intensity: Float64Array;
  /** Fractional intensity gamma_k. */
  gamma: Float64Array;
  /** Fractional volume nu_k. */
  nu: Float64Array;
}

/** The IVH curve of the intensity-mask voxels, or null for an empty ROI. */
export function ivhCurve(ivh: IvhInput, intensityMask: Uint8Array): IvhCurve | null {
  const { min, max, step } = ivh;
  if (!Number.isFinite(min) || !Number.isFinite(max) || !(step > 0) || max < min) return null;
  const levels = Math.round((max - min) / step) + 1;
  const counts = new Float64Array(levels);
  let n = 0;
  const values = ivh.values;
  for (let i = 0; i < values.length; i++) {
    if (intensityMask[i] === 0) continue;
    const k = Math.round((values[i] - min) / step);
    if (!(k >= 0 && k < levels)) {
      throw new Error(`IVH: intensity ${values[i]} lies outside the IVH grid [${min}, ${max}] (step ${step})`);
    }
    counts[k]++;
    n++;
  }
  if (n === 0) return null;
  const intensity = new Float64Array(levels);
  const gamma = new Float64Array(levels);
  const nu = new Float64Array(levels);
  let below = 0;
  for (let k = 0; k < levels; k++) {
    const g = min + k * step;
    intensity[k] = g;
    gamma[k] = (g - min) / (max - min);
    nu[k] = 1 - below / n;
    below += counts[k];
  }
  return { intensity, gamma, nu };
}

/** Volume fraction at x intensity (x in [0, 1]): the largest nu over the levels with gamma >= x. */
export function volumeAtIntensityFraction(curve: IvhCurve, x: number): number {
  let best = NaN;
  for (let k = 0; k < curve.gamma.length; k++) {
    if (curve.gamma[k] >= x && !(curve.nu[k] <= best)) best = curve.nu[k];
  }
  return best;
}

/**
 * Intensity at x volume (x in [0, 1]): the lowest grid intensity whose fractional volume is at
 * most x. When even the highest level holds more than x of the volume, the next level up
 * (max + step, where nu = 0) — the reference implementation returns a bin count there instead.
 */
export function intensityAtVolumeFraction(curve: IvhCurve, x: number, step: number): number {
  for (let k = 0; k < curve.nu.length; k++) {
    if (curve.nu[k] <= x) return curve.intensity[k];
  }
  return curve.intensity[curve.intensity.length - 1] + step;
}

/** Trapezoidal area under nu(gamma) (9CMM); 0 for a single-level grid. */
export function ivhArea(curve: IvhCurve): number {
  let area = 0;
  for (let k = 1; k < curve.nu.length; k++) {
    area += ((curve.nu[k] + curve.nu[k - 1]) / 2) * (curve.gamma[k] - curve.gamma[k - 1]);
  }
  return area;
}

/**
 * NK6P, 4279, PWN1, BOHI, WITY, JXJA and the area under the IVH curve 9CMM (not standardised:
 * IBSI gives no reference value). All NaN for an empty ROI; the volume fractions (and 9CMM) are
 * NaN when the grid has a single level (max = min: gamma is 0/0).
 */
export function computeIvh(input: FeatureInput): FeatureValue[] {
  const curve = ivhCurve(input.ivh, input.intensityMask);
  // A single-level grid has no fractional intensity (0/0).
  const flat = input.ivh.max === input.ivh.min;
  const v10 = curve === null || flat ? NaN : volumeAtIntensityFraction(curve, 0.1);
  const v90 = curve === null || flat ? NaN : volumeAtIntensityFraction(curve, 0.9);
  const i10 = curve === null ? NaN : intensityAtVolumeFraction(curve, 0.1, input.ivh.step);
  const i90 = curve === null ? NaN : intensityAtVolumeFraction(curve, 0.9, input.ivh.step);
  const auc = curve === null || flat ? NaN : ivhArea(curve);
  const f = (feature: string, code: string, value: number, standardised = true): FeatureValue => ({
    family: 'ivh',
    feature,
    ibsi_code: code,
    aggregation: '',
    value,
    standardised,
  });
  return [
    f('Volume fraction at 10% intensity', 'NK6P', v10),
    f('Volume fraction at 90% intensity', '4279', v90),
    f('Intensity at 10% volume', 'PWN1', i10),
    f('Intensity at 90% volume', 'BOHI', i90),
    f('Volume fraction difference between 10% and 90% intensity', 'WITY', v10 - v90),
    f('Intensity difference between 10% and 90% volume', 'JXJA', i10 - i90),
    f('Area under the IVH curve', '9CMM', auc, false),
  ];
}
