/**
 * The ROI's bounding box and cropping to it: features are computed on the ROI plus a margin,
 * not on the whole image, for speed (texture and local-intensity loops then touch only the
 * voxels near the ROI).
 */
import { RgsError } from '../util/errors';
import type { Vec3, Volume } from '../image/volume';

/** Voxel index box, both ends inclusive. */
export interface Box {
  min: Vec3;
  max: Vec3;
}

/** The smallest index box holding every non-zero voxel of `mask`, or null if there is none. */
export function boundingBox(mask: Uint8Array, dims: Vec3): Box | null {
  const [nx, ny, nz] = dims;
  if (mask.length !== nx * ny * nz) {
    throw new RgsError(`mask has ${mask.length} voxels but the dimensions ${dims.join('x')} need ${nx * ny * nz}`);
  }
  let x0 = nx, y0 = ny, z0 = nz, x1 = -1, y1 = -1, z1 = -1;
  let n = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      // Per row, only the first and last set voxel matter.
      let first = -1;
      let last = -1;
      for (let i = 0; i < nx; i++, n++) {
        if (mask[n] !== 0) {
          if (first < 0) first = i;
          last = i;
        }
      }
      if (first >= 0) {
        if (first < x0) x0 = first;
        if (last > x1) x1 = last;
        if (j < y0) y0 = j;
        if (j > y1) y1 = j;
        if (k < z0) z0 = k;
        if (k > z1) z1 = k;
      }
    }
  }
  return x1 < 0 ? null : { min: [x0, y0, z0], max: [x1, y1, z1] };
}

/** `box` grown by `margin` voxels per axis (a number for all axes), clipped to the grid. */
export function expandBox(box: Box, margin: number | Vec3, dims: Vec3): Box {
  const m: Vec3 = typeof margin === 'number' ? [margin, margin, margin] : margin;
  const min: Vec3 = [0, 0, 0];
  const max: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    if (!Number.isInteger(m[a]) || m[a] < 0) throw new RgsError(`crop margin ${m[a]} is not a non-negative integer`);
    min[a] = Math.max(0, box.min[a] - m[a]);
    max[a] = Math.min(dims[a] - 1, box.max[a] + m[a]);
    if (min[a] > max[a]) throw new RgsError(`crop box is outside the ${dims.join('x')} grid`);
  }
  return { min, max };
}

type NumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array;

/**
 * The sub-volume of `vol` covering `box` plus `margin` voxels on every side (clipped to the
 * grid). Its affine is translated so each voxel keeps its world position:
 * new origin = affine * (offset, 1). `offset` is the index in `vol` of the crop's voxel (0, 0, 0).
 */
export function cropToBox<T extends NumericArray>(
  vol: Volume<T>,
  box: Box,
  margin: number | Vec3 = 0,
): Volume<T> & { offset: Vec3 } {
  const b = expandBox(box, margin, vol.dims);
  const [nx, ny] = vol.dims;
  const dims: Vec3 = [b.max[0] - b.min[0] + 1, b.max[1] - b.min[1] + 1, b.max[2] - b.min[2] + 1];
  const Ctor = vol.data.constructor as new (n: number) => T;
  const data = new Ctor(dims[0] * dims[1] * dims[2]);
  let dst = 0;
  for (let k = b.min[2]; k <= b.max[2]; k++) {
    for (let j = b.min[1]; j <= b.max[1]; j++) {
      const src = b.min[0] + nx * (j + ny * k);
      // Row copy; subarray/set avoid a per-voxel loop (the cast is sound: same array type).
      (data as Uint8Array).set((vol.data as Uint8Array).subarray(src, src + dims[0]), dst);
      dst += dims[0];
    }
  }
  const a = vol.affine;
  const affine = new Float64Array(a);
  const [i0, j0, k0] = b.min;
  for (let r = 0; r < 3; r++) affine[4 * r + 3] = a[4 * r] * i0 + a[4 * r + 1] * j0 + a[4 * r + 2] * k0 + a[4 * r + 3];
  return { dims, spacing: [...vol.spacing] as Vec3, affine, data, offset: [i0, j0, k0] };
}

/** Crop a flat mask (no grid of its own) with the box of a crop of its volume. */
export function cropMask(mask: Uint8Array, dims: Vec3, box: Box, margin: number | Vec3 = 0): Uint8Array {
  const b = expandBox(box, margin, dims);
  const [nx, ny] = dims;
  const w = b.max[0] - b.min[0] + 1;
  const out = new Uint8Array(w * (b.max[1] - b.min[1] + 1) * (b.max[2] - b.min[2] + 1));
  let dst = 0;
  for (let k = b.min[2]; k <= b.max[2]; k++) {
    for (let j = b.min[1]; j <= b.max[1]; j++) {
      const src = b.min[0] + nx * (j + ny * k);
      out.set(mask.subarray(src, src + w), dst);
      dst += w;
    }
  }
  return out;
}
