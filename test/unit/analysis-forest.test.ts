import { describe, expect, it } from 'vitest';
import {
  fitRandomForestClassifier,
  fitRandomForestRegressor,
  predictForestClasses,
  predictForestPositive,
  predictForestProbabilities,
  predictForestRegression,
  type SplitEvent,
} from '../../src/engine/analysis/forest/random-forest';
import { denseColumnRanks } from '../../src/engine/analysis/forest/grow';
import { leafOf, treeShape } from '../../src/engine/analysis/forest/tree';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

/** n rows of p standard normal features; class 1 when x0 + x1 - x2 + noise > 0. */
function synthetic(seed: number, n: number, p: number, noise = 0.5): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < p; j++) row.push(rng.normal());
    y.push(row[0] + row[1] - row[2] + noise * rng.normal() > 0 ? 1 : 0);
    x.push(row);
  }
  return { x, y };
}

describe('CART growth on hand-worked data (one tree, no bootstrap, all features)', () => {
  it('splits six ordered points at the midpoint 3.5 into two pure leaves', () => {
    // x = 1..6, y = 0,0,0,1,1,1. Root Gini = 1 - (1/2)^2 - (1/2)^2 = 0.5; the split between 3 and 4
    // gives two pure children, the largest possible decrease, with threshold (3 + 4) / 2 = 3.5.
    const x = [[1], [2], [3], [4], [5], [6]];
    const y = [0, 0, 0, 1, 1, 1];
    const f = fitRandomForestClassifier(x, y, { seed: 1, trees: 1, bootstrap: false });
    const t = f.trees[0];
    expect(t.nodeCount).toBe(3);
    expect(t.feature[0]).toBe(0);
    expect(t.threshold[0]).toBe(3.5);
    expect(Array.from(t.value.subarray(2, 6))).toEqual([1, 0, 0, 1]);
    // Impurity importance: w * Gini decrease = 6 * 0.5 - 0 = 3, divided by the tree weight 6.
    expect(f.importance.impurity[0]).toBeCloseTo(0.5, 15);
    expect(Array.from(predictForestClasses(f, [[3.49], [3.5], [3.51]]))).toEqual([0, 0, 1]);
  });

  it('chooses the feature with the larger Gini decrease and puts thresholds between distinct values', () => {
    // Feature 0 separates perfectly between the tied values 1 and 2 (threshold 1.5).
    // Feature 1 = [0,1,0,1,0,1] at best isolates a 2:1 mix; its decrease is smaller:
    //   split 0|1: left {0,1,1}: counts (1 of class 0, 2 of class 1) -> (1+4)/3, right the mirror,
    //   score 10/3 < 6 (score of the perfect split = 3^2/3 + 3^2/3).
    const x = [
      [1, 0],
      [1, 1],
      [1, 0],
      [2, 1],
      [2, 0],
      [2, 1],
    ];
    const y = [0, 0, 0, 1, 1, 1];
    const f = fitRandomForestClassifier(x, y, { seed: 3, trees: 1, bootstrap: false, mtry: 2 });
    expect(f.trees[0].feature[0]).toBe(0);
    expect(f.trees[0].threshold[0]).toBe(1.5);
    expect(f.importance.impurity[1]).toBe(0);
  });

  it('stops at maxDepth and reports the class proportions of the leaf', () => {
    // maxDepth 0: the root is the only leaf and predicts the training proportions (2/5, 3/5).
    const x = [[1], [2], [3], [4], [5]];
    const y = [0, 1, 0, 1, 1];
    const f = fitRandomForestClassifier(x, y, { seed: 1, trees: 1, bootstrap: false, maxDepth: 0 });
    const prob = predictForestProbabilities(f, [[0], [10]]);
    expect(Array.from(prob)).toEqual([0.4, 0.6, 0.4, 0.6]);
  });

  it('never makes a leaf lighter than minNodeSize', () => {
    const { x, y } = synthetic(11, 200, 5);
    const f = fitRandomForestClassifier(x, y, { seed: 5, trees: 20, minNodeSize: 7 });
    for (const t of f.trees) {
      for (let node = 0; node < t.nodeCount; node++) if (t.feature[node] < 0) expect(t.weight[node]).toBeGreaterThanOrEqual(7);
    }
  });

  it('splits correctly when rank and position no longer pack into 32 bits (70,000 rows)', () => {
    // 70,000 rows need 17 bits for a position, leaving 15 bits (< 70,000 ranks): the
    // double-precision key path. y = 1 from row 35,000 on: threshold 34999.5, pure leaves.
    const n = 70000;
    const x = Array.from({ length: n }, (_, i) => [i]);
    const y = Array.from({ length: n }, (_, i) => (i >= 35000 ? 1 : 0));
    const f = fitRandomForestClassifier(x, y, { seed: 1, trees: 1, bootstrap: false, maxDepth: 3 });
    expect(f.trees[0].nodeCount).toBe(3);
    expect(f.trees[0].threshold[0]).toBe(34999.5);
  });

  it('assigns equal values equal dense ranks', () => {
    // Column 0 = [3, 1, 3, 2] -> ranks [2, 0, 2, 1]; column 1 = [5, 5, 5, 5] -> all 0.
    const ranks = denseColumnRanks(Float64Array.from([3, 1, 3, 2, 5, 5, 5, 5]), 4, 2);
    expect(Array.from(ranks)).toEqual([2, 0, 2, 1, 0, 0, 0, 0]);
  });
});

