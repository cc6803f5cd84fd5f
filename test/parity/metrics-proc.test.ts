/**
 * Parity with R's pROC (and R's prop.test / glm) on pROC's aSAH data set: AUC to 1e-9, DeLong
 * variance and CI (ci.auc(method = "delong"), 95 % and 90 %) and the paired DeLong test
 * (roc.test(method = "delong", paired = TRUE)) z and p to 1e-6; Wilson intervals
 * (prop.test(correct = FALSE)), calibration slope and calibration-in-the-large (glm) and the
 * Brier score. The reference script is test/parity/r/metrics-proc.R.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aucMannWhitney } from '../../src/engine/analysis/metrics/roc';
import { delongAuc, delongPairedTest } from '../../src/engine/analysis/metrics/delong';
import { classificationMetrics, confusionMatrix } from '../../src/engine/analysis/metrics/classification';
import { brierScore, calibration } from '../../src/engine/analysis/metrics/calibration';
import { maxAbsDifference, numbers, procSkipReason, runReference, scalar, text } from './metrics-reference';

type Rec = Record<string, unknown>;
const skip = procSkipReason();

describe.skipIf(skip !== null)(`metrics parity with pROC${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ref: Rec;
  let y: number[];
  let markers: Record<string, number[]>;
  beforeAll(() => {
    ref = runReference('Rscript', join(__dirname, 'r', 'metrics-proc.R')) as Rec;
    y = numbers(ref.y);
    markers = Object.fromEntries(Object.entries(ref.markers as Rec).map(([k, v]) => [k, numbers(v)]));
  });

  it('uses the aSAH data (113 patients, 41 poor outcomes)', () => {
    expect(y.length).toBe(113);
    expect(y.filter((v) => v === 1).length).toBe(41);
  });

  it('AUC to 1e-9, DeLong variance and 95 %/90 % CI to 1e-6', () => {
    const single = ref.single as Rec[];
    expect(single.length).toBe(4);
    for (const s of single) {
      const name = text(s.marker);
      const scores = markers[name];
      expect(Math.abs(aucMannWhitney(y, scores) - scalar(s.auc)), `${name} AUC`).toBeLessThan(1e-9);
      const d95 = delongAuc(y, scores, 0.95);
      const ci95 = numbers(s.ci95);
      expect(Math.abs(d95.auc - ci95[1]), `${name} DeLong theta`).toBeLessThan(1e-9);
      expect(Math.abs(d95.variance - scalar(s.var)), `${name} variance`).toBeLessThan(1e-6 * scalar(s.var));
      expect(maxAbsDifference(d95.ci, [ci95[0], ci95[2]]), `${name} 95 % CI`).toBeLessThan(1e-6);
      const d90 = delongAuc(y, scores, 0.9);
      const ci90 = numbers(s.ci90);
      expect(maxAbsDifference(d90.ci, [ci90[0], ci90[2]]), `${name} 90 % CI`).toBeLessThan(1e-6);
    }
  });

  it('paired DeLong test: z and two-sided p to 1e-6', () => {
    const paired = ref.paired as Rec[];
    expect(paired.length).toBe(4);
    for (const p of paired) {
      const a = text(p.a);
      const b = text(p.b);
      const t = delongPairedTest(y, markers[a], markers[b]);
      expect(Math.abs(t.z - scalar(p.z)), `${a} vs ${b} z`).toBeLessThan(1e-6);
      expect(Math.abs(t.p - scalar(p.p)), `${a} vs ${b} p`).toBeLessThan(1e-6);
    }
  });

  it('Wilson intervals of the confusion-matrix proportions match prop.test(correct = FALSE) to 1e-9', () => {
    const w = ref.wilson as Rec;
    const cm = confusionMatrix(y, markers.s100b, scalar(w.threshold));
    expect([cm.tp, cm.fp, cm.tn, cm.fn]).toEqual(numbers(w.counts));
    const m = classificationMetrics(cm, 0.95);
    for (const key of ['sensitivity', 'specificity', 'ppv', 'npv', 'accuracy'] as const) {
      expect(maxAbsDifference([m[key].lower, m[key].upper], numbers(w[key])), key).toBeLessThan(1e-9);
    }
    const m90 = classificationMetrics(cm, 0.9);
    expect(maxAbsDifference([m90.sensitivity.lower, m90.sensitivity.upper], numbers(w.sensitivity90))).toBeLessThan(1e-9);
  });

  it('calibration slope and calibration-in-the-large match glm to 1e-6; Brier to 1e-12', () => {
    const c = ref.calibration as Rec;
    const p = numbers(c.p);
    const ours = calibration(y, p);
    expect(ours.converged).toBe(true);
    expect(Math.abs(ours.slope - scalar(c.slope))).toBeLessThan(1e-6);
    expect(Math.abs(ours.slopeModelIntercept - scalar(c.slope_intercept))).toBeLessThan(1e-6);
    expect(Math.abs(ours.calibrationInTheLarge - scalar(c.citl))).toBeLessThan(1e-6);
    expect(Math.abs(brierScore(y, p) - scalar(c.brier))).toBeLessThan(1e-12);
  });
});
