/**
 * Harrell's concordance index for a right-censored outcome and a risk score (higher score =
 * shorter expected survival), counted as R's survival::concordance(Surv ~ -risk) (equivalently
 * concordance(fit) for a coxph fit, or glmnet's Cindex):
 *
 * - a pair is comparable when the subject with the shorter time had the event; at equal times
 *   an event and a censoring are comparable (the censored subject is taken to outlive the
 *   event), two events are "tied.y" and not comparable;
 * - concordant: the earlier event has the higher risk; discordant: lower; tied.x: equal risk,
 *   counted 0.5;
 * - case weights multiply: a pair weighs w_i w_j (timewt = "n").
 *
 * C = (concordant + tied.x / 2) / (concordant + discordant + tied.x). The standard error is
 * survival's infinitesimal-jackknife one: with Somers' d = (conc - disc) / npair, each
 * subject's influence dfbeta_i = w_i [(c_i - d_i) / npair - d (c_i + d_i + t_i) / npair],
 * where c_i, d_i, t_i are the weights of the partners in the concordant / discordant / tied
 * pairs subject i belongs to; var(C) = sum dfbeta_i^2 / 4.
 *
 * Counting uses a Fenwick tree over the distinct risk values: O(n log n).
 */
import { RgsError } from '../../util/errors';
import { checkSurvival, type SurvivalOutcome } from './input';

export interface ConcordanceResult {
  /** Harrell's C; NaN when there is no comparable pair (e.g. no events). */
  concordance: number;
  concordant: number;
  discordant: number;
  tiedRisk: number;
  tiedTime: number;
  tiedBoth: number;
  /** concordant + discordant + tiedRisk. */
  comparable: number;
  /** Infinitesimal-jackknife variance and standard error of C (NaN when C is NaN). */
  variance: number;
  stdErr: number;
}

/** Fenwick tree of weight sums indexed by risk rank (1-based). */
class Fenwick {
  private readonly tree: Float64Array;
  constructor(readonly size: number) {
    this.tree = new Float64Array(size + 1);
  }
  add(i: number, v: number): void {
    for (; i <= this.size; i += i & -i) this.tree[i] += v;
  }
  /** Sum over ranks 1..i. */
  prefix(i: number): number {
    let s = 0;
    for (; i > 0; i -= i & -i) s += this.tree[i];
    return s;
  }
}

/**
 * Harrell's C of `risk` against the outcome. Throws RgsError on invalid input; returns NaN
 * (documented) when no pair is comparable, e.g. when there are no events.
 */
