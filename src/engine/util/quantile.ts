/**
 * Percentiles as the IBSI reference implementations compute them (IBSI 3.3 / 3.4: the reference
 * values were produced with numpy's default `percentile`, i.e. linear interpolation between the
 * order statistics at the virtual rank h = (n - 1) q / 100, 0-based).
 */

/**
 * The q-th percentile of a histogram: `counts[b]` voxels have value `values[b]`, values ascending
 * in b over [first, last]. The same as numpy's percentile of the expanded voxel list, without
 * expanding it. NaN when the histogram is empty.
 */
export function percentileOfHistogram(
  counts: ArrayLike<number>,
  values: ArrayLike<number>,
  first: number,
  last: number,
  q: number,
): number {
  let n = 0;
  for (let b = first; b <= last; b++) n += counts[b];
  if (n === 0) return NaN;
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const a = valueAtRank(counts, values, first, last, lo);
  if (lo >= n - 1) return a;
  const t = h - lo;
  if (t === 0) return a;
  return interpolate(a, valueAtRank(counts, values, first, last, lo + 1), t);
}

/** The value of the voxel at 0-based rank `rank` in ascending order. */
function valueAtRank(counts: ArrayLike<number>, values: ArrayLike<number>, first: number, last: number, rank: number): number {
  let seen = 0;
  for (let b = first; b <= last; b++) {
    seen += counts[b];
    if (rank < seen) return values[b];
  }
  return values[last];
}

/** numpy's `_lerp`: the two-sided form keeps the result exact at t = 1 and monotone in t. */
function interpolate(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}
