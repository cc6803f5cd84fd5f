/**
 * Bounding boxes and blocks: the ROI's bounding box, and the block of a grid (ROI box plus a
 * margin) the per-ROI work is restricted to, so that feature code works on small arrays.
 */
import type { Vec3 } from '../image/volume';

/** A box of voxels [start, start + size) of some grid. */
export interface Block {
  start: Vec3;
  size: Vec3;
}

/** Inclusive voxel-index bounds of the non-zero voxels. */
export interface BoundingBox {
  lower: Vec3;
  upper: Vec3;
}

/**
 * Crop margin around the ROI in mm. Local intensity peaks (IBSI 3.2, VJGA/0F91) average a
 * 1 cm^3 sphere (radius 6.2 mm) around each ROI voxel, which reaches outside the ROI; 10 mm
 * covers it with room to spare.
 */
export const CROP_MARGIN_MM = 10;

/** A bounding box grown one row (fixed j, k) at a time, by the row's first and last voxel. */
export class BoundingBoxBuilder {
  private x0: number;
  private y0: number;
  private z0: number;
  private x1 = -1;
  private y1 = -1;
  private z1 = -1;

  constructor(dims: Vec3) {
    [this.x0, this.y0, this.z0] = dims;
  }

  /** Row (j, k) holds voxels from i = first to i = last (rows come in increasing k). */
  addRow(first: number, last: number, j: number, k: number): void {
    if (first < this.x0) this.x0 = first;
    if (last > this.x1) this.x1 = last;
    if (j < this.y0) this.y0 = j;
    if (j > this.y1) this.y1 = j;
    if (k < this.z0) this.z0 = k;
    this.z1 = k;
  }

  /** The box, or null when no row was added. */
  box(): BoundingBox | null {
    return this.x1 < 0 ? null : { lower: [this.x0, this.y0, this.z0], upper: [this.x1, this.y1, this.z1] };
  }
}

/** Bounding box of the non-zero voxels, or null when there are none. */
export function boundingBox(mask: ArrayLike<number>, dims: Vec3): BoundingBox | null {
  const [nx, ny, nz] = dims;
  const builder = new BoundingBoxBuilder(dims);
  // Row by row: most rows are empty, so the inner loop only tests for a non-zero voxel.
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      let first = 0;
      while (first < nx && mask[row + first] === 0) first++;
      if (first === nx) continue;
      let last = nx - 1;
      while (mask[row + last] === 0) last--;
      builder.addRow(first, last, j, k);
    }
  }
  return builder.box();
}

/** The block a bounding box covers. */
export function blockOf(box: BoundingBox): Block {
  return { start: [...box.lower], size: [box.upper[0] - box.lower[0] + 1, box.upper[1] - box.lower[1] + 1, box.upper[2] - box.lower[2] + 1] };
}

/** The box grown by `margin` voxels per axis, clamped to the grid. */
export function blockAround(box: BoundingBox, margin: Vec3, dims: Vec3): Block {
  const start = [0, 1, 2].map((a) => Math.max(0, box.lower[a] - margin[a])) as Vec3;
  const end = [0, 1, 2].map((a) => Math.min(dims[a] - 1, box.upper[a] + margin[a])) as Vec3;
  return { start, size: [end[0] - start[0] + 1, end[1] - start[1] + 1, end[2] - start[2] + 1] };
}

/** Voxels per axis covering `mm` millimetres. */
export function marginVoxels(mm: number, spacing: Vec3): Vec3 {
  return [0, 1, 2].map((a) => Math.ceil(mm / spacing[a] - 1e-9)) as Vec3;
}

/** Copy `block` of a volume of dims `dims` into a new array of dims block.size. */
export function cropTo<T extends Float64Array | Uint8Array>(data: T, dims: Vec3, block: Block, make: (n: number) => T): T {
  const [bx, by, bz] = block.size;
  const out = make(bx * by * bz);
  for (let k = 0; k < bz; k++) {
    for (let j = 0; j < by; j++) {
      const s = block.start[0] + dims[0] * (block.start[1] + j + dims[1] * (block.start[2] + k));
      out.set(data.subarray(s, s + bx), bx * (j + by * k));
    }
  }
  return out;
}

/**
 * Copy the voxels of `src` (covering `srcBlock` of some grid) that fall inside `dstBlock` into
 * `dst` (covering `dstBlock`); voxels of dst outside srcBlock are left as they are.
 */
export function transferBlock(src: Uint8Array | Float64Array, srcBlock: Block, dst: Uint8Array | Float64Array, dstBlock: Block): void {
  const lo = [0, 1, 2].map((a) => Math.max(srcBlock.start[a], dstBlock.start[a]));
  const hi = [0, 1, 2].map((a) => Math.min(srcBlock.start[a] + srcBlock.size[a], dstBlock.start[a] + dstBlock.size[a]));
  if (hi[0] <= lo[0] || hi[1] <= lo[1] || hi[2] <= lo[2]) return;
  const [sx, sy] = srcBlock.size;
  const [dx, dy] = dstBlock.size;
  const w = hi[0] - lo[0];
  for (let k = lo[2]; k < hi[2]; k++) {
    for (let j = lo[1]; j < hi[1]; j++) {
      const s = lo[0] - srcBlock.start[0] + sx * (j - srcBlock.start[1] + sy * (k - srcBlock.start[2]));
      const d = lo[0] - dstBlock.start[0] + dx * (j - dstBlock.start[1] + dy * (k - dstBlock.start[2]));
      dst.set(src.subarray(s, s + w), d);
    }
  }
}
