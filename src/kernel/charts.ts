/**
 * Chart documents (mime-types.ts) from outcomes and model predictions, computed with the
 * engine's own metrics: ROC with a DeLong interval for the AUC and a bootstrap band, binned
 * calibration with Wilson intervals, Kaplan-Meier curves with numbers at risk and the log-rank
 * test, model coefficients with selection stability. Used by the kernel for analysis results and
 * offered to JavaScript cells as `charts` (so a cell can plot its own predictions).
 */
import { brierScore, calibration } from '../engine/analysis/metrics/calibration';
import { wilsonInterval } from '../engine/analysis/metrics/classification';
import { delongAuc } from '../engine/analysis/metrics/delong';
import { rocCurve } from '../engine/analysis/metrics/roc';
import { quantileType7 } from '../engine/analysis/metrics/bootstrap';
import { Rng } from '../engine/analysis/random';
import { kaplanMeier, logRankTest, numberAtRisk } from '../engine/analysis/survival';
import { RgsError } from '../engine/util/errors';
import type { CalibrationBinJson, CalibrationJson, CalibrationSeriesJson, CoefficientJson, CoefficientsJson, KmGroupJson, KmJson, RocCurveJson, RocJson } from './mime-types';

/** Finite numbers as a plain array (JSON has no NaN); NaN/Infinity -> null. */
function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function round(v: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function labelsOf(labels: ArrayLike<number | boolean>): Uint8Array {
  const y = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) y[i] = labels[i] === true || labels[i] === 1 ? 1 : 0;
  return y;
}

// ---- ROC ---------------------------------------------------------------------------------------

export interface RocInput {
  label: string;
  /** 1/true = positive class. */
  labels: ArrayLike<number | boolean>;
  scores: ArrayLike<number>;
}

export interface RocChartOptions {
  title?: string;
  /** Confidence level of the AUC interval and the band (default 0.95). */
  level?: number;
  /** Bootstrap replicates for the band (default 500; 0: no band). */
  replicates?: number;
  seed?: number;
  /** FPR grid points of the band (default 51: 0, 0.02, ..., 1). */
  gridPoints?: number;
}

/** Highest TPR the curve reaches at an FPR <= x (the empirical ROC's upper staircase). */
function tprAt(fpr: ArrayLike<number>, tpr: ArrayLike<number>, x: number): number {
  let best = 0;
  for (let i = 0; i < fpr.length; i++) if (fpr[i] <= x + 1e-12 && tpr[i] > best) best = tpr[i];
  return best;
}

function rocCurveJson(input: RocInput, opts: RocChartOptions): RocCurveJson {
  const y = labelsOf(input.labels);
  const level = opts.level ?? 0.95;
  const roc = rocCurve(y, input.scores);
  const positives = y.reduce((s, v) => s + v, 0);
  const negatives = y.length - positives;
  const out: RocCurveJson = {
    label: input.label,
    fpr: Array.from(roc.fpr, (v) => round(v)),
    tpr: Array.from(roc.tpr, (v) => round(v)),
    positives,
    negatives,
    ciLevel: level,
  };
  if (positives > 0 && negatives > 0) {
    const d = delongAuc(y, input.scores, level);
    out.auc = round(d.auc);
    if (Number.isFinite(d.ci[0]) && Number.isFinite(d.ci[1])) {
      out.aucLower = round(d.ci[0]);
      out.aucUpper = round(d.ci[1]);
      out.ciMethod = 'DeLong';
    }
  }
  const B = opts.replicates ?? 500;
  if (B > 0 && positives > 1 && negatives > 1) {
    // Stratified bootstrap (cases and controls resampled separately, so each replicate keeps
    // both classes); pointwise percentile interval of the TPR on a fixed FPR grid.
    const m = opts.gridPoints ?? 51;
    const grid = Array.from({ length: m }, (_, i) => i / (m - 1));
    const cases: number[] = [];
    const controls: number[] = [];
    for (let i = 0; i < y.length; i++) (y[i] === 1 ? cases : controls).push(i);
    const rng = new Rng(opts.seed ?? 20_260_101);
    const atGrid = grid.map(() => new Float64Array(B));
    const yb = new Uint8Array(y.length);
    const sb = new Float64Array(y.length);
    for (let b = 0; b < B; b++) {
      let k = 0;
      for (const group of [cases, controls]) {
        for (let j = 0; j < group.length; j++) {
          const i = group[rng.nextInt(group.length)];
          yb[k] = y[i];
          sb[k] = input.scores[i];
          k++;
        }
      }
      const r = rocCurve(yb, sb);
      grid.forEach((g, gi) => (atGrid[gi][b] = tprAt(r.fpr, r.tpr, g)));
    }
    const alpha = 1 - level;
    out.band = {
      fpr: grid.map((g) => round(g)),
      lower: atGrid.map((v) => round(quantileType7(v.sort(), alpha / 2))),
      upper: atGrid.map((v) => round(quantileType7(v, 1 - alpha / 2))),
    };
  }
  return out;
}

