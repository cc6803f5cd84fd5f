/**
 * Ellipsoids for the morphological densities: the surface-area approximation IBSI uses for the
 * approximate enclosing ellipsoid (3.1.20, RDD2) and the minimum volume enclosing ellipsoid
 * (3.1.22, BRI8), and the minimum volume enclosing ellipsoid itself (Khachiyan's algorithm).
 */
import { symmetricEigen3 } from '../../util/eigen3';

/** Terms nu = 0..ELLIPSOID_SERIES_DEGREE of the Legendre series (IBSI 3.1.20: 20). */
export const ELLIPSOID_SERIES_DEGREE = 20;

/**
 * Surface area of an ellipsoid with semi-axes a >= b >= c (any order accepted) by the IBSI
 * series (3.1.20):
 *
 *   A = 4 pi a b sum_{nu=0}^{20} (alpha beta)^nu / (1 - 4 nu^2) P_nu((alpha^2 + beta^2) / (2 alpha beta)),
 *   alpha = sqrt(1 - b^2/a^2), beta = sqrt(1 - c^2/a^2).
 *
 * The products q_nu = (alpha beta)^nu P_nu(x) are evaluated with the Legendre recurrence
 * multiplied through by (alpha beta)^(nu+1):
 *   q_{nu+1} = ((2 nu + 1) s q_nu - nu (alpha beta)^2 q_{nu-1}) / (nu + 1),  s = (alpha^2 + beta^2)/2,
 * which stays finite for spheroids (alpha or beta = 0, where x is infinite) and gives 4 pi a^2
 * for a sphere exactly. NaN when an axis is not positive.
 */
export function ellipsoidSurfaceArea(semiAxes: readonly number[]): number {
  const [a, b, c] = [...semiAxes].sort((x, y) => y - x);
  if (!(c > 0)) return NaN;
  const alpha = Math.sqrt(Math.max(0, 1 - (b * b) / (a * a)));
  const beta = Math.sqrt(Math.max(0, 1 - (c * c) / (a * a)));
  const ab = alpha * beta;
  const s = (alpha * alpha + beta * beta) / 2;
  let qPrev = 1; // q_0
  let q = s; // q_1 = (alpha beta) * x
  let sum = qPrev / 1 + q / (1 - 4);
  for (let nu = 1; nu < ELLIPSOID_SERIES_DEGREE; nu++) {
    const qNext = ((2 * nu + 1) * s * q - nu * ab * ab * qPrev) / (nu + 1);
    qPrev = q;
    q = qNext;
    const m = nu + 1;
    sum += q / (1 - 4 * m * m);
  }
  return 4 * Math.PI * a * b * sum;
}

/**
 * Semi-axis lengths (descending) of the minimum volume enclosing ellipsoid of the points, by
 * Khachiyan's algorithm with Todd-Yildirim away steps, stopping when the relative optimality
 * gap (max_i M_i / (d+1) - 1, and the same for the support points from below) is <= tolerance. Null with fewer than 4 points or when they are (numerically) coplanar.
 *
 * @param points xyz interleaved (mm); translating them does not change the result.
 */
