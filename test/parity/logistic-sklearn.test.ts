/**
 * Parity of the binomial ridge fit of src/engine/analysis/glmnet with scikit-learn's
 * LogisticRegression(penalty='l2', solver='lbfgs', tol=1e-10) on the breast cancer data
 * (test/parity/py/logistic_sklearn.py), standardised, C in {0.01, 0.1, 1}.
 *
 * Penalty mapping. scikit-learn minimises
 *   0.5 ||w||^2 + C sum_i logloss_i            (intercept unpenalised by lbfgs),
 * glmnet (alpha = 0, unit weights, standardize = false) minimises
 *   (1/n) sum_i logloss_i + (lambda / 2) ||w||^2   (intercept unpenalised).
 * Dividing the scikit-learn objective by n C gives (1/n) sum logloss + (1 / (2 n C)) ||w||^2,
 * the same minimiser when lambda = 1 / (n C); no further factor (the penalty factors are all 1,
 * so glmnet's normalisation to sum p leaves them at 1).
 *
 * Both solve a smooth, strictly convex problem; a quick run with lambda = 1 / (n C) agrees with an
 * independent Newton solve, so no factor is needed. The reference script fits two scikit-learn
 * solvers of the same objective (tol = 1e-10):
 * - 'newton-cholesky' converges (about 1e-11 from the optimum): coefficients and intercept to
 *   1e-4 and probabilities to 1e-5, absolute, as asked (observed: coefficients 2.7e-8, 3.3e-7,
 *   3.1e-6 and probabilities 1.5e-8, 2.0e-7, 5.0e-7 for C = 0.01, 0.1, 1 with thresh 1e-14);
 * - 'lbfgs' does not: scikit-learn hands scipy ftol = 64 eps, which stops L-BFGS-B on the
 *   relative objective change after 12-34 iterations, 5e-6 (C = 0.01) to 1e-4 (C = 1) from the
 *   optimum, so 1e-4 / 1e-5 against lbfgs fails at C = 0.1 (probabilities 4.3e-5) and C = 1.
 *   Asserted instead: lbfgs is at least 10 times further from the converged solution than we
 *   are (so the disagreement is lbfgs's early stop), and we are within 5e-4 / 1e-4 of lbfgs.
 * Skips, with the reason, when no python3 with scikit-learn is found.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitGlmnet, predictGlmnet } from '../../src/engine/analysis/glmnet';
import { findPython, runReferenceScript } from './find-python';

const SCRIPT = join(__dirname, 'py', 'logistic_sklearn.py');


interface SolverResult {
  nIter: number;
  coef: number[];
  intercept: number;
  probability: number[];
}
interface LogisticConfig {
  C: number;
  lbfgs: SolverResult;
  'newton-cholesky': SolverResult;
}
interface Reference {
  x: number[][];
  y: number[];
  configs: LogisticConfig[];
}

const py = findPython(['sklearn', 'numpy'], 'python3-sklearn');

describe.skipIf(!py.python)(`Penalised logistic regression parity with scikit-learn LogisticRegression${py.reason ? ` (skipped: ${py.reason})` : ''}`, () => {
  let ref: Reference;
  beforeAll(() => {
    ref = runReferenceScript<Reference>(py.python as string, SCRIPT);
  });

  it('uses the standardised breast cancer data (569 x 30)', () => {
    expect(ref.x.length).toBe(569);
    expect(ref.x[0].length).toBe(30);
    expect(ref.configs.map((c) => c.C)).toEqual([0.01, 0.1, 1]);
  });

  /** Max |difference| of intercept + coefficients, and of the probabilities. */
  function distances(a: SolverResult, b: SolverResult): { coef: number; prob: number } {
    let coef = Math.abs(a.intercept - b.intercept);
    for (let j = 0; j < a.coef.length; j++) coef = Math.max(coef, Math.abs(a.coef[j] - b.coef[j]));
    let prob = 0;
    for (let i = 0; i < a.probability.length; i++) prob = Math.max(prob, Math.abs(a.probability[i] - b.probability[i]));
    return { coef, prob };
  }

  /** Our ridge fit at lambda = 1 / (n C), in the reference's shape. */
  function ours(C: number): SolverResult & { npasses: number; warnings: string[] } {
    const n = ref.x.length;
    const fit = fitGlmnet(ref.x, ref.y, { family: 'binomial', alpha: 0, lambda: [1 / (n * C)], standardize: false, thresh: 1e-14 });
    return {
      nIter: fit.npasses,
      npasses: fit.npasses,
      warnings: fit.warnings,
      coef: Array.from(fit.beta[0]),
      intercept: fit.a0[0],
      probability: Array.from(predictGlmnet(fit, ref.x, 0, 'response')),
    };
  }

  it('matches the converged scikit-learn solution (newton-cholesky): coefficients to 1e-4, probabilities to 1e-5', () => {
    for (const c of ref.configs) {
      const o = ours(c.C);
      expect(o.warnings, `C=${c.C}`).toEqual([]);
      const d = distances(o, c['newton-cholesky']);
      console.log(`C=${c.C} vs newton-cholesky: max |coef diff| ${d.coef.toExponential(3)}, max |prob diff| ${d.prob.toExponential(3)} (glmnet passes ${o.npasses})`);
      expect(d.coef, `C=${c.C}`).toBeLessThan(1e-4);
      expect(d.prob, `C=${c.C}`).toBeLessThan(1e-5);
    }
  });

  it('differs from lbfgs only by lbfgs\'s own early stop', () => {
    for (const c of ref.configs) {
      const o = ours(c.C);
      const d = distances(o, c.lbfgs);
      const own = distances(c['newton-cholesky'], c.lbfgs);
      console.log(`C=${c.C} vs lbfgs (${c.lbfgs.nIter} iterations): max |coef diff| ${d.coef.toExponential(3)}, max |prob diff| ${d.prob.toExponential(3)}; newton-cholesky vs lbfgs ${own.coef.toExponential(3)}, ${own.prob.toExponential(3)}`);
      const mine = distances(o, c['newton-cholesky']);
      expect(10 * mine.coef, `C=${c.C}`).toBeLessThan(own.coef);
      expect(10 * mine.prob, `C=${c.C}`).toBeLessThan(own.prob);
      expect(d.coef, `C=${c.C}`).toBeLessThan(5e-4);
      expect(d.prob, `C=${c.C}`).toBeLessThan(1e-4);
    }
  });
});