describe('random forest behaviour', () => {
  it('learns a separable problem', () => {
    // Class 1 iff x0 > 0 (no noise), plus three noise features.
    const rng = new Rng(2);
    const make = (n: number): { x: number[][]; y: number[] } => {
      const x: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
        x.push(row);
        y.push(row[0] > 0 ? 1 : 0);
      }
      return { x, y };
    };
    const train = make(150);
    const test = make(300);
    const f = fitRandomForestClassifier(train.x, train.y, { seed: 9, trees: 100 });
    const pred = predictForestClasses(f, test.x);
    let correct = 0;
    for (let i = 0; i < test.y.length; i++) if (pred[i] === test.y[i]) correct++;
    expect(correct / test.y.length).toBeGreaterThan(0.95);
    // The splitting feature dominates the impurity importance.
    const imp = f.importance.impurity;
    expect(imp[0]).toBeGreaterThan(3 * Math.max(imp[1], imp[2], imp[3]));
    // Probabilities are proportions: each row sums to 1.
    const prob = predictForestProbabilities(f, test.x.slice(0, 20));
    for (let i = 0; i < 20; i++) expect(prob[2 * i] + prob[2 * i + 1]).toBeCloseTo(1, 12);
  });

  it('gives an OOB error close to the error on a large held-out sample', () => {
    const train = synthetic(21, 300, 10, 0.8);
    const test = synthetic(22, 3000, 10, 0.8);
    const f = fitRandomForestClassifier(train.x, train.y, { seed: 4, trees: 300 });
    const pred = predictForestClasses(f, test.x);
    let wrong = 0;
    for (let i = 0; i < test.y.length; i++) if (pred[i] !== test.y[i]) wrong++;
    const testError = wrong / test.y.length;
    expect(testError).toBeGreaterThan(0.05);
    expect(Math.abs(f.oobError - testError)).toBeLessThan(0.05);
    // With 300 trees every row is out of bag for about 300 * e^-1 trees.
    for (const c of f.oobCount) expect(c).toBeGreaterThan(60);
  });

  it('is deterministic given the seed and changes with it', () => {
    const { x, y } = synthetic(31, 80, 20);
    const a = fitRandomForestClassifier(x, y, { seed: 77, trees: 50, permutationImportance: true });
    const b = fitRandomForestClassifier(x, y, { seed: 77, trees: 50, permutationImportance: true });
    const c = fitRandomForestClassifier(x, y, { seed: 78, trees: 50, permutationImportance: true });
    const test = synthetic(32, 40, 20).x;
    expect(Array.from(predictForestPositive(a, test))).toEqual(Array.from(predictForestPositive(b, test)));
    expect(Array.from(a.oobProbabilities)).toEqual(Array.from(b.oobProbabilities));
    expect(Array.from(a.importance.permutationZ as Float64Array)).toEqual(Array.from(b.importance.permutationZ as Float64Array));
    expect(Array.from(predictForestPositive(a, test))).not.toEqual(Array.from(predictForestPositive(c, test)));
    // Asking for permutation importance does not change the trees.
    const d = fitRandomForestClassifier(x, y, { seed: 77, trees: 50 });
    expect(Array.from(predictForestPositive(d, test))).toEqual(Array.from(predictForestPositive(a, test)));
  });

  it('draws at most mtry candidate features at every split, afresh at each node', () => {
    const { x, y } = synthetic(41, 120, 30);
    const events: SplitEvent[] = [];
    const f = fitRandomForestClassifier(x, y, { seed: 8, trees: 10, mtry: 4, onSplit: (e) => events.push(e) });
    let internal = 0;
    for (const t of f.trees) internal += t.nodeCount - treeShape(t).leaves;
    expect(events.length).toBe(internal);
    const distinctSets = new Set<string>();
    for (const e of events) {
      expect(e.candidates.length).toBeLessThanOrEqual(4);
      expect(new Set(e.candidates).size).toBe(e.candidates.length);
      expect(e.candidates).toContain(e.feature);
      distinctSets.add(e.candidates.slice().sort((a, b) => a - b).join(','));
    }
    // Per-split sampling: the candidate sets vary within trees (per-tree sampling would give
    // at most 10 distinct sets).
    expect(distinctSets.size).toBeGreaterThan(30);
    // The features actually split on cover far more than mtry features in one tree.
    const used = new Set<number>();
    for (let node = 0; node < f.trees[0].nodeCount; node++) if (f.trees[0].feature[node] >= 0) used.add(f.trees[0].feature[node]);
    expect(used.size).toBeGreaterThan(4);
  });

  it('ranks informative features first by OOB permutation importance', () => {
    const { x, y } = synthetic(51, 200, 12, 0.3);
    const f = fitRandomForestClassifier(x, y, { seed: 2, trees: 200, permutationImportance: true });
    const z = f.importance.permutationZ as Float64Array;
    const raw = f.importance.permutation as Float64Array;
    const noiseMax = Math.max(...Array.from(z.subarray(3)));
    for (const j of [0, 1, 2]) {
      expect(z[j]).toBeGreaterThan(noiseMax);
      expect(raw[j]).toBeGreaterThan(0.01);
    }
  });

  it('averages the trees leaf proportions for probabilities (as scikit-learn)', () => {
    const { x, y } = synthetic(61, 60, 4);
    const f = fitRandomForestClassifier(x, y, { seed: 6, trees: 7 });
    const row = Float64Array.from(x[0]);
    let sum = 0;
    for (const t of f.trees) sum += t.value[leafOf(t, row, 0, 1) * 2 + 1];
    expect(predictForestPositive(f, [x[0]])[0]).toBeCloseTo(sum / 7, 15);
  });
});