export function minimumVolumeEnclosingEllipsoid(points: ArrayLike<number>, tolerance = 1e-10, maxIterations = 100000): [number, number, number] | null {
  const n = Math.floor(points.length / 3);
  if (n < 4) return null;
  // Centre the points (conditioning only).
  let cx = 0, cy = 0, cz = 0;
  for (let i = 0; i < n; i++) {
    cx += points[3 * i];
    cy += points[3 * i + 1];
    cz += points[3 * i + 2];
  }
  cx /= n;
  cy /= n;
  cz /= n;
  const P = new Float64Array(3 * n);
  for (let i = 0; i < n; i++) {
    P[3 * i] = points[3 * i] - cx;
    P[3 * i + 1] = points[3 * i + 1] - cy;
    P[3 * i + 2] = points[3 * i + 2] - cz;
  }
  const u = new Float64Array(n).fill(1 / n);
  const X = new Float64Array(16);
  const Xi = new Float64Array(16);
  const scratch = new Float64Array(16);
  const d = 3;
  // The points still in play: Harman-Pronzato elimination (below) drops the others for good.
  const active = new Int32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let na = n;
  const M = new Float64Array(n);
  const extremes = new Float64Array(4);
  let resum = true;
  for (let it = 0; it < maxIterations; it++) {
    // X = sum_i u_i q_i q_i^T with q_i = (p_i, 1). A step changes u by a scaling and one point's
    // weight, so X follows by the same rank-one update (below); it is summed afresh every
    // RECOMPUTE_EVERY iterations, so that rounding cannot accumulate, and after an elimination.
    if (resum || it % RECOMPUTE_EVERY === 0) sumOuterProducts(P, u, active, na, X);
    resum = false;
    if (!invert4(X, Xi, scratch)) return null;
    // Todd & Yildirim (2007): Khachiyan's increase step on the point farthest outside, or an
    // "away" step on the support point deepest inside, whichever violates optimality more.
    // Away steps make the convergence linear, so the optimum is reached to `tolerance` and the
    // result does not depend on the order or orientation of the points.
    evaluateM(P, Xi, active, na, u, M, extremes);
    const maxM = extremes[0], jUp = extremes[1], minM = extremes[2], jDown = extremes[3];
    const epsUp = maxM / (d + 1) - 1;
    const epsDown = jDown >= 0 ? 1 - minM / (d + 1) : 0;
    if (Math.max(epsUp, epsDown) <= tolerance) break;
    // Harman & Pronzato (2007, Stat. Probab. Lett. 77:90-94): with k = d + 1 parameters and the
    // current gap eps = max M / k - 1, a point with M < k (1 + eps/2 - sqrt(eps (4 + eps - 4/k)) / 2)
    // cannot support the optimal design (the MVEE), so it leaves the problem without changing
    // the optimum. The iterations then run over the few points near the ellipsoid's surface.
    const k = d + 1;
    const bound = k * (1 + epsUp / 2 - Math.sqrt(epsUp * (4 + epsUp - 4 / k)) / 2);
    let kept = 0;
    let dropped = 0;
    for (let a = 0; a < na; a++) {
      const i = active[a];
      if (M[i] < bound) {
        dropped += u[i];
        u[i] = 0;
      } else active[kept++] = i;
    }
    if (kept < na) {
      na = kept;
      if (dropped > 0) {
        // The remaining weights, renormalised, are a design again; its X is summed afresh.
        for (let a = 0; a < na; a++) u[active[a]] /= 1 - dropped;
        resum = true;
      }
      continue;
    }
    if (epsUp >= epsDown) {
      const step = (maxM - d - 1) / ((d + 1) * (maxM - 1));
      for (let a = 0; a < na; a++) u[active[a]] *= 1 - step;
      u[jUp] += step;
      rankOneUpdate(X, 1 - step, step, P, jUp);
    } else {
      const uj = u[jDown];
      const step = Math.min((d + 1 - minM) / ((d + 1) * (minM - 1)), uj / (1 - uj));
      for (let a = 0; a < na; a++) u[active[a]] *= 1 + step;
      u[jDown] -= step;
      if (u[jDown] < 1e-300) u[jDown] = 0;
      rankOneUpdate(X, 1 + step, -step, P, jDown);
    }
  }
  return semiAxesOf(P, u, n, d);
}

/**
 * M_i = q_i^T X^-1 q_i of the active points, and [max M, its point, min M over the support
 * (u > 0), its point or -1] in `extremes`. A function of its own, called once per iteration, so
 * that V8 optimises it within the first iterations of a cold process.
 */
function evaluateM(P: Float64Array, Xi: Float64Array, active: Int32Array, na: number, u: Float64Array, M: Float64Array, extremes: Float64Array): void {
  let maxM = -Infinity, jUp = 0, minM = Infinity, jDown = -1;
  for (let a = 0; a < na; a++) {
    const i = active[a];
    const q0 = P[3 * i], q1 = P[3 * i + 1], q2 = P[3 * i + 2];
    const r0 = Xi[0] * q0 + Xi[1] * q1 + Xi[2] * q2 + Xi[3];
    const r1 = Xi[4] * q0 + Xi[5] * q1 + Xi[6] * q2 + Xi[7];
    const r2 = Xi[8] * q0 + Xi[9] * q1 + Xi[10] * q2 + Xi[11];
    const r3 = Xi[12] * q0 + Xi[13] * q1 + Xi[14] * q2 + Xi[15];
    const m = q0 * r0 + q1 * r1 + q2 * r2 + r3;
    M[i] = m;
    if (m > maxM) {
      maxM = m;
      jUp = i;
    }
    if (u[i] > 0 && m < minM) {
      minM = m;
      jDown = i;
    }
  }
  extremes[0] = maxM;
  extremes[1] = jUp;
  extremes[2] = minM;
  extremes[3] = jDown;
}

