/**
 * Survival models without R: hand-worked Kaplan-Meier, log-rank, Cox score test and
 * concordance examples, plus invariants. The R parity lives in test/parity/survival.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { concordanceIndex } from '../../src/engine/analysis/survival/concordance';
import { cumulativeBaselineHazard, fitCox, predictCox } from '../../src/engine/analysis/survival/cox';
import { chiSquareUpperTail, normalCdf, normalQuantile, normalTwoSidedP } from '../../src/engine/analysis/survival/distributions';
import { kaplanMeier, kaplanMeierByGroup, numberAtRisk, survivalAt } from '../../src/engine/analysis/survival/km';
import { logRankTest } from '../../src/engine/analysis/survival/logrank';
import { RgsError } from '../../src/engine/util/errors';

const Z975 = 1.959963984540054;

describe('distributions', () => {
  it('normal quantile, CDF and chi-square tail agree with known values', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z975, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalTwoSidedP(3)).toBeCloseTo(0.0026997960632601866, 15);
    // qchisq(0.95, 1) = 3.841458820694124, qchisq(0.99, 3) = 11.34486673014437
    expect(chiSquareUpperTail(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareUpperTail(11.34486673014437, 3)).toBeCloseTo(0.01, 13);
    expect(chiSquareUpperTail(0, 2)).toBe(1);
    expect(chiSquareUpperTail(5, 0)).toBeNaN();
  });
});

describe('Kaplan-Meier', () => {
  // times 1 2 2 3 4 5, status 1 1 0 1 0 1 (0 = censored).
  // t=1: n=6 d=1 S=5/6;        Greenwood sum 1/(6*5) = 1/30
  // t=2: n=5 d=1 c=1 S=2/3;    + 1/(5*4) -> 1/12
  // t=3: n=3 d=1 S=4/9;        + 1/(3*2) -> 1/4
  // t=4: n=2 c=1 S=4/9;        unchanged
  // t=5: n=1 d=1 S=0;          n = d -> infinite
  const outcome = { time: [1, 2, 2, 3, 4, 5], status: [1, 1, 0, 1, 0, 1] };

  it('reproduces the hand-computed curve, Greenwood errors and log band', () => {
    const c = kaplanMeier(outcome);
    expect(Array.from(c.time)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(c.nRisk)).toEqual([6, 5, 3, 2, 1]);
    expect(Array.from(c.nEvent)).toEqual([1, 1, 1, 0, 1]);
    expect(Array.from(c.nCensor)).toEqual([0, 1, 0, 1, 0]);
    const s = [5 / 6, 2 / 3, 4 / 9, 4 / 9, 0];
    s.forEach((v, i) => expect(c.surv[i]).toBeCloseTo(v, 14));
    const se = [Math.sqrt(1 / 30), Math.sqrt(1 / 12), 0.5, 0.5];
    se.forEach((v, i) => expect(c.stdErr[i]).toBeCloseTo(v, 14));
    expect(c.stdErr[4]).toBe(Infinity);
    // "log" band: S exp(-+ z se), upper capped at 1; undefined (NaN) where S = 0.
    expect(c.lower[0]).toBeCloseTo((5 / 6) * Math.exp(-Z975 * Math.sqrt(1 / 30)), 12);
    expect(c.upper[0]).toBe(1);
    expect(c.lower[4]).toBeNaN();
    expect(c.upper[4]).toBeNaN();
    // Median: S first <= 0.5 at t = 3; the lower band first <= 0.5 at t = 2 (0.379);
    // the upper band never gets there -> NaN.
    expect(c.median.estimate).toBe(3);
    expect(c.median.lower).toBe(2);
    expect(c.median.upper).toBeNaN();
  });

  it('uses the midpoint when the curve sits exactly at the quantile', () => {
    // times 1 2 3 4 all events: S = 3/4, 1/2, 1/4, 0 -> S = 0.5 on [2, 3) -> median 2.5.
    const c = kaplanMeier({ time: [1, 2, 3, 4], status: [1, 1, 1, 1] });
    expect(c.median.estimate).toBe(2.5);
  });

  it('log-log and plain bands follow their formulas', () => {
    const ll = kaplanMeier(outcome, { confType: 'log-log' });
    const p = 5 / 6;
    const se = Math.sqrt(1 / 30);
    expect(ll.lower[0]).toBeCloseTo(Math.exp(-Math.exp(Math.log(-Math.log(p)) - (Z975 * se) / Math.log(p))), 12);
    expect(ll.upper[0]).toBeCloseTo(Math.exp(-Math.exp(Math.log(-Math.log(p)) + (Z975 * se) / Math.log(p))), 12);
    const pl = kaplanMeier(outcome, { confType: 'plain' });
    expect(pl.lower[0]).toBeCloseTo(p - Z975 * se * p, 12);
    expect(pl.upper[0]).toBe(1);
  });

  it('numbers at risk and S(t) at arbitrary times; case weights act as replication', () => {
    const c = kaplanMeier(outcome);
    expect(Array.from(numberAtRisk(c, [0, 1, 1.5, 2, 4.5, 5, 6]))).toEqual([6, 6, 5, 5, 1, 1, 0]);
    const sa = survivalAt(c, [0.5, 1, 2.5, 10]);
    [1, 5 / 6, 2 / 3, 0].forEach((v, i) => expect(sa[i]).toBeCloseTo(v, 15));
    const w = kaplanMeier({ time: [1, 2, 3], status: [1, 0, 1] }, { weights: [2, 1, 1] });
    const rep = kaplanMeier({ time: [1, 1, 2, 3], status: [1, 1, 0, 1] });
    rep.surv.forEach((v, i) => expect(w.surv[i]).toBeCloseTo(v, 15));
    rep.stdErr.forEach((v, i) => expect(w.stdErr[i]).toBeCloseTo(v, 15));
  });

  it('no events gives a flat curve at 1 and an unreached median; bad input throws RgsError', () => {
    const c = kaplanMeier({ time: [1, 2], status: [0, 0] });
    expect(Array.from(c.surv)).toEqual([1, 1]);
    expect(c.median.estimate).toBeNaN();
    expect(() => kaplanMeier({ time: [1, NaN], status: [1, 0] })).toThrow(RgsError);
    expect(() => kaplanMeier({ time: [1, 2], status: [1, 2] })).toThrow(RgsError);
    expect(() => kaplanMeier({ time: [1, 2], status: [1] })).toThrow(RgsError);
  });

  it('splits by group in factor order', () => {
    const g = kaplanMeierByGroup(outcome, ['b', 'a', 'b', 'a', 'b', 'a']);
    expect(g.map((e) => e.group)).toEqual(['a', 'b']);
    expect(g[0].curve.n).toBe(3);
  });
});

describe('log-rank test', () => {
  it('reproduces a hand-worked two-group example', () => {
    // A dies at 1 and 3, B at 2 and 4.
    // t=1: N=4 nA=2 D=1 -> E_A=1/2, V=1*3/3*(1/2)(1/2)=1/4
    // t=2: N=3 nA=1 D=1 -> E_A=1/3, V=1*2/2*(1/3)(2/3)=2/9
    // t=3: N=2 nA=1 D=1 -> E_A=1/2, V=1/4
    // t=4: N=1 nA=0       -> E_A=0,   no variance (N - 1 = 0)
    // O_A=2, E_A=4/3, V=13/18 -> chi2 = (2/3)^2 / (13/18) = 8/13
    const r = logRankTest({ time: [1, 2, 3, 4], status: [1, 1, 1, 1] }, ['A', 'B', 'A', 'B']);
    expect(r.groups).toEqual(['A', 'B']);
    expect(r.observed).toEqual([2, 2]);
    expect(r.expected[0]).toBeCloseTo(4 / 3, 14);
    expect(r.expected[1]).toBeCloseTo(8 / 3, 14);
    expect(r.chiSquare).toBeCloseTo(8 / 13, 14);
    expect(r.df).toBe(1);
    expect(r.p).toBeCloseTo(chiSquareUpperTail(8 / 13, 1), 14);
  });

  it('is invariant to group labels and row order; undefined cases throw RgsError', () => {
    const time = [5, 8, 3, 9, 12, 4, 7, 15, 2, 11];
    const status = [1, 0, 1, 1, 1, 1, 0, 1, 1, 1];
    const g = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0];
    const a = logRankTest({ time, status }, g);
    const perm = [9, 3, 0, 5, 1, 8, 2, 7, 4, 6];
    const b = logRankTest({ time: perm.map((i) => time[i]), status: perm.map((i) => status[i]) }, perm.map((i) => ['z', 'y', 'x'][g[i]]));
    expect(b.chiSquare).toBeCloseTo(a.chiSquare, 12);
    expect(a.df).toBe(2);
    expect(() => logRankTest({ time, status }, time.map(() => 1))).toThrow(RgsError);
    expect(() => logRankTest({ time: [1, 2], status: [0, 0] }, [1, 2])).toThrow(RgsError);
  });
});

describe('Cox proportional hazards', () => {
  // Times 1..6, t=4 censored, binary x = 1 0 1 0 0 1, no ties. Score test at beta = 0:
  // t=1 risk x {1,0,1,0,0,1} mean 1/2, dead x=1: U += 1/2, I += 1/4
  // t=2 risk {0,1,0,0,1} mean 2/5, dead x=0: U -= 2/5, I += 6/25
  // t=3 risk {1,0,0,1} mean 1/2, dead x=1: U += 1/2, I += 1/4
  // t=5 risk {0,1} mean 1/2, dead x=0: U -= 1/2, I += 1/4
  // t=6 risk {1}, dead x=1: U += 0, I += 0
  // U = 1/10, I = 99/100 -> score = U^2 / I = 1/99; loglik(0) = -log(6*5*4*2*1) = -log 240.
  const time = [1, 2, 3, 4, 5, 6];
  const status = [1, 1, 1, 0, 1, 1];
  const x = [[1], [0], [1], [0], [0], [1]];

  it('matches the closed-form score test and null log-likelihood (one binary covariate)', () => {
    const fit = fitCox(x, { time, status });
    expect(fit.score.statistic).toBeCloseTo(1 / 99, 13);
    expect(fit.logLikNull).toBeCloseTo(-Math.log(240), 13);
    expect(fit.converged).toBe(true);
    // Without ties the Cox score test is the log-rank test.
    const lr = logRankTest({ time, status }, x.map((r) => r[0]));
    expect(fit.score.statistic).toBeCloseTo(lr.chiSquare, 12);
    // At the MLE the score is 0: a tiny perturbation cannot raise the likelihood, and the LRT is positive.
    expect(fit.likelihoodRatio.statistic).toBeGreaterThan(0);
    expect(fit.hazardRatio[0]).toBeCloseTo(Math.exp(fit.coefficients[0]), 14);
    expect(fit.hrLower[0]).toBeCloseTo(Math.exp(fit.coefficients[0] - Z975 * fit.se[0]), 12);
  });

  it('Efron equals Breslow without ties, differs with ties; invariant to row order', () => {
    const t2 = [2, 3, 3, 5, 6, 6, 8, 9, 10, 12, 13, 15];
    const s2 = [1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 1];
    const x2 = [[0.5, 1], [1.2, 0], [-0.3, 1], [0.8, 0], [2.0, 1], [-1.1, 0], [0.1, 1], [0.4, 0], [-0.7, 1], [1.5, 0], [0.2, 1], [-0.4, 0]];
    const e = fitCox(x2, { time: t2, status: s2 });
    const b = fitCox(x2, { time: t2, status: s2 }, { ties: 'breslow' });
    expect(Math.abs(e.coefficients[0] - b.coefficients[0])).toBeGreaterThan(1e-4);
    const noTie = t2.map((t, i) => t + i * 1e-3);
    const e2 = fitCox(x2, { time: noTie, status: s2 });
    const b2 = fitCox(x2, { time: noTie, status: s2 }, { ties: 'breslow' });
    expect(e2.coefficients[0]).toBeCloseTo(b2.coefficients[0], 10);
    const perm = [11, 4, 7, 0, 9, 2, 5, 10, 1, 8, 3, 6];
    const ep = fitCox(perm.map((i) => x2[i]), { time: perm.map((i) => t2[i]), status: perm.map((i) => s2[i]) });
    for (let j = 0; j < 2; j++) {
      expect(ep.coefficients[j]).toBeCloseTo(e.coefficients[j], 10);
      expect(ep.se[j]).toBeCloseTo(e.se[j], 10);
    }
    // Scaling a covariate by 10 divides its coefficient by 10.
    const es = fitCox(x2.map((r) => [r[0] * 10, r[1]]), { time: t2, status: s2 });
    expect(es.coefficients[0]).toBeCloseTo(e.coefficients[0] / 10, 10);
    expect(es.coefficients[1]).toBeCloseTo(e.coefficients[1], 10);
  });

  it('baseline hazard and survival predictions are consistent', () => {
    const fit = fitCox(x, { time, status }, { ties: 'breslow' });
    const h = cumulativeBaselineHazard(fit, [0.5, 1, 6]);
    expect(h[0]).toBe(0);
    const b = fit.coefficients[0];
    // Breslow at t=1: 1 / sum_{risk} exp(x b) = 1 / (3 e^b + 3).
    expect(h[1]).toBeCloseTo(1 / (3 * Math.exp(b) + 3), 12);
    const s = predictCox(fit, [[1], [0]], 'survival', [1]);
    expect(s[0]).toBeCloseTo(Math.exp(-h[1] * Math.exp(b)), 12);
    expect(s[1]).toBeCloseTo(Math.exp(-h[1]), 12);
  });

  it('reports aliased covariates and rejects unmodellable input', () => {
    const fit = fitCox(x.map((r) => [r[0], 2 * r[0]]), { time, status });
    expect(fit.singular).toEqual([1]);
    expect(fit.coefficients[1]).toBeNaN();
    expect(Number.isFinite(fit.coefficients[0])).toBe(true);
    expect(() => fitCox(x, { time, status: [1, 0, 0, 0, 0, 0] })).toThrow(/at least 2 events/);
    expect(() => fitCox([[1], [2]], { time: [1, 2, 3], status: [1, 1, 1] })).toThrow(RgsError);
  });
});

describe('concordance (Harrell C)', () => {
  it('counts pairs by hand, including tied risks, tied times and censoring', () => {
    // Perfect ordering: higher risk dies first.
    expect(concordanceIndex({ time: [1, 2, 3, 4], status: [1, 1, 1, 1] }, [4, 3, 2, 1]).concordance).toBe(1);
    expect(concordanceIndex({ time: [1, 2, 3, 4], status: [1, 1, 1, 1] }, [1, 2, 3, 4]).concordance).toBe(0);
    // times 1(event) 2(censored) 3(event) 3(event) 4(censored), risk 5 1 3 3 2
    // comparable: event@1 vs all 4 later: risk 5 > 1,3,3,2 -> 4 concordant
    // event@3 (x2) vs censored@4 (risk 2): 3 > 2 -> 2 concordant; the two events at 3 are tied.y
    // (tied risk -> tied.xy); censored@2 is earlier than the events at 3 -> not comparable.
    const r = concordanceIndex({ time: [1, 2, 3, 3, 4], status: [1, 0, 1, 1, 0] }, [5, 1, 3, 3, 2]);
    expect(r.concordant).toBe(6);
    expect(r.discordant).toBe(0);
    expect(r.tiedBoth).toBe(1);
    expect(r.concordance).toBe(1);
    // Event and censoring at the same time are comparable; equal risks count 1/2.
    const t = concordanceIndex({ time: [2, 2, 5], status: [1, 0, 1] }, [1, 1, 0]);
    expect(t.tiedRisk).toBe(1);
    expect(t.concordant).toBe(1);
    expect(t.concordance).toBeCloseTo(0.75, 15);
  });

  it('is NaN without comparable pairs and invariant to monotone transforms of risk', () => {
    expect(concordanceIndex({ time: [1, 2], status: [0, 0] }, [1, 2]).concordance).toBeNaN();
    const time = [5, 8, 3, 9, 12, 4, 7, 15, 2, 11];
    const status = [1, 0, 1, 1, 1, 1, 0, 1, 1, 1];
    const risk = [0.3, -1, 2, 0.1, -0.5, 1.2, 0.3, -2, 1.7, 0];
    const a = concordanceIndex({ time, status }, risk);
    const b = concordanceIndex({ time, status }, risk.map((v) => Math.exp(3 * v)));
    expect(b.concordance).toBe(a.concordance);
    expect(b.variance).toBeCloseTo(a.variance, 14);
    expect(a.stdErr).toBeGreaterThan(0);
  });
});
