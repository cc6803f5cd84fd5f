/**
 * glmnet's internal constants (glmnet.control() defaults in glmnet 4.1) and the solver
 * outcome shared by the family solvers.
 */
export const GLMNET_CONTROL = {
  /** Path stops when the fractional change in deviance explained is below this (fdev). */
  fdev: 1e-5,
  /** Smallest allowed lambda.min.ratio (eps). */
  eps: 1e-6,
  /** Stand-in for an infinite lambda at the first path point (big). */
  big: 9.9e35,
  /** Minimum number of path points before the stopping rules apply (mnlam). */
  mnlam: 5,
  /** Path stops once this fraction of the deviance is explained (devmax). */
  devmax: 0.999,
  /** Minimum fitted probability in binomial fits (pmin). */
  pmin: 1e-9,
} as const;

/** Penalty settings a path solver reads, on the standardised scale. */
export interface PathSettings {
  alpha: number;
  /** Either user lambdas (standardised scale, decreasing) or null for glmnet's own path. */
  userLambda: Float64Array | null;
  nlambda: number;
  lambdaMinRatio: number;
  /** Convergence threshold (thresh). */
  thr: number;
  /** Maximum total passes over the data (maxit). */
  maxit: number;
  /** Penalty factors normalised to sum to the number of variables (glmnet: vq = vp * ni / sum(vp)). */
  vp: Float64Array;
  /** 1 for usable (non-constant) variables. */
  ju: Uint8Array;
}

/** What a family solver returns, on the standardised scale. */
export interface PathResult {
  /** Lambdas as used by the solver (first entry is `big` for the default path). */
  lambda: number[];
  /** Coefficients per path point on the standardised scale (length p). */
  beta: Float64Array[];
  /** Intercepts on the standardised scale (binomial; 0 for gaussian/cox where not used). */
  a0: number[];
  devRatio: number[];
  /** Null deviance in glmnet's internal units (family-specific scaling, see callers). */
  nulldev: number;
  npasses: number;
  /** Non-fatal problems (glmnet's negative jerr codes), in words. */
  warnings: string[];
}

/** Soft-threshold coordinate update shared by every family (glmnet's elnet update). */
export function coordinateUpdate(u: number, xv: number, vp: number, ab: number, dem: number): number {
  const v = Math.abs(u) - vp * ab;
  if (v <= 0) return 0;
  return (u < 0 ? -v : v) / (xv + vp * dem);
}

/**
 * glmnet's geometric path factor: lambda_k = lambda_max * alf^(k-1), alf = ratio^(1/(nlambda-1)).
 * `singlePrecisionExponent` reproduces the Fortran coxnet, where 1.0/(nlam-1) is evaluated in
 * single precision (a default-real literal); the C++ solvers (gaussian, binomial) use double.
 */
export function pathFactor(lambdaMinRatio: number, nlambda: number, singlePrecisionExponent = false): number {
  const eqs = Math.max(GLMNET_CONTROL.eps, lambdaMinRatio);
  if (nlambda <= 1) return 1;
  const exponent = singlePrecisionExponent ? Math.fround(1 / (nlambda - 1)) : 1 / (nlambda - 1);
  return eqs ** exponent;
}

/**
 * Weighted second moments of the strong-set columns, out[j] = sum_i w_i x_ij^2 (x column-major,
 * n rows): the curvature each IRLS / Cox Newton step's coordinate updates divide by.
 */
export function weightedColumnSquares(x: Float64Array, n: number, w: Float64Array, strong: Uint8Array, out: Float64Array): void {
  for (let j = 0; j < strong.length; j++) {
    if (!strong[j]) continue;
    let s = 0;
    const off = j * n;
    for (let i = 0; i < n; i++) s += w[i] * x[off + i] * x[off + i];
    out[j] = s;
  }
}
