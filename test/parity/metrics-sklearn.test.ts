/**
 * Parity with scikit-learn on its bundled breast cancer data set with a fixed score (continuous
 * and rounded to create ties): roc_auc_score to 1e-9, roc_curve points and thresholds (with and
 * without drop_intermediate) to 1e-12, brier_score_loss to 1e-12, the confusion matrix at 0.5.
 * The reference script is test/parity/py/metrics_sklearn.py.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { aucMannWhitney, rocCurve, trapezoidArea } from '../../src/engine/analysis/metrics/roc';
import { delongAuc } from '../../src/engine/analysis/metrics/delong';
import { brierScore } from '../../src/engine/analysis/metrics/calibration';
import { confusionMatrix } from '../../src/engine/analysis/metrics/classification';
import { maxAbsDifference, numbers, pythonWithSklearn, runReference, scalar, text } from './metrics-reference';

type Rec = Record<string, unknown>;
const python = pythonWithSklearn();
const skip = python === null ? 'no python3 with scikit-learn (apt-get install python3-sklearn)' : null;

describe.skipIf(skip !== null)(`metrics parity with scikit-learn${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let y: number[];
  let cases: Rec[];
  beforeAll(() => {
    const ref = runReference(python!, join(__dirname, 'py', 'metrics_sklearn.py')) as Rec;
    y = numbers(ref.y);
    cases = ref.cases as Rec[];
  });

  it('uses the breast cancer data (569 samples, 212 malignant = positive)', () => {
    expect(y.length).toBe(569);
    expect(y.filter((v) => v === 1).length).toBe(212);
    expect(cases.map((c) => text(c.name))).toEqual(['continuous', 'tied']);
  });

  it('roc_auc_score to 1e-9 (Mann–Whitney, trapezoid and DeLong theta)', () => {
    for (const c of cases) {
      const s = numbers(c.score);
      const want = scalar(c.auc);
      expect(Math.abs(aucMannWhitney(y, s) - want), text(c.name)).toBeLessThan(1e-9);
      const roc = rocCurve(y, s);
      expect(Math.abs(trapezoidArea(roc.fpr, roc.tpr) - want), text(c.name)).toBeLessThan(1e-9);
      expect(Math.abs(delongAuc(y, s).auc - want), text(c.name)).toBeLessThan(1e-9);
    }
  });

  it('roc_curve points and thresholds, with and without drop_intermediate', () => {
    for (const c of cases) {
      const s = numbers(c.score);
      for (const [key, drop] of [
        ['roc_all', false],
        ['roc_dropped', true],
      ] as const) {
        const want = c[key] as Rec;
        const roc = rocCurve(y, s, { dropIntermediate: drop });
        const label = `${text(c.name)} ${key}`;
        expect(roc.fpr.length, label).toBe(numbers(want.fpr).length);
        expect(maxAbsDifference(roc.fpr, numbers(want.fpr)), label).toBeLessThan(1e-12);
        expect(maxAbsDifference(roc.tpr, numbers(want.tpr)), label).toBeLessThan(1e-12);
        expect(roc.thresholds[0]).toBe(Infinity);
        expect(maxAbsDifference(roc.thresholds.subarray(1), numbers(want.thresholds)), label).toBe(0);
      }
    }
  });

  it('brier_score_loss to 1e-12 and the confusion matrix at score >= 0.5', () => {
    for (const c of cases) {
      const s = numbers(c.score);
      expect(Math.abs(brierScore(y, s) - scalar(c.brier)), text(c.name)).toBeLessThan(1e-12);
      const cm = c.confusion_at_half as Rec;
      expect(confusionMatrix(y, s, 0.5)).toEqual({ tp: scalar(cm.tp), fp: scalar(cm.fp), tn: scalar(cm.tn), fn: scalar(cm.fn) });
    }
  });
});
