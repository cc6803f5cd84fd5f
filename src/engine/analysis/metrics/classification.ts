/**
 * Threshold metrics of a binary classifier with Wilson score confidence intervals
 * (Wilson, JASA 1927; recommended over the Wald interval by Brown, Cai & DasGupta 2001). The
 * Wilson interval is what R's prop.test(x, n, correct = FALSE) reports.
 */
import { RgsError } from '../../util/errors';
import { BinaryLabels, binaryLabels } from './binary-outcome';
import { normalQuantile } from './distributions';

export interface ConfusionMatrix {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts at a threshold; a row is called positive when score >= threshold (as in the ROC curve). */
export function confusionMatrix(labels: BinaryLabels, scores: ArrayLike<number>, threshold: number): ConfusionMatrix {
  const y = binaryLabels(labels, scores, 'confusion matrix');
  const cm: ConfusionMatrix = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < y.length; i++) {
    const positive = scores[i] >= threshold;
    if (y[i] === 1) {
      if (positive) cm.tp++;
      else cm.fn++;
    } else if (positive) cm.fp++;
    else cm.tn++;
  }
  return cm;
}

export interface Proportion {
  /** successes / total; NaN when total is 0. */
  estimate: number;
  lower: number;
  upper: number;
  successes: number;
  total: number;
}

/**
 * Wilson score interval for a binomial proportion x/n at confidence `level`:
 * centre (p̂ + z²/2n) / (1 + z²/n), half-width z √(p̂(1 - p̂)/n + z²/4n²) / (1 + z²/n),
 * z = Φ⁻¹(1 - α/2). NaN for n = 0 (the proportion is undefined).
 */
export function wilsonInterval(successes: number, total: number, level = 0.95): Proportion {
  if (!(level > 0 && level < 1)) throw new RgsError(`Wilson interval: level must be in (0, 1), got ${level}`, { field: 'level' });
  if (!Number.isInteger(successes) || !Number.isInteger(total) || successes < 0 || successes > total) {
    throw new RangeError(`Wilson interval: ${successes} successes of ${total}`);
  }
  if (total === 0) return { estimate: NaN, lower: NaN, upper: NaN, successes, total };
  const z = normalQuantile(1 - (1 - level) / 2);
  const p = successes / total;
  const z2n = (z * z) / total;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / (1 + z2n);
  // At p̂ = 0 or 1 the interval touches the bound exactly; rounding must not push it past.
  return {
    estimate: p,
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === total ? 1 : Math.min(1, centre + half),
    successes,
    total,
  };
}

export interface ClassificationMetrics {
  confusion: ConfusionMatrix;
  /** (tp + tn) / N */
  accuracy: Proportion;
  /** tp / (tp + fn), the true positive rate */
  sensitivity: Proportion;
  /** tn / (tn + fp) */
  specificity: Proportion;
  /** Positive predictive value tp / (tp + fp); NaN when nothing is called positive. */
  ppv: Proportion;
  /** Negative predictive value tn / (tn + fn); NaN when nothing is called negative. */
  npv: Proportion;
}

/** All five proportions of a confusion matrix, each with its Wilson interval. */
export function classificationMetrics(cm: ConfusionMatrix, level = 0.95): ClassificationMetrics {
  const { tp, fp, tn, fn } = cm;
  return {
    confusion: { ...cm },
    accuracy: wilsonInterval(tp + tn, tp + fp + tn + fn, level),
    sensitivity: wilsonInterval(tp, tp + fn, level),
    specificity: wilsonInterval(tn, tn + fp, level),
    ppv: wilsonInterval(tp, tp + fp, level),
    npv: wilsonInterval(tn, tn + fn, level),
  };
}
