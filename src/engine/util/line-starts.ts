/** Offsets and lines of a text: the index of the line holding an offset, by binary search. */

/** The index of the last line start <= `offset` (starts ascending, starts[0] = 0). */
export function lineIndexAt(starts: ArrayLike<number>, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
