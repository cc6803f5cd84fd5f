/**
 * Eigen decomposition of a real symmetric 3x3 matrix by cyclic Jacobi rotations: unconditionally
 * convergent, accurate for repeated and zero eigenvalues (unlike the closed-form cubic), and
 * cheap at this size.
 */

export interface SymmetricEigen3 {
  /** Eigenvalues, descending. */
  values: [number, number, number];
  /** Unit eigenvectors; vectors[i] belongs to values[i]. */
  vectors: [[number, number, number], [number, number, number], [number, number, number]];
}

/**
 * @param m row-major 3x3 matrix (9 numbers); only the upper triangle is read and it is assumed
 *   symmetric.
 */
export function symmetricEigen3(m: ArrayLike<number>): SymmetricEigen3 {
  const a = [
    [m[0], m[1], m[2]],
    [m[1], m[4], m[5]],
    [m[2], m[5], m[8]],
  ];
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ];
  for (let sweep = 0; sweep < 64; sweep++) {
    const off = a[0][1] * a[0][1] + a[0][2] * a[0][2] + a[1][2] * a[1][2];
    const scale = a[0][0] * a[0][0] + a[1][1] * a[1][1] + a[2][2] * a[2][2];
    if (off === 0 || off <= 1e-32 * scale) break;
    for (let p = 0; p < 2; p++) {
      for (let q = p + 1; q < 3; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        // Rotation angle that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition).
        const theta = (a[q][q] - a[p][p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < 3; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < 3; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 3; k++) {
          const vkp = v[k][p], vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  const values = order.map((i) => a[i][i]) as [number, number, number];
  const vectors = order.map((i) => [v[0][i], v[1][i], v[2][i]]) as SymmetricEigen3['vectors'];
  return { values, vectors };
}
