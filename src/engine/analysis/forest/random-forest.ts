/**
 * Random forests (Breiman 2001) for classification and regression: bootstrap samples, CART trees
 * grown with `mtry` candidate features drawn at every split (./grow.ts), out-of-bag (OOB)
 * predictions and error, impurity importance and OOB permutation importance.
 *
 * Conventions (each chosen to match a reference implementation):
 * - Class probabilities are the mean over trees of the leaf's in-bag class proportions, as
 *   scikit-learn's RandomForestClassifier.predict_proba (not the share of majority votes, which
 *   is what R's randomForest reports).
 * - Defaults as R's randomForest: 500 trees, mtry = floor(sqrt(p)) for classification and
 *   max(1, floor(p/3)) for regression, node size 1 (classification) / 5 (regression), trees
 *   grown without a depth limit. `minNodeSize` bounds the in-bag weight (bootstrap draws) of
 *   every leaf; a node is split only if both children reach it.
 * - If none of a node's mtry features admits a split (all constant in the node), the node
 *   becomes a leaf, as in R's randomForest and ranger; no further features are drawn.
 * - Impurity importance: for each tree the weighted impurity decreases of its splits on the
 *   feature, divided by the tree's in-bag weight, then averaged over trees (scikit-learn's
 *   mean decrease in impurity before its sum-to-one normalisation).
 * - Permutation importance: per tree, the drop in OOB accuracy (classification) or the rise in
 *   OOB mean squared error (regression) when the feature's values are permuted among that
 *   tree's OOB rows; averaged over the trees with OOB rows ("raw"), and scaled by its standard
 *   error sqrt(var / T) with the population variance over trees ("z"), as ranger's
 *   scale.permutation.importance (the importance Boruta's getImpRfZ uses). A feature a tree does
 *   not split on has a decrease of exactly 0 in that tree, so only used features are permuted.
 *   Where the variance is 0 the raw value is reported unscaled, as ranger does.
 *
 * Reproducibility: a master generator is built from the seed; every tree forks two generators
 * from it in order (growth, then permutation), so the trees do not depend on whether permutation
 * importance is requested.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';
import {
  MatrixInput,
  toClassLabels,
  toColumnMajor,
  toDenseMatrix,
  toNumericOutcome,
  DenseMatrix,
} from './design-matrix';
import { GrownTree, SplitObserver, TreeTrainingData, denseColumnRanks, growTree } from './grow';
import { DecisionTree, argMax, leafOf } from './tree';

export type { DecisionTree } from './tree';
export type { SplitEvent, SplitObserver } from './grow';

export interface RandomForestOptions {
  /** Seed (or generator) of the bootstrap samples, feature draws and permutations. */
  seed: number | Rng;
  /** Number of trees (default 500). */
  trees?: number;
  /** Features drawn at each split (default floor(sqrt(p)), regression max(1, floor(p/3))). */
  mtry?: number;
  /** Smallest in-bag weight of a leaf (default 1, regression 5). */
  minNodeSize?: number;
  /** Largest tree depth (default unlimited; the root has depth 0). */
  maxDepth?: number;
  /** Draw a bootstrap sample per tree (default true); false grows every tree on all rows (no OOB). */
  bootstrap?: boolean;
  /** Compute OOB permutation importance (default false; it costs a pass over each tree's OOB rows per used feature). */
  permutationImportance?: boolean;
  /** Called at every split with the candidate features drawn there (instrumentation). */
  onSplit?: SplitObserver;
}

export interface ForestImportance {
  /** Mean decrease in impurity per feature (see the module comment). */
  readonly impurity: Float64Array;
  /** Mean OOB permutation importance per feature (accuracy drop or MSE rise), when requested. */
  readonly permutation?: Float64Array;
  /** Permutation importance divided by its standard error over trees, when requested. */
  readonly permutationZ?: Float64Array;
}

interface ForestCommon {
  /** Number of features the forest was trained on. */
  readonly features: number;
  readonly trees: readonly DecisionTree[];
  readonly mtry: number;
  readonly minNodeSize: number;
  readonly maxDepth: number;
  /** Number of trees each training row was out of bag for. */
  readonly oobCount: Int32Array;
  readonly importance: ForestImportance;
}

export interface RandomForestClassifier extends ForestCommon {
  readonly task: 'classification';
  readonly classes: number;
  /** OOB class probabilities, row-major n x K; NaN rows for rows never out of bag. */
  readonly oobProbabilities: Float64Array;
  /** Share of rows (among those ever out of bag) whose OOB majority class is wrong; NaN if none. */
  readonly oobError: number;
}