export function concordanceIndex(outcome: SurvivalOutcome, risk: ArrayLike<number>, options: { weights?: ArrayLike<number> } = {}): ConcordanceResult {
  const surv = checkSurvival(outcome, options.weights, 'Concordance');
  const { n, time, status, weights: w } = surv;
  if (risk.length !== n) throw new RgsError(`Concordance: ${risk.length} risk scores for ${n} subjects`, { field: 'risk' });
  for (let i = 0; i < n; i++) if (!Number.isFinite(risk[i])) throw new RgsError(`Concordance: risk[${i}] is ${risk[i]}`, { field: 'risk' });

  // Ranks of the distinct risk values, 1..R.
  const sortedRisk = Array.from(risk).sort((a, b) => a - b);
  const distinct: number[] = [];
  for (const v of sortedRisk) if (distinct.length === 0 || distinct[distinct.length - 1] !== v) distinct.push(v);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let lo = 0;
    let hi = distinct.length - 1;
    const v = risk[i];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    rank[i] = lo + 1;
  }
  const R = distinct.length;

  // Influence accumulators (partner weights) per subject.
  const ci = new Float64Array(n);
  const di = new Float64Array(n);
  const ti = new Float64Array(n);
  let conc = 0;
  let disc = 0;
  let tiedX = 0;
  let tiedY = 0;
  let tiedXY = 0;

  // Sweep 1, from the longest time down: subjects "later" than an event are those already in
  // the tree (longer times) plus the censored subjects at the same time.
  const desc = Array.from({ length: n }, (_, i) => i).sort((i, j) => time[j] - time[i]);
  const tree = new Fenwick(R);
  let totalIn = 0;
  let r = 0;
  while (r < n) {
    const t = time[desc[r]];
    let e = r;
    while (e < n && time[desc[e]] === t) e++;
    // Censored subjects at t enter first: they count as later than the events at t.
    for (let q = r; q < e; q++) {
      const i = desc[q];
      if (status[i] === 0) {
        tree.add(rank[i], w[i]);
        totalIn += w[i];
      }
    }
    for (let q = r; q < e; q++) {
      const i = desc[q];
      if (status[i] !== 1) continue;
      const below = tree.prefix(rank[i] - 1);
      const atOrBelow = tree.prefix(rank[i]);
      const same = atOrBelow - below;
      const above = totalIn - atOrBelow;
      // Event i is earlier: concordant with later subjects of lower risk.
      conc += w[i] * below;
      disc += w[i] * above;
      tiedX += w[i] * same;
      ci[i] += below;
      di[i] += above;
      ti[i] += same;
      // Tied event times (each unordered pair once).
      for (let q2 = q + 1; q2 < e; q2++) {
        const j = desc[q2];
        if (status[j] !== 1) continue;
        if (risk[i] === risk[j]) tiedXY += w[i] * w[j];
        else tiedY += w[i] * w[j];
      }
    }
    for (let q = r; q < e; q++) {
      const i = desc[q];
      if (status[i] === 1) {
        tree.add(rank[i], w[i]);
        totalIn += w[i];
      }
    }
    r = e;
  }

  // Sweep 2, from the shortest time up: each subject's role as the later member. The events
  // strictly earlier are in the tree; events at the same time pair only with the censored.
  const asc = desc.slice().reverse();
  const evTree = new Fenwick(R);
  let evIn = 0;
  r = 0;
  while (r < n) {
    const t = time[asc[r]];
    let e = r;
    while (e < n && time[asc[e]] === t) e++;
    // Events at t are earlier than the censored subjects at t, so they enter first.
    for (let q = r; q < e; q++) {
      const i = asc[q];
      if (status[i] === 1) {
        evTree.add(rank[i], w[i]);
        evIn += w[i];
      }
    }
    for (let q = r; q < e; q++) {
      const j = asc[q];
      let below = evTree.prefix(rank[j] - 1);
      let atOrBelow = evTree.prefix(rank[j]);
      let total = evIn;
      if (status[j] === 1) {
        // Events at the same time are tied.y with j, not earlier: take them out again.
        for (let q2 = r; q2 < e; q2++) {
          const i = asc[q2];
          if (status[i] !== 1) continue;
          total -= w[i];
          if (rank[i] < rank[j]) {
            below -= w[i];
            atOrBelow -= w[i];
          } else if (rank[i] === rank[j]) atOrBelow -= w[i];
        }
      }
      const same = atOrBelow - below;
      const above = total - atOrBelow;
      // j is the later member: concordant when the earlier event has the higher risk.
      ci[j] += above;
      di[j] += below;
      ti[j] += same;
    }
    r = e;
  }

  const npair = conc + disc + tiedX;
  if (!(npair > 0)) {
    return { concordance: NaN, concordant: conc, discordant: disc, tiedRisk: tiedX, tiedTime: tiedY, tiedBoth: tiedXY, comparable: npair, variance: NaN, stdErr: NaN };
  }
  const somer = (conc - disc) / npair;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const dfb = w[i] * ((ci[i] - di[i]) / npair - (somer / npair) * (ci[i] + di[i] + ti[i]));
    v += dfb * dfb;
  }
  const variance = v / 4;
  return {
    concordance: (somer + 1) / 2,
    concordant: conc,
    discordant: disc,
    tiedRisk: tiedX,
    tiedTime: tiedY,
    tiedBoth: tiedXY,
    comparable: npair,
    variance,
    stdErr: Math.sqrt(variance),
  };
}
