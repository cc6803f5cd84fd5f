/**
 * Midranks: 1-based ranks with tied values sharing the mean of the ranks they span (R's
 * rank(ties.method = "average")), plus the tie-group sizes that tie corrections need.
 */

export interface Midranks {
  /** Midrank of each value, in input order. */
  readonly ranks: Float64Array;
  /** Sum over tie groups of t^3 - t (0 without ties). */
  readonly tieTerm: number;
}

export function midranks(values: ArrayLike<number>): Midranks {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  let q = 0;
  while (q < n) {
    let r = q + 1;
    while (r < n && values[order[r]] === values[order[q]]) r++;
    // Positions q … r-1 (0-based) hold ranks q+1 … r; their mean is (q + 1 + r) / 2.
    const mid = (q + 1 + r) / 2;
    for (let s = q; s < r; s++) ranks[order[s]] = mid;
    const t = r - q;
    tieTerm += t * t * t - t;
    q = r;
  }
  return { ranks, tieTerm };
}
