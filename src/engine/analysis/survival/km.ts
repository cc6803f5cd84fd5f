/**
 * Kaplan-Meier survival curves as R's survival::survfit(Surv(time, status) ~ 1) computes
 * them: one row per distinct observed time (events and censorings), Greenwood variance of the
 * cumulative hazard, pointwise confidence limits of type "log" (survfit's default), "log-log"
 * or "plain", and quantiles (median) with confidence limits by survival's quantile.survfit
 * rule (Brookmeyer & Crowley 1982, inverted from the pointwise band).
 *
 * Not replicated: survfit's `timefix` rounding of times that differ only by floating-point
 * noise; pass times that are equal exactly when they are meant to be tied.
 */
import { RgsError } from '../../util/errors';
import { normalQuantile } from './distributions';
import { checkSurvival, type SurvivalOutcome } from './input';

export type KmConfType = 'log' | 'log-log' | 'plain' | 'none';

export interface KaplanMeierOptions {
  weights?: ArrayLike<number>;
  /** Confidence band type; 'log' as survfit's default. */
  confType?: KmConfType;
  confLevel?: number;
}

export interface SurvivalQuantile {
  /** Time at which the curve first drops to <= 1 - prob (midpoint rule on flat parts); NaN when never reached. */
  estimate: number;
  /** Confidence limits from the pointwise band; NaN when the band never reaches the level. */
  lower: number;
  upper: number;
}

export interface KaplanMeierCurve {
  /** Distinct observed times, increasing. */
  time: Float64Array;
  /** (Weighted) number at risk just before each time. */
  nRisk: Float64Array;
  nEvent: Float64Array;
  nCensor: Float64Array;
  surv: Float64Array;
  /**
   * Standard error of the cumulative hazard (= of log S), Greenwood: sqrt(sum d / (n (n - d))).
   * Infinity from the time the curve reaches 0 (n = d), as survfit.
   */
  stdErr: Float64Array;
  /** Pointwise confidence limits; NaN where undefined (S = 0 for "log", S in {0, 1} for "log-log", or confType "none"). */
  lower: Float64Array;
  upper: Float64Array;
  confType: KmConfType;
  confLevel: number;
  /** Number of subjects (weighted) and events. */
  n: number;
  events: number;
  median: SurvivalQuantile;
}

/** Kaplan-Meier estimate for one group. Throws RgsError on invalid input (never on "no events": the curve is then flat at 1). */
export function kaplanMeier(outcome: SurvivalOutcome, options: KaplanMeierOptions = {}): KaplanMeierCurve {
  const surv = checkSurvival(outcome, options.weights, 'Kaplan-Meier');
  const confType = options.confType ?? 'log';
  const confLevel = options.confLevel ?? 0.95;
  if (!(confLevel > 0 && confLevel < 1)) throw new RgsError(`Kaplan-Meier: confLevel ${confLevel} must be in (0, 1)`, { field: 'confLevel' });
  const { n, time, status, weights } = surv;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => time[i] - time[j]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights[i];

  const tOut: number[] = [];
  const riskOut: number[] = [];
  const evOut: number[] = [];
  const cenOut: number[] = [];
  let atRisk = total;
  let r = 0;
  let events = 0;
  while (r < n) {
    const t = time[order[r]];
    let d = 0;
    let c = 0;
    while (r < n && time[order[r]] === t) {
      const i = order[r];
      if (status[i] === 1) d += weights[i];
      else c += weights[i];
      r++;
    }
    tOut.push(t);
    riskOut.push(atRisk);
    evOut.push(d);
    cenOut.push(c);
    events += d;
    atRisk -= d + c;
  }
  const m = tOut.length;
  const s = new Float64Array(m);
  const se = new Float64Array(m);
  let cur = 1;
  let varhaz = 0;
  for (let q = 0; q < m; q++) {
    const nr = riskOut[q];
    const d = evOut[q];
    if (d > 0) {
      cur *= 1 - d / nr;
      varhaz += nr > d ? d / (nr * (nr - d)) : Infinity;
    }
    s[q] = cur;
    se[q] = Math.sqrt(varhaz);
  }
  const { lower, upper } = confidenceBand(s, se, confType, confLevel);
  const curve: KaplanMeierCurve = {
    time: Float64Array.from(tOut),
    nRisk: Float64Array.from(riskOut),
    nEvent: Float64Array.from(evOut),
    nCensor: Float64Array.from(cenOut),
    surv: s,
    stdErr: se,
    lower,
    upper,
    confType,
    confLevel,
    n: total,
    events,
    median: { estimate: NaN, lower: NaN, upper: NaN },
  };
  curve.median = survivalQuantile(curve, 0.5);
  return curve;
}

