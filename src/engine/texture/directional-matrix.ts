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

/**
 * Cells with key < DENSE_BAND are counted in a dense scratch array (16 MiB at most), the others
 * in a Map. Raw CT levels (~1,700 levels, 3 x 10^6 GLCM cells) still fit the band, which is
 * fastest (measured: a 2^18 band with the rest in a Map is 10% slower on the CT phantom). Above
 * it, GLCM keys are diagonal-major (glcm.ts), so the band keeps the cells of the small
 * grey-level differences, where nearly all voxel pairs fall, and the Map only the rare others.
 */
const DENSE_BAND = 1 << 22;
/** Keys are int32. */
const MAX_CELLS = 2 ** 31 - 1;

export class SparseAccumulator {
  readonly rowCount: number;
  readonly colCount: number;
  /**
   * Whole-number counts of the keys below the band limit. Int32, not Float64: integer loads
   * need no boxed number while the code still runs unoptimised (a cold process spends much of
   * a texture family there). A cell never exceeds 2^31: it counts at most the voxel pairs or
   * runs of 13 merged directions (checked in add()).
   */
  private readonly dense: Int32Array;
  /** Counts of the keys at or above the band. */
  private readonly map = new Map<number, number>();
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
    this.dense = new Int32Array(Math.min(cells, DENSE_BAND));
    this.touched = new Int32Array(Math.min(Math.max(cells, 1), 1024));
  }

  /** Adds `count` (a whole number) to cell `key` (= row * colCount + col, or the family's own layout). */
  add(key: number, count: number): void {
    const dense = this.dense;
    if (key < dense.length) {
      const old = dense[key];
      if (old === 0) {
        if (this.touchedCount === this.touched.length) {
          const grown = new Int32Array(this.touched.length * 2);
          grown.set(this.touched);
          this.touched = grown;
        }
        this.touched[this.touchedCount++] = key;
      }
      const sum = old + count;
      if (sum > 0x7fffffff) throw new RgsError('texture matrix cell count exceeds 2^31: the ROI is too large for this matrix');
      dense[key] = sum;
    } else {
      this.map.set(key, (this.map.get(key) ?? 0) + count);
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
    const dense = this.dense;
    const map = this.map;
    const inBand = this.touchedCount;
    const size = inBand + map.size;
    const keys = new Int32Array(size);
    const counts = new Float64Array(size);
    let total = 0;
    for (let e = 0; e < inBand; e++) {
      const key = this.touched[e];
      const c = dense[key];
      keys[e] = key;
      counts[e] = c;
      total += c;
      dense[key] = 0;
    }
    let e = inBand;
    for (const [key, count] of map) {
      keys[e] = key;
      counts[e] = count;
      total += count;
      e++;
    }
    map.clear();
    this.touchedCount = 0;
    return { size, keys, counts, total, voxels };
  }
}

/**
 * c * log2(c) of the small whole numbers, the counts of nearly every texture matrix cell: a
 * table lookup instead of a logarithm per cell (the GLCMs of raw CT levels have ~10^6 cells in
 * all). Each entry is computed by the same expression as xlog2x, so results are identical.
 */
const XLOG2X_TABLE_SIZE = 4096;
const XLOG2X_TABLE = (() => {
  const t = new Float64Array(XLOG2X_TABLE_SIZE);
  for (let c = 1; c < XLOG2X_TABLE_SIZE; c++) t[c] = c * Math.log2(c);
  return t;
})();

/** c * log2(c), the per-cell term of an entropy computed from counts (0 for c = 0). */
export function xlog2x(c: number): number {
  return c < XLOG2X_TABLE_SIZE && (c | 0) === c && c >= 0 ? XLOG2X_TABLE[c] : c * Math.log2(c);
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
