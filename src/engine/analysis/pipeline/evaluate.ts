/**
 * Performance measures of the validated predictions, with the intervals the field expects:
 * DeLong for AUCs, Wilson for proportions, percentile bootstrap for the C-index and the ROC
 * band, the corrected resampled t interval (Nadeau & Bengio 2003) for means over repeated CV
 * folds, log-rank for risk groups.
 *
 * ROC band (documented choice): a pointwise percentile bootstrap band of the sensitivity at
 * fixed 1 − specificity (0, 0.01, …, 1), resampling cases and controls separately (pROC's
 * ci.se with its default stratified bootstrap). At each grid point a resample's curve is read
 * as the highest sensitivity reached at or below that false-positive rate (the upper step of
 * the empirical ROC). The AUC interval itself is DeLong's, not the band's.
 */
import { quantileType7 } from '../metrics/bootstrap';
import { bootstrapConcordance } from '../metrics/bootstrap';
import { brierScore, calibration } from '../metrics/calibration';
import { classificationMetrics, confusionMatrix, wilsonInterval, type ClassificationMetrics } from '../metrics/classification';
import { correctedResampledTTest } from '../metrics/corrected-t-test';
import { delongAuc, delongPairedTest } from '../metrics/delong';
import { studentTQuantile } from '../metrics/distributions';
import { rocCurve } from '../metrics/roc';
import type { Rng } from '../random';
import { concordanceIndex } from '../survival/concordance';
import { kaplanMeierByGroup, numberAtRisk } from '../survival/km';
import { logRankTest } from '../survival/logrank';
import type { RiskGroup } from './risk-groups';

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface CvSummary {
  /** Number of folds with a finite score. */
  folds: number;
  mean: number;
  sd: number;
  lower: number;
  upper: number;
  /** Mean n_test / n_train of the folds (the correction term). */
  testTrainRatio: number;
  method: string;
}

/** Mean of per-fold scores with the corrected resampled t interval: mean ± t(J−1) √((1/J + n_test/n_train) s²). */
export function cvSummary(scores: readonly number[], testTrainRatio: number, level: number): CvSummary {
  const v = scores.filter(Number.isFinite);
  const J = v.length;
  const mean = J > 0 ? v.reduce((a, b) => a + b, 0) / J : NaN;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  const sd = J > 1 ? Math.sqrt(ss / (J - 1)) : NaN;
  const se = Math.sqrt((1 / J + testTrainRatio) * sd * sd);
  const t = J > 1 ? studentTQuantile(1 - (1 - level) / 2, J - 1) : NaN;
  return {
    folds: J,
    mean,
    sd,
    lower: Math.max(0, mean - t * se),
    upper: Math.min(1, mean + t * se),
    testTrainRatio,
    method: 'corrected resampled t interval (Nadeau & Bengio 2003)',
  };
}

export interface CalibrationBin {
  n: number;
  /** Mean predicted probability of the bin. */
  predicted: number;
  /** Observed share of cases, with its Wilson interval. */
  observed: number;
  lower: number;
  upper: number;
}

export interface BinaryEvaluation {
  n: number;
  cases: number;
  auc: Interval & { standardError: number; method: string };
  roc: { fpr: number[]; tpr: number[] };
  band: { fpr: number[]; lower: number[]; upper: number[]; replicates: number; method: string } | null;
  brier: number;
  calibration: { slope: number; intercept: number; converged: boolean; bins: CalibrationBin[]; note: string };
  threshold: number;
  classification: ClassificationMetrics;
}

/** Probabilities used for the logit in the calibration fit are kept inside [1e-6, 1 − 1e-6]. */
const CALIBRATION_CLIP = 1e-6;

function bandGrid(): number[] {
  return Array.from({ length: 101 }, (_, i) => i / 100);
}

/** Highest TPR at FPR <= x on each grid point (curve points ordered by threshold). */
function tprOnGrid(fpr: Float64Array, tpr: Float64Array, grid: readonly number[]): Float64Array {
  const out = new Float64Array(grid.length);
  let k = 0;
  let best = 0;
  for (let g = 0; g < grid.length; g++) {
    while (k < fpr.length && fpr[k] <= grid[g] + 1e-12) {
      if (tpr[k] > best) best = tpr[k];
      k++;
    }
    out[g] = best;
  }
  return out;
}

