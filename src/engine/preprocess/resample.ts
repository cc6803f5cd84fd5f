/**
 * Resampling an image and an ROI mask onto the IBSI interpolation grid (IBSI 2.4), optionally
 * only a block of it (the ROI plus a margin). A block is a window of the global new grid
 * (resample-grid.ts): its voxels are exactly the global grid's voxels start .. start + size - 1,
 * so the values do not depend on the block chosen.
 */
import type { Grid, Volume } from '../image/volume';
import type { Interpolation, ResamplingSettings } from '../settings/types';
import { blockAffine, oldPositions, resampleGrid, type ResampledGrid } from './resample-grid';
import { axisTaps, bsplineCoefficients, resampleSeparable, type AxisTaps, type BsplineCoefficients, type OutsidePolicy } from './interpolate';
import type { Block } from './crop';
import { RgsError } from '../util/errors';

/** y = scale x + offset, applied to interpolated intensities before rounding (normalisation). */
export interface IntensityMap {
  scale: number;
  offset: number;
}

export interface ResampleImageOptions {
  /** Only this block of the new grid (default: all of it). */
  block?: Block;
  /** B-spline coefficients of the image, when already computed (prepareImage does it once). */
  coefficients?: BsplineCoefficients;
  /**
   * An affine intensity map applied before rounding. Interpolation weights sum to 1 (B-splines
   * reproduce constants), so mapping after interpolating equals interpolating the mapped image:
   * this is how normalisation on the original grid is applied without resampling twice.
   */
  intensityMap?: IntensityMap;
}

function wholeBlock(grid: ResampledGrid): Block {
  return { start: [0, 0, 0], size: [grid.dims[0], grid.dims[1], grid.dims[2]] };
}

function gridTaps(grid: ResampledGrid, block: Block, kind: Interpolation, outside: OutsidePolicy, pad: readonly number[]): [AxisTaps, AxisTaps, AxisTaps] {
  return [0, 1, 2].map((a) => {
    const axis = grid.axes[a];
    const positions = oldPositions(axis, block.start[a], block.size[a]);
    // An axis that keeps its grid samples the old voxels themselves.
    return axisTaps(positions, axis.n, axis.identity ? 'nearest' : kind, outside, pad[a]);
  }) as [AxisTaps, AxisTaps, AxisTaps];
}

/** B-spline prefilter of the axes the grid interpolates along. */
export function imageCoefficients(vol: Volume, grid: ResampledGrid): BsplineCoefficients {
  return bsplineCoefficients(vol.data, vol.dims, grid.axes.map((a) => !a.identity));
}

/**
 * Round half to even, as numpy's round (MIRP rounds resampled CT intensities with np.round).
 * Exact halves are rare after interpolation, but the rule must be fixed for reproducibility.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  const out = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  return out === 0 ? 0 : out;
}

/**
 * The image on the new grid (or a block of it), interpolated with s.interpolation over the image
 * extended by its nearest boundary intensities (interpolate.ts), then mapped by
 * opts.intensityMap and rounded to integers when s.roundIntensities (IBSI configs B–E).
 */
export function resampleImage(vol: Volume, s: ResamplingSettings, sliceWise: boolean, opts: ResampleImageOptions = {}): Volume {
  const grid = resampleGrid(vol, s.spacing, sliceWise);
  const block = opts.block ?? wholeBlock(grid);
  let data: Float64Array;
  if (s.interpolation === 'bspline') {
    const c = opts.coefficients ?? imageCoefficients(vol, grid);
    data = resampleSeparable(c.data, c.dims, gridTaps(grid, block, 'bspline', 'nearest', c.pad));
  } else {
    data = resampleSeparable(vol.data, vol.dims, gridTaps(grid, block, s.interpolation, 'nearest', [0, 0, 0]));
  }
  const map = opts.intensityMap;
  if (map !== undefined && (map.scale !== 1 || map.offset !== 0)) {
    for (let i = 0; i < data.length; i++) data[i] = map.scale * data[i] + map.offset;
  }
  if (s.roundIntensities) for (let i = 0; i < data.length; i++) data[i] = roundHalfEven(data[i]);
  return { dims: [...block.size], spacing: [...grid.spacing], affine: blockAffine(vol.affine, grid.axes, block.start), data };
}

/**
 * The ROI mask (0/1 on the old grid `grid`; any non-zero value counts as inside) on the new grid
 * or a block of it: interpolated as a partial-volume fraction with s.maskInterpolation, then
 * in the ROI where the fraction is >= s.maskThreshold (IBSI: 0.5). Fractions are rounded to 6
 * decimals before the comparison, as MIRP does, so that 0.4999999999 from floating-point
 * noise counts as 0.5. Positions outside the old grid's extent are outside the ROI.
 */
export function resampleMask(mask: ArrayLike<number>, grid: Grid, s: ResamplingSettings, sliceWise: boolean, block?: Block): Uint8Array {
  if (!(s.maskThreshold > 0 && s.maskThreshold <= 1)) {
    throw new RgsError(`preprocessing.resampling.mask_threshold: must be a partial-volume fraction in (0, 1] (IBSI: 0.5), got ${s.maskThreshold}`, {
      field: 'preprocessing.resampling.mask_threshold',
    });
  }
  const newGrid = resampleGrid(grid, s.spacing, sliceWise);
  const b = block ?? wholeBlock(newGrid);
  let frac: Float64Array;
  if (s.maskInterpolation === 'bspline') {
    const c = bsplineCoefficients(asBinary(mask), grid.dims, newGrid.axes.map((a) => !a.identity));
    frac = resampleSeparable(c.data, c.dims, gridTaps(newGrid, b, 'bspline', 'zero', c.pad));
  } else {
    frac = resampleSeparable(mask, grid.dims, gridTaps(newGrid, b, s.maskInterpolation, 'zero', [0, 0, 0]), { binarise: true });
  }
  const threshold = Math.round(s.maskThreshold * 1e6);
  const out = new Uint8Array(frac.length);
  for (let i = 0; i < frac.length; i++) out[i] = Math.round(frac[i] * 1e6) >= threshold ? 1 : 0;
  return out;
}

/** The mask itself when it is already 0/1, else a 0/1 copy. */
function asBinary(mask: ArrayLike<number>): ArrayLike<number> {
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i];
    if (v !== 0 && v !== 1) {
      const out = new Uint8Array(mask.length);
      for (let q = 0; q < mask.length; q++) out[q] = mask[q] !== 0 ? 1 : 0;
      return out;
    }
  }
  return mask;
}