describe('regression forest', () => {
  it('fits a step exactly with a depth-1 tree', () => {
    // y = 1 for x <= 2, 5 for x >= 3: the best MSE split is at 2.5 with leaf means 1 and 5.
    const x = [[1], [2], [3], [4]];
    const y = [1, 1, 5, 5];
    const f = fitRandomForestRegressor(x, y, { seed: 1, trees: 1, bootstrap: false, minNodeSize: 1, maxDepth: 1 });
    expect(f.trees[0].threshold[0]).toBe(2.5);
    expect(Array.from(predictForestRegression(f, [[0], [2.5], [2.6], [9]]))).toEqual([1, 1, 5, 5]);
  });

  it('predicts a smooth signal well and has OOB MSE near the test MSE', () => {
    const rng = new Rng(71);
    const make = (n: number): { x: number[][]; y: number[] } => {
      const x: number[][] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const row = [rng.normal(), rng.normal(), rng.normal()];
        x.push(row);
        y.push(2 * row[0] + 0.5 * rng.normal());
      }
      return { x, y };
    };
    const train = make(300);
    const test = make(1000);
    const f = fitRandomForestRegressor(train.x, train.y, { seed: 3, trees: 200 });
    const pred = predictForestRegression(f, test.x);
    let sse = 0;
    let sst = 0;
    const mean = test.y.reduce((a, b) => a + b, 0) / test.y.length;
    for (let i = 0; i < test.y.length; i++) {
      sse += (pred[i] - test.y[i]) ** 2;
      sst += (test.y[i] - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.8);
    expect(Math.abs(f.oobMse - sse / test.y.length) / (sse / test.y.length)).toBeLessThan(0.3);
    expect(f.mtry).toBe(1);
  });
});

describe('random forest input errors', () => {
  it('rejects bad settings and data with RgsError', () => {
    const x = [
      [1, 2],
      [3, 4],
      [5, 6],
    ];
    expect(() => fitRandomForestClassifier(x, [0, 1, 0], { seed: 1, mtry: 3 })).toThrow(RgsError);
    expect(() => fitRandomForestClassifier(x, [0, 1, 0], { seed: 1, trees: 0 })).toThrow(RgsError);
    expect(() => fitRandomForestClassifier([[1, NaN], [2, 3]], [0, 1], { seed: 1 })).toThrow(/impute/);
    expect(() => fitRandomForestClassifier(x, [0, 0, 0], { seed: 1 })).toThrow(/class 1 has no rows/);
    expect(() => fitRandomForestClassifier(x, [0, 1, 0], { seed: 1, bootstrap: false, permutationImportance: true })).toThrow(RgsError);
    const f = fitRandomForestClassifier(x, [0, 1, 0], { seed: 1, trees: 3 });
    expect(() => predictForestProbabilities(f, [[1, 2, 3]])).toThrow(/trained on 2/);
  });
});