export function rocBand(y: Int32Array, p: Float64Array, replicates: number, level: number, rng: Rng): BinaryEvaluation['band'] {
  const cases: number[] = [];
  const controls: number[] = [];
  y.forEach((v, i) => (v === 1 ? cases : controls).push(i));
  if (cases.length < 2 || controls.length < 2) return null;
  const grid = bandGrid();
  const samples = grid.map(() => new Float64Array(replicates));
  const n = y.length;
  const yb = new Int32Array(n);
  const pb = new Float64Array(n);
  for (let b = 0; b < replicates; b++) {
    let k = 0;
    for (const group of [cases, controls]) {
      for (let t = 0; t < group.length; t++) {
        const i = group[rng.nextInt(group.length)];
        yb[k] = y[i];
        pb[k] = p[i];
        k++;
      }
    }
    const roc = rocCurve(yb, pb);
    const onGrid = tprOnGrid(roc.fpr, roc.tpr, grid);
    for (let g = 0; g < grid.length; g++) samples[g][b] = onGrid[g];
  }
  const alpha = 1 - level;
  const lower: number[] = [];
  const upper: number[] = [];
  for (const s of samples) {
    s.sort();
    lower.push(quantileType7(s, alpha / 2));
    upper.push(quantileType7(s, 1 - alpha / 2));
  }
  return { fpr: grid, lower, upper, replicates, method: 'pointwise percentile bootstrap of sensitivity at fixed 1 - specificity, stratified by class' };
}

/** Equal-count bins of the sorted predictions (ties broken by row): 10 bins from 100 rows, fewer for smaller sets. */
export function calibrationBins(y: Int32Array, p: Float64Array, level: number): CalibrationBin[] {
  const n = y.length;
  if (n === 0) return [];
  const g = Math.max(1, Math.min(10, Math.floor(n / 10)));
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < g; b++) {
    const from = Math.floor((b * n) / g);
    const to = Math.floor(((b + 1) * n) / g);
    let sp = 0;
    let cases = 0;
    for (let k = from; k < to; k++) {
      sp += p[order[k]];
      cases += y[order[k]];
    }
    const m = to - from;
    const w = wilsonInterval(cases, m, level);
    bins.push({ n: m, predicted: sp / m, observed: cases / m, lower: w.lower, upper: w.upper });
  }
  return bins;
}

export function evaluateBinary(y: Int32Array, p: Float64Array, opts: { level: number; threshold: number; bandReplicates: number; rng: Rng }): BinaryEvaluation {
  let cases = 0;
  for (const v of y) cases += v;
  const both = cases > 0 && cases < y.length;
  const d = both ? delongAuc(y, p, opts.level) : null;
  const roc = both ? rocCurve(y, p) : { fpr: new Float64Array(0), tpr: new Float64Array(0) };
  let cal = { slope: NaN, intercept: NaN, converged: false };
  if (both) {
    const clipped = p.map((v) => Math.min(1 - CALIBRATION_CLIP, Math.max(CALIBRATION_CLIP, v)));
    const c = calibration(y, clipped);
    cal = { slope: c.slope, intercept: c.calibrationInTheLarge, converged: c.converged };
  }
  return {
    n: y.length,
    cases,
    auc: {
      estimate: d?.auc ?? NaN,
      lower: d?.ci[0] ?? NaN,
      upper: d?.ci[1] ?? NaN,
      standardError: d?.standardError ?? NaN,
      method: 'DeLong (fast midrank algorithm, Sun & Xu 2014)',
    },
    roc: { fpr: Array.from(roc.fpr), tpr: Array.from(roc.tpr) },
    band: opts.bandReplicates > 0 && both ? rocBand(y, p, opts.bandReplicates, opts.level, opts.rng) : null,
    brier: brierScore(y, p),
    calibration: {
      ...cal,
      bins: calibrationBins(y, p, opts.level),
      note: `slope and calibration-in-the-large from logistic recalibration on logit(p), p kept in [${CALIBRATION_CLIP}, 1 - ${CALIBRATION_CLIP}]`,
    },
    threshold: opts.threshold,
    classification: classificationMetrics(confusionMatrix(y, p, opts.threshold), opts.level),
  };
}

export interface KmGroupCurve {
  group: RiskGroup;
  n: number;
  events: number;
  /** Step function: S(t) from each time on (t = 0, S = 1 first). */
  time: number[];
  surv: number[];
  lower: number[];
  upper: number[];
  /** Times of censored observations (for tick marks). */
  censored: number[];
  medianSurvival: number;
  atRisk: number[];
}