/** ROC curves (one per input) with AUC, DeLong interval and a bootstrap band. */
export function rocChart(inputs: readonly RocInput[], opts: RocChartOptions = {}): RocJson {
  if (inputs.length === 0) throw new RgsError('ROC chart: no curve given');
  return { version: 1, ...(opts.title !== undefined ? { title: opts.title } : {}), curves: inputs.map((c) => rocCurveJson(c, opts)) };
}

// ---- calibration -------------------------------------------------------------------------------

export interface CalibrationInput {
  label: string;
  labels: ArrayLike<number | boolean>;
  /** Predicted probabilities of the positive class. */
  probabilities: ArrayLike<number>;
}

/**
 * Calibration by groups of predicted risk: the subjects sorted by prediction and cut into `bins`
 * groups of (nearly) equal size; per group the mean prediction, the observed proportion and its
 * Wilson interval. Slope and calibration-in-the-large come from the logistic recalibration fits
 * (engine metrics); they are left out when undefined (one class only, or probabilities of
 * exactly 0 or 1).
 */
export function calibrationChart(inputs: readonly CalibrationInput[], opts: { title?: string; bins?: number; level?: number } = {}): CalibrationJson {
  const bins = opts.bins ?? 10;
  const level = opts.level ?? 0.95;
  const series = inputs.map((input): CalibrationSeriesJson => {
    const y = labelsOf(input.labels);
    const n = y.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => input.probabilities[a] - input.probabilities[b]);
    const g = Math.max(1, Math.min(bins, n));
    const out: CalibrationBinJson[] = [];
    for (let b = 0; b < g; b++) {
      const lo = Math.floor((b * n) / g);
      const hi = Math.floor(((b + 1) * n) / g);
      if (hi <= lo) continue;
      let sp = 0;
      let events = 0;
      for (let k = lo; k < hi; k++) {
        sp += input.probabilities[order[k]];
        events += y[order[k]];
      }
      const w = wilsonInterval(events, hi - lo, level);
      out.push({ predicted: round(sp / (hi - lo)), observed: round(events / (hi - lo)), n: hi - lo, lower: round(w.lower), upper: round(w.upper) });
    }
    const s: CalibrationSeriesJson = { label: input.label, bins: out };
    try {
      s.brier = round(brierScore(y, input.probabilities));
      const c = calibration(y, input.probabilities);
      if (Number.isFinite(c.slope)) s.slope = round(c.slope);
      if (Number.isFinite(c.calibrationInTheLarge)) s.intercept = round(c.calibrationInTheLarge);
    } catch (e) {
      if (!(e instanceof RgsError)) throw e;
    }
    return s;
  });
  return { version: 1, ...(opts.title !== undefined ? { title: opts.title } : {}), series };
}

// ---- Kaplan-Meier ------------------------------------------------------------------------------

export interface KmInput {
  /** Survival time per subject. */
  time: ArrayLike<number>;
  /** 1/true = event (death), 0/false = censored. */
  status: ArrayLike<number | boolean>;
  /** Group label per subject (e.g. "low risk" / "high risk"); omitted: one group. */
  groups?: ArrayLike<string | number>;
}

