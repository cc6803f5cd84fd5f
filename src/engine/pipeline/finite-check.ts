/**
 * NaN or infinite intensities inside an ROI would silently poison every mean and matrix, so
 * they are refused with the count and the first voxel, before any work is done.
 */
import type { Volume } from '../image/volume';
import { RgsError } from '../util/errors';

/** `box`, when given, must contain every ROI voxel: only it is scanned. */
export function checkFiniteInRoi(
  image: Volume<Float64Array>,
  roi: Uint8Array,
  imageFile: string,
  roiName: string,
  box: { lower: readonly number[]; upper: readonly number[] } | null = null,
): void {
  const [nx, ny, nz] = image.dims;
  const [i0, j0, k0] = box ? box.lower : [0, 0, 0];
  const [i1, j1, k1] = box ? box.upper : [nx - 1, ny - 1, nz - 1];
  let count = 0;
  let first = -1;
  const d = image.data;
  for (let k = k0; k <= k1; k++) {
    for (let j = j0; j <= j1; j++) {
      const row = nx * (j + ny * k);
      for (let v = row + i0; v <= row + i1; v++) {
        if (roi[v] !== 0 && !Number.isFinite(d[v])) {
          if (first < 0) first = v;
          count++;
        }
      }
    }
  }
  if (count > 0) {
    const i = first % nx;
    const j = Math.floor(first / nx) % ny;
    const k = Math.floor(first / (nx * ny));
    throw new RgsError(
      `${imageFile}: ${count} voxel(s) inside ROI ${roiName} are NaN or infinite (first at voxel [${i}, ${j}, ${k}])`,
      { file: imageFile },
    );
  }
}
