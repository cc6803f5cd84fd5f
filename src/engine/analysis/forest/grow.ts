/**
 * Growing one CART tree (Breiman, Friedman, Olshen & Stone 1984) as random forests do
 * (Breiman 2001): at EVERY node a fresh random subset of `mtry` features is drawn and only those
 * are searched for the best split. Classification trees minimise the weighted Gini impurity,
 * regression trees the weighted sum of squared errors.
 *
 * Data layout: the feature values are held column-major together with each column's dense ranks
 * (0 … distinct-1, equal values share a rank), computed once per forest. At a node the in-bag
 * rows are ordered by rank for each candidate feature with one native typed-array sort of
 * integer keys (rank and position packed together), then swept once, left to right, with O(1)
 * updates of the split score. Thresholds only fall between distinct values: the midpoint, as in
 * scikit-learn and R's randomForest.
 *
 * Bootstrap draws enter as integer weights (a row drawn twice counts twice), which gives the
 * same impurities, proportions and means as physically duplicating rows.
 */
import type { Rng } from '../random';
import type { DecisionTree } from './tree';

/** The training data of a forest, shared by all its trees. */
export interface TreeTrainingData {
  readonly n: number;
  readonly p: number;
  /** Feature values, column-major (feature j of row i at j * n + i). */
  readonly columns: Float64Array;
  /** Dense ranks of each column, same layout. */
  readonly ranks: Int32Array;
  readonly task: 'classification' | 'regression';
  /** Number of classes (classification) or 1 (regression). */
  readonly outputs: number;
  /** Class of each row, 0 … K-1 (classification only). */
  readonly yClass: Int32Array;
  /** Outcome of each row (regression only). */
  readonly yValue: Float64Array;
}

/** What a split observer sees at every split it makes (for instrumentation and tests). */
export interface SplitEvent {
  readonly depth: number;
  /** The features drawn for this node (at most mtry of them). */
  readonly candidates: readonly number[];
  /** The feature the node splits on (one of the candidates). */
  readonly feature: number;
}

export type SplitObserver = (event: SplitEvent) => void;

export interface TreeGrowthSettings {
  /** Features drawn (without replacement) at each node. */
  readonly mtry: number;
  /** Smallest in-bag weight a child may have (a leaf-size limit). */
  readonly minNodeSize: number;
  /** Largest depth of a node (the root has depth 0). */
  readonly maxDepth: number;
  readonly onSplit?: SplitObserver;
}

export interface GrownTree {
  readonly tree: DecisionTree;
  /**
   * Total weighted impurity decrease per feature: the sum over the tree's splits on that feature
   * of w_node * I_node - w_left * I_left - w_right * I_right (I = Gini or variance).
   */
  readonly impurityDecrease: Float64Array;
}

/** Dense ranks of each column of a column-major matrix. */
export function denseColumnRanks(columns: Float64Array, n: number, p: number): Int32Array {
  const ranks = new Int32Array(n * p);
  const order = new Int32Array(n);
  for (let j = 0; j < p; j++) {
    const base = j * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => columns[base + a] - columns[base + b]);
    let rank = 0;
    for (let q = 0; q < n; q++) {
      if (q > 0 && columns[base + order[q]] !== columns[base + order[q - 1]]) rank++;
      ranks[base + order[q]] = rank;
    }
  }
  return ranks;
}

/**
 * Grows one tree on the rows with positive `weights` (bootstrap counts). `featurePool` is a
 * scratch permutation of 0 … p-1 owned by the caller; partial Fisher–Yates shuffles of it give
 * each node's candidate features (any permutation is a valid starting point, so it needs no reset).
 */
