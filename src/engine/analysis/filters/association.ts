/**
 * Strength of the univariate association of each feature with the outcome, on a common
 * "larger is stronger, >= 0" scale, used to decide which feature of a correlated pair to keep:
 * - binary outcome:     |AUC - 0.5|, the AUC of the feature as a score for class 1
 *                       (Mann–Whitney with midranks, so ties count one half);
 * - survival outcome:   |z| of the Cox partial-likelihood score test of the feature at beta = 0
 *                       with Breslow's handling of tied times, z = U / sqrt(I):
 *                       U = sum over event times of (sum of x over the d events - d · mean of x
 *                       over the risk set), I = sum of d · (variance of x over the risk set).
 *                       It needs no iteration and has the same null distribution as the Wald z;
 *                       the risk set at t holds every row with time >= t;
 * - continuous outcome: |Spearman's rho| (Pearson correlation of midranks).
 * An undefined association (a constant feature) counts as 0.
 */
import { RgsError } from '../../util/errors';
import { MatrixInput, toBinaryLabels, toColumnMajor, toDenseMatrix, toNumericOutcome } from '../forest/design-matrix';
import { midranks } from './ranks';
import { wilcoxonRankSum } from './univariate';

export type FilterOutcome =
  | { kind: 'binary'; y: ArrayLike<number | boolean> }
  | { kind: 'survival'; time: ArrayLike<number>; status: ArrayLike<number | boolean> }
  | { kind: 'continuous'; y: ArrayLike<number> };

/** Cox score-test z of one covariate (Breslow ties); NaN when the information is 0. */
export function coxScoreZ(x: ArrayLike<number>, time: ArrayLike<number>, status: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  // Latest time first, so the risk set grows as time decreases.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[b] - time[a]);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let u = 0;
  let info = 0;
  let q = 0;
  while (q < n) {
    const t = time[order[q]];
    let r = q;
    let d = 0;
    let eventSum = 0;
    while (r < n && time[order[r]] === t) {
      const i = order[r];
      const xc = x[i] - mean;
      s0 += 1;
      s1 += xc;
      s2 += xc * xc;
      if (status[i]) {
        d++;
        eventSum += xc;
      }
      r++;
    }
    if (d > 0) {
      const m1 = s1 / s0;
      u += eventSum - d * m1;
      info += d * Math.max(0, s2 / s0 - m1 * m1);
    }
    q = r;
  }
  return info > 0 ? u / Math.sqrt(info) : NaN;
}

/** Pearson correlation of two equal-length vectors; NaN when either is constant. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Association strength (>= 0) of every feature with the outcome (see the module comment). */
export function univariateAssociation(x: MatrixInput, outcome: FilterOutcome): Float64Array {
  const what = 'univariate association';
  const m = toDenseMatrix(x, what);
  const n = m.rows;
  const p = m.cols;
  const columns = toColumnMajor(m);
  const out = new Float64Array(p);
  const strength = (v: number): number => (Number.isFinite(v) ? Math.abs(v) : 0);
  if (outcome.kind === 'binary') {
    const labels = toBinaryLabels(outcome.y, n, what);
    let cases = 0;
    for (let i = 0; i < n; i++) cases += labels[i];
    const a = new Float64Array(cases);
    const b = new Float64Array(n - cases);
    for (let j = 0; j < p; j++) {
      for (let i = 0, ia = 0, ib = 0; i < n; i++) {
        const v = columns[j * n + i];
        if (labels[i] === 1) a[ia++] = v;
        else b[ib++] = v;
      }
      out[j] = strength(wilcoxonRankSum(a, b).auc - 0.5);
    }
  } else if (outcome.kind === 'survival') {
    const time = toNumericOutcome(outcome.time, n, what);
    if (outcome.status.length !== n) throw new RgsError(`${what}: ${outcome.status.length} status values for ${n} rows`, { field: 'status' });
    const status = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = outcome.status[i];
      const v = typeof s === 'boolean' ? (s ? 1 : 0) : s;
      if (v !== 0 && v !== 1) throw new RgsError(`${what}: status of row ${i} is ${String(s)}; it must be 0 (censored) or 1 (event)`, { field: 'status' });
      status[i] = v;
    }
    for (let j = 0; j < p; j++) out[j] = strength(coxScoreZ(columns.subarray(j * n, (j + 1) * n), time, status));
  } else if (outcome.kind === 'continuous') {
    const y = toNumericOutcome(outcome.y, n, what);
    const ry = midranks(y).ranks;
    for (let j = 0; j < p; j++) out[j] = strength(pearson(midranks(columns.subarray(j * n, (j + 1) * n)).ranks, ry));
  } else {
    throw new RgsError(`${what}: unknown outcome kind '${String((outcome as { kind: unknown }).kind)}'`, { field: 'outcome' });
  }
  return out;
}
