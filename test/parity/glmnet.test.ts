/**
 * Parity of the elastic-net paths with R's glmnet 4.1 on its example data (QuickStartExample,
 * BinomialExample, CoxExample): our default lambda sequence matches glmnet's to 1e-6
 * relative, and coefficients (original scale) along the path agree to 1e-4 absolute, both on
 * our own path and when R's lambda sequence is passed in explicitly; gaussian (covariance and
 * naive updates), binomial and cox; alpha 1, 0.5 and 0; weights, penalty factors and
 * standardize = FALSE. cv.glmnet's cvm/cvsd/lambda.min/lambda.1se for given fold ids.
 * Skips with the reason when R is not installed (bash scripts/setup-parity.sh).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cvGlmnet, type CvTypeMeasure } from '../../src/engine/analysis/glmnet/cv';
import { fitGlmnet, type GlmnetFamily, type GlmnetFit, type GlmnetResponse } from '../../src/engine/analysis/glmnet/fit';
import { maxAbsDiff, maxRelDiff, num, nums, rows, rSkipReason, runRScript, strs } from './r/run-r';

type Rec = Record<string, unknown>;
const skip = rSkipReason(['glmnet', 'survival']);

interface Data {
  x: number[][];
  y: GlmnetResponse;
}

function loadData(ref: Rec): Record<string, Data> {
  const d = ref.data as Record<string, Rec>;
  return {
    gaussian: { x: rows(d.gaussian.x), y: nums(d.gaussian.y) },
    binomial: { x: rows(d.binomial.x), y: nums(d.binomial.y) },
    cox: { x: rows(d.cox.x), y: { time: nums(d.cox.time), status: nums(d.cox.status) } },
  };
}

/** Largest coefficient difference over the common path points (intercepts included). */
function pathDiff(ours: GlmnetFit, ref: Rec): { coef: number; points: number } {
  const beta = rows(ref.beta);
  const a0 = nums(ref.a0);
  const m = Math.min(ours.lambda.length, beta.length);
  let worst = 0;
  for (let k = 0; k < m; k++) {
    worst = Math.max(worst, maxAbsDiff(ours.beta[k], beta[k]), Math.abs(ours.a0[k] - a0[k]));
  }
  return { coef: worst, points: m };
}

describe.skipIf(skip !== null)(`glmnet parity with R${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ref: Rec;
  let data: Record<string, Data>;
  beforeAll(() => {
    ref = runRScript('glmnet.R') as Rec;
    data = loadData(ref);
  });

  it('default lambda path (length and values) and coefficients along it match glmnet', () => {
    const cases = ref.cases as Rec[];
    expect(cases.length).toBe(12);
    for (const c of cases) {
      const name = strs(c.name)[0];
      const d = data[strs(c.data)[0]];
      const path = c.path as Rec;
      const fit = fitGlmnet(d.x, d.y, {
        family: strs(c.family)[0] as GlmnetFamily,
        alpha: num(c.alpha),
        weights: c.weights === null ? undefined : nums(c.weights),
        penaltyFactor: c.penalty_factor === null ? undefined : nums(c.penalty_factor),
        standardize: num(c.standardize) === 1,
        typeGaussian: c.type_gaussian === null ? undefined : (strs(c.type_gaussian)[0] as 'naive' | 'covariance'),
      });
      const rLambda = nums(path.lambda);
      expect(fit.lambda.length, `${name}: path length`).toBe(rLambda.length);
      expect(maxRelDiff(fit.lambda, rLambda), `${name}: lambda`).toBeLessThan(1e-6);
      expect(maxRelDiff(fit.devRatio, nums(path.dev_ratio), 1e-3), `${name}: dev.ratio`).toBeLessThan(1e-4);
      expect(Math.abs(fit.nulldev - num(path.nulldev)) / num(path.nulldev), `${name}: nulldev`).toBeLessThan(1e-9);
      const diff = pathDiff(fit, path);
      expect(diff.coef, `${name}: coefficients on our path`).toBeLessThan(1e-4);
      expect(fit.warnings).toEqual([]);
    }
  });

  it("coefficients at R's lambda sequence passed in explicitly match glmnet to 1e-4", () => {
    for (const c of ref.cases as Rec[]) {
      const name = strs(c.name)[0];
      const d = data[strs(c.data)[0]];
      const refit = c.refit as Rec;
      const fit = fitGlmnet(d.x, d.y, {
        family: strs(c.family)[0] as GlmnetFamily,
        alpha: num(c.alpha),
        lambda: nums((c.path as Rec).lambda),
        weights: c.weights === null ? undefined : nums(c.weights),
        penaltyFactor: c.penalty_factor === null ? undefined : nums(c.penalty_factor),
        standardize: num(c.standardize) === 1,
        typeGaussian: c.type_gaussian === null ? undefined : (strs(c.type_gaussian)[0] as 'naive' | 'covariance'),
      });
      expect(fit.lambda.length, `${name}: length`).toBe(nums(refit.lambda).length);
      const diff = pathDiff(fit, refit);
      expect(diff.coef, `${name}: coefficients at R's lambdas`).toBeLessThan(1e-4);
    }
  });

  it('cv.glmnet: cvm, cvsd, lambda.min and lambda.1se for given fold ids', () => {
    for (const c of ref.cv as Rec[]) {
      const name = strs(c.name)[0];
      const d = data[strs(c.data)[0]];
      const cv = cvGlmnet(d.x, d.y, {
        family: strs(c.family)[0] as GlmnetFamily,
        alpha: num(c.alpha),
        foldId: Int32Array.from(nums(c.foldid)),
        typeMeasure: strs(c.type)[0] as CvTypeMeasure,
      });
      expect(maxRelDiff(cv.lambda, nums(c.lambda)), `${name}: lambda`).toBeLessThan(1e-6);
      expect(maxAbsDiff(cv.cvm, nums(c.cvm)), `${name}: cvm`).toBeLessThan(1e-4);
      expect(maxAbsDiff(cv.cvsd, nums(c.cvsd)), `${name}: cvsd`).toBeLessThan(1e-4);
      expect(Math.abs(cv.lambdaMin - num(c.lambda_min)) / num(c.lambda_min), `${name}: lambda.min`).toBeLessThan(1e-6);
      expect(Math.abs(cv.lambda1se - num(c.lambda_1se)) / num(c.lambda_1se), `${name}: lambda.1se`).toBeLessThan(1e-6);
    }
  });
});
