/**
 * A fitted CART tree in flat typed arrays (one entry per node, the root is node 0), and the
 * traversal that drops a row down to its leaf. Split rule: go left when x[feature] <= threshold,
 * the convention of scikit-learn and R's randomForest.
 */

export interface DecisionTree {
  /** Number of nodes. */
  readonly nodeCount: number;
  /** Number of values stored per node: K class proportions, or 1 mean for regression. */
  readonly outputs: number;
  /** Split feature of each node, -1 for a leaf. */
  readonly feature: Int32Array;
  /** Split threshold of each node (NaN for a leaf). */
  readonly threshold: Float64Array;
  /** Left and right child of each node (-1 for a leaf). */
  readonly left: Int32Array;
  readonly right: Int32Array;
  /**
   * Node values, `outputs` per node: the in-bag class proportions (weighted by bootstrap
   * counts) for classification, the in-bag mean for regression.
   */
  readonly value: Float64Array;
  /** In-bag weight of each node (number of bootstrap draws that reached it). */
  readonly weight: Float64Array;
  /** Depth of each node (root 0). */
  readonly depth: Int32Array;
}

/**
 * The leaf a row reaches. The row's feature j is read at `x[offset + j * stride]`, so the same
 * traversal serves row-major data (offset = i * p, stride = 1) and column-major training data
 * (offset = i, stride = n).
 */
export function leafOf(tree: DecisionTree, x: Float64Array, offset: number, stride: number): number {
  const { feature, threshold, left, right } = tree;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    node = x[offset + f * stride] <= threshold[node] ? left[node] : right[node];
    f = feature[node];
  }
  return node;
}

/** Index of the largest of `count` values starting at `offset` (ties go to the lowest index). */
export function argMax(values: Float64Array, offset: number, count: number): number {
  let best = 0;
  let bestValue = values[offset];
  for (let k = 1; k < count; k++) {
    const v = values[offset + k];
    if (v > bestValue) {
      bestValue = v;
      best = k;
    }
  }
  return best;
}

/** Number of leaves and maximum depth, for reports. */
export function treeShape(tree: DecisionTree): { leaves: number; depth: number } {
  let leaves = 0;
  let depth = 0;
  for (let node = 0; node < tree.nodeCount; node++) {
    if (tree.feature[node] < 0) leaves++;
    if (tree.depth[node] > depth) depth = tree.depth[node];
  }
  return { leaves, depth };
}
