/**
 * Elastic net without R: closed-form one-predictor solutions, the lambda path construction,
 * KKT optimality conditions, unpenalised limits against independent solvers (OLS, coxph),
 * invariants (row order, column scaling) and input errors. R parity is in
 * test/parity/glmnet.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { cvGlmnet } from '../../src/engine/analysis/glmnet/cv';
import { fitGlmnet } from '../../src/engine/analysis/glmnet/fit';
import { coefficientsAt, predictGlmnet } from '../../src/engine/analysis/glmnet/predict';
import { solveSymmetric } from '../../src/engine/analysis/linalg';
import { fitCox } from '../../src/engine/analysis/survival/cox';
import { RgsError } from '../../src/engine/util/errors';

/** Deterministic pseudo-random numbers (xorshift32) and normal deviates (Box-Muller). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
function normals(r: () => number, k: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < k; i++) out.push(Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()));
  return out;
}
function dataset(n: number, p: number, seed: number): { x: number[][]; y: number[]; yb: number[]; time: number[]; status: number[] } {
  const r = rng(seed);
  const x = Array.from({ length: n }, () => normals(r, p).map((v, j) => v * (1 + j / 3) + j));
  const eta = x.map((row) => 0.8 * (row[0] - 0) - 0.5 * (row[1] - 1) / (4 / 3) + 0.3 * (row[2] - 2) / (5 / 3));
  const noise = normals(r, n);
  const y = eta.map((e, i) => e + noise[i]);
  const yb = eta.map((e) => (r() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
  const time = eta.map((e) => -Math.log(Math.max(r(), 1e-12)) * Math.exp(-e) + 0.01);
  const status = time.map(() => (r() < 0.75 ? 1 : 0));
  return { x, y, yb, time, status };
}

describe('gaussian elastic net: closed forms', () => {
  // One predictor, weights 1: glmnet minimises (1/2n) RSS + lambda [ (1-a)/2 (b s)^2 + a |b| s ]
  // on the standardised scale (s = population sd of x), so with sxy = cov(x, y), sxx = var(x):
  //   lasso: b = sign(sxy) (|sxy| - lambda s)_+ / sxx.
  // glmnet also divides y by its sd (sy) internally and lambda with it, so the ridge part acts
  // as lambda / sy on the standardised problem: ridge b = sxy / (sxx (1 + lambda / sy)).
  const x = [[1], [2], [4], [7], [11]];
  const y = [3, 1, 6, 8, 9];
  const n = 5;
  const mx = 25 / 5;
  const my = 27 / 5;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i][0] - mx) * (y[i] - my);
    sxx += (x[i][0] - mx) ** 2;
  }
  sxy /= n;
  sxx /= n;
  const s = Math.sqrt(sxx);

  it('lasso soft-thresholds the covariance', () => {
    const lambda = 0.4;
    const fit = fitGlmnet(x, y, { family: 'gaussian', lambda: [lambda] });
    const b = (sxy - lambda * s) / sxx;
    expect(fit.beta[0][0]).toBeCloseTo(b, 12);
    expect(fit.a0[0]).toBeCloseTo(my - b * mx, 12);
    // lambda_max = |sxy| / s: the first point of the default path, all coefficients 0 there.
    const path = fitGlmnet(x, y, { family: 'gaussian' });
    expect(path.lambda[0]).toBeCloseTo(Math.abs(sxy) / s, 10);
    expect(path.beta[0][0]).toBe(0);
    expect(path.a0[0]).toBeCloseTo(my, 12);
  });

  it('ridge shrinks by 1 / (1 + lambda / sd(y)) on the standardised scale', () => {
    const fit = fitGlmnet(x, y, { family: 'gaussian', alpha: 0, lambda: [0.7] });
    const sy = Math.sqrt(y.reduce((a, v) => a + (v - my) ** 2, 0) / n);
    expect(fit.beta[0][0]).toBeCloseTo(sxy / (sxx * (1 + 0.7 / sy)), 12);
  });
});

describe('lambda path', () => {
  const d = dataset(60, 8, 11);
  it('is log-spaced from lambda_max down to lambdaMinRatio * lambda_max', () => {
    const fit = fitGlmnet(d.x, d.y, { family: 'gaussian', nlambda: 20, lambdaMinRatio: 0.05 });
    const ratio = fit.lambda[1] / fit.lambda[0];
    for (let k = 1; k < fit.lambda.length; k++) expect(fit.lambda[k] / fit.lambda[k - 1]).toBeCloseTo(ratio, 10);
    expect(ratio).toBeCloseTo(0.05 ** (1 / 19), 12);
    expect(fit.df[0]).toBe(0);
    expect(fit.df[1]).toBeGreaterThan(0);
    // lambda_max = max_j |cov(x_j, y)| / sd_j (alpha = 1).
    const n = d.x.length;
    let lmax = 0;
    for (let j = 0; j < 8; j++) {
      const mx = d.x.reduce((a, r) => a + r[j], 0) / n;
      const my = d.y.reduce((a, v) => a + v, 0) / n;
      let c = 0;
      let v = 0;
      for (let i = 0; i < n; i++) {
        c += (d.x[i][j] - mx) * (d.y[i] - my);
        v += (d.x[i][j] - mx) ** 2;
      }
      lmax = Math.max(lmax, Math.abs(c / n) / Math.sqrt(v / n));
    }
    expect(fit.lambda[0]).toBeCloseTo(lmax, 10);
    // Deviance explained increases along the path.
    for (let k = 1; k < fit.devRatio.length; k++) expect(fit.devRatio[k]).toBeGreaterThanOrEqual(fit.devRatio[k - 1] - 1e-12);
  });

  it('uses 1e-2 as the default lambda.min.ratio when n < p', () => {
    const small = dataset(10, 30, 5);
    const fit = fitGlmnet(small.x, small.y, { family: 'gaussian', nlambda: 5 });
    expect(fit.lambda[4] / fit.lambda[0]).toBeCloseTo(0.01, 10);
  });
});

describe('optimality and unpenalised limits', () => {
  const d = dataset(80, 6, 3);

  it('gaussian: covariance and naive updates agree, and lambda = 0 gives OLS', () => {
    const cov = fitGlmnet(d.x, d.y, { family: 'gaussian', typeGaussian: 'covariance', alpha: 0.5 });
    const naive = fitGlmnet(d.x, d.y, { family: 'gaussian', typeGaussian: 'naive', alpha: 0.5 });
    expect(naive.lambda.length).toBe(cov.lambda.length);
    for (let k = 0; k < cov.lambda.length; k++) for (let j = 0; j < 6; j++) expect(naive.beta[k][j]).toBeCloseTo(cov.beta[k][j], 5);
    const ols = fitGlmnet(d.x, d.y, { family: 'gaussian', lambda: [0], thresh: 1e-14 });
    // Normal equations on centred data.
    const n = 80;
    const mean = (j: number): number => d.x.reduce((a, r) => a + r[j], 0) / n;
    const xm = [0, 1, 2, 3, 4, 5].map(mean);
    const ym = d.y.reduce((a, v) => a + v, 0) / n;
    const xtx = new Float64Array(36);
    const xty = new Float64Array(6);
    for (let i = 0; i < n; i++) {
      for (let a = 0; a < 6; a++) {
        xty[a] += (d.x[i][a] - xm[a]) * (d.y[i] - ym);
        for (let b = 0; b < 6; b++) xtx[a * 6 + b] += (d.x[i][a] - xm[a]) * (d.x[i][b] - xm[b]);
      }
    }
    const beta = solveSymmetric(xtx, 6, xty);
    for (let j = 0; j < 6; j++) expect(ols.beta[0][j]).toBeCloseTo(beta[j], 6);
  });

  it('binomial: the KKT conditions hold at every path point', () => {
    const fit = fitGlmnet(d.x, d.yb, { family: 'binomial', alpha: 0.7 });
    const n = 80;
    for (const k of [5, 15, fit.lambda.length - 1]) {
      const eta = predictGlmnet(fit, d.x, k, 'link');
      const pr = eta.map((e) => 1 / (1 + Math.exp(-e)));
      for (let j = 0; j < 6; j++) {
        const mx = d.x.reduce((a, r) => a + r[j], 0) / n;
        const sd = Math.sqrt(d.x.reduce((a, r) => a + (r[j] - mx) ** 2, 0) / n);
        let grad = 0;
        for (let i = 0; i < n; i++) grad += (d.x[i][j] * (d.yb[i] - pr[i])) / n;
        // Stationarity on the standardised scale: grad/sd = lambda [alpha sign(b) + (1 - alpha) b sd].
        const bstd = fit.beta[k][j] * sd;
        const lam = fit.lambda[k];
        if (bstd === 0) expect(Math.abs(grad / sd)).toBeLessThanOrEqual(lam * 0.7 * (1 + 1e-3));
        else expect(grad / sd).toBeCloseTo(lam * (0.7 * Math.sign(bstd) + 0.3 * bstd), 3);
      }
    }
  });

  it('cox: lambda = 0 reproduces the unpenalised Breslow Cox fit', () => {
    const net = fitGlmnet(d.x, { time: d.time, status: d.status }, { family: 'cox', lambda: [0], thresh: 1e-14 });
    const cox = fitCox(d.x, { time: d.time, status: d.status }, { ties: 'breslow' });
    for (let j = 0; j < 6; j++) expect(net.beta[0][j]).toBeCloseTo(cox.coefficients[j], 5);
  });
});

describe('invariants', () => {
  const d = dataset(70, 5, 21);
  it('coefficients do not depend on row order', () => {
    const perm = Array.from({ length: 70 }, (_, i) => (i * 37) % 70);
    for (const family of ['gaussian', 'binomial', 'cox'] as const) {
      const y = family === 'gaussian' ? d.y : family === 'binomial' ? d.yb : { time: d.time, status: d.status };
      const yp = family === 'gaussian' ? perm.map((i) => d.y[i]) : family === 'binomial' ? perm.map((i) => d.yb[i]) : { time: perm.map((i) => d.time[i]), status: perm.map((i) => d.status[i]) };
      const a = fitGlmnet(d.x, y, { family });
      const b = fitGlmnet(perm.map((i) => d.x[i]), yp, { family });
      expect(b.lambda.length).toBe(a.lambda.length);
      for (let k = 0; k < a.lambda.length; k++) {
        expect(b.lambda[k]).toBeCloseTo(a.lambda[k], 10);
        for (let j = 0; j < 5; j++) expect(b.beta[k][j]).toBeCloseTo(a.beta[k][j], 7);
      }
    }
  });

  it('scaling a column scales its coefficient inversely (standardize = TRUE)', () => {
    for (const family of ['gaussian', 'binomial', 'cox'] as const) {
      const y = family === 'gaussian' ? d.y : family === 'binomial' ? d.yb : { time: d.time, status: d.status };
      const a = fitGlmnet(d.x, y, { family, alpha: 0.5 });
      const b = fitGlmnet(d.x.map((r) => [r[0], r[1] * 25, r[2], r[3], r[4]]), y, { family, alpha: 0.5 });
      for (let k = 0; k < a.lambda.length; k++) {
        expect(b.beta[k][1] * 25).toBeCloseTo(a.beta[k][1], 7);
        expect(b.beta[k][0]).toBeCloseTo(a.beta[k][0], 7);
      }
    }
  });

  it('a zero penalty factor keeps a variable in the model; Infinity excludes it', () => {
    const fit = fitGlmnet(d.x, d.y, { family: 'gaussian', penaltyFactor: [1, 0, 1, 1, Infinity] });
    expect(fit.beta[0][1]).not.toBe(0);
    for (const b of fit.beta) expect(b[4]).toBe(0);
  });
});

describe('prediction and cross-validation', () => {
  const d = dataset(90, 6, 8);
  it('interpolates coefficients linearly in lambda between path points', () => {
    const fit = fitGlmnet(d.x, d.yb, { family: 'binomial' });
    const mid = (fit.lambda[10] + fit.lambda[11]) / 2;
    const c = coefficientsAt(fit, { lambda: mid });
    for (let j = 0; j < 6; j++) expect(c.beta[j]).toBeCloseTo((fit.beta[10][j] + fit.beta[11][j]) / 2, 12);
    const beyond = coefficientsAt(fit, { lambda: fit.lambda[0] * 10 });
    expect(Array.from(beyond.beta)).toEqual(Array.from(fit.beta[0]));
    const pr = predictGlmnet(fit, d.x, 20, 'response');
    for (const v of pr) expect(v > 0 && v < 1).toBe(true);
  });

  it('cv: one value per lambda, lambda1se >= lambdaMin, AUC maximised, bad folds rejected', () => {
    const foldId = Int32Array.from({ length: 90 }, (_, i) => (i % 5) + 1);
    const cv = cvGlmnet(d.x, d.yb, { family: 'binomial', foldId, typeMeasure: 'auc' });
    expect(cv.cvm.length).toBe(cv.lambda.length);
    expect(cv.lambda1se).toBeGreaterThanOrEqual(cv.lambdaMin);
    expect(cv.cvm[cv.indexMin]).toBe(Math.max(...cv.cvm));
    const dev = cvGlmnet(d.x, d.yb, { family: 'binomial', foldId });
    expect(dev.cvm[dev.indexMin]).toBe(Math.min(...dev.cvm));
    expect(() => cvGlmnet(d.x, d.yb, { family: 'binomial', foldId: foldId.map((f) => (f % 2) + 1) })).toThrow(RgsError);
    expect(() => cvGlmnet(d.x, d.yb, { family: 'binomial', foldId, typeMeasure: 'C' })).toThrow(RgsError);
  });
});

describe('input errors', () => {
  const d = dataset(20, 3, 2);
  it('throws RgsError with the reason', () => {
    expect(() => fitGlmnet(d.x, d.y, { family: 'gaussian', alpha: 1.5 })).toThrow(/alpha/);
    expect(() => fitGlmnet(d.x, d.y.map(() => 3), { family: 'gaussian' })).toThrow(/constant/);
    expect(() => fitGlmnet(d.x, d.y.map((_, i) => (i === 0 ? 1 : 0)), { family: 'binomial' })).toThrow(/class/);
    expect(() => fitGlmnet(d.x, d.y.map(() => 2), { family: 'binomial' })).toThrow(RgsError);
    expect(() => fitGlmnet(d.x.slice(1), d.y, { family: 'gaussian' })).toThrow(RgsError);
    expect(() => fitGlmnet(d.x, { time: d.time, status: d.time.map((_, i) => (i === 0 ? 1 : 0)) }, { family: 'cox' })).toThrow(/events/);
    expect(() => fitGlmnet(d.x.map((r) => [1, r[1] * 0 + 2, 3]), d.y, { family: 'gaussian' })).toThrow(/constant/);
  });
});
