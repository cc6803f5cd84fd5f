/**
 * "Did you mean …?" for misspelt keys and values.
 */

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/**
 * Optimal-string-alignment Damerau-Levenshtein distance (insertions, deletions, substitutions
 * and transpositions of adjacent characters each cost 1), so `spacng`→`spacing` is 1 and
 * `sapcing`→`spacing` is 1. With `max`, any distance above it is returned as max + 1 as soon as
 * that is certain (suggestions only need distances up to 2; this runs per keystroke).
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0) return m;
  if (m === 0) return n;
  if (rowA.length <= m) {
    rowA = new Int32Array(2 * m + 2);
    rowB = new Int32Array(2 * m + 2);
    rowC = new Int32Array(2 * m + 2);
  }
  // Three rolling rows: i-2, i-1, i.
  let prev2 = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= m; j++) prev[j] = j;
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= m; j++) {
      const bj = b.charCodeAt(j - 1);
      const cost = ai === bj ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) {
        d = Math.min(d, prev2[j - 2] + 1);
      }
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    // Row minima never decrease (a row's entries are at most one above the row before's), so
    // once a whole row exceeds max, so does the distance.
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[m], max + 1);
}

const NORMALISED = new Map<string, string>();

/** `sliceWise` / `Slice-Wise` → `slice_wise`, so camelCase and kebab-case spellings are found. */
function normaliseKey(s: string): string {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();
}

/**
 * The candidate `typed` was most likely meant to be: the same after normalising case and
 * separators, else the nearest within edit distance 2, else the one it is a prefix of (or that
 * is a prefix of it). Null when nothing is close or two candidates are equally close.
 */
export function suggest(typed: string, candidates: readonly string[]): string | null {
  if (typed.length === 0 || candidates.length === 0) return null;
  const norm = normaliseKey(typed);
  // Candidates come from schemas and catalogues (a bounded set): cache their normal forms.
  const normalised = candidates.map((c) => {
    let nc = NORMALISED.get(c);
    if (nc === undefined) {
      nc = normaliseKey(c);
      NORMALISED.set(c, nc);
    }
    return nc;
  });
  for (let i = 0; i < candidates.length; i++) if (normalised[i] === norm) return candidates[i];
  // Only a clear winner is suggested: `ibsi-F` is as close to `ibsi-A` as to `ibsi-B`.
  let best: string | null = null;
  let bestDistance = 3;
  let tie = false;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i];
    // On the normal forms: case and separator differences are free.
    const d = editDistance(norm, normalised[i], 2);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      tie = false;
    } else if (d === bestDistance) tie = true;
  }
  if (best !== null) return tie ? null : best;
  if (norm.length >= 2) {
    const prefixed = candidates.filter((_, i) => normalised[i].startsWith(norm) || norm.startsWith(normalised[i]));
    if (prefixed.length === 1) return prefixed[0];
  }
  return null;
}