/** Iterations between exact sums of X in the MVEE iteration (rank-one updates in between). */
const RECOMPUTE_EVERY = 64;

/** X = sum_i u_i q_i q_i^T over the active points, q_i = (p_i, 1), 4x4 row-major. */
function sumOuterProducts(P: Float64Array, u: Float64Array, active: Int32Array, na: number, X: Float64Array): void {
  X.fill(0);
  for (let a = 0; a < na; a++) {
    const i = active[a];
    const w = u[i];
    const q0 = P[3 * i], q1 = P[3 * i + 1], q2 = P[3 * i + 2];
    X[0] += w * q0 * q0;
    X[1] += w * q0 * q1;
    X[2] += w * q0 * q2;
    X[3] += w * q0;
    X[5] += w * q1 * q1;
    X[6] += w * q1 * q2;
    X[7] += w * q1;
    X[10] += w * q2 * q2;
    X[11] += w * q2;
    X[15] += w;
  }
  X[4] = X[1];
  X[8] = X[2];
  X[9] = X[6];
  X[12] = X[3];
  X[13] = X[7];
  X[14] = X[11];
}

/** X = a X + b q_j q_j^T, q_j = (p_j, 1). */
function rankOneUpdate(X: Float64Array, a: number, b: number, P: Float64Array, j: number): void {
  for (let r = 0; r < 4; r++) {
    const qr = r < 3 ? P[3 * j + r] : 1;
    for (let c = 0; c < 4; c++) X[4 * r + c] = a * X[4 * r + c] + b * qr * (c < 3 ? P[3 * j + c] : 1);
  }
}

/** The semi-axes of the ellipsoid of weights u (see minimumVolumeEnclosingEllipsoid). */
function semiAxesOf(P: Float64Array, u: Float64Array, n: number, d: number): [number, number, number] | null {
  // A = (1/d) (P U P^T - (P u)(P u)^T)^-1; semi-axes = 1/sqrt(eigenvalues of A), i.e.
  // sqrt(d * eigenvalues of the weighted covariance C = P U P^T - c c^T).
  let m0 = 0, m1 = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    m0 += u[i] * P[3 * i];
    m1 += u[i] * P[3 * i + 1];
    m2 += u[i] * P[3 * i + 2];
  }
  const C = new Float64Array(9);
  for (let i = 0; i < n; i++) {
    const q0 = P[3 * i] - m0, q1 = P[3 * i + 1] - m1, q2 = P[3 * i + 2] - m2, w = u[i];
    C[0] += w * q0 * q0;
    C[1] += w * q0 * q1;
    C[2] += w * q0 * q2;
    C[4] += w * q1 * q1;
    C[5] += w * q1 * q2;
    C[8] += w * q2 * q2;
  }
  const { values } = symmetricEigen3(C);
  if (!(values[2] > 0)) return null;
  return [Math.sqrt(d * values[0]), Math.sqrt(d * values[1]), Math.sqrt(d * values[2])];
}

/** Inverse of a 4x4 row-major matrix by Gauss-Jordan with partial pivoting; false if singular.
 *  `a` is scratch space (16 values), so the iteration allocates nothing. */
function invert4(m: Float64Array, out: Float64Array, a: Float64Array): boolean {
  a.set(m);
  out.fill(0);
  out[0] = out[5] = out[10] = out[15] = 1;
  for (let col = 0; col < 4; col++) {
    let piv = col;
    for (let r = col + 1; r < 4; r++) if (Math.abs(a[4 * r + col]) > Math.abs(a[4 * piv + col])) piv = r;
    const pv = a[4 * piv + col];
    if (pv === 0 || !Number.isFinite(pv)) return false;
    if (piv !== col) {
      for (let k = 0; k < 4; k++) {
        let t = a[4 * col + k];
        a[4 * col + k] = a[4 * piv + k];
        a[4 * piv + k] = t;
        t = out[4 * col + k];
        out[4 * col + k] = out[4 * piv + k];
        out[4 * piv + k] = t;
      }
    }
    const inv = 1 / pv;
    for (let k = 0; k < 4; k++) {
      a[4 * col + k] *= inv;
      out[4 * col + k] *= inv;
    }
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = a[4 * r + col];
      if (f === 0) continue;
      for (let k = 0; k < 4; k++) {
        a[4 * r + k] -= f * a[4 * col + k];
        out[4 * r + k] -= f * out[4 * col + k];
      }
    }
  }
  return true;
}
