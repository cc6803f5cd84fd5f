/**
 * Sparse count matrices for the directional texture families (GLCM: level x level; GLRLM:
 * level x run length) and the accumulator that builds and merges them.
 *
 * Why sparse: a per-slice, per-direction matrix has at most as many non-zero cells as the slice
 * has voxel pairs (or runs), while a dense one has levelCount^2 cells (about 10^6 for raw HU
 * levels), times slices x directions. Matrices are stored as lists of (cell key, count) with
 * key = row * colCount + col; the accumulator counts into one reused dense scratch array and
 * remembers which cells it touched, so building or merging costs O(entries), never
 * O(rows x cols).
 */
import { RgsError } from '../util/errors';

export interface SparseMatrix {
  /** Number of non-zero cells. */
  size: number;
  /** row * colCount + col of each non-zero cell. */
  keys: Int32Array;
  /** Count of each non-zero cell (whole numbers, > 0). */
  counts: Float64Array;
  /** Sum of counts. */
  total: number;
  /** Voxels the matrix was counted over; summed when matrices are merged (GLRLM run percentage). */
  voxels: number;
}

/** A matrix without cells (e.g. a direction with no voxel pairs); never mutated. */
export const EMPTY_MATRIX: SparseMatrix = {
  size: 0,
  keys: new Int32Array(0),
  counts: new Float64Array(0),
  total: 0,
  voxels: 0,
};

/** Above this many cells the scratch is a Map instead of a dense array (memory over speed). */
const DENSE_CELL_LIMIT = 1 << 22;
/** Keys are int32. */
const MAX_CELLS = 2 ** 31 - 1;

export class SparseAccumulator {
  readonly rowCount: number;
  readonly colCount: number;
  private readonly dense: Float64Array | null;
  private readonly map: Map<number, number> | null;
  private touched: Int32Array;
  private touchedCount = 0;
  private voxels = 0;

  constructor(rowCount: number, colCount: number) {
    const cells = rowCount * colCount;
    if (cells > MAX_CELLS) {
      throw new RgsError(
        `texture matrix of ${rowCount} x ${colCount} cells is too large: the ROI has too many grey levels; discretise the image first`,
      );
    }
    this.rowCount = rowCount;
    this.colCount = colCount;
    if (cells <= DENSE_CELL_LIMIT) {
      this.dense = new Float64Array(cells);
      this.map = null;
    } else {
      this.dense = null;
      this.map = new Map();
    }
    this.touched = new Int32Array(Math.min(Math.max(cells, 1), 1024));
  }

  /** Adds `count` to cell `key` (= row * colCount + col). */
  add(key: number, count: number): void {
    const dense = this.dense;
    if (dense !== null) {
      if (dense[key] === 0) {
        if (this.touchedCount === this.touched.length) {
          const grown = new Int32Array(this.touched.length * 2);
          grown.set(this.touched);
          this.touched = grown;
        }
        this.touched[this.touchedCount++] = key;
      }
      dense[key] += count;
    } else {
      const map = this.map as Map<number, number>;
      map.set(key, (map.get(key) ?? 0) + count);
    }
  }

  /** Adds all cells of `m` and its voxel count. */
  addMatrix(m: SparseMatrix): void {
    const { keys, counts } = m;
    for (let e = 0; e < m.size; e++) this.add(keys[e], counts[e]);
    this.voxels += m.voxels;
  }

  addVoxels(voxels: number): void {
    this.voxels += voxels;
  }

  /** Returns the accumulated matrix and resets the accumulator for the next one. */
  take(): SparseMatrix {
    const voxels = this.voxels;
    this.voxels = 0;
    let total = 0;
    if (this.dense !== null) {
      const dense = this.dense;
      const size = this.touchedCount;
      const keys = this.touched.slice(0, size);
      const counts = new Float64Array(size);
      for (let e = 0; e < size; e++) {
        const key = keys[e];
        counts[e] = dense[key];
        total += dense[key];
        dense[key] = 0;
      }
      this.touchedCount = 0;
      return { size, keys, counts, total, voxels };
    }
    const map = this.map as Map<number, number>;
    const size = map.size;
    const keys = new Int32Array(size);
    const counts = new Float64Array(size);
    let e = 0;
    for (const [key, count] of map) {
      keys[e] = key;
      counts[e] = count;
      total += count;
      e++;
    }
    map.clear();
    return { size, keys, counts, total, voxels };
  }
}

/** c * log2(c), the per-cell term of an entropy computed from counts. */
export function xlog2x(c: number): number {
  return c * Math.log2(c);
}

/**
 * Shannon entropy (log2) of counts summing to `total`: -sum (c/N) log2 (c/N)
 * = log2 N - (1/N) sum c log2 c (no per-cell division).
 */
export function entropyOfCounts(sumXlog2x: number, total: number, nonZeroCells: number): number {
  if (nonZeroCells <= 1) return 0;
  const h = Math.log2(total) - sumXlog2x / total;
  return h > 0 ? h : 0;
}