export interface RandomForestRegressor extends ForestCommon {
  readonly task: 'regression';
  /** OOB predictions; NaN for rows never out of bag. */
  readonly oobPredictions: Float64Array;
  /** OOB mean squared error over rows ever out of bag; NaN if none. */
  readonly oobMse: number;
}

export type RandomForest = RandomForestClassifier | RandomForestRegressor;

interface ResolvedSettings {
  trees: number;
  mtry: number;
  minNodeSize: number;
  maxDepth: number;
  bootstrap: boolean;
  permutation: boolean;
}

function resolveSettings(options: RandomForestOptions, p: number, task: 'classification' | 'regression'): ResolvedSettings {
  const what = 'random forest';
  const trees = options.trees ?? 500;
  if (!Number.isInteger(trees) || trees < 1) throw new RgsError(`${what}: trees must be a positive integer, got ${trees}`, { field: 'trees' });
  const defaultMtry = task === 'classification' ? Math.floor(Math.sqrt(p)) : Math.floor(p / 3);
  const mtry = options.mtry ?? Math.max(1, defaultMtry);
  if (!Number.isInteger(mtry) || mtry < 1 || mtry > p) {
    throw new RgsError(`${what}: mtry must be an integer from 1 to the number of features (${p}), got ${mtry}`, { field: 'mtry' });
  }
  const minNodeSize = options.minNodeSize ?? (task === 'classification' ? 1 : 5);
  if (!(minNodeSize >= 1) || !Number.isFinite(minNodeSize)) {
    throw new RgsError(`${what}: minNodeSize must be a number >= 1, got ${minNodeSize}`, { field: 'minNodeSize' });
  }
  const maxDepth = options.maxDepth ?? Infinity;
  if (!(maxDepth >= 0) || (Number.isFinite(maxDepth) && !Number.isInteger(maxDepth))) {
    throw new RgsError(`${what}: maxDepth must be a non-negative integer, got ${maxDepth}`, { field: 'maxDepth' });
  }
  const bootstrap = options.bootstrap ?? true;
  const permutation = options.permutationImportance ?? false;
  if (permutation && !bootstrap) {
    throw new RgsError(`${what}: permutation importance needs out-of-bag rows; set bootstrap to true`, { field: 'permutationImportance' });
  }
  return { trees, mtry, minNodeSize, maxDepth, bootstrap, permutation };
}

/** Everything both tasks share: the data layout and the per-tree loop. */
function fitForest(
  data: TreeTrainingData,
  s: ResolvedSettings,
  options: RandomForestOptions,
): {
  grown: GrownTree[];
  oobSum: Float64Array;
  oobCount: Int32Array;
  importance: ForestImportance;
} {
  const { n, p, outputs: K } = data;
  const master = toRng(options.seed);
  const featurePool = new Int32Array(p);
  for (let j = 0; j < p; j++) featurePool[j] = j;
  const weights = new Float64Array(n);
  const oobSum = new Float64Array(n * K);
  const oobCount = new Int32Array(n);
  const impurity = new Float64Array(p);
  const permSum = s.permutation ? new Float64Array(p) : undefined;
  const permSumSq = s.permutation ? new Float64Array(p) : undefined;
  let permTrees = 0;
  const grown: GrownTree[] = [];
  const oobRows = new Int32Array(n);

  for (let t = 0; t < s.trees; t++) {
    const growRng = master.fork();
    const permRng = master.fork();
    weights.fill(0);
    if (s.bootstrap) {
      for (let d = 0; d < n; d++) weights[growRng.nextInt(n)] += 1;
    } else {
      weights.fill(1);
    }
    const g = growTree(data, weights, { mtry: s.mtry, minNodeSize: s.minNodeSize, maxDepth: s.maxDepth, onSplit: options.onSplit }, growRng, featurePool);
    grown.push(g);
    let totalWeight = 0;
    for (let i = 0; i < n; i++) totalWeight += weights[i];
    for (let j = 0; j < p; j++) impurity[j] += g.impurityDecrease[j] / totalWeight;

    let nOob = 0;
    for (let i = 0; i < n; i++) {
      if (weights[i] > 0) continue;
      oobRows[nOob++] = i;
      const leaf = leafOf(g.tree, data.columns, i, n);
      for (let k = 0; k < K; k++) oobSum[i * K + k] += g.tree.value[leaf * K + k];
      oobCount[i]++;
    }
    if (permSum && permSumSq && nOob > 0) {
      permTrees++;
      accumulatePermutationImportance(g.tree, data, oobRows.subarray(0, nOob), permRng, permSum, permSumSq);
    }
  }
  for (let j = 0; j < p; j++) impurity[j] /= s.trees;

  let importance: ForestImportance = { impurity };
  if (permSum && permSumSq) {
    const raw = new Float64Array(p);
    const z = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      if (permTrees === 0) {
        raw[j] = NaN;
        z[j] = NaN;
        continue;
      }
      const mean = permSum[j] / permTrees;
      const variance = Math.max(0, permSumSq[j] / permTrees - mean * mean);
      raw[j] = mean;
      z[j] = variance > 0 ? mean / Math.sqrt(variance / permTrees) : mean;
    }
    importance = { impurity, permutation: raw, permutationZ: z };
  }
  return { grown, oobSum, oobCount, importance };
}

