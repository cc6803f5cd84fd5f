/**
 * Discrimination, classification, calibration and comparison metrics on hand-worked examples.
 * (Parity with pROC and scikit-learn on real data sets is in test/parity/metrics-*.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { aucMannWhitney, rocCurve, trapezoidArea } from '../../src/engine/analysis/metrics/roc';
import { delongAuc, delongPairedTest, delongPlacements } from '../../src/engine/analysis/metrics/delong';
import { classificationMetrics, confusionMatrix, wilsonInterval } from '../../src/engine/analysis/metrics/classification';
import { brierScore, calibration } from '../../src/engine/analysis/metrics/calibration';
import { correctedResampledTTest } from '../../src/engine/analysis/metrics/corrected-t-test';
import { midranks } from '../../src/engine/analysis/metrics/binary-outcome';
import { normalCdf } from '../../src/engine/analysis/metrics/distributions';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

// Rows 0-2 are cases, 3-6 controls. Score A: cases 0.8 0.6 0.4, controls 0.6 0.3 0.2 0.1
// (one case-control tie at 0.6). Score B: cases 0.5 0.7 0.2, controls 0.1 0.4 0.3 0.6.
const Y = [1, 1, 1, 0, 0, 0, 0];
const A = [0.8, 0.6, 0.4, 0.6, 0.3, 0.2, 0.1];
const B = [0.5, 0.7, 0.2, 0.1, 0.4, 0.3, 0.6];

describe('ROC and AUC', () => {
  it('gives the hand-counted Mann–Whitney AUC with ties as 1/2', () => {
    // Case 0.8 beats 4 controls; 0.6 beats 3 and ties 1 (3.5); 0.4 beats 3. 10.5 / 12.
    expect(aucMannWhitney(Y, A)).toBeCloseTo(0.875, 15);
    // B: 3 + 4 + 1 = 8 of 12.
    expect(aucMannWhitney(Y, B)).toBeCloseTo(2 / 3, 15);
    expect(aucMannWhitney([true, true, true, false, false, false, false], A)).toBeCloseTo(0.875, 15);
  });

  it('computes midranks', () => {
    expect(Array.from(midranks([3, 1, 3, 2, 3]))).toEqual([4, 1, 4, 2, 4]);
    expect(Array.from(midranks([Infinity, -Infinity, 0]))).toEqual([3, 1, 2]);
  });

  it('lists every threshold with score >= threshold called positive', () => {
    const roc = rocCurve(Y, A);
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 0.8, 0.6, 0.4, 0.3, 0.2, 0.1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.25, 0.25, 0.5, 0.75, 1]);
    expect(Array.from(roc.tpr).map((v) => v * 3)).toEqual([0, 1, 2, 3, 3, 3, 3]);
    expect(trapezoidArea(roc.fpr, roc.tpr)).toBeCloseTo(0.875, 15);
  });

  it('drops collinear points like scikit-learn without changing the area', () => {
    // fps 0 1 1 2 3 4, tps 1 2 3 3 3 3: the second differences vanish at 0.3 and 0.2.
    const roc = rocCurve(Y, A, { dropIntermediate: true });
    expect(Array.from(roc.thresholds)).toEqual([Infinity, 0.8, 0.6, 0.4, 0.1]);
    expect(Array.from(roc.fpr)).toEqual([0, 0, 0.25, 0.25, 1]);
    expect(trapezoidArea(roc.fpr, roc.tpr)).toBeCloseTo(0.875, 15);
  });

  it('equals the trapezoidal area on random data with many ties, and is invariant to monotone transforms', () => {
    const rng = new Rng(12);
    const y: number[] = [];
    const s: number[] = [];
    for (let i = 0; i < 300; i++) {
      const c = rng.nextFloat() < 0.4 ? 1 : 0;
      y.push(c);
      s.push(Math.round(4 * (rng.normal() + c)) / 4);
    }
    const roc = rocCurve(y, s);
    const auc = aucMannWhitney(y, s);
    expect(trapezoidArea(roc.fpr, roc.tpr)).toBeCloseTo(auc, 12);
    expect(aucMannWhitney(y, s.map((v) => Math.exp(v)))).toBeCloseTo(auc, 14);
    expect(aucMannWhitney(y, s.map((v) => -v))).toBeCloseTo(1 - auc, 14);
  });

  it('is NaN without both classes, and rejects bad labels or missing scores', () => {
    expect(aucMannWhitney([1, 1], [0.2, 0.3])).toBeNaN();
    expect(() => aucMannWhitney([1, 2], [0.2, 0.3])).toThrow(/label of row 2 is 2/);
    expect(() => aucMannWhitney([1, 0], [0.2, NaN])).toThrow(RgsError);
    expect(() => aucMannWhitney([1, 0, 1], [0.2, 0.1])).toThrow(RgsError);
  });
});

describe('DeLong (Sun & Xu fast algorithm)', () => {
  it('gives the hand-derived placements, variance and clipped CI', () => {
    const p = delongPlacements(Y, A);
    // V10 = share of controls below each case (ties 1/2): 4/4, 3.5/4, 3/4.
    expect(Array.from(p.cases)).toEqual([1, 0.875, 0.75]);
    // V01 = share of cases above each control: 1.5/3, 1, 1, 1.
    expect(Array.from(p.controls)).toEqual([0.5, 1, 1, 1]);
    // S10 = (0.125² + 0 + 0.125²)/2 = 1/64; S01 = (0.375² + 3·0.125²)/3 = 1/16;
    // Var = S10/3 + S01/4 = 1/192 + 1/64 = 1/48.
    const d = delongAuc(Y, A);
    expect(d.auc).toBeCloseTo(0.875, 15);
    expect(d.variance).toBeCloseTo(1 / 48, 15);
    const half = 1.959963984540054 * Math.sqrt(1 / 48);
    expect(d.ci[0]).toBeCloseTo(0.875 - half, 14);
    expect(d.ci[1]).toBe(1); // 0.875 + 0.283 clipped to 1, as pROC does
    const d50 = delongAuc(Y, A, 0.5);
    expect(d50.ci[1]).toBeCloseTo(0.875 + 0.6744897501960817 * Math.sqrt(1 / 48), 12);
  });

  it('gives the hand-derived paired test', () => {
    // B: V10 = 3/4, 1, 1/4 (AUC 2/3), V01 = 1, 2/3, 2/3, 1/3. Var_B = (7/48)/3 + (2/27)/4 = 29/432.
    // Cov: cases Σ(0.125·1/12 + 0 + 0.125·5/12)/2/3 = 1/96; controls
    // Σ(-0.375·1/3 + 0 + 0 - 0.125·1/3)/3/4 = -1/72; Cov = -1/288.
    // Var(d) = 1/48 + 29/432 + 2/288 = 41/432; d = 7/8 - 2/3 = 5/24.
    const t = delongPairedTest(Y, A, B);
    expect(t.difference).toBeCloseTo(5 / 24, 15);
    expect(t.standardError).toBeCloseTo(Math.sqrt(41 / 432), 15);
    const z = 5 / 24 / Math.sqrt(41 / 432);
    expect(t.z).toBeCloseTo(z, 14);
    expect(t.p).toBeCloseTo(2 * normalCdf(-z), 14);
    // Antisymmetric in the two scores.
    const r = delongPairedTest(Y, B, A);
    expect(r.z).toBeCloseTo(-z, 14);
    expect(r.p).toBeCloseTo(t.p, 14);
  });

  it('gives z = 0 and p = 1 for identical scores, as pROC', () => {
    const t = delongPairedTest(Y, A, A);
    expect(t.z).toBe(0);
    expect(t.p).toBe(1);
  });

  it('needs both classes; the variance needs two of each', () => {
    expect(() => delongAuc([1, 1], [0.1, 0.2])).toThrow(RgsError);
    expect(delongAuc([1, 0, 0], [0.5, 0.1, 0.2]).variance).toBeNaN();
  });
});

describe('classification metrics with Wilson intervals', () => {
  it('matches R prop.test(correct = FALSE)', () => {
    // R 4.2.2: prop.test(8, 10, correct = FALSE)$conf.int
    const w = wilsonInterval(8, 10);
    expect(w.lower).toBeCloseTo(0.49016247153664183, 12);
    expect(w.upper).toBeCloseTo(0.94331784854562473, 12);
    // prop.test(47, 53, correct = FALSE, conf.level = 0.9)$conf.int
    const w90 = wilsonInterval(47, 53, 0.9);
    expect(w90.lower).toBeCloseTo(0.79569603073516559, 12);
    expect(w90.upper).toBeCloseTo(0.94031689468914836, 12);
  });

  it('has the closed form z²/(n + z²) at zero successes and is NaN for n = 0', () => {
    const z = 1.959963984540054;
    const w = wilsonInterval(0, 20);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo((z * z) / (20 + z * z), 14);
    const full = wilsonInterval(20, 20);
    expect(full.upper).toBe(1);
    expect(full.lower).toBeCloseTo(20 / (20 + z * z), 14);
    expect(wilsonInterval(0, 0).estimate).toBeNaN();
  });

  it('counts the confusion matrix at score >= threshold', () => {
    // Threshold 0.6 on A: cases 0.8, 0.6 positive, 0.4 negative; control 0.6 positive.
    const cm = confusionMatrix(Y, A, 0.6);
    expect(cm).toEqual({ tp: 2, fn: 1, fp: 1, tn: 3 });
    const m = classificationMetrics(cm);
    expect(m.accuracy.estimate).toBeCloseTo(5 / 7, 15);
    expect(m.sensitivity.estimate).toBeCloseTo(2 / 3, 15);
    expect(m.specificity.estimate).toBeCloseTo(3 / 4, 15);
    expect(m.ppv.estimate).toBeCloseTo(2 / 3, 15);
    expect(m.npv.estimate).toBeCloseTo(3 / 4, 15);
    expect(m.sensitivity.lower).toBeCloseTo(wilsonInterval(2, 3).lower, 15);
    // Nothing called positive: PPV undefined.
    expect(classificationMetrics(confusionMatrix(Y, A, 2)).ppv.estimate).toBeNaN();
  });
});

describe('Brier score and calibration', () => {
  it('computes the Brier score', () => {
    // (0.9-1)² + (0.2-0)² + (0.6-1)² + (0.5-0)² = 0.01 + 0.04 + 0.16 + 0.25 = 0.46; / 4.
    expect(brierScore([1, 0, 1, 0], [0.9, 0.2, 0.6, 0.5])).toBeCloseTo(0.115, 15);
    expect(() => brierScore([1], [1.2])).toThrow(RgsError);
  });

  it('gives calibration-in-the-large logit(ȳ) - logit(c) for a constant prediction c, and no slope', () => {
    // With lp constant, logit P = a' + lp is fitted by expit(a' + logit c) = ȳ.
    const y = [1, 0, 0, 1, 0, 0, 0, 1, 0, 0];
    const c = calibration(y, new Array(10).fill(0.5));
    expect(c.calibrationInTheLarge).toBeCloseTo(Math.log(0.3 / 0.7), 12);
    expect(c.slope).toBeNaN();
    expect(c.converged).toBe(false);
  });

  it('recovers slope 1 and intercepts 0 after logistic recalibration (score equations)', () => {
    const rng = new Rng(77);
    const y: number[] = [];
    const p: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = rng.normal();
      const truth = 1 / (1 + Math.exp(-(0.3 + 1.2 * x)));
      y.push(rng.nextFloat() < truth ? 1 : 0);
      // An overconfident, biased model: logit p = -0.5 + 2.5 x.
      p.push(1 / (1 + Math.exp(-(-0.5 + 2.5 * x))));
    }
    const c = calibration(y, p);
    expect(c.converged).toBe(true);
    expect(c.slope).toBeLessThan(1); // overconfident
    expect(c.slope).toBeGreaterThan(0.3);
    // Recalibrate with the fitted (a, b): the MLE score equations make the new predictions
    // perfectly calibrated on these data.
    const q = p.map((v) => 1 / (1 + Math.exp(-(c.slopeModelIntercept + c.slope * Math.log(v / (1 - v))))));
    const r = calibration(y, q);
    expect(r.slope).toBeCloseTo(1, 9);
    expect(r.slopeModelIntercept).toBeCloseTo(0, 9);
    expect(r.calibrationInTheLarge).toBeCloseTo(0, 9);
  });

  it('refuses probabilities of exactly 0 or 1 and a single outcome class', () => {
    expect(() => calibration([1, 0], [1, 0.2])).toThrow(/strictly between 0 and 1/);
    expect(() => calibration([1, 1], [0.5, 0.2])).toThrow(/both outcome classes/);
  });

  it('reports non-convergence under separation instead of a huge slope', () => {
    const c = calibration([0, 0, 0, 1, 1, 1], [0.1, 0.2, 0.3, 0.6, 0.7, 0.8]);
    expect(c.converged).toBe(false);
    expect(c.slope).toBeNaN();
  });
});

describe('corrected resampled t-test (Nadeau & Bengio)', () => {
  it('matches the hand-worked statistic and scipy p-value', () => {
    // d = 0.01 0.03 0.02 0.04 0.00: mean 0.02, var (1+1+0+4+4)e-4/4 = 2.5e-4, ratio 1/4 (5-fold);
    // t = 0.02/√((1/5 + 1/4)·2.5e-4) = 1.8856180831641267; scipy 2*t.sf(t, 4) = 0.13241892222024934.
    const a = [0.81, 0.83, 0.8, 0.86, 0.79];
    const b = a.map((v, j) => v - [0.01, 0.03, 0.02, 0.04, 0][j]);
    const r = correctedResampledTTest(a, b, { testTrainRatio: 0.25 });
    expect(r.meanDifference).toBeCloseTo(0.02, 14);
    expect(r.variance).toBeCloseTo(2.5e-4, 14);
    expect(r.t).toBeCloseTo(1.8856180831641267, 10);
    expect(r.df).toBe(4);
    expect(r.p).toBeCloseTo(0.13241892222024934, 10);
  });

  it('is more conservative than the naive paired t-test, which it becomes as the ratio -> 0', () => {
    const a = [0.81, 0.83, 0.8, 0.86, 0.79];
    const b = a.map((v, j) => v - [0.01, 0.03, 0.02, 0.04, 0][j]);
    // scipy.stats.ttest_rel(a, b): statistic 2.8284271247461903, p 0.04742065558431957.
    const naive = correctedResampledTTest(a, b, { testTrainRatio: 1e-300 });
    expect(naive.t).toBeCloseTo(2.8284271247461903, 8);
    expect(naive.p).toBeCloseTo(0.04742065558431957, 8);
    expect(correctedResampledTTest(a, b, { testTrainRatio: 0.25 }).p).toBeGreaterThan(naive.p);
  });

  it('validates its input', () => {
    expect(() => correctedResampledTTest([1], [1], { testTrainRatio: 0.25 })).toThrow(RgsError);
    expect(() => correctedResampledTTest([1, 2], [1], { testTrainRatio: 0.25 })).toThrow(RgsError);
    expect(() => correctedResampledTTest([1, 2], [1, 1], { testTrainRatio: 0 })).toThrow(RgsError);
    expect(correctedResampledTTest([0.5, 0.5], [0.5, 0.5], { testTrainRatio: 0.2 }).p).toBeNaN();
  });
});
