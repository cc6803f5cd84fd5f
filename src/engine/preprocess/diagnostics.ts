/**
 * IBSI diagnostic features (IBSI 1, "Diagnostic features": image and ROI dimensions, bounding
 * boxes, voxel counts, mean/min/max intensity) after each step: initial, interpolated and
 * re-segmented. They locate where a pipeline departs from another before any feature does.
 * Plain JSON-able objects; bounding boxes are voxel indices of the step's whole grid (not of a
 * crop), so that they compare with other tools' values.
 */
import type { Vec3 } from '../image/volume';
import { boundingBox } from './crop';

export interface IntensityStats {
  mean: number;
  min: number;
  max: number;
}

export interface BoxDiagnostics {
  /** Inclusive voxel indices on the step's grid. */
  lower: Vec3;
  upper: Vec3;
  /** Bounding-box size in voxels (IBSI "ROI dimensions"). */
  size: Vec3;
}

export interface ImageDiagnostics {
  dims: Vec3;
  spacing: Vec3;
  /** Over the whole image; absent where only a block of the grid was computed (interpolated). */
  intensity?: IntensityStats;
}

export interface RoiDiagnostics {
  morphVoxels: number;
  intensityVoxels: number;
  morphBoundingBox: BoxDiagnostics | null;
  intensityBoundingBox: BoxDiagnostics | null;
  /** Mean/min/max over the intensity mask, null when it is empty. */
  intensity: IntensityStats | null;
}

export interface StepDiagnostics {
  image: ImageDiagnostics;
  roi: RoiDiagnostics;
}

export interface PreprocessingDiagnostics {
  initial: StepDiagnostics;
  /** Null without resampling. */
  interpolated: StepDiagnostics | null;
  resegmented: StepDiagnostics;
  /** The block of the (resampled) grid the feature input covers: ROI box plus margin. */
  crop: { start: Vec3; size: Vec3; marginMm: number };
}

/** Mean/min/max of the image over the mask (all voxels when mask is null); null when empty. */
export function intensityStats(image: ArrayLike<number>, mask: ArrayLike<number> | null): IntensityStats | null {
  if (mask === null) return wholeStats(image);
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < image.length; i++) {
    if (mask[i] === 0) continue;
    const v = image[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
    n++;
  }
  return n === 0 ? null : { mean: sum / n, min, max };
}

function wholeStats(image: ArrayLike<number>): IntensityStats | null {
  const n = image.length;
  if (n === 0) return null;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = image[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { mean: sum / n, min, max };
}

export function countVoxels(mask: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  return n;
}

function boxDiagnostics(mask: ArrayLike<number>, dims: Vec3, offset: Vec3): BoxDiagnostics | null {
  const box = boundingBox(mask, dims);
  if (box === null) return null;
  const lower: Vec3 = [box.lower[0] + offset[0], box.lower[1] + offset[1], box.lower[2] + offset[2]];
  const upper: Vec3 = [box.upper[0] + offset[0], box.upper[1] + offset[1], box.upper[2] + offset[2]];
  return { lower, upper, size: [upper[0] - lower[0] + 1, upper[1] - lower[1] + 1, upper[2] - lower[2] + 1] };
}

/**
 * ROI diagnostics for masks held on a block of dims `dims` whose first voxel is voxel `offset`
 * of the step's grid.
 */
export function roiDiagnostics(
  image: ArrayLike<number>,
  morphMask: ArrayLike<number>,
  intensityMask: ArrayLike<number>,
  dims: Vec3,
  offset: Vec3 = [0, 0, 0],
): RoiDiagnostics {
  return {
    morphVoxels: countVoxels(morphMask),
    intensityVoxels: countVoxels(intensityMask),
    morphBoundingBox: boxDiagnostics(morphMask, dims, offset),
    intensityBoundingBox: boxDiagnostics(intensityMask, dims, offset),
    intensity: intensityStats(image, intensityMask),
  };
}