/**
 * Adds one tree's permutation importance to the running sums: for each feature the tree splits
 * on, the OOB rows are dropped down the tree with that feature's values permuted among them.
 */
function accumulatePermutationImportance(
  tree: DecisionTree,
  data: TreeTrainingData,
  oob: Int32Array,
  rng: Rng,
  sum: Float64Array,
  sumSq: Float64Array,
): void {
  const { n, columns, outputs: K } = data;
  const classification = data.task === 'classification';
  const nOob = oob.length;
  // Baseline OOB loss of this tree: error count or squared error sum.
  let baseLoss = 0;
  for (let q = 0; q < nOob; q++) {
    const i = oob[q];
    const leaf = leafOf(tree, columns, i, n);
    baseLoss += rowLoss(tree, leaf, data, i, K, classification);
  }
  const used = new Uint8Array(data.p);
  const usedList: number[] = [];
  for (let node = 0; node < tree.nodeCount; node++) {
    const f = tree.feature[node];
    if (f >= 0 && !used[f]) {
      used[f] = 1;
      usedList.push(f);
    }
  }
  // Visit used features in index order so the permutation stream does not depend on node order.
  usedList.sort((a, b) => a - b);
  const { feature, threshold, left, right } = tree;
  for (const j of usedList) {
    const perm = rng.permutation(nOob);
    let loss = 0;
    for (let q = 0; q < nOob; q++) {
      const i = oob[q];
      const donor = oob[perm[q]];
      let node = 0;
      let f = feature[0];
      while (f >= 0) {
        const v = f === j ? columns[j * n + donor] : columns[f * n + i];
        node = v <= threshold[node] ? left[node] : right[node];
        f = feature[node];
      }
      loss += rowLoss(tree, node, data, i, K, classification);
    }
    // Accuracy drop = rise in error rate; for regression the rise in mean squared error.
    const d = (loss - baseLoss) / nOob;
    sum[j] += d;
    sumSq[j] += d * d;
  }
}

function rowLoss(tree: DecisionTree, leaf: number, data: TreeTrainingData, i: number, K: number, classification: boolean): number {
  if (classification) return argMax(tree.value, leaf * K, K) === data.yClass[i] ? 0 : 1;
  const e = tree.value[leaf] - data.yValue[i];
  return e * e;
}

function trainingData(m: DenseMatrix, task: 'classification' | 'regression', outputs: number, yClass: Int32Array, yValue: Float64Array): TreeTrainingData {
  const columns = toColumnMajor(m);
  return { n: m.rows, p: m.cols, columns, ranks: denseColumnRanks(columns, m.rows, m.cols), task, outputs, yClass, yValue };
}

function checkShape(m: DenseMatrix, what: string): void {
  if (m.rows < 2) throw new RgsError(`${what}: needs at least 2 rows, got ${m.rows}`, { field: 'x' });
  if (m.cols < 1) throw new RgsError(`${what}: needs at least 1 feature`, { field: 'x' });
}