/** survival's survfit_confint with logse = TRUE (the Greenwood se is on the log scale). */
function confidenceBand(s: Float64Array, se: Float64Array, type: KmConfType, level: number): { lower: Float64Array; upper: Float64Array } {
  const m = s.length;
  const lower = new Float64Array(m).fill(NaN);
  const upper = new Float64Array(m).fill(NaN);
  if (type === 'none') return { lower, upper };
  const z = normalQuantile(1 - (1 - level) / 2);
  for (let q = 0; q < m; q++) {
    const p = s[q];
    const e = se[q];
    if (type === 'plain') {
      const se2 = e * p * z;
      // Inf * 0 at S = 0 gives NaN, as R.
      lower[q] = Number.isNaN(se2) ? NaN : Math.max(p - se2, 0);
      upper[q] = Number.isNaN(se2) ? NaN : Math.min(p + se2, 1);
    } else if (type === 'log') {
      if (p === 0) continue;
      const se2 = z * e;
      lower[q] = Math.exp(Math.log(p) - se2);
      upper[q] = Math.min(Math.exp(Math.log(p) + se2), 1);
    } else {
      if (p === 0 || p === 1) continue;
      const se2 = (z * e) / Math.log(p);
      lower[q] = Math.exp(-Math.exp(Math.log(-Math.log(p)) - se2));
      upper[q] = Math.exp(-Math.exp(Math.log(-Math.log(p)) + se2));
    }
  }
  return { lower, upper };
}

/**
 * survival's findq: x = (0, times), y = (0, 1 - S); the first time y reaches p, with the
 * midpoint of a flat stretch where y equals p within `tol`. NaN when never reached.
 */
function findQuantile(times: Float64Array, curve: Float64Array, p: number, tol: number): number {
  const xs: number[] = [0];
  const ys: number[] = [0];
  for (let q = 0; q < times.length; q++) {
    xs.push(times[q]);
    ys.push(1 - curve[q]);
  }
  const xmax = xs[xs.length - 1];
  let maxY = -Infinity;
  for (const y of ys) if (!Number.isNaN(y) && y > maxY) maxY = y;
  if (maxY < p) return NaN;
  // Drop duplicated y values (keep the first time each value is attained).
  const x2: number[] = [];
  const y2: number[] = [];
  const seen: number[] = [];
  let seenNaN = false;
  for (let q = 0; q < ys.length; q++) {
    const y = ys[q];
    if (Number.isNaN(y)) {
      if (seenNaN) continue;
      seenNaN = true;
    } else if (seen.includes(y)) continue;
    else seen.push(y);
    x2.push(xs[q]);
    y2.push(y);
  }
  // approx(y +/- tol, 1:n, p, method = "constant", f = 1): the first knot >= p (ignoring NaN),
  // NaN outside the knot range.
  const index = (shift: number): number => {
    let minK = Infinity;
    let maxK = -Infinity;
    for (const y of y2) {
      if (Number.isNaN(y)) continue;
      minK = Math.min(minK, y + shift);
      maxK = Math.max(maxK, y + shift);
    }
    if (!(p >= minK && p <= maxK)) return -1;
    for (let q = 0; q < y2.length; q++) {
      if (!Number.isNaN(y2[q]) && y2[q] + shift >= p) return q;
    }
    return -1;
  };
  if (p === 0) return x2[0];
  const i1 = index(tol);
  const i2 = index(-tol);
  const last = y2[y2.length - 1];
  if (!Number.isNaN(last) && Math.abs(p - last) < tol) {
    return i1 < 0 ? NaN : (x2[i1] + xmax) / 2;
  }
  if (i1 < 0 || i2 < 0) return NaN;
  return (x2[i1] + x2[i2]) / 2;
}

