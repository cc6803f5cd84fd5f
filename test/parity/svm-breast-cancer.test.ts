/**
 * Parity of the SVM wrapper with scikit-learn's SVC (its LIBSVM fork) on the breast cancer data
 * (test/parity/py/svm_breast_cancer.py), standardised, fixed C and gamma:
 * - decision_function to 1e-6 (both run the same SMO on the same class-grouped rows; observed
 *   agreement is about 1e-14), the same support vectors;
 * - probabilities in distribution and rank only: the Platt cross-validation folds are random
 *   and drawn by different generators. Given scikit-learn's own sigmoid (probA_, probB_), its
 *   predict_proba is reproduced to 1e-12 through the two-class coupling it applies.
 * Skips, with the reason, when no python3 with scikit-learn is found.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coupleTwoClasses, fitSvm, predictSvmProbability, svmDecisionFunction, type SvmKernel } from '../../src/engine/analysis/svm';
import { findPython, runReferenceScript } from './find-python';

const SCRIPT = join(__dirname, 'py', 'svm_breast_cancer.py');


interface SvmConfig {
  name: string;
  kernel: SvmKernel;
  C: number;
  gamma: number | null;
  nSupport: number;
  support: number[];
  intercept: number;
  decision: number[];
  probability: number[];
  probDecision: number[];
  probA: number;
  probB: number;
}
interface Reference {
  x: number[][];
  y: number[];
  configs: SvmConfig[];
}

/** Spearman correlation (no ties expected in probabilities). */
function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const rank = (v: ArrayLike<number>): Float64Array => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(v.length);
    idx.forEach((i, k) => (r[i] = k));
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const n = ra.length;
  const m = (n - 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - m) * (rb[i] - m);
    saa += (ra[i] - m) ** 2;
    sbb += (rb[i] - m) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

const py = findPython(['sklearn', 'numpy'], 'python3-sklearn');

describe.skipIf(!py.python)(`SVM parity with scikit-learn SVC${py.reason ? ` (skipped: ${py.reason})` : ''}`, () => {
  let ref: Reference;
  beforeAll(() => {
    ref = runReferenceScript<Reference>(py.python as string, SCRIPT);
  });

  it('uses the standardised breast cancer data (569 x 30)', () => {
    expect(ref.x.length).toBe(569);
    expect(ref.x[0].length).toBe(30);
    expect(ref.configs.map((c) => c.name)).toEqual(['rbf', 'rbf-C10', 'linear']);
  });

  it('decision_function to 1e-6 and the same support vectors', () => {
    for (const c of ref.configs) {
      const model = fitSvm(ref.x, ref.y, { kernel: c.kernel, cost: c.C, gamma: c.gamma ?? undefined });
      const f = svmDecisionFunction(model, ref.x);
      let maxDiff = 0;
      for (let i = 0; i < f.length; i++) maxDiff = Math.max(maxDiff, Math.abs(f[i] - c.decision[i]));
      expect(maxDiff, c.name).toBeLessThan(1e-6);
      expect(Math.abs(model.bias - c.intercept), c.name).toBeLessThan(1e-6);
      expect(Array.from(model.supportIndices).sort((a, b) => a - b), c.name).toEqual(c.support.slice().sort((a, b) => a - b));
    }
  });

  it('probabilities agree in rank and distribution (Platt folds differ)', () => {
    for (const c of ref.configs) {
      const model = fitSvm(ref.x, ref.y, { kernel: c.kernel, cost: c.C, gamma: c.gamma ?? undefined, probability: true, seed: 2024 });
      const p = predictSvmProbability(model, ref.x);
      let meanAbs = 0;
      for (let i = 0; i < p.length; i++) meanAbs += Math.abs(p[i] - c.probability[i]);
      meanAbs /= p.length;
      expect(meanAbs, c.name).toBeLessThan(0.01);
      expect(spearman(p, c.probability), c.name).toBeGreaterThan(0.99);
      // The fitted sigmoids are close: the same data, other folds.
      expect(Math.abs((model.platt?.probA ?? NaN) - c.probA), c.name).toBeLessThan(0.25 * Math.abs(c.probA));
    }
  });

  it("reproduces predict_proba from scikit-learn's own sigmoid through its two-class coupling", () => {
    for (const c of ref.configs) {
      let maxDiff = 0;
      for (let i = 0; i < c.probDecision.length; i++) {
        // LIBSVM orientation: class 0 is the first label, its decision value is -f.
        const fApB = -c.probDecision[i] * c.probA + c.probB;
        const r = fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
        const clipped = Math.min(Math.max(r, 1e-7), 1 - 1e-7);
        maxDiff = Math.max(maxDiff, Math.abs(coupleTwoClasses(clipped)[1] - c.probability[i]));
      }
      expect(maxDiff, c.name).toBeLessThan(1e-12);
    }
  });
});
