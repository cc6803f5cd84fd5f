/**
 * Random oversampling: every smaller class is grown to the target size by duplicating its own
 * training rows, drawn uniformly with replacement (imbalanced-learn's RandomOverSampler without
 * smoothing). Training sets only (see training-set.ts).
 */
import { Rng, toRng } from '../random';
import { TrainingSet, assertTrainingSet, brandTrainingSet, rowsByClass, rowsToAdd } from './training-set';

export interface RandomOversampleOptions {
  /** Size of every smaller class after balancing, relative to the largest class (default 1). */
  targetRatio?: number;
  seed: number | Rng;
}

export interface RandomOversampleResult {
  /** The input rows (unchanged, first) followed by the duplicates. */
  set: TrainingSet;
  /** For each added row, the row of the input training set it copies. */
  duplicateOf: Int32Array;
}

export function randomOversample(training: TrainingSet, options: RandomOversampleOptions): RandomOversampleResult {
  assertTrainingSet(training, 'random oversampling');
  const rng = toRng(options.seed);
  const { x, labels } = training;
  const byClass = rowsByClass(labels);
  const toAdd = rowsToAdd(byClass, options.targetRatio ?? 1, 'random oversampling');
  let total = 0;
  for (const g of toAdd.values()) total += g;
  const cols = x.cols;
  const data = new Float64Array((x.rows + total) * cols);
  data.set(x.data);
  const outLabels = new Int32Array(x.rows + total);
  outLabels.set(labels);
  const sourceRows = new Int32Array(x.rows + total);
  sourceRows.set(training.sourceRows);
  const duplicateOf = new Int32Array(total);
  let s = 0;
  for (const [c, members] of byClass) {
    const g = toAdd.get(c)!;
    for (const pick of rng.sampleWithReplacement(members.length, g)) {
      const i = members[pick];
      const row = x.rows + s;
      data.copyWithin(row * cols, i * cols, (i + 1) * cols);
      outLabels[row] = c;
      // A duplicate keeps its origin: it is the same subject's data.
      sourceRows[row] = training.sourceRows[i];
      duplicateOf[s++] = i;
    }
  }
  return { set: brandTrainingSet({ rows: x.rows + total, cols, data }, outLabels, sourceRows), duplicateOf };
}
