/**
 * The training part of a split, as the only thing class balancing accepts. Oversampling before
 * splitting (or oversampling test rows) leaks synthetic copies of test information into
 * training and inflates performance (e.g. Santos et al., IEEE Comput Intell Mag 2018); so the
 * balancers take a `TrainingSet`, and a `TrainingSet` can only be made from a fold's `train`
 * rows by `trainingSet()` (or be the output of a balancer). The type is branded, and the
 * balancers also check at run time that their input was made here, so a cast cannot bypass it.
 */
import { RgsError } from '../../util/errors';
import type { Fold } from '../validation/subjects';

/** A dense row-major matrix: element (i, j) is data[i * cols + j]. */
export interface FeatureMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

declare const trainingBrand: unique symbol;

export interface TrainingSet {
  readonly [trainingBrand]: true;
  /** Feature rows (already scaled as the model will see them). */
  readonly x: FeatureMatrix;
  /** Integer class label of each row. */
  readonly labels: Int32Array;
  /** The row of the full data each row came from (duplicates keep it); -1 for SMOTE's synthetic rows. */
  readonly sourceRows: Int32Array;
}

const made = new WeakSet<object>();

/** Wraps already-built arrays as a TrainingSet (for this folder's balancers). */
export function brandTrainingSet(x: FeatureMatrix, labels: Int32Array, sourceRows: Int32Array): TrainingSet {
  const set = { x, labels, sourceRows } as unknown as TrainingSet;
  made.add(set);
  return set;
}

/** Throws unless `set` was made by `trainingSet()` or a balancer. */
export function assertTrainingSet(set: TrainingSet, what: string): void {
  if (!made.has(set)) {
    throw new RgsError(`${what}: takes only a training set made by trainingSet(data, labels, fold), never test rows`);
  }
}

/**
 * The training rows of `fold` (and only those): copies their features and labels out of the
 * full data. `labels` are integer class codes, one per row of `x`. The fold's test rows (empty
 * when the final model is fitted on all data) are checked to be disjoint from its training rows.
 */
export function trainingSet(x: FeatureMatrix, labels: ArrayLike<number>, fold: Fold): TrainingSet {
  if (x.data.length !== x.rows * x.cols) {
    throw new RangeError(`feature matrix: ${x.data.length} values for ${x.rows} x ${x.cols}`);
  }
  if (labels.length !== x.rows) {
    throw new RgsError(`training set: ${labels.length} labels for ${x.rows} feature rows`, { field: 'labels' });
  }
  const testRows = new Set(fold.test);
  for (const r of fold.train) {
    if (testRows.has(r)) throw new RgsError(`training set: row ${r + 1} is in both the training and the test part of the fold`);
  }
  const rows = fold.train;
  const data = new Float64Array(rows.length * x.cols);
  const lab = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    if (!Number.isInteger(r) || r < 0 || r >= x.rows) throw new RangeError(`training row ${r} outside 0..${x.rows - 1}`);
    const y = labels[r];
    if (!Number.isInteger(y)) throw new RgsError(`training set: label of row ${r + 1} is ${y}, not an integer class code`, { field: 'labels' });
    lab[k] = y;
    for (let j = 0; j < x.cols; j++) {
      const v = x.data[r * x.cols + j];
      if (!Number.isFinite(v)) {
        throw new RgsError(`training set: feature ${j + 1} of row ${r + 1} is ${v}; impute or drop missing values before balancing`);
      }
      data[k * x.cols + j] = v;
    }
  }
  return brandTrainingSet({ rows: rows.length, cols: x.cols, data }, lab, Int32Array.from(rows));
}

/** Row indices of each class, classes ascending. */
export function rowsByClass(labels: Int32Array): Map<number, number[]> {
  const classes = [...new Set(labels)].sort((a, b) => a - b);
  const out = new Map<number, number[]>(classes.map((c) => [c, []]));
  for (let i = 0; i < labels.length; i++) out.get(labels[i])!.push(i);
  return out;
}

/**
 * How many rows to add to each class so that it reaches floor(targetRatio × n_majority) rows
 * (imbalanced-learn's float `sampling_strategy`); classes already there get 0.
 */
export function rowsToAdd(byClass: Map<number, number[]>, targetRatio: number, what: string): Map<number, number> {
  if (!(targetRatio > 0 && targetRatio <= 1)) {
    throw new RgsError(`${what}: targetRatio must be in (0, 1] (minority/majority after balancing), got ${targetRatio}`, {
      field: 'targetRatio',
    });
  }
  let nMajority = 0;
  for (const rows of byClass.values()) nMajority = Math.max(nMajority, rows.length);
  // The small epsilon keeps e.g. 0.29 × 100 = 28.999999999999996 at 29.
  const target = Math.floor(targetRatio * nMajority + 1e-9);
  const out = new Map<number, number>();
  for (const [c, rows] of byClass) out.set(c, Math.max(0, target - rows.length));
  return out;
}
