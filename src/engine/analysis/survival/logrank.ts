/**
 * The log-rank test for k groups as R's survival::survdiff(Surv ~ group) with rho = 0
 * (Mantel 1966; Peto & Peto 1972): at each distinct event time the observed and expected
 * deaths per group under a common hazard, and the hypergeometric covariance
 *   V_gh += D (N - D) / (N - 1) * (n_g / N) * (delta_gh - n_h / N).
 * The statistic is (O - E)' V^- (O - E) over the groups with E > 0, dropping the first of
 * them (V has rank k - 1), on k - 1 degrees of freedom.
 */
import { RgsError } from '../../util/errors';
import { solveSymmetric } from '../linalg';
import { chiSquareUpperTail } from './distributions';
import { checkSurvival, type SurvivalOutcome } from './input';
import { type GroupLabel, groupLevels } from './km';

export interface LogRankResult {
  /** Group labels in R's factor order. */
  groups: GroupLabel[];
  n: number[];
  observed: number[];
  expected: number[];
  /** k x k covariance of O - E, row-major. */
  variance: Float64Array;
  chiSquare: number;
  /** Number of groups with expected deaths > 0, minus 1. */
  df: number;
  /** Upper-tail chi-square p-value; NaN (documented) when df = 0, i.e. only one group is ever at risk at an event time (chiSquare is then 0). */
  p: number;
}

/**
 * Log-rank test. Throws RgsError when it is undefined: fewer than 2 groups, or no events at
 * all (every expected count is 0).
 */
export function logRankTest(outcome: SurvivalOutcome, groups: ArrayLike<GroupLabel>): LogRankResult {
  const surv = checkSurvival(outcome, undefined, 'Log-rank test');
  const { n, time, status } = surv;
  if (groups.length !== n) throw new RgsError(`Log-rank test: ${groups.length} group labels for ${n} subjects`, { field: 'groups' });
  const levels = groupLevels(groups);
  const k = levels.length;
  if (k < 2) throw new RgsError(`Log-rank test: ${k} group; at least 2 groups are needed`, { field: 'groups' });
  const gi = new Int32Array(n);
  const levelIndex = new Map<GroupLabel, number>(levels.map((g, i) => [g, i]));
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    gi[i] = levelIndex.get(groups[i]) as number;
    counts[gi[i]]++;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => time[i] - time[j]);
  const atRisk = Float64Array.from(counts);
  const deaths = new Float64Array(k);
  const obs = new Array<number>(k).fill(0);
  const exp = new Array<number>(k).fill(0);
  const v = new Float64Array(k * k);
  let r = 0;
  let total = n;
  let anyEvent = false;
  while (r < n) {
    const t = time[order[r]];
    deaths.fill(0);
    let dTot = 0;
    let leaving = r;
    while (leaving < n && time[order[leaving]] === t) {
      const i = order[leaving];
      if (status[i] === 1) {
        deaths[gi[i]]++;
        dTot++;
      }
      leaving++;
    }
    if (dTot > 0) {
      anyEvent = true;
      for (let g = 0; g < k; g++) {
        obs[g] += deaths[g];
        exp[g] += (dTot * atRisk[g]) / total;
      }
      if (total > 1) {
        const f = (dTot * (total - dTot)) / (total - 1);
        for (let g = 0; g < k; g++) {
          const pg = atRisk[g] / total;
          for (let h = 0; h < k; h++) v[g * k + h] += f * pg * ((g === h ? 1 : 0) - atRisk[h] / total);
        }
      }
    }
    for (let q = r; q < leaving; q++) {
      atRisk[gi[order[q]]]--;
      total--;
    }
    r = leaving;
  }
  if (!anyEvent) throw new RgsError('Log-rank test: no events; the test is undefined', { field: 'status' });
  const used = [];
  for (let g = 0; g < k; g++) if (exp[g] > 0) used.push(g);
  const df = used.length - 1;
  let chi = 0;
  if (used.length >= 2) {
    const idx = used.slice(1);
    const m = idx.length;
    const vv = new Float64Array(m * m);
    const diff = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      diff[a] = obs[idx[a]] - exp[idx[a]];
      for (let b = 0; b < m; b++) vv[a * m + b] = v[idx[a] * k + idx[b]];
    }
    const sol = solveSymmetric(vv, m, diff);
    for (let a = 0; a < m; a++) chi += sol[a] * diff[a];
  }
  return { groups: levels, n: counts, observed: obs, expected: exp, variance: v, chiSquare: chi, df, p: df > 0 ? chiSquareUpperTail(chi, df) : NaN };
}
