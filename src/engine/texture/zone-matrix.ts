/**
 * The count matrix shared by the GLSZM (IBSI 3.6, columns: zone size), GLDZM (3.7, columns:
 * zone distance) and NGLDM (3.9, columns: dependence count): rows are grey levels, columns are
 * positive integers, entries count zones or neighbourhoods.
 *
 * Stored sparse (non-zero entries only) because GLSZM columns run up to the largest zone size,
 * which can be the whole ROI. Per-slice matrices are merged (IBSI 2.5D) by adding entries.
 */

export interface ZoneMatrix {
  /** levelValues[l] is the grey level value of compact level l (shared with the grid). */
  levelValues: Float64Array;
  /** Non-zero entries, sorted by column, then level. */
  level: Int32Array;
  column: Int32Array;
  count: Float64Array;
  /** Sum of all entries (IBSI N_s). */
  total: number;
  /** ROI voxels the matrix was built from (IBSI N_v, for zone / dependence count percentage). */
  voxelCount: number;
}

/** Accumulates (level, column) counts; `build` turns them into a sorted sparse matrix. */
export class ZoneMatrixBuilder {
  private readonly cells = new Map<number, number>();
  private voxels = 0;
  private readonly stride: number;

  constructor(private readonly levelValues: Float64Array) {
    this.stride = levelValues.length;
  }

  add(level: number, column: number, n = 1): void {
    const key = column * this.stride + level;
    this.cells.set(key, (this.cells.get(key) ?? 0) + n);
  }

  addVoxels(n: number): void {
    this.voxels += n;
  }

  /** Adds every entry and the voxel count of `m` (IBSI 2.5D: per-slice matrices summed). */
  addMatrix(m: ZoneMatrix): void {
    for (let e = 0; e < m.count.length; e++) this.add(m.level[e], m.column[e], m.count[e]);
    this.voxels += m.voxelCount;
  }

  build(): ZoneMatrix {
    const keys = Float64Array.from(this.cells.keys()).sort();
    const size = keys.length;
    const level = new Int32Array(size);
    const column = new Int32Array(size);
    const count = new Float64Array(size);
    let total = 0;
    for (let e = 0; e < size; e++) {
      const key = keys[e];
      column[e] = Math.floor(key / this.stride);
      level[e] = key - column[e] * this.stride;
      count[e] = this.cells.get(key) ?? 0;
      total += count[e];
    }
    return { levelValues: this.levelValues, level, column, count, total, voxelCount: this.voxels };
  }
}

/** Sum of per-slice matrices (IBSI 2.5D "merged"). */
export function mergeZoneMatrices(matrices: readonly ZoneMatrix[], levelValues: Float64Array): ZoneMatrix {
  const builder = new ZoneMatrixBuilder(levelValues);
  for (const m of matrices) builder.addMatrix(m);
  return builder.build();
}
