/**
 * The ROI as the zone and neighbourhood texture families (GLSZM, GLDZM, NGTDM, NGLDM) read it:
 * the bounding box of the morphological and intensity masks, padded by a border of "outside"
 * voxels, with each ROI voxel's grey level replaced by a compact level index.
 *
 * Why the morphological mask too: the GLDZM measures distances to the edge of the
 * morphological mask (see distance-map.ts), which may extend beyond the intensity mask.
 * Why padded: with an outside border at least as wide as the largest neighbour offset,
 * neighbour look-ups need no bounds checks, and the edge of the grid is automatically an ROI edge.
 * Why compact levels: matrices are indexed by the grey levels that occur in the ROI, so their
 * size depends on the ROI, not on the number of bins (a raw-HU image can have ~1,500).
 */
import type { FeatureInput } from '../features/types';
import type { Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';
import { perInputCache } from './per-input-cache';

export interface NeighbourhoodGrid {
  /** Dimensions [nx, ny, nz] of the padded crop; voxel (i, j, k) is at i + nx * (j + ny * k). */
  dims: Vec3;
  /** Border width in voxels on every side (also along k). */
  margin: number;
  /** Compact level 1..levelCount per voxel of the padded crop inside the intensity mask; 0 outside. */
  levels: Int32Array;
  /** Number of distinct grey levels in the ROI. */
  levelCount: number;
  /** levelValues[l] is the grey level value (binValues of its bin) of compact level l (1-based;
   *  [0] is 0 and unused). Non-decreasing in l. */
  levelValues: Float64Array;
  /** 1 inside the morphological mask or the intensity mask (the region whose edge the GLDZM
   *  measures distances to); 0 elsewhere, including the border. */
  edgeMask: Uint8Array;
  /** Indices (in the padded crop) of the intensity-mask voxels, in raster order; its length is
   *  IBSI N_v. */
  voxels: Int32Array;
  /** The voxels of slice k are voxels[sliceStart[k] .. sliceStart[k + 1]) (length nz + 1). */
  sliceStart: Int32Array;
}

/**
 * The grid of `input` for `margin`, built on first use and then shared by every family that
 * asks for it (building it means scanning the whole image grid).
 */
export const neighbourhoodGridOf: (input: FeatureInput, margin: number) => NeighbourhoodGrid = perInputCache((input, margin) =>
  buildNeighbourhoodGrid(input, margin),
);

/**
 * Crops, pads and compacts the discretised ROI of `input`. `margin` (>= 1) is the border width,
 * i.e. the largest neighbour offset the caller will use.
 */
export function buildNeighbourhoodGrid(input: FeatureInput, margin: number): NeighbourhoodGrid {
  const [dx, dy, dz] = input.dims;
  const n = dx * dy * dz;
  const { bins, binCount, binValues } = input.discretised;
  const intensity = input.intensityMask;
  const morph = input.morphMask;
  if (bins.length !== n || intensity.length !== n || morph.length !== n) {
    throw new RgsError(
      `texture input: grid ${dx}x${dy}x${dz} has ${n} voxels but bins/intensity mask/morphological mask hold ` +
        `${bins.length}/${intensity.length}/${morph.length}`,
    );
  }
  if (binValues.length < binCount + 1) {
    throw new RgsError(`texture input: binValues holds ${binValues.length} values, ${binCount + 1} needed for ${binCount} bins`);
  }
  if (!Number.isInteger(margin) || margin < 1) throw new RgsError(`texture input: neighbourhood margin ${margin} must be an integer >= 1`);

  const present = new Uint8Array(binCount + 1);
  const box = scanMasks(input, present);
  let [x0, y0, z0, x1, y1, z1] = box;
  const voxelCount = box[6];
  if (x1 < 0) {
    // Neither mask has a voxel: an empty grid; every feature is then undefined (NaN).
    x0 = y0 = z0 = 0;
    x1 = y1 = z1 = -1;
  }

  // Compact level per bin, numbered in increasing order of grey level value (ties by bin), so
  // that the levels within a value range are a contiguous range of compact levels (NGLDM alpha).
  const presentBins: number[] = [];
  for (let b = 1; b <= binCount; b++) if (present[b] !== 0) presentBins.push(b);
  presentBins.sort((a, b) => binValues[a] - binValues[b] || a - b);
  const levelCount = presentBins.length;
  const levelOfBin = new Int32Array(binCount + 1);
  const levelValues = new Float64Array(levelCount + 1);
  presentBins.forEach((b, i) => {
    levelOfBin[b] = i + 1;
    levelValues[i + 1] = binValues[b];
  });

  const nx = x1 - x0 + 1 + 2 * margin;
  const ny = y1 - y0 + 1 + 2 * margin;
  const nz = z1 - z0 + 1 + 2 * margin;
  const levels = new Int32Array(nx * ny * nz);
  const edgeMask = new Uint8Array(nx * ny * nz);
  const voxels = new Int32Array(voxelCount);
  const sliceStart = new Int32Array(nz + 1);
  copyCrop(input, levelOfBin, [x0, y0, z0, x1, y1, z1], margin, [nx, ny, nz], levels, edgeMask, voxels, sliceStart);
  return { dims: [nx, ny, nz], margin, levels, levelCount, levelValues, edgeMask, voxels, sliceStart };
}

/**
 * Bounding box of both masks [x0, y0, z0, x1, y1, z1] (x1 = -1 when both are empty) and the
 * intensity-mask voxel count (element 6); marks in `present` the bins that occur in the intensity
 * mask. This is the one loop over the whole (possibly large) image grid, so it reads the masks
 * four voxels at a time where their buffers allow and works out coordinates only for mask voxels.
 */
function scanMasks(input: FeatureInput, present: Uint8Array): Int32Array {
  const [dx, dy, dz] = input.dims;
  const n = dx * dy * dz;
  const intensity = input.intensityMask;
  const morph = input.morphMask;
  const { bins, binCount } = input.discretised;
  const dxy = dx * dy;
  let x0 = dx, y0 = dy, z0 = dz, x1 = -1, y1 = -1, z1 = -1, voxelCount = 0;
  let wordEnd = 0;
  let intensityWords: Uint32Array | null = null;
  let morphWords: Uint32Array | null = null;
  if (intensity.byteOffset % 4 === 0 && morph.byteOffset % 4 === 0) {
    intensityWords = new Uint32Array(intensity.buffer, intensity.byteOffset, n >> 2);
    morphWords = new Uint32Array(morph.buffer, morph.byteOffset, n >> 2);
    wordEnd = 4 * (n >> 2);
  }
  for (let v = 0; v < n; v++) {
    // Skip four empty voxels at once.
    if (v < wordEnd && (v & 3) === 0 && ((intensityWords as Uint32Array)[v >> 2] | (morphWords as Uint32Array)[v >> 2]) === 0) {
      v += 3;
      continue;
    }
    if ((intensity[v] | morph[v]) === 0) continue;
    const z = Math.floor(v / dxy);
    const r = v - z * dxy;
    const y = Math.floor(r / dx);
    const x = r - y * dx;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
    if (intensity[v] !== 0) {
      const b = bins[v];
      if (!(b >= 1 && b <= binCount)) {
        throw new RgsError(`texture input: voxel ${v} is in the intensity mask but has bin ${b}, outside 1..${binCount}`);
      }
      present[b] = 1;
      voxelCount++;
    }
  }
  return Int32Array.of(x0, y0, z0, x1, y1, z1, voxelCount);
}

/** Copies the box [x0, y0, z0, x1, y1, z1] of `input` into the padded grid arrays. */
function copyCrop(
  input: FeatureInput,
  levelOfBin: Int32Array,
  box: readonly number[],
  margin: number,
  dims: Vec3,
  levels: Int32Array,
  edgeMask: Uint8Array,
  voxels: Int32Array,
  sliceStart: Int32Array,
): void {
  const [dx, dy] = input.dims;
  const [x0, y0, z0, x1, y1, z1] = box;
  const [nx, ny, nz] = dims;
  const intensity = input.intensityMask;
  const morph = input.morphMask;
  const bins = input.discretised.bins;
  let t = 0;
  for (let z = z0; z <= z1; z++) {
    const k = z - z0 + margin;
    sliceStart[k] = t;
    for (let y = y0; y <= y1; y++) {
      let v = x0 + dx * (y + dy * z);
      let w = margin + nx * (y - y0 + margin + ny * k);
      for (let x = x0; x <= x1; x++, v++, w++) {
        const inIntensity = intensity[v] !== 0;
        if (inIntensity) {
          levels[w] = levelOfBin[bins[v]];
          voxels[t++] = w;
        }
        if (inIntensity || morph[v] !== 0) edgeMask[w] = 1;
      }
    }
  }
  // Slices before the ROI start at 0, slices after it at the end of the list.
  for (let k = z1 - z0 + 1 + margin; k <= nz; k++) sliceStart[k] = t;
}
