/**
 * NaN or infinite intensities inside an ROI would silently poison every mean and matrix, so
 * they are refused with the count and the first voxel, before any work is done.
 */
import type { Volume } from '../image/volume';
import { RgsError } from '../util/errors';

export function checkFiniteInRoi(image: Volume<Float64Array>, roi: Uint8Array, imageFile: string, roiName: string): void {
  const [nx, ny] = image.dims;
  let count = 0;
  let first = -1;
  const d = image.data;
  for (let v = 0; v < roi.length; v++) {
    if (roi[v] !== 0 && !Number.isFinite(d[v])) {
      if (first < 0) first = v;
      count++;
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