/**
 * The time by which a fraction `prob` of subjects have had the event (prob = 0.5: median
 * survival), with limits from the pointwise confidence band, as quantile.survfit.
 */
export function survivalQuantile(curve: KaplanMeierCurve, prob: number): SurvivalQuantile {
  const tol = Math.sqrt(2.220446049250313e-16);
  return {
    estimate: findQuantile(curve.time, curve.surv, prob, tol),
    // The lower band crosses 1 - prob first, so it gives the lower limit of the time.
    lower: findQuantile(curve.time, curve.lower, prob, tol),
    upper: findQuantile(curve.time, curve.upper, prob, tol),
  };
}

/** Survival probability S(t) (right-continuous step function; 1 before the first time). */
export function survivalAt(curve: KaplanMeierCurve, times: ArrayLike<number>): Float64Array {
  const out = new Float64Array(times.length);
  for (let q = 0; q < times.length; q++) {
    const idx = lastIndexAtOrBefore(curve.time, times[q]);
    out[q] = idx < 0 ? 1 : curve.surv[idx];
  }
  return out;
}

/**
 * Numbers at risk at the given times: subjects whose observed time is >= t (weighted), the
 * n.risk column of summary(survfit, times = t). 0 after the last observed time.
 */
export function numberAtRisk(curve: KaplanMeierCurve, times: ArrayLike<number>): Float64Array {
  const out = new Float64Array(times.length);
  const m = curve.time.length;
  for (let q = 0; q < times.length; q++) {
    const t = times[q];
    // First curve time >= t: its n.risk counts everyone still observed at t.
    let lo = 0;
    let hi = m;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (curve.time[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    out[q] = lo < m ? curve.nRisk[lo] : 0;
  }
  return out;
}

function lastIndexAtOrBefore(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Group label as given (number or string). */
export type GroupLabel = string | number;

/**
 * Distinct group labels in R's factor order: numbers ascending, strings in code-point order
 * (numbers before strings when mixed).
 */
export function groupLevels(groups: ArrayLike<GroupLabel>): GroupLabel[] {
  const set = new Set<GroupLabel>();
  for (let i = 0; i < groups.length; i++) set.add(groups[i]);
  return [...set].sort((a, b) => {
    if (typeof a === 'number' && typeof b === 'number') return a - b;
    if (typeof a === 'number') return -1;
    if (typeof b === 'number') return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** Kaplan-Meier curves per group (survfit(Surv ~ group)), in groupLevels order. */
export function kaplanMeierByGroup(
  outcome: SurvivalOutcome,
  groups: ArrayLike<GroupLabel>,
  options: KaplanMeierOptions = {},
): { group: GroupLabel; curve: KaplanMeierCurve }[] {
  const n = outcome.time.length;
  if (groups.length !== n) throw new RgsError(`Kaplan-Meier: ${groups.length} group labels for ${n} subjects`, { field: 'groups' });
  return groupLevels(groups).map((g) => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if (groups[i] === g) idx.push(i);
    const w = options.weights;
    return {
      group: g,
      curve: kaplanMeier(
        { time: idx.map((i) => outcome.time[i]), status: idx.map((i) => outcome.status[i]) },
        { ...options, weights: w === undefined ? undefined : idx.map((i) => w[i]) },
      ),
    };
  });
}
