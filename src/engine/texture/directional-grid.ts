/**
 * The ROI as the directional texture matrices read it: the bounding box of the intensity mask,
 * padded, with each voxel's grey level replaced by a compact level index.
 *
 * Why compact: a raw-HU image can have ~1,500 bins of which far fewer occur in the ROI; matrices
 * are indexed by the levels that occur, so their size depends on the ROI, not on binCount.
 * Why padded: with a border of "outside" voxels (level -1) at least as wide as the largest
 * neighbour offset, neighbour look-ups and run walks need no bounds checks.
 */
import type { FeatureInput } from '../features/types';
import type { Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';
import { perInputCache } from './per-input-cache';

export interface LevelGrid {
  /** Dimensions of the padded crop. */
  nx: number;
  ny: number;
  nz: number;
  /** Size of the ROI's bounding box per axis (the crop without its border). */
  extent: Vec3;
  /** Border width per axis, on both sides: min(requested pad, extent). */
  pad: Vec3;
  /** Compact level 0..levelCount-1 per voxel of the padded crop; -1 outside the intensity mask. */
  levels: Int32Array;
  /** Number of distinct grey levels in the ROI (the compact level count). */
  levelCount: number;
  /** Grey level value (binValues[bin]) of each compact level, in increasing bin order. */
  values: Float64Array;
  /** The discretisation's number of grey levels (IBSI N_g), used by the normalised features. */
  binCount: number;
  /** Index (in the padded crop) of every ROI voxel, increasing: loops visit only these. */
  voxels: Int32Array;
  /** k (in the padded crop) of the slices holding ROI voxels, increasing. */
  roiSlices: Int32Array;
  /** ROI slice s holds voxels[sliceStart[s] .. sliceStart[s + 1]) (length roiSlices.length + 1). */
  sliceStart: Int32Array;
  /** ROI voxel count. */
  voxelCount: number;
}

/**
 * buildLevelGrid(input, pad), built once per input and pad: the GLCM (distance 1) and the GLRLM
 * of an ROI read the same grid. Callers must not modify it (no family does).
 */
export const levelGridOf: (input: FeatureInput, pad: number) => LevelGrid = perInputCache((input, pad) => buildLevelGrid(input, pad));

/**
 * Crops, pads and compacts the discretised ROI of `input`. The border along an axis is `pad`
 * voxels wide, but no wider than the ROI's extent along that axis: a neighbour offset of d along
 * an axis where d >= extent can never reach another ROI voxel, so callers skip such offsets
 * instead of allocating a border that large.
 */
export function buildLevelGrid(input: FeatureInput, pad: number): LevelGrid {
  const [dx, dy, dz] = input.dims;
  const n = dx * dy * dz;
  const { bins, binCount, binValues } = input.discretised;
  const mask = input.intensityMask;
  if (bins.length !== n || mask.length !== n) {
    throw new RgsError(`texture input: grid ${dx}x${dy}x${dz} has ${n} voxels but bins/mask hold ${bins.length}/${mask.length}`);
  }
  if (binValues.length < binCount + 1) {
    throw new RgsError(`texture input: binValues holds ${binValues.length} values, ${binCount + 1} needed for ${binCount} bins`);
  }

  // Bounding box of the intensity mask and the bins that occur in it.
  let x0 = dx, y0 = dy, z0 = dz, x1 = -1, y1 = -1, z1 = -1;
  const present = new Uint8Array(binCount + 1);
  let voxelCount = 0;
  const plane = dx * dy;
  // The ROI is usually a small part of the grid: skip empty mask bytes four at a time.
  const words = mask.byteOffset % 4 === 0 ? new Uint32Array(mask.buffer, mask.byteOffset, n >> 2) : new Uint32Array(0);
  for (let base = 0; base < n; base += 4) {
    if (base >> 2 < words.length && words[base >> 2] === 0) continue;
    const end = Math.min(base + 4, n);
    for (let v = base; v < end; v++) {
      if (mask[v] === 0) continue;
      const b = bins[v];
      if (!(b >= 1 && b <= binCount)) {
        throw new RgsError(`texture input: voxel ${v} is in the intensity mask but has bin ${b}, outside 1..${binCount}`);
      }
      present[b] = 1;
      voxelCount++;
      const z = (v / plane) | 0;
      const rest = v - z * plane;
      const y = (rest / dx) | 0;
      const x = rest - y * dx;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
  }

  const compact = new Int32Array(binCount + 1).fill(-1);
  let levelCount = 0;
  for (let b = 1; b <= binCount; b++) if (present[b]) compact[b] = levelCount++;
  const values = new Float64Array(levelCount);
  for (let b = 1; b <= binCount; b++) if (present[b]) values[compact[b]] = binValues[b];

  if (voxelCount === 0) {
    return {
      nx: 0, ny: 0, nz: 0, extent: [0, 0, 0], pad: [0, 0, 0], levels: new Int32Array(0), levelCount: 0, values, binCount,
      voxels: new Int32Array(0), roiSlices: new Int32Array(0), sliceStart: new Int32Array(1), voxelCount: 0,
    };
  }

  const extent: Vec3 = [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1];
  const [px, py, pz] = extent.map((e) => Math.min(pad, e));
  const nx = extent[0] + 2 * px;
  const ny = extent[1] + 2 * py;
  const nz = extent[2] + 2 * pz;
  const levels = new Int32Array(nx * ny * nz).fill(-1);
  const voxels = new Int32Array(voxelCount);
  const sliceStarts: number[] = [];
  const roiSliceList: number[] = [];
  let count = 0;
  for (let z = z0; z <= z1; z++) {
    const kz = z - z0 + pz;
    const before = count;
    for (let y = y0; y <= y1; y++) {
      let src = x0 + dx * (y + dy * z);
      let dst = px + nx * (y - y0 + py + ny * kz);
      for (let x = x0; x <= x1; x++, src++, dst++) {
        if (mask[src] !== 0) {
          levels[dst] = compact[bins[src]];
          voxels[count++] = dst;
        }
      }
    }
    if (count > before) {
      roiSliceList.push(kz);
      sliceStarts.push(before);
    }
  }
  sliceStarts.push(count);
  return {
    nx, ny, nz, extent, pad: [px, py, pz], levels, levelCount, values, binCount, voxels,
    roiSlices: Int32Array.from(roiSliceList), sliceStart: Int32Array.from(sliceStarts), voxelCount,
  };
}