export interface SurvivalEvaluation {
  n: number;
  events: number;
  cIndex: Interval & { replicates: number; method: string };
  groups: KmGroupCurve[];
  atRiskTimes: number[];
  logRank: { chiSquare: number; df: number; p: number } | null;
}

/** "Nice" evenly spaced times from 0 to about the largest follow-up: 5 ticks of 1, 2, 2.5 or 5 × 10^k. */
export function defaultAtRiskTimes(maxTime: number): number[] {
  if (!(maxTime > 0)) return [0];
  const raw = maxTime / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = 0; t <= maxTime + 1e-9 && out.length < 8; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

export function evaluateSurvival(
  time: Float64Array,
  status: Uint8Array,
  risk: Float64Array,
  groups: readonly RiskGroup[],
  opts: { level: number; replicates: number; rng: Rng; atRiskTimes: number[] | null },
): SurvivalEvaluation {
  const n = time.length;
  let events = 0;
  let maxTime = 0;
  for (let i = 0; i < n; i++) {
    events += status[i];
    maxTime = Math.max(maxTime, time[i]);
  }
  const cFn = (t: Float64Array, e: Float64Array, r: Float64Array): number => concordanceIndex({ time: t, status: e }, r).concordance;
  const c = events > 0 ? bootstrapConcordance(time, status, risk, cFn, { replicates: opts.replicates, seed: opts.rng, level: opts.level }) : null;
  const atRiskTimes = opts.atRiskTimes ?? defaultAtRiskTimes(maxTime);
  const curves = kaplanMeierByGroup({ time, status }, groups as RiskGroup[]).map(({ group, curve }) => {
    const idx: number[] = [];
    groups.forEach((g, i) => {
      if (g === group) idx.push(i);
    });
    const censored = idx.filter((i) => status[i] === 0).map((i) => time[i]).sort((a, b) => a - b);
    return {
      group: group as RiskGroup,
      n: curve.n,
      events: curve.events,
      time: [0, ...Array.from(curve.time)],
      surv: [1, ...Array.from(curve.surv)],
      lower: [1, ...Array.from(curve.lower)],
      upper: [1, ...Array.from(curve.upper)],
      censored,
      medianSurvival: curve.median.estimate,
      atRisk: Array.from(numberAtRisk(curve, atRiskTimes)),
    };
  });
  // High risk first in reports.
  curves.sort((a, b) => (a.group === b.group ? 0 : a.group === 'high' ? -1 : 1));
  let logRank: SurvivalEvaluation['logRank'] = null;
  if (curves.length === 2 && events > 0) {
    const lr = logRankTest({ time, status }, groups as RiskGroup[]);
    logRank = { chiSquare: lr.chiSquare, df: lr.df, p: lr.p };
  }
  return {
    n,
    events,
    cIndex: {
      estimate: c?.estimate ?? NaN,
      lower: c?.lower ?? NaN,
      upper: c?.upper ?? NaN,
      replicates: opts.replicates,
      method: "Harrell's C (ties in risk 1/2), percentile bootstrap interval",
    },
    groups: curves,
    atRiskTimes,
    logRank,
  };
}

export interface PairedComparison {
  modelA: string;
  modelB: string;
  /** DeLong paired test on the evaluation predictions (binary outcomes). */
  delong: { difference: number; z: number; p: number } | null;
  /** Corrected resampled t-test on the per-fold scores (cross-validation). */
  foldTest: { meanDifference: number; t: number; df: number; p: number } | null;
}

export function compareModels(
  names: [string, string],
  y: Int32Array | null,
  pred: [Float64Array, Float64Array] | null,
  foldScores: [number[], number[]] | null,
  testTrainRatio: number,
): PairedComparison {
  let delong: PairedComparison['delong'] = null;
  if (y !== null && pred !== null) {
    let cases = 0;
    for (const v of y) cases += v;
    if (cases >= 2 && y.length - cases >= 2) {
      const d = delongPairedTest(y, pred[0], pred[1]);
      delong = { difference: d.difference, z: d.z, p: d.p };
    }
  }
  let foldTest: PairedComparison['foldTest'] = null;
  if (foldScores !== null && foldScores[0].length >= 2) {
    const ok = foldScores[0].every(Number.isFinite) && foldScores[1].every(Number.isFinite);
    if (ok) {
      const t = correctedResampledTTest(foldScores[0], foldScores[1], { testTrainRatio });
      foldTest = { meanDifference: t.meanDifference, t: t.t, df: t.df, p: t.p };
    }
  }
  return { modelA: names[0], modelB: names[1], delong, foldTest };
}
