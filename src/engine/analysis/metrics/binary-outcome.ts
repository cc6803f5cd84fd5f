/**
 * Input checks shared by the binary-outcome metrics. Convention everywhere: label 1 (or true) is
 * a case / the positive class, 0 (or false) a control; a higher score means "more likely a case".
 */
import { RgsError } from '../../util/errors';

export type BinaryLabels = ArrayLike<number | boolean>;

/** Labels as 0/1 bytes; throws on anything else or a length mismatch with `scores`. */
export function binaryLabels(labels: BinaryLabels, scores: ArrayLike<number>, what: string): Uint8Array {
  if (labels.length !== scores.length) {
    throw new RgsError(`${what}: ${labels.length} labels but ${scores.length} scores`, { field: 'labels' });
  }
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y === 1 || y === true) out[i] = 1;
    else if (y !== 0 && y !== false) {
      throw new RgsError(`${what}: label of row ${i + 1} is ${String(y)}; expected 0/1 or true/false`, { field: 'labels' });
    }
    if (Number.isNaN(scores[i])) {
      throw new RgsError(`${what}: score of row ${i + 1} is missing (NaN)`, { field: 'scores' });
    }
  }
  return out;
}

/** Number of cases (label 1). */
export function countCases(y: Uint8Array): number {
  let m = 0;
  for (let i = 0; i < y.length; i++) m += y[i];
  return m;
}

/**
 * Midranks (1-based ranks, tied values sharing the mean of their ranks) of `values`, as used by
 * the Mann–Whitney statistic and by Sun & Xu's fast DeLong algorithm. O(n log n).
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Comparisons, not subtraction, so that ±Infinity scores sort correctly.
  order.sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    // Positions i..j (0-based) share ranks i+1..j+1, whose mean is (i + j)/2 + 1.
    const r = 0.5 * (i + j) + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}
