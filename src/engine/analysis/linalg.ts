/**
 * Small dense linear algebra for the statistical models (Cox Newton-Raphson, score tests).
 * Matrices are square, row-major Float64Array of size k*k with k the number of covariates
 * (tens at most), so plain O(k^3) loops are the right tool; nothing here is meant for the
 * n x p design matrices of the penalised fits.
 */

/**
 * In-place Cholesky factorisation A = L L^T of a symmetric positive (semi)definite k x k
 * matrix (row-major; only the lower triangle is read). On return the lower triangle holds L
 * and the strict upper triangle is zeroed.
 *
 * Like survival's cholesky2() (coxph), a pivot below `tolerance` times the largest diagonal
 * element marks the column as singular: its column of L is set to zero and it is reported in
 * the returned list, so callers can treat that coefficient as not estimable instead of
 * dividing by round-off.
 *
 * @returns the rank of A and the indices of the singular (dropped) columns.
 */
export function choleskyInPlace(
  a: Float64Array,
  k: number,
  tolerance = 2.220446049250313e-16 ** 0.75,
): { rank: number; singular: number[] } {
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * k + i]));
  const eps = maxDiag === 0 ? tolerance : maxDiag * tolerance;
  const singular: number[] = [];
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j];
    for (let m = 0; m < j; m++) d -= a[j * k + m] * a[j * k + m];
    if (!(d > eps)) {
      singular.push(j);
      for (let i = j; i < k; i++) a[i * k + j] = 0;
      continue;
    }
    const ljj = Math.sqrt(d);
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j];
      for (let m = 0; m < j; m++) s -= a[i * k + m] * a[j * k + m];
      a[i * k + j] = s / ljj;
    }
  }
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) a[i * k + j] = 0;
  return { rank: k - singular.length, singular };
}

/**
 * Solves L L^T x = b in place (b becomes x) with L from choleskyInPlace. Components that
 * belong to singular columns (zero diagonal in L) are set to 0, the generalised-inverse
 * convention survival uses for aliased covariates.
 */
export function choleskySolveInPlace(l: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const d = l[i * k + i];
    if (d === 0) {
      b[i] = 0;
      continue;
    }
    let s = b[i];
    for (let m = 0; m < i; m++) s -= l[i * k + m] * b[m];
    b[i] = s / d;
  }
  for (let i = k - 1; i >= 0; i--) {
    const d = l[i * k + i];
    if (d === 0) {
      b[i] = 0;
      continue;
    }
    let s = b[i];
    for (let m = i + 1; m < k; m++) s -= l[m * k + i] * b[m];
    b[i] = s / d;
  }
}

/**
 * Inverse of a symmetric positive (semi)definite matrix via Cholesky. Rows and columns of
 * singular columns are zero in the result (generalised inverse, as survival's chinv2).
 */
export function symmetricInverse(
  a: Float64Array,
  k: number,
  tolerance = 2.220446049250313e-16 ** 0.75,
): { inverse: Float64Array; rank: number; singular: number[] } {
  const l = Float64Array.from(a);
  const { rank, singular } = choleskyInPlace(l, k, tolerance);
  const inv = new Float64Array(k * k);
  const col = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    col.fill(0);
    col[j] = 1;
    choleskySolveInPlace(l, k, col);
    for (let i = 0; i < k; i++) inv[i * k + j] = col[i];
  }
  // Symmetrise against round-off so variances read from either triangle agree.
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const m = 0.5 * (inv[i * k + j] + inv[j * k + i]);
      inv[i * k + j] = m;
      inv[j * k + i] = m;
    }
  }
  return { inverse: inv, rank, singular };
}

/** Solves the symmetric positive definite system A x = b (A is not modified). */
export function solveSymmetric(a: Float64Array, k: number, b: ArrayLike<number>): Float64Array {
  const l = Float64Array.from(a);
  choleskyInPlace(l, k);
  const x = Float64Array.from(b);
  choleskySolveInPlace(l, k, x);
  return x;
}
