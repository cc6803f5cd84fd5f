/**
 * Correlation filter: among features whose pairwise Pearson |r| exceeds a threshold, keep the
 * one more strongly associated with the outcome (./association.ts).
 *
 * Rule (greedy, deterministic): visit the features from the strongest association to the
 * weakest (ties: lower index first); keep a feature unless its |r| with an already kept feature
 * exceeds the threshold. So of every pair above the threshold at most one survives, and a
 * feature is only ever removed in favour of a kept, more associated one. (caret's
 * findCorrelation instead drops the member with the larger mean |r|, ignoring the outcome.)
 * A constant feature has no defined correlation and is never removed by this filter (remove it
 * with the near-zero-variance filter).
 */
import { RgsError } from '../../util/errors';
import { MatrixInput, toColumnMajor, toDenseMatrix } from '../forest/design-matrix';
import { FilterOutcome, univariateAssociation } from './association';

export interface CorrelationFilterOptions {
  /** |r| above which two features count as redundant (in (0, 1); e.g. 0.9). */
  threshold: number;
  /** Association strength per feature (larger = keep first); computed from `outcome` when absent. */
  association?: ArrayLike<number>;
  /** The outcome the association is computed from, when `association` is not given. */
  outcome?: FilterOutcome;
}

export interface CorrelationDrop {
  readonly feature: number;
  /** The kept feature it correlates with most strongly. */
  readonly keptFeature: number;
  readonly r: number;
}

export interface CorrelationFilterResult {
  /** Kept features, ascending. */
  readonly keep: number[];
  readonly drop: CorrelationDrop[];
  readonly association: Float64Array;
}

export function correlationFilter(x: MatrixInput, options: CorrelationFilterOptions): CorrelationFilterResult {
  const what = 'correlation filter';
  const { threshold } = options;
  if (!(threshold > 0 && threshold < 1)) throw new RgsError(`${what}: threshold must be in (0, 1), got ${threshold}`, { field: 'threshold' });
  const m = toDenseMatrix(x, what);
  const n = m.rows;
  const p = m.cols;
  let association: Float64Array;
  if (options.association !== undefined) {
    if (options.association.length !== p) throw new RgsError(`${what}: ${options.association.length} association values for ${p} features`, { field: 'association' });
    association = Float64Array.from(options.association);
    for (let j = 0; j < p; j++) {
      if (Number.isNaN(association[j])) throw new RgsError(`${what}: association of feature ${j} is NaN`, { field: 'association' });
    }
  } else if (options.outcome !== undefined) {
    association = univariateAssociation(m, options.outcome);
  } else {
    throw new RgsError(`${what}: give either the outcome or the association of each feature`, { field: 'outcome' });
  }
  // Centred, unit-norm columns: r(i, j) is then a dot product. Constant columns stay all-zero.
  const z = toColumnMajor(m);
  for (let j = 0; j < p; j++) {
    const col = z.subarray(j * n, (j + 1) * n);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += col[i];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) {
      col[i] -= mean;
      ss += col[i] * col[i];
    }
    const scale = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let i = 0; i < n; i++) col[i] *= scale;
  }
  const order = Array.from({ length: p }, (_, j) => j).sort((a, b) => association[b] - association[a] || a - b);
  const kept: number[] = [];
  const drop: CorrelationDrop[] = [];
  for (const j of order) {
    let worst = -1;
    let worstR = 0;
    const cj = j * n;
    for (const k of kept) {
      const ck = k * n;
      let r = 0;
      for (let i = 0; i < n; i++) r += z[cj + i] * z[ck + i];
      if (Math.abs(r) > threshold && Math.abs(r) > Math.abs(worstR)) {
        worst = k;
        worstR = r;
      }
    }
    if (worst < 0) kept.push(j);
    else drop.push({ feature: j, keptFeature: worst, r: Math.max(-1, Math.min(1, worstR)) });
  }
  return { keep: kept.slice().sort((a, b) => a - b), drop, association };
}
