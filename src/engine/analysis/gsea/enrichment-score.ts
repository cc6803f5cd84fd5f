/**
 * The GSEA enrichment score (Subramanian et al., PNAS 102:15545, 2005). Walking down the ranked
 * list (scores r_j, decreasing), the running sum rises at each gene of the set S by
 * |r_j|^p / N_R, N_R = Σ_{j∈S} |r_j|^p, and falls at each other gene by 1/(N - N_H); the ES is
 * its maximum deviation from zero (the positive maximum if it exceeds the magnitude of the
 * negative minimum, otherwise the minimum — the rule of the GSEA reference R code). p = 1 is the
 * standard weighting; p = 0 gives the Kolmogorov–Smirnov statistic.
 *
 * Because the sum only rises at hits and only falls at misses, its maximum is reached just after
 * a hit and its minimum just before one (or at the end, where it is 0). So the ES of a set of
 * N_H hits needs only the sorted hit positions: O(N_H), which is what makes thousands of
 * permutations per set cheap.
 */

export interface EnrichmentScore {
  es: number;
  /**
   * Position of the peak: for a positive ES the last hit of the leading edge, for a negative ES
   * the last position before the leading edge (the running sum's first extreme).
   */
  peak: number;
}

/**
 * ES from the ascending positions `hits` (distinct, in 0 … N-1) in a ranked list of N scores.
 * NaN when the set is empty, covers the whole list, or all its weights are 0.
 */
export function enrichmentScoreAt(scores: Float64Array, hits: ArrayLike<number>, weight = 1): EnrichmentScore {
  const n = scores.length;
  const nh = hits.length;
  if (nh === 0 || nh >= n) return { es: NaN, peak: -1 };
  let nr = 0;
  for (let t = 0; t < nh; t++) nr += weightOf(scores[hits[t]], weight);
  if (!(nr > 0)) return { es: NaN, peak: -1 };
  const missStep = 1 / (n - nh);
  let cum = 0;
  let max = 0;
  let maxAt = -1;
  let min = 0;
  let minAt = -1;
  for (let t = 0; t < nh; t++) {
    const pos = hits[t];
    // Just before this hit: t hits and pos - t misses so far.
    const before = cum / nr - (pos - t) * missStep;
    if (before < min) {
      min = before;
      minAt = pos - 1;
    }
    cum += weightOf(scores[pos], weight);
    // Just after it: t + 1 hits and pos - t misses.
    const after = cum / nr - (pos - t) * missStep;
    if (after > max) {
      max = after;
      maxAt = pos;
    }
  }
  // After the last hit the sum only falls, reaching exactly 0 at the end: no new extreme.
  return max > -min ? { es: max, peak: maxAt } : { es: min, peak: minAt };
}

function weightOf(score: number, p: number): number {
  return p === 1 ? Math.abs(score) : p === 0 ? 1 : Math.pow(Math.abs(score), p);
}

/** The whole running sum (one value after each position), for plots and checks. O(N). */
export function runningSum(scores: Float64Array, inSet: ArrayLike<boolean>, weight = 1): Float64Array {
  const n = scores.length;
  let nh = 0;
  let nr = 0;
  for (let j = 0; j < n; j++) {
    if (inSet[j]) {
      nh++;
      nr += weightOf(scores[j], weight);
    }
  }
  const out = new Float64Array(n);
  const missStep = 1 / (n - nh);
  let s = 0;
  for (let j = 0; j < n; j++) {
    s += inSet[j] ? weightOf(scores[j], weight) / nr : -missStep;
    out[j] = s;
  }
  return out;
}
