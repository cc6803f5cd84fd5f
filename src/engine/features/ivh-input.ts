/**
 * The intensities the intensity-volume histogram works on (IBSI 4.1, "Discretisation" of the
 * IVH family) and the grid it is evaluated on:
 *
 * - none: the intensities as they are (integers: CT HU after rounding), grid step 1 (digital
 *   phantom; CT configs A, B, D).
 * - fbs: bins b = floor((x - a) / w) + 1 from a = the lower re-segmentation bound (else the ROI
 *   minimum), each voxel replaced by its bin centre a + (b - 0.5) w; grid step w, starting at the
 *   centre of bin 1 (config C).
 * - fbn: bins b = floor(Ng (x - min) / (max - min)) + 1 over the ROI minimum and maximum (the
 *   re-segmentation range is not used), x = max going to bin Ng; the bin numbers 1..Ng are the
 *   intensities and the grid is 1..Ng (config E: the reference values are bin numbers).
 *
 * The fractional intensity gamma runs over the grid [min, max]. Its lower end is the lower
 * re-segmentation bound when there is one (for fbs: the centre of bin 1); with the ROI minimum
 * instead, the CT phantom config C volume fraction at 10% intensity falls outside its tolerance.
 * Its upper end is the ROI maximum (for fbs: the centre of its bin), not the upper
 * re-segmentation bound that MIRP uses: with the ROI maximum, config A's volume fraction at 90%
 * intensity is reproduced exactly (one voxel more at or above gamma = 0.9), with the bound only
 * within its tolerance; configs B-D come out the same either way.
 */
import type { IvhInput } from './types';
import { RgsError } from '../util/errors';

export type IvhDiscretisation = { method: 'none' } | { method: 'fbs'; binWidth: number } | { method: 'fbn'; binCount: number };

/** The most grid levels an IVH may have (its curve holds three doubles per level). */
export const MAX_IVH_LEVELS = 2_000_000;

export interface IntensityRange {
  lower: number | null;
  upper: number | null;
}

export function buildIvhInput(
  image: Float64Array,
  intensityMask: Uint8Array,
  spec: IvhDiscretisation,
  range?: IntensityRange,
): IvhInput {
  const n = image.length;
  let roiMin = Infinity;
  let roiMax = -Infinity;
  let voxels = 0;
  for (let i = 0; i < n; i++) {
    if (intensityMask[i] === 0) continue;
    const v = image[i];
    if (v < roiMin) roiMin = v;
    if (v > roiMax) roiMax = v;
    voxels++;
  }
  const values = new Float64Array(n);
  if (voxels === 0) return { values, min: NaN, max: NaN, step: NaN };
  // The upper re-segmentation bound does not enter (see above); the mask already applies it.
  const lower = range?.lower ?? null;

  switch (spec.method) {
    case 'none': {
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] === 0) continue;
        const v = image[i];
        // The IVH without discretisation is evaluated on integer intensity steps (CT HU after
        // rounding); non-integer intensities need a bin width or bin count instead.
        if (!Number.isInteger(v)) {
          const fix = 'set the IVH discretisation to fbs (bin width) or fbn (bin count)';
          throw new RgsError(`IVH discretisation 'none' needs integer intensities, but the ROI contains ${v}; ${fix}`, {
            field: 'ivh discretisation',
          });
        }
        values[i] = v;
      }
      // Integer grid: a fractional lower bound moves up to the first integer above it.
      const min = Math.min(Math.ceil(lower ?? roiMin), roiMin);
      checkLevels(roiMax - min + 1, 'the intensity range is');
      return { values, min, max: roiMax, step: 1 };
    }
    case 'fbs': {
      const w = spec.binWidth;
      if (!(w > 0) || !Number.isFinite(w)) {
        throw new RgsError(`IVH bin width must be a positive number, got ${w}`, { field: 'ivh discretisation' });
      }
      const a = lower ?? roiMin;
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] === 0) continue;
        // Values below a (only when the mask does not apply the range) go to bin 1, as MIRP does.
        const b = Math.max(1, Math.floor((image[i] - a) / w) + 1);
        values[i] = a + (b - 0.5) * w;
      }
      const lastBin = Math.max(1, Math.floor((roiMax - a) / w) + 1);
      checkLevels(lastBin, `the bin width ${w} gives`);
      return { values, min: a + 0.5 * w, max: a + (lastBin - 0.5) * w, step: w };
    }
    case 'fbn': {
      const ng = spec.binCount;
      if (!Number.isInteger(ng) || ng < 1) {
        throw new RgsError(`IVH bin count must be a positive integer, got ${ng}`, { field: 'ivh discretisation' });
      }
      checkLevels(ng, 'the bin count is');
      const span = roiMax - roiMin;
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] === 0) continue;
        // A constant ROI has no span: every voxel goes to bin 1.
        const b = span > 0 ? Math.floor((ng * (image[i] - roiMin)) / span) + 1 : 1;
        values[i] = Math.min(ng, Math.max(1, b));
      }
      return { values, min: 1, max: ng, step: 1 };
    }
  }
}

function checkLevels(levels: number, what: string): void {
  if (levels > MAX_IVH_LEVELS) {
    const fix = 'use a coarser IVH discretisation (fbs with a larger bin width, or fbn)';
    throw new RgsError(`IVH: ${what} ${levels} levels, more than ${MAX_IVH_LEVELS}; ${fix}`, { field: 'ivh discretisation' });
  }
}
