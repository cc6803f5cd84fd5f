/**
 * Intensity discretisation (IBSI 2.7) for the intensity histogram and the texture families.
 *
 * - fbs (fixed bin size w, IBSI 2.7 "FBS"): b = floor((x - a) / w) + 1, with a the lower bound
 *   of the re-segmentation range when one is set, else the ROI minimum (IBSI; PyRadiomics
 *   anchors the bins at 0, which IBSI does not). Bin count = the highest bin in the ROI.
 * - fbn (fixed bin number Ng, IBSI 2.7 "FBN"): b = floor(Ng (x - min) / (max - min)) + 1 over the
 *   intensity mask's min and max, with x = max in bin Ng.
 * - none: the intensities are the grey levels and must be integers; bins run from the ROI
 *   minimum to its maximum, bin b having grey level min + b - 1.
 *
 * Bins are contiguous 1..binCount, empty ones included; binValues[b] is the grey level features
 * use (the bin number for fbs/fbn).
 */
import type { Discretised } from '../features/types';
import type { DiscretisationSettings } from '../settings/types';
import { RgsError } from '../util/errors';

export interface DiscretisationRange {
  lower: number | null;
  upper: number | null;
}

/** What the discretisation used, for the output's settings record. */
export interface DiscretisationParameters {
  method: DiscretisationSettings['method'];
  /** fbs: the lower edge of bin 1 (a). */
  lowerBound?: number;
  binWidth?: number;
  /** Intensity-mask minimum and maximum. */
  roiMin: number;
  roiMax: number;
  binCount: number;
}

/** More grey levels than this without discretisation is almost certainly a mistake (and memory). */
const MAX_GREY_LEVELS = 1 << 20;

const NEEDS_INTEGERS = 'texture and histogram features need integer grey levels or a discretisation (features.discretisation)';

export function discretise(image: Float64Array, intensityMask: Uint8Array, s: DiscretisationSettings, range?: DiscretisationRange): Discretised {
  return discretiseDetailed(image, intensityMask, s, range).discretised;
}

export function discretiseDetailed(
  image: Float64Array,
  intensityMask: Uint8Array,
  s: DiscretisationSettings,
  range?: DiscretisationRange,
): { discretised: Discretised; parameters: DiscretisationParameters } {
  const n = image.length;
  let min = Infinity;
  let max = -Infinity;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (intensityMask[i] === 0) continue;
    const v = image[i];
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
  }
  const bins = new Int32Array(n);
  if (count === 0) {
    return {
      discretised: { bins, binCount: 0, binValues: new Float64Array(1) },
      parameters: { method: s.method, roiMin: NaN, roiMax: NaN, binCount: 0 },
    };
  }

  switch (s.method) {
    case 'fbs': {
      const w = s.binWidth;
      if (!(w > 0) || !Number.isFinite(w)) {
        throw new RgsError(`features.discretisation.bin_width: must be a positive number, got ${w}`, { field: 'features.discretisation.bin_width' });
      }
      const a = range?.lower ?? min;
      let top = 1;
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] === 0) continue;
        // Intensities below a only occur when the range was not applied to the mask; they go to
        // bin 1 (as MIRP and ivh-input.ts do) rather than to a bin number below 1.
        const b = Math.max(1, Math.floor((image[i] - a) / w) + 1);
        bins[i] = b;
        if (b > top) top = b;
      }
      checkBinCount(top);
      return { discretised: { bins, binCount: top, binValues: identityValues(top) }, parameters: { method: 'fbs', lowerBound: a, binWidth: w, roiMin: min, roiMax: max, binCount: top } };
    }
    case 'fbn': {
      const ng = s.binCount;
      if (!Number.isInteger(ng) || ng < 1) {
        throw new RgsError(`features.discretisation.bin_count: must be a positive integer, got ${ng}`, { field: 'features.discretisation.bin_count' });
      }
      const span = max - min;
      let top = 1;
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] === 0) continue;
        // A constant ROI has no span: all voxels in bin 1 (and a single bin).
        const b = span > 0 ? Math.min(ng, Math.floor((ng * (image[i] - min)) / span) + 1) : 1;
        bins[i] = b;
        if (b > top) top = b;
      }
      return { discretised: { bins, binCount: top, binValues: identityValues(top) }, parameters: { method: 'fbn', roiMin: min, roiMax: max, binCount: top } };
    }
    case 'none': {
      for (let i = 0; i < n; i++) {
        if (intensityMask[i] !== 0 && !Number.isInteger(image[i])) {
          throw new RgsError(`${NEEDS_INTEGERS}: the ROI has the intensity ${image[i]}`, { field: 'features.discretisation' });
        }
      }
      const levels = max - min + 1;
      checkBinCount(levels);
      for (let i = 0; i < n; i++) if (intensityMask[i] !== 0) bins[i] = image[i] - min + 1;
      const binValues = new Float64Array(levels + 1);
      for (let b = 1; b <= levels; b++) binValues[b] = min + b - 1;
      return { discretised: { bins, binCount: levels, binValues }, parameters: { method: 'none', roiMin: min, roiMax: max, binCount: levels } };
    }
  }
}

function identityValues(binCount: number): Float64Array {
  const v = new Float64Array(binCount + 1);
  for (let b = 1; b <= binCount; b++) v[b] = b;
  return v;
}

function checkBinCount(count: number): void {
  if (count > MAX_GREY_LEVELS) {
    throw new RgsError(
      `features.discretisation: the ROI spans ${count} grey levels (more than ${MAX_GREY_LEVELS}); use a larger bin width or a fixed bin number`,
      { field: 'features.discretisation' },
    );
  }
}
