/**
 * ROC curve and the area under it.
 *
 * Threshold convention (that of scikit-learn's `roc_curve`): a row is called positive when
 * score >= threshold. The thresholds are the distinct scores in decreasing order, preceded by
 * +Infinity for the point (0, 0). (pROC reports the midpoints between distinct scores instead;
 * the (fpr, tpr) points are the same.)
 */
import { BinaryLabels, binaryLabels, countCases, midranks } from './binary-outcome';

export interface RocCurve {
  /** False positive rate 1 - specificity at each threshold, non-decreasing from 0 to 1. */
  fpr: Float64Array;
  /** True positive rate (sensitivity) at each threshold. */
  tpr: Float64Array;
  /** The thresholds, decreasing; the first is +Infinity. */
  thresholds: Float64Array;
}

export interface RocOptions {
  /**
   * Drop points on straight segments between their neighbours, as scikit-learn does by default
   * (`drop_intermediate=True`); the area is unchanged. Default false: keep every threshold.
   */
  dropIntermediate?: boolean;
}

/**
 * The empirical ROC curve. With no cases (or no controls) the tpr (or fpr) is NaN, as in
 * scikit-learn.
 */
export function rocCurve(labels: BinaryLabels, scores: ArrayLike<number>, options: RocOptions = {}): RocCurve {
  const y = binaryLabels(labels, scores, 'ROC curve');
  const n = y.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] > scores[b] ? -1 : scores[a] < scores[b] ? 1 : 0));
  // Cumulative true/false positives at the end of each group of tied scores.
  const tps: number[] = [];
  const fps: number[] = [];
  const thr: number[] = [];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (y[i] === 1) tp++;
    else fp++;
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thr.push(scores[i]);
    }
  }
  let keep = tps.map((_, j) => j);
  if (options.dropIntermediate && tps.length > 2) {
    // scikit-learn: keep the ends and every point where the second difference is non-zero.
    keep = keep.filter(
      (j) =>
        j === 0 ||
        j === tps.length - 1 ||
        fps[j + 1] - 2 * fps[j] + fps[j - 1] !== 0 ||
        tps[j + 1] - 2 * tps[j] + tps[j - 1] !== 0,
    );
  }
  const m = keep.length + 1;
  const fpr = new Float64Array(m);
  const tpr = new Float64Array(m);
  const thresholds = new Float64Array(m);
  thresholds[0] = Infinity;
  const totalTp = tp;
  const totalFp = fp;
  keep.forEach((j, k) => {
    fpr[k + 1] = fps[j] / totalFp;
    tpr[k + 1] = tps[j] / totalTp;
    thresholds[k + 1] = thr[j];
  });
  if (totalFp === 0) fpr[0] = NaN;
  if (totalTp === 0) tpr[0] = NaN;
  return { fpr, tpr, thresholds };
}

/**
 * AUC as the Mann–Whitney statistic: the probability that a random case scores higher than a
 * random control, ties counting 1/2 — equal to the trapezoidal area under the ROC curve.
 * Computed from midranks in O(n log n): AUC = (R₁ - m(m+1)/2) / (m n), R₁ the rank sum of the m
 * cases, n controls. NaN when either class is empty (e.g. in a bootstrap resample).
 */
export function aucMannWhitney(labels: BinaryLabels, scores: ArrayLike<number>): number {
  const y = binaryLabels(labels, scores, 'AUC');
  const m = countCases(y);
  const n = y.length - m;
  if (m === 0 || n === 0) return NaN;
  const ranks = midranks(scores);
  let r1 = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) r1 += ranks[i];
  return (r1 - (m * (m + 1)) / 2) / (m * n);
}

/** Trapezoidal area under a curve given by increasing x (e.g. an ROC curve's fpr, tpr). */
export function trapezoidArea(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let a = 0;
  for (let i = 1; i < x.length; i++) a += (x[i] - x[i - 1]) * 0.5 * (y[i] + y[i - 1]);
  return a;
}
