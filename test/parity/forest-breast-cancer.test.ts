/**
 * Distributional parity of the random forest with scikit-learn's RandomForestClassifier
 * (test/parity/py/forest_breast_cancer.py): the same fixed stratified 70/30 split of the breast
 * cancer data, 500 trees, mtry = floor(sqrt(30)) = 5, fully grown Gini trees, five seeds each.
 * Random forests cannot match tree for tree across implementations, so the test AUCs (and OOB
 * accuracies) are compared: every seed's AUC within 0.02 of scikit-learn's mean, the means
 * within 0.01. Skips, with the reason, when no python3 with scikit-learn is found.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitRandomForestClassifier, predictForestPositive } from '../../src/engine/analysis/forest/random-forest';
import { findPython, runReferenceScript } from './find-python';

const SCRIPT = join(__dirname, 'py', 'forest_breast_cancer.py');


interface Reference {
  x: number[][];
  y: number[];
  train: number[];
  test: number[];
  runs: { seed: number; testAuc: number; oobAccuracy: number; fitSeconds: number }[];
}

/** AUC by the Mann–Whitney statistic with ties counted one half (written out, O(n0 n1)). */
function auc(labels: number[], scores: ArrayLike<number>): number {
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      if (scores[i] > scores[j]) sum += 1;
      else if (scores[i] === scores[j]) sum += 0.5;
    }
  }
  return sum / pairs;
}

const py = findPython(['sklearn', 'numpy'], 'python3-sklearn');

describe.skipIf(!py.python)(`random forest vs scikit-learn RandomForestClassifier${py.reason ? ` (skipped: ${py.reason})` : ''}`, () => {
  let ref: Reference;
  beforeAll(() => {
    ref = runReferenceScript<Reference>(py.python as string, SCRIPT);
  });

  it('test AUC and OOB accuracy agree with scikit-learn over five seeds', () => {
    const xTrain = ref.train.map((i) => ref.x[i]);
    const yTrain = ref.train.map((i) => ref.y[i]);
    const xTest = ref.test.map((i) => ref.x[i]);
    const yTest = ref.test.map((i) => ref.y[i]);
    const skMean = ref.runs.reduce((s, r) => s + r.testAuc, 0) / ref.runs.length;
    const skOob = ref.runs.reduce((s, r) => s + r.oobAccuracy, 0) / ref.runs.length;
    const ours: number[] = [];
    const oob: number[] = [];
    for (const run of ref.runs) {
      const forest = fitRandomForestClassifier(xTrain, yTrain, { seed: run.seed, trees: 500 });
      expect(forest.mtry).toBe(5);
      ours.push(auc(yTest, predictForestPositive(forest, xTest)));
      oob.push(1 - forest.oobError);
    }
    for (const a of ours) expect(Math.abs(a - skMean)).toBeLessThan(0.02);
    const ourMean = ours.reduce((s, v) => s + v, 0) / ours.length;
    expect(Math.abs(ourMean - skMean)).toBeLessThan(0.01);
    const ourOob = oob.reduce((s, v) => s + v, 0) / oob.length;
    expect(Math.abs(ourOob - skOob)).toBeLessThan(0.02);
  });
});
