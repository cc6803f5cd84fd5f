/**
 * Gaussian elastic-net path by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010,
 * J Stat Softw 33(1), sections 2.1-2.6), following glmnet's elnet1 ("covariance" updates) and
 * elnet2 ("naive" updates with sequential strong rules, Tibshirani et al. 2012 JRSS-B 74:245).
 * Works on the standardised problem from standardizeGaussian: x columns centred, scaled by
 * sqrt(w) and to unit weighted variance; y centred, scaled by sqrt(w) and to unit norm, so
 * the deviance ratio equals the running R^2 ("rsq").
 *
 * Convergence per coordinate sweep: max_k xv_k * (delta beta_k)^2 < thresh, as glmnet.
 */
import { coordinateUpdate, GLMNET_CONTROL, type PathResult, type PathSettings, pathFactor } from './control';

/** Initial lambda for path point m (0-based) following glmnet's initialize_point. */
function nextLambda(m: number, prev: number, s: PathSettings, alf: number, absGradMax: () => number): { alm: number; alm0: number } {
  if (s.userLambda) return { alm: s.userLambda[m], alm0: prev };
  if (m === 0) return { alm: GLMNET_CONTROL.big, alm0: prev };
  if (m > 1) return { alm: prev * alf, alm0: prev };
  const alm0 = absGradMax() / Math.max(s.alpha, 1e-3);
  return { alm: alf * alm0, alm0 };
}

function maxScaledGradient(g: Float64Array, s: PathSettings, abs: boolean): number {
  let m = 0;
  for (let j = 0; j < g.length; j++) {
    if (!s.ju[j] || !(s.vp[j] > 0)) continue;
    const v = (abs ? Math.abs(g[j]) : g[j]) / s.vp[j];
    if (v > m) m = v;
  }
  return m;
}

function stopPath(m: number, rsq: number, rsq0: number, s: PathSettings): boolean {
  const mnl = Math.min(GLMNET_CONTROL.mnlam, s.userLambda ? s.userLambda.length : s.nlambda);
  if (m + 1 < mnl || s.userLambda) return false;
  const change = rsq === 0 ? Infinity : (rsq - rsq0) / rsq;
  return change < GLMNET_CONTROL.fdev || rsq > GLMNET_CONTROL.devmax;
}

/**
 * Covariance-update solver (glmnet elnet1): keeps g_j = x_j' r for every variable and the
 * inner products of active columns with all columns, so a sweep costs O(p) per active
 * variable instead of O(n). Chosen by glmnet when p < 500.
 *
 * @param x standardised columns, column-major (x[j*n + i]).
 * @param g x_j' y on entry (standardised); overwritten.
 * @param xv weighted column variances (1 when standardised).
 */