export function growTree(
  data: TreeTrainingData,
  weights: Float64Array,
  settings: TreeGrowthSettings,
  rng: Rng,
  featurePool: Int32Array,
): GrownTree {
  const { n, p, columns, ranks, outputs: K, yClass, yValue } = data;
  const classification = data.task === 'classification';
  const { mtry, minNodeSize, maxDepth, onSplit } = settings;

  let m = 0;
  for (let i = 0; i < n; i++) if (weights[i] > 0) m++;
  const idx = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (weights[i] > 0) idx[k++] = i;

  // A binary tree whose leaves hold >= 1 distinct row each has at most 2m - 1 nodes.
  const capacity = Math.max(1, 2 * m - 1);
  const feature = new Int32Array(capacity).fill(-1);
  const threshold = new Float64Array(capacity).fill(NaN);
  const left = new Int32Array(capacity).fill(-1);
  const right = new Int32Array(capacity).fill(-1);
  const value = new Float64Array(capacity * K);
  const nodeWeight = new Float64Array(capacity);
  const nodeDepth = new Int32Array(capacity);
  const impurityDecrease = new Float64Array(p);

  // Sorting a node's rows by one feature's rank: one native sort of integer keys
  // rank * 2^shift + position (bit-packed in 32 bits when they fit, else exact in a double),
  // decoded into the rows and ranks in sorted order.
  const orderRows = new Int32Array(m);
  const orderRanks = new Int32Array(m);
  const shift = 32 - Math.clz32(Math.max(1, m - 1));
  const packed = n <= 2 ** (32 - shift);
  const keys32 = packed ? new Uint32Array(m) : new Uint32Array(0);
  const keys64 = packed ? new Float64Array(0) : new Float64Array(m);
  const mask = 2 ** shift - 1;
  const sortByRank = (fBase: number, start: number, len: number): void => {
    if (packed) {
      for (let k = 0; k < len; k++) keys32[k] = ((ranks[fBase + idx[start + k]] << shift) | k) >>> 0;
      const sorted = keys32.subarray(0, len);
      sorted.sort();
      for (let k = 0; k < len; k++) {
        const key = sorted[k];
        orderRanks[k] = key >>> shift;
        orderRows[k] = idx[start + (key & mask)];
      }
    } else {
      for (let k = 0; k < len; k++) keys64[k] = ranks[fBase + idx[start + k]] * m + k;
      const sorted = keys64.subarray(0, len);
      sorted.sort();
      for (let k = 0; k < len; k++) {
        const key = sorted[k];
        const r = Math.floor(key / m);
        orderRanks[k] = r;
        orderRows[k] = idx[start + (key - r * m)];
      }
    }
  };
  const nodeCounts = new Float64Array(K);
  const leftCounts = new Float64Array(K);
  const stackNode = new Int32Array(capacity);
  const stackStart = new Int32Array(capacity);
  const stackEnd = new Int32Array(capacity);
  let stackSize = 0;
  let nodeCount = 1;
  stackNode[0] = 0;
  stackStart[0] = 0;
  stackEnd[0] = m;
  stackSize = 1;

  while (stackSize > 0) {
    stackSize--;
    const node = stackNode[stackSize];
    const start = stackStart[stackSize];
    const end = stackEnd[stackSize];
    const len = end - start;
    const depth = nodeDepth[node];

    // Node statistics: weighted class counts (or weighted sum), purity.
    let w = 0;
    let nodeSum = 0;
    let parentTerm: number;
    let pure: boolean;
    if (classification) {
      nodeCounts.fill(0);
      for (let k = start; k < end; k++) {
        const i = idx[k];
        nodeCounts[yClass[i]] += weights[i];
        w += weights[i];
      }
      let sumSq = 0;
      let present = 0;
      for (let c = 0; c < K; c++) {
        const cnt = nodeCounts[c];
        sumSq += cnt * cnt;
        if (cnt > 0) present++;
        value[node * K + c] = cnt / w;
      }
      parentTerm = sumSq / w;
      pure = present <= 1;
    } else {
      let sum = 0;
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = start; k < end; k++) {
        const i = idx[k];
        sum += weights[i] * yValue[i];
        w += weights[i];
        if (yValue[i] < lo) lo = yValue[i];
        if (yValue[i] > hi) hi = yValue[i];
      }
      value[node] = sum / w;
      nodeSum = sum;
      parentTerm = (sum * sum) / w;
      pure = lo === hi;
    }
    nodeWeight[node] = w;

    if (pure || len < 2 || depth >= maxDepth || w < 2 * minNodeSize) continue;

    // Draw this node's candidate features: a partial Fisher–Yates over the pool.
    const draws = Math.min(mtry, p);
    for (let q = 0; q < draws; q++) {
      const r = q + rng.nextInt(p - q);
      const tmp = featurePool[q];
      featurePool[q] = featurePool[r];
      featurePool[r] = tmp;
    }

    let bestScore = -Infinity;
    let bestFeature = -1;
    let bestRank = -1;
    let bestThreshold = NaN;
    for (let q = 0; q < draws; q++) {
      const f = featurePool[q];
      const fBase = f * n;
      sortByRank(fBase, start, len);

      let wL = 0;
      if (classification) {
        // Score = sum_c L_c^2 / wL + sum_c R_c^2 / wR, kept up to date in O(1) per row moved.
        leftCounts.fill(0);
        let sqL = 0;
        let sqR = parentTerm * w;
        for (let q2 = 0; q2 < len - 1; q2++) {
          const i = orderRows[q2];
          const wi = weights[i];
          const c = yClass[i];
          const lc = leftCounts[c];
          const rc = nodeCounts[c] - lc;
          sqL += wi * (2 * lc + wi);
          sqR += wi * (wi - 2 * rc);
          leftCounts[c] = lc + wi;
          wL += wi;
          const r = orderRanks[q2];
          if (orderRanks[q2 + 1] === r) continue;
          const wR = w - wL;
          if (wL < minNodeSize || wR < minNodeSize) continue;
          const score = sqL / wL + sqR / wR;
          if (score > bestScore) {
            bestScore = score;
            bestFeature = f;
            bestRank = r;
            bestThreshold = midpoint(columns[fBase + i], columns[fBase + orderRows[q2 + 1]]);
          }
        }
      } else {
        let sumL = 0;
        for (let q2 = 0; q2 < len - 1; q2++) {
          const i = orderRows[q2];
          const wi = weights[i];
          sumL += wi * yValue[i];
          wL += wi;
          const r = orderRanks[q2];
          if (orderRanks[q2 + 1] === r) continue;
          const wR = w - wL;
          if (wL < minNodeSize || wR < minNodeSize) continue;
          const sumR = nodeSum - sumL;
          const score = (sumL * sumL) / wL + (sumR * sumR) / wR;
          if (score > bestScore) {
            bestScore = score;
            bestFeature = f;
            bestRank = r;
            bestThreshold = midpoint(columns[fBase + i], columns[fBase + orderRows[q2 + 1]]);
          }
        }
      }
    }
    if (bestFeature < 0) continue;

    if (onSplit) {
      const candidates: number[] = [];
      for (let q = 0; q < draws; q++) candidates.push(featurePool[q]);
      onSplit({ depth, candidates, feature: bestFeature });
    }

    // Partition the node's rows: rank <= bestRank to the left.
    const fBase = bestFeature * n;
    let a = start;
    let b = end - 1;
    while (a <= b) {
      if (ranks[fBase + idx[a]] <= bestRank) a++;
      else {
        const tmp = idx[a];
        idx[a] = idx[b];
        idx[b] = tmp;
        b--;
      }
    }
    // Weighted impurity decrease: (sum L^2/wL + sum R^2/wR) - sum N^2/w for Gini
    // (w * Gini = w - sum N^2 / w), the same algebra for squared errors.
    impurityDecrease[bestFeature] += Math.max(0, bestScore - parentTerm);

    const l = nodeCount++;
    const rgt = nodeCount++;
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    left[node] = l;
    right[node] = rgt;
    nodeDepth[l] = depth + 1;
    nodeDepth[rgt] = depth + 1;
    // Right pushed first so that the left subtree is grown first (preorder numbering).
    stackNode[stackSize] = rgt;
    stackStart[stackSize] = a;
    stackEnd[stackSize] = end;
    stackSize++;
    stackNode[stackSize] = l;
    stackStart[stackSize] = start;
    stackEnd[stackSize] = a;
    stackSize++;
  }

  const tree: DecisionTree = {
    nodeCount,
    outputs: K,
    feature: feature.slice(0, nodeCount),
    threshold: threshold.slice(0, nodeCount),
    left: left.slice(0, nodeCount),
    right: right.slice(0, nodeCount),
    value: value.slice(0, nodeCount * K),
    weight: nodeWeight.slice(0, nodeCount),
    depth: nodeDepth.slice(0, nodeCount),
  };
  return { tree, impurityDecrease };
}

/** Midpoint of two adjacent distinct values; the lower one when the midpoint rounds up to the upper. */
function midpoint(lo: number, hi: number): number {
  const mid = lo / 2 + hi / 2;
  return mid >= hi || mid < lo ? lo : mid;
}