/** Round numbers for the numbers-at-risk table: about `count` ticks from 0 to max. */
export function niceTicks(max: number, count = 6): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = 0; t <= max + 1e-9 * step; t += step) out.push(round(t, 9));
  return out;
}

/** Kaplan-Meier curves per group with log-transformed pointwise intervals, numbers at risk and (for >= 2 groups) the log-rank test. */
export function kmChart(input: KmInput, opts: { title?: string; timeUnit?: string; atRiskTimes?: number[]; level?: number } = {}): KmJson {
  const n = input.time.length;
  const groups = input.groups ?? Array.from({ length: n }, () => 'all');
  if (groups.length !== n || input.status.length !== n) throw new RgsError(`Kaplan-Meier chart: ${n} times, ${input.status.length} statuses and ${groups.length} group labels`);
  const levels = [...new Set(Array.from(groups, (g) => String(g)))].sort();
  const status = Array.from(input.status, (s) => (s === true || s === 1 ? 1 : 0));
  let maxTime = 0;
  for (let i = 0; i < n; i++) if (input.time[i] > maxTime) maxTime = input.time[i];
  const ticks = opts.atRiskTimes ?? niceTicks(maxTime);
  const curves = levels.map((label) => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (String(groups[i]) === label) idx.push(i);
    const curve = kaplanMeier({ time: idx.map((i) => input.time[i]), status: idx.map((i) => status[i]) }, { confType: 'log', confLevel: opts.level ?? 0.95 });
    return { label, curve };
  });
  const out: KmJson = {
    version: 1,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(opts.timeUnit !== undefined ? { timeUnit: opts.timeUnit } : {}),
    groups: curves.map(({ label, curve }): KmGroupJson => {
      const censored: number[] = [];
      for (let i = 0; i < curve.time.length; i++) if (curve.nCensor[i] > 0) censored.push(curve.time[i]);
      return {
        label,
        time: Array.from(curve.time),
        survival: Array.from(curve.surv, (v) => round(v)),
        lower: Array.from(curve.lower, (v) => (Number.isFinite(v) ? round(v) : null)),
        upper: Array.from(curve.upper, (v) => (Number.isFinite(v) ? round(v) : null)),
        censored,
        n: curve.n,
        events: curve.events,
        median: finiteOrNull(curve.median.estimate),
      };
    }),
    atRisk: { times: ticks, counts: curves.map(({ curve }) => Array.from(numberAtRisk(curve, ticks))) },
  };
  if (levels.length >= 2) {
    try {
      const lr = logRankTest({ time: input.time, status }, Array.from(groups, (g) => String(g)));
      if (Number.isFinite(lr.chiSquare)) out.logRank = { chiSquare: round(lr.chiSquare), df: lr.df, p: Number.isFinite(lr.p) ? lr.p : 1 };
    } catch (e) {
      if (!(e instanceof RgsError)) throw e;
    }
  }
  return out;
}

// ---- coefficients ------------------------------------------------------------------------------

/** Model coefficients, largest magnitude first; zero coefficients are kept only when they have a stability. */
export function coefficientsChart(
  coefficients: readonly CoefficientJson[],
  opts: { title?: string; model?: string; valueLabel?: string; stabilityLabel?: string; threshold?: number } = {},
): CoefficientsJson {
  const kept = coefficients.filter((c) => c.value !== 0 || c.stability !== undefined);
  kept.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (b.stability ?? 0) - (a.stability ?? 0) || (a.name < b.name ? -1 : 1));
  return {
    version: 1,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
    ...(opts.model !== undefined ? { model: opts.model } : {}),
    ...(opts.valueLabel !== undefined ? { valueLabel: opts.valueLabel } : {}),
    ...(opts.stabilityLabel !== undefined ? { stabilityLabel: opts.stabilityLabel } : {}),
    ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}),
    coefficients: kept,
  };
}