export function gaussianCovariancePath(x: Float64Array, n: number, p: number, g: Float64Array, xv: Float64Array, s: PathSettings): PathResult {
  const { alpha, ju, vp, thr, maxit } = s;
  const nlam = s.userLambda ? s.userLambda.length : s.nlambda;
  const alf = pathFactor(s.lambdaMinRatio, s.nlambda);
  const a = new Float64Array(p);
  const mm = new Int32Array(p).fill(-1); // position in the active list, -1 if never active
  const ia: number[] = [];
  const cols: Float64Array[] = []; // cols[l][j] = x_j' x_{ia[l]}
  const da = new Float64Array(p);
  let rsq = 0;
  let nlp = 0;
  let warm = false;
  let alm = 0;
  const out: PathResult = { lambda: [], beta: [], a0: [], devRatio: [], nulldev: 0, npasses: 0, warnings: [] };
  const omb = 1 - alpha;

  const activate = (k: number): void => {
    const c = new Float64Array(p);
    const xk = k * n;
    for (let j = 0; j < p; j++) {
      if (!ju[j]) continue;
      if (mm[j] >= 0) c[j] = cols[mm[j]][k];
      else if (j === k) c[j] = xv[j];
      else {
        let sdot = 0;
        const xj = j * n;
        for (let i = 0; i < n; i++) sdot += x[xj + i] * x[xk + i];
        c[j] = sdot;
      }
    }
    mm[k] = ia.length;
    ia.push(k);
    cols.push(c);
  };

  for (let m = 0; m < nlam; m++) {
    const next = nextLambda(m, alm, s, alf, () => maxScaledGradient(g, s, true));
    alm = next.alm;
    const dem = alm * omb;
    const ab = alm * alpha;
    const rsq0 = rsq;
    let fresh = true; // jz in glmnet: a full sweep has not yet been done at this lambda
    for (;;) {
      if (!(warm && fresh)) {
        nlp++;
        let dlx = 0;
        for (let k = 0; k < p; k++) {
          if (!ju[k]) continue;
          const ak = a[k];
          const u = g[k] + ak * xv[k];
          const ak1 = coordinateUpdate(u, xv[k], vp[k], ab, dem);
          if (ak1 === ak) continue;
          a[k] = ak1;
          if (mm[k] < 0) activate(k);
          const del = ak1 - ak;
          rsq += del * (2 * g[k] - del * xv[k]);
          const d2 = xv[k] * del * del;
          if (d2 > dlx) dlx = d2;
          const c = cols[mm[k]];
          for (let j = 0; j < p; j++) if (ju[j]) g[j] -= c[j] * del;
        }
        if (dlx < thr) break;
        if (nlp > maxit) {
          out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
          return finish(out, nlp);
        }
      }
      // Active-set iterations (glmnet label :b:).
      warm = true;
      const nin = ia.length;
      for (let l = 0; l < nin; l++) da[l] = a[ia[l]];
      for (;;) {
        nlp++;
        let dlx = 0;
        for (let l = 0; l < nin; l++) {
          const k = ia[l];
          const ak = a[k];
          const u = g[k] + ak * xv[k];
          const ak1 = coordinateUpdate(u, xv[k], vp[k], ab, dem);
          if (ak1 === ak) continue;
          a[k] = ak1;
          const del = ak1 - ak;
          rsq += del * (2 * g[k] - del * xv[k]);
          const d2 = xv[k] * del * del;
          if (d2 > dlx) dlx = d2;
          const c = cols[l];
          for (let q = 0; q < nin; q++) {
            const j = ia[q];
            g[j] -= c[j] * del;
          }
        }
        if (dlx < thr) break;
        if (nlp > maxit) {
          out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
          return finish(out, nlp);
        }
      }
      for (let l = 0; l < nin; l++) da[l] = a[ia[l]] - da[l];
      for (let j = 0; j < p; j++) {
        if (mm[j] >= 0 || !ju[j]) continue;
        let sdot = 0;
        for (let l = 0; l < nin; l++) sdot += da[l] * cols[l][j];
        g[j] -= sdot;
      }
      fresh = false;
    }
    out.lambda.push(alm);
    out.beta.push(Float64Array.from(a));
    out.a0.push(0);
    out.devRatio.push(rsq);
    if (stopPath(m, rsq, rsq0, s)) break;
  }
  return finish(out, nlp);
}

function finish(out: PathResult, nlp: number): PathResult {
  out.npasses = nlp;
  return out;
}

/**
 * Naive-update solver (glmnet elnet2): keeps the residual r and computes x_k' r per update;
 * only variables in the strong set (|x_j' r| > alpha (2 lambda - lambda_prev) vp_j) are swept,
 * with a KKT check over the rest before accepting a solution. Chosen by glmnet when p >= 500.
 *
 * @param y standardised response on entry (becomes the residual).
 */