/** Fits a classification forest; `y` holds classes 0 … K-1 (or booleans). */
export function fitRandomForestClassifier(x: MatrixInput, y: ArrayLike<number | boolean>, options: RandomForestOptions): RandomForestClassifier {
  const what = 'random forest';
  const m = toDenseMatrix(x, what);
  checkShape(m, what);
  const { labels, classes } = toClassLabels(y, m.rows, what);
  const s = resolveSettings(options, m.cols, 'classification');
  const data = trainingData(m, 'classification', classes, labels, new Float64Array(0));
  const { grown, oobSum, oobCount, importance } = fitForest(data, s, options);
  const n = m.rows;
  const oobProbabilities = new Float64Array(n * classes);
  let wrong = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    if (oobCount[i] === 0) {
      oobProbabilities.fill(NaN, i * classes, (i + 1) * classes);
      continue;
    }
    for (let k = 0; k < classes; k++) oobProbabilities[i * classes + k] = oobSum[i * classes + k] / oobCount[i];
    counted++;
    if (argMax(oobProbabilities, i * classes, classes) !== labels[i]) wrong++;
  }
  return {
    task: 'classification',
    classes,
    features: m.cols,
    trees: grown.map((g) => g.tree),
    mtry: s.mtry,
    minNodeSize: s.minNodeSize,
    maxDepth: s.maxDepth,
    oobCount,
    oobProbabilities,
    oobError: counted > 0 ? wrong / counted : NaN,
    importance,
  };
}

/** Fits a regression forest on a numeric outcome. */
export function fitRandomForestRegressor(x: MatrixInput, y: ArrayLike<number>, options: RandomForestOptions): RandomForestRegressor {
  const what = 'random forest';
  const m = toDenseMatrix(x, what);
  checkShape(m, what);
  const yValue = toNumericOutcome(y, m.rows, what);
  const s = resolveSettings(options, m.cols, 'regression');
  const data = trainingData(m, 'regression', 1, new Int32Array(0), yValue);
  const { grown, oobSum, oobCount, importance } = fitForest(data, s, options);
  const n = m.rows;
  const oobPredictions = new Float64Array(n);
  let sse = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    if (oobCount[i] === 0) {
      oobPredictions[i] = NaN;
      continue;
    }
    const pred = oobSum[i] / oobCount[i];
    oobPredictions[i] = pred;
    sse += (pred - yValue[i]) ** 2;
    counted++;
  }
  return {
    task: 'regression',
    features: m.cols,
    trees: grown.map((g) => g.tree),
    mtry: s.mtry,
    minNodeSize: s.minNodeSize,
    maxDepth: s.maxDepth,
    oobCount,
    oobPredictions,
    oobMse: counted > 0 ? sse / counted : NaN,
    importance,
  };
}

function checkPredictInput(forest: RandomForest, x: MatrixInput): DenseMatrix {
  const what = 'random forest prediction';
  const m = toDenseMatrix(x, what);
  if (m.rows > 0 && m.cols !== forest.features) {
    throw new RgsError(`${what}: the data have ${m.cols} features but the forest was trained on ${forest.features}`, { field: 'x' });
  }
  return m;
}

/** Class probabilities, row-major n x K: the mean over trees of the leaf class proportions. */
export function predictForestProbabilities(forest: RandomForestClassifier, x: MatrixInput): Float64Array {
  const m = checkPredictInput(forest, x);
  const K = forest.classes;
  const out = new Float64Array(m.rows * K);
  for (const tree of forest.trees) {
    for (let i = 0; i < m.rows; i++) {
      const leaf = leafOf(tree, m.data, i * m.cols, 1);
      for (let k = 0; k < K; k++) out[i * K + k] += tree.value[leaf * K + k];
    }
  }
  const T = forest.trees.length;
  for (let k = 0; k < out.length; k++) out[k] /= T;
  return out;
}

/** Probability of class 1 for a binary forest (the score for AUCs). */
export function predictForestPositive(forest: RandomForestClassifier, x: MatrixInput): Float64Array {
  if (forest.classes !== 2) throw new RgsError(`random forest prediction: the forest has ${forest.classes} classes, not 2`, { field: 'classes' });
  const prob = predictForestProbabilities(forest, x);
  const out = new Float64Array(prob.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = prob[2 * i + 1];
  return out;
}

/** Most probable class per row (ties to the lower class). */
export function predictForestClasses(forest: RandomForestClassifier, x: MatrixInput): Int32Array {
  const prob = predictForestProbabilities(forest, x);
  const K = forest.classes;
  const out = new Int32Array(prob.length / K);
  for (let i = 0; i < out.length; i++) out[i] = argMax(prob, i * K, K);
  return out;
}

/** Regression predictions: the mean of the trees' leaf means. */
export function predictForestRegression(forest: RandomForestRegressor, x: MatrixInput): Float64Array {
  const m = checkPredictInput(forest, x);
  const out = new Float64Array(m.rows);
  for (const tree of forest.trees) {
    for (let i = 0; i < m.rows; i++) out[i] += tree.value[leafOf(tree, m.data, i * m.cols, 1)];
  }
  for (let i = 0; i < m.rows; i++) out[i] /= forest.trees.length;
  return out;
}
