/**
 * Binomial (logistic) elastic-net path, following glmnet's lognet2n (Friedman, Hastie &
 * Tibshirani 2010, section 3): an outer IRLS loop forms the quadratic approximation of the
 * log-likelihood at the current fit (working weights v_i = w_i p_i (1 - p_i), "Newton"), the
 * inner loop solves the penalised weighted least squares problem by cyclic coordinate descent
 * over the strong set, the unpenalised intercept is updated after each sweep, and a KKT check
 * over the remaining variables closes each lambda. Convergence thresholds are thresh times the
 * null deviance (per unit weight), as glmnet.
 *
 * Works on x columns centred and scaled with the normalised weights (lstandard1); w sums to 1.
 */
import { RgsError } from '../../util/errors';
import { coordinateUpdate, GLMNET_CONTROL, type PathResult, type PathSettings, pathFactor, weightedColumnSquares } from './control';

/** glmnet dev2: -sum w (y log p + (1 - y) log(1 - p)) with p clamped to [pmin, 1 - pmin]. */
function binomialDeviance(w: Float64Array, y: Float64Array, q: Float64Array): number {
  const pmin = GLMNET_CONTROL.pmin;
  const pmax = 1 - pmin;
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const pi = Math.min(Math.max(pmin, q[i]), pmax);
    s -= w[i] * (y[i] * Math.log(pi) + (1 - y[i]) * Math.log(1 - pi));
  }
  return s;
}

/**
 * @param x standardised columns, column-major.
 * @param y response in [0, 1] (proportion of "successes" per observation).
 * @param w observation weights normalised to sum 1.
 */