export function gaussianNaivePath(x: Float64Array, n: number, p: number, y: Float64Array, xv: Float64Array, s: PathSettings): PathResult {
  const { alpha, ju, vp, thr, maxit } = s;
  const nlam = s.userLambda ? s.userLambda.length : s.nlambda;
  const alf = pathFactor(s.lambdaMinRatio, s.nlambda);
  const a = new Float64Array(p);
  const active = new Uint8Array(p);
  const strong = new Uint8Array(p);
  const ia: number[] = [];
  const g = new Float64Array(p); // |x_j' r| for variables outside the strong set
  const dot = (k: number): number => {
    let sdot = 0;
    const off = k * n;
    for (let i = 0; i < n; i++) sdot += y[i] * x[off + i];
    return sdot;
  };
  for (let j = 0; j < p; j++) if (ju[j]) g[j] = Math.abs(dot(j));
  let rsq = 0;
  let nlp = 0;
  let warm = false;
  let alm = 0;
  const out: PathResult = { lambda: [], beta: [], a0: [], devRatio: [], nulldev: 0, npasses: 0, warnings: [] };
  const omb = 1 - alpha;

  for (let m = 0; m < nlam; m++) {
    const next = nextLambda(m, alm, s, alf, () => maxScaledGradient(g, s, false));
    const alm0 = next.alm0;
    alm = next.alm;
    const dem = alm * omb;
    const ab = alm * alpha;
    const rsq0 = rsq;
    const tlam = alpha * (2 * alm - alm0);
    for (let k = 0; k < p; k++) if (!strong[k] && ju[k] && g[k] > tlam * vp[k]) strong[k] = 1;
    let fresh = true;
    outer: for (;;) {
      if (!(warm && fresh)) {
        // Full sweeps over the strong set until converged and the KKT check passes.
        for (;;) {
          nlp++;
          let dlx = 0;
          for (let k = 0; k < p; k++) {
            if (!strong[k]) continue;
            const gk = dot(k);
            const ak = a[k];
            const u = gk + ak * xv[k];
            const ak1 = coordinateUpdate(u, xv[k], vp[k], ab, dem);
            if (ak1 === ak) continue;
            a[k] = ak1;
            if (!active[k]) {
              active[k] = 1;
              ia.push(k);
            }
            const del = ak1 - ak;
            rsq += del * (2 * gk - del * xv[k]);
            const off = k * n;
            for (let i = 0; i < n; i++) y[i] -= del * x[off + i];
            const d2 = xv[k] * del * del;
            if (d2 > dlx) dlx = d2;
          }
          if (dlx < thr) {
            let violated = false;
            for (let k = 0; k < p; k++) {
              if (strong[k] || !ju[k]) continue;
              g[k] = Math.abs(dot(k));
              if (g[k] > ab * vp[k]) {
                strong[k] = 1;
                violated = true;
              }
            }
            if (violated) continue;
            break outer;
          }
          if (nlp > maxit) {
            out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
            out.npasses = nlp;
            return out;
          }
          break;
        }
      }
      warm = true;
      for (;;) {
        nlp++;
        let dlx = 0;
        for (let l = 0; l < ia.length; l++) {
          const k = ia[l];
          const gk = dot(k);
          const ak = a[k];
          const u = gk + ak * xv[k];
          const ak1 = coordinateUpdate(u, xv[k], vp[k], ab, dem);
          if (ak1 === ak) continue;
          a[k] = ak1;
          const del = ak1 - ak;
          rsq += del * (2 * gk - del * xv[k]);
          const off = k * n;
          for (let i = 0; i < n; i++) y[i] -= del * x[off + i];
          const d2 = xv[k] * del * del;
          if (d2 > dlx) dlx = d2;
        }
        if (dlx < thr) break;
        if (nlp > maxit) {
          out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
          out.npasses = nlp;
          return out;
        }
      }
      fresh = false;
    }
    out.lambda.push(alm);
    out.beta.push(Float64Array.from(a));
    out.a0.push(0);
    out.devRatio.push(rsq);
    if (stopPath(m, rsq, rsq0, s)) break;
  }
  out.npasses = nlp;
  return out;
}
