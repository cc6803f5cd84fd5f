/**
 * ROI volumes of a label mask, per label, in millilitres: voxel count x voxel volume. Computed on
 * the host from the mask as read by the engine (so the numbers are those of the engine's reader:
 * scaling applied, the grid of the sform/qform), not in the webview. No `vscode` import.
 */
import type { Affine, Volume } from '../engine/image/volume';
import { RgsError } from '../engine/util/errors';

export interface LabelVolume {
  value: number;
  voxels: number;
  /** voxels x |det(A)| / 1000, with A the 3x3 part of the voxel-to-world affine in mm. */
  volumeMl: number;
}

/** Volume of one voxel in mm^3: the absolute determinant of the affine's 3x3 part (exact for
 *  oblique and sheared grids too, where the product of the spacings is not). */
export function voxelVolumeMm3(a: Affine): number {
  const det =
    a[0] * (a[5] * a[10] - a[6] * a[9]) - a[1] * (a[4] * a[10] - a[6] * a[8]) + a[2] * (a[4] * a[9] - a[5] * a[8]);
  return Math.abs(det);
}

/** Labels counted with a dense table below this bound; others (large or negative) with a Map. */
const DENSE_LABELS = 65536;

/**
 * Voxel counts and volumes of every non-zero label, ascending by label. Throws an RgsError
 * naming `source` and the voxel when a value is not an integer (not a label mask).
 */
export function labelVolumes(mask: Volume<ArrayLike<number>>, source: string): LabelVolume[] {
  const { data, dims } = mask;
  const dense = new Float64Array(DENSE_LABELS);
  const sparse = new Map<number, number>();
  const n = data.length;
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (v === 0) continue;
    if (v > 0 && v < DENSE_LABELS && (v | 0) === v) {
      dense[v]++;
    } else if (Number.isInteger(v)) {
      sparse.set(v, (sparse.get(v) ?? 0) + 1);
    } else {
      const x = i % dims[0];
      const y = Math.floor(i / dims[0]) % dims[1];
      const z = Math.floor(i / (dims[0] * dims[1]));
      throw new RgsError(`${source}: mask value ${v} at voxel (${x}, ${y}, ${z}) is not an integer label`, { file: source });
    }
  }
  const perVoxelMl = voxelVolumeMm3(mask.affine) / 1000;
  const out: LabelVolume[] = [];
  for (let v = 1; v < DENSE_LABELS; v++) {
    if (dense[v] > 0) out.push({ value: v, voxels: dense[v], volumeMl: dense[v] * perVoxelMl });
  }
  for (const [v, count] of sparse) out.push({ value: v, voxels: count, volumeMl: count * perVoxelMl });
  return out.sort((a, b) => a.value - b.value);
}