export function binomialPath(x: Float64Array, n: number, p: number, y: Float64Array, w: Float64Array, s: PathSettings): PathResult {
  const { alpha, ju, vp, maxit } = s;
  const pmin = GLMNET_CONTROL.pmin;
  const fmax = Math.log(1 / pmin - 1);
  const fmin = -fmax;
  const vmin = (1 + pmin) * pmin * (1 - pmin);
  const nlam = s.userLambda ? s.userLambda.length : s.nlambda;
  const alf = pathFactor(s.lambdaMinRatio, s.nlambda);
  const omb = 1 - alpha;
  const out: PathResult = { lambda: [], beta: [], a0: [], devRatio: [], nulldev: 0, npasses: 0, warnings: [] };

  let q0 = 0;
  for (let i = 0; i < n; i++) q0 += w[i] * y[i];
  // glmnet jerr 8001/9001: the weighted share of one class is (almost) zero.
  if (q0 <= pmin || q0 >= 1 - pmin) throw new RgsError('glmnet (binomial): the response has (almost) a single class', { field: 'y' });
  const b = new Float64Array(p);
  const bs = new Float64Array(p);
  let b0 = Math.log(q0 / (1 - q0));
  let bs0 = 0;
  const xv = new Float64Array(p);
  const ga = new Float64Array(p);
  const strong = new Uint8Array(p);
  const active = new Uint8Array(p);
  const ia: number[] = [];
  const r = new Float64Array(n);
  const v = new Float64Array(n);
  const q = new Float64Array(n);
  const eta = new Float64Array(n);
  const vi = q0 * (1 - q0);
  for (let i = 0; i < n; i++) {
    v[i] = vi * w[i];
    r[i] = w[i] * (y[i] - q0);
    q[i] = q0;
  }
  let xmz = vi;
  const dev1 = -(b0 * q0 + Math.log(1 - q0));
  let dev0 = dev1;
  for (let i = 0; i < n; i++) {
    if (y[i] > 0) dev0 += w[i] * y[i] * Math.log(y[i]);
    if (y[i] < 1) dev0 += w[i] * (1 - y[i]) * Math.log(1 - y[i]);
  }
  const shr = s.thr * dev0;
  const dotR = (k: number): number => {
    let sdot = 0;
    const off = k * n;
    for (let i = 0; i < n; i++) sdot += r[i] * x[off + i];
    return sdot;
  };
  for (let j = 0; j < p; j++) if (ju[j]) ga[j] = Math.abs(dotR(j));
  let nlp = 0;
  let al = 0;
  let prevDev = 0;

  // One coordinate update of variable k; returns xv_k * delta^2.
  const update = (k: number, al1: number, al2: number): number => {
    const bk = b[k];
    const gk = dotR(k);
    const u = gk + xv[k] * bk;
    const nb = coordinateUpdate(u, xv[k], vp[k], al1, al2);
    const d = nb - bk;
    if (d === 0) return -1;
    b[k] = nb;
    const off = k * n;
    for (let i = 0; i < n; i++) r[i] -= d * v[i] * x[off + i];
    return xv[k] * d * d;
  };
  const updateIntercept = (): number => {
    let sr = 0;
    for (let i = 0; i < n; i++) sr += r[i];
    const d = sr / xmz;
    if (d === 0) return 0;
    b0 += d;
    for (let i = 0; i < n; i++) r[i] -= d * v[i];
    return xmz * d * d;
  };

  let stopped = false;
  for (let m = 0; m < nlam && !stopped; m++) {
    let al0 = al;
    if (s.userLambda) al = s.userLambda[m];
    else if (m > 1) al *= alf;
    else if (m === 0) al = GLMNET_CONTROL.big;
    else {
      al0 = 0;
      for (let j = 0; j < p; j++) if (ju[j] && vp[j] > 0) al0 = Math.max(al0, ga[j] / vp[j]);
      al0 /= Math.max(alpha, 1e-3);
      al = alf * al0;
    }
    const al2 = al * omb;
    const al1 = al * alpha;
    const tlam = alpha * (2 * al - al0);
    for (let k = 0; k < p; k++) if (!strong[k] && ju[k] && ga[k] > tlam * vp[k]) strong[k] = 1;

    irls: for (;;) {
      bs0 = b0;
      for (const k of ia) bs[k] = b[k];
      weightedColumnSquares(x, n, v, strong, xv);
      // Penalised weighted least squares: full sweep, then active-set sweeps until converged.
      for (;;) {
        nlp++;
        let dlx = 0;
        for (let k = 0; k < p; k++) {
          if (!strong[k]) continue;
          const d2 = update(k, al1, al2);
          if (d2 < 0) continue;
          if (d2 > dlx) dlx = d2;
          if (!active[k]) {
            active[k] = 1;
            ia.push(k);
          }
        }
        const di = updateIntercept();
        if (di > dlx) dlx = di;
        if (dlx < shr) break;
        if (nlp > maxit) {
          out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
          out.npasses = nlp;
          out.nulldev = dev0;
          return out;
        }
        for (;;) {
          nlp++;
          let dl2 = 0;
          for (let l = 0; l < ia.length; l++) {
            const d2 = update(ia[l], al1, al2);
            if (d2 > dl2) dl2 = d2;
          }
          const d0 = updateIntercept();
          if (d0 > dl2) dl2 = d0;
          if (dl2 < shr) break;
          if (nlp > maxit) {
            out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
            out.npasses = nlp;
            out.nulldev = dev0;
            return out;
          }
        }
      }
      // New quadratic approximation at the updated fit.
      eta.fill(b0);
      for (let l = 0; l < ia.length; l++) {
        const k = ia[l];
        const bk = b[k];
        if (bk === 0) continue;
        const off = k * n;
        for (let i = 0; i < n; i++) eta[i] += bk * x[off + i];
      }
      for (let i = 0; i < n; i++) {
        const fi = eta[i];
        q[i] = fi < fmin ? 0 : fi > fmax ? 1 : 1 / (1 + Math.exp(-fi));
      }
      xmz = 0;
      for (let i = 0; i < n; i++) {
        v[i] = w[i] * q[i] * (1 - q[i]);
        xmz += v[i];
      }
      if (xmz <= vmin) {
        stopped = true;
        break irls;
      }
      for (let i = 0; i < n; i++) r[i] = w[i] * (y[i] - q[i]);
      const dd0 = b0 - bs0;
      if (xmz * dd0 * dd0 < shr) {
        let moved = false;
        for (const k of ia) {
          const d = b[k] - bs[k];
          if (xv[k] * d * d >= shr) {
            moved = true;
            break;
          }
        }
        if (!moved) {
          let violated = false;
          for (let k = 0; k < p; k++) {
            if (strong[k] || !ju[k]) continue;
            ga[k] = Math.abs(dotR(k));
            if (ga[k] > al1 * vp[k]) {
              strong[k] = 1;
              violated = true;
            }
          }
          if (!violated) break irls;
        }
      }
      if (nlp > maxit) {
        out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
        out.npasses = nlp;
        out.nulldev = dev0;
        return out;
      }
    }
    out.lambda.push(al);
    out.beta.push(Float64Array.from(b));
    out.a0.push(b0);
    const dev = (dev1 - binomialDeviance(w, y, q)) / dev0;
    out.devRatio.push(dev);
    if (stopped) {
      out.warnings.push('fitted probabilities numerically 0 or 1 (complete separation); path stopped early');
      break;
    }
    const mnl = Math.min(GLMNET_CONTROL.mnlam, nlam);
    if (m + 1 >= mnl && !s.userLambda) {
      if (dev > GLMNET_CONTROL.devmax || dev - prevDev < GLMNET_CONTROL.fdev) break;
    }
    prevDev = dev;
  }
  out.npasses = nlp;
  out.nulldev = dev0;
  return out;
}
