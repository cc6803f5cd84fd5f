/**
 * Cox elastic-net path following glmnet's coxnet (Simon, Friedman, Hastie & Tibshirani 2011,
 * J Stat Softw 39(5)): Breslow partial likelihood, an outer loop forming the quadratic
 * approximation in the linear predictor with the diagonal of the Hessian as working weights
 * (glmnet's `outer`), cyclic coordinate descent over the strong set inside, a KKT check over
 * the rest, and coxnet's own path stopping (sml x 100, devmax x 0.99/0.999).
 *
 * Works on x columns centred and scaled with the normalised weights q (sum q = 1).
 */
import { RgsError } from '../../util/errors';
import { coordinateUpdate, GLMNET_CONTROL, type PathResult, type PathSettings, pathFactor, weightedColumnSquares } from './control';

/** Risk-set structure of glmnet's `groups`: subjects sorted by time, blocks ending at each death time. */
export interface CoxRiskSets {
  /** Subject indices in increasing time (deaths before censorings at equal times), after dropping those before the first death or with q <= 0. */
  jp: Int32Array;
  /** kp[k] = one past the last position (in jp) of block k; block k holds the deaths at the k-th distinct death time and everyone after them up to the next death time. */
  kp: Int32Array;
  /** Weighted number of deaths per block. */
  dk: Float64Array;
  /** First death time. */
  t0: number;
}

/**
 * Builds the risk-set blocks. The risk set at the k-th death time is blocks k..end. Returns
 * null when there are no usable events (glmnet jerr 20000/30000 territory; callers check the
 * event count first).
 */
export function coxRiskSets(time: Float64Array, status: Uint8Array, q: Float64Array): CoxRiskSets | null {
  const n = time.length;
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => q[i] > 0)
    .sort((i, j) => time[i] - time[j] || status[j] - status[i] || i - j);
  const first = order.findIndex((i) => status[i] === 1);
  if (first < 0) return null;
  const t0 = time[order[first]];
  // Drop subjects with times before the first death: they are never in a risk set with a death.
  let start = 0;
  while (start < order.length && time[order[start]] < t0) start++;
  const jp = Int32Array.from(order.slice(start));
  const nj = jp.length;
  const kp: number[] = [];
  let j = 0;
  // Block k runs from the first death at t_k up to (not including) the first death after t_k.
  while (j < nj) {
    const tk = time[jp[j]];
    let e = j + 1;
    while (e < nj && !(status[jp[e]] === 1 && time[jp[e]] > tk)) e++;
    kp.push(e);
    j = e;
  }
  const nk = kp.length;
  const dk = new Float64Array(nk);
  let b = 0;
  for (let k = 0; k < nk; k++) {
    for (let t = b; t < kp[k]; t++) {
      const i = jp[t];
      if (status[i] === 1) dk[k] += q[i];
    }
    b = kp[k];
  }
  return { jp, kp: Int32Array.from(kp), dk, t0 };
}

/** Cumulative risk sums u[k] = sum of e over blocks k..end. */
function riskSums(rs: CoxRiskSets, e: Float64Array, u: Float64Array): void {
  const { jp, kp } = rs;
  let h = 0;
  for (let k = kp.length - 1; k >= 0; k--) {
    const j1 = k > 0 ? kp[k - 1] : 0;
    for (let j = kp[k] - 1; j >= j1; j--) h += e[jp[j]];
    u[k] = h;
  }
}

/** glmnet `risk`: sum_i dq_i f_i - sum_k dk_k log u_k (weighted Breslow log partial likelihood). */
export function coxLogPartialLikelihood(rs: CoxRiskSets, dq: Float64Array, f: Float64Array, e: Float64Array, u: Float64Array): number {
  riskSums(rs, e, u);
  let s = 0;
  for (let i = 0; i < f.length; i++) s += dq[i] * f[i];
  for (let k = 0; k < rs.dk.length; k++) s -= rs.dk[k] * Math.log(u[k]);
  return s;
}

/**
 * glmnet `outer`: working weights w_i = e_i (b_i - e_i c_i) (diagonal of the Hessian in the
 * linear predictor) and residuals wr_i = dq_i - e_i b_i (the gradient), with
 * b_i = sum_{k: t_k <= y_i} dk_k / u_k and c_i = sum dk_k / u_k^2. Returns false when a
 * weight is not positive (glmnet jerr -30000: numerical error).
 */
function outer(rs: CoxRiskSets, dq: Float64Array, e: Float64Array, u: Float64Array, w: Float64Array, wr: Float64Array): boolean {
  riskSums(rs, e, u);
  const { jp, kp, dk } = rs;
  let b = 0;
  let c = 0;
  let j1 = 0;
  for (let k = 0; k < kp.length; k++) {
    b += dk[k] / u[k];
    c += dk[k] / (u[k] * u[k]);
    for (let j = j1; j < kp[k]; j++) {
      const i = jp[j];
      const wi = e[i] * (b - e[i] * c);
      if (!(wi > 0)) return false;
      w[i] = wi;
      wr[i] = dq[i] - e[i] * b;
    }
    j1 = kp[k];
  }
  return true;
}

/**
 * @param x standardised columns, column-major.
 * @param time survival times (with glmnet's tiny shift of censored times already applied by the caller).
 * @param q case weights normalised to sum 1.
 */
export function coxPath(x: Float64Array, n: number, p: number, time: Float64Array, status: Uint8Array, q: Float64Array, s: PathSettings): PathResult {
  const { alpha, ju, vp, maxit } = s;
  const sml = GLMNET_CONTROL.fdev * 100;
  // Fortran coxnet: devmax * 0.99 / 0.999 with single-precision literals.
  const devmax = (GLMNET_CONTROL.devmax * Math.fround(0.99)) / Math.fround(0.999);
  const out: PathResult = { lambda: [], beta: [], a0: [], devRatio: [], nulldev: 0, npasses: 0, warnings: [] };
  const rs = coxRiskSets(time, status, q);
  if (rs === null) throw new RgsError('glmnet (cox): no events with positive weight; the Cox model is undefined', { field: 'status' });
  const nlam = s.userLambda ? s.userLambda.length : s.nlambda;
  const alf = pathFactor(s.lambdaMinRatio, s.nlambda, true);
  const oma = 1 - alpha;
  const dq = new Float64Array(n);
  for (let i = 0; i < n; i++) dq[i] = status[i] * q[i];
  const f = new Float64Array(n);
  const e = Float64Array.from(q);
  const u = new Float64Array(rs.dk.length);
  const w = new Float64Array(n);
  const wr = new Float64Array(n);
  const r0 = coxLogPartialLikelihood(rs, dq, f, e, u);
  let sdk = 0;
  for (let k = 0; k < rs.dk.length; k++) sdk += rs.dk[k] * Math.log(rs.dk[k]);
  const rr = -(sdk + r0);
  const dev0 = rr;
  if (!outer(rs, dq, e, u, w, wr)) {
    throw new RgsError('glmnet (cox): the first event is at (or next to) the largest time, so no risk set has more than one subject; the Cox model cannot be fitted', { field: 'time' });
  }
  const fmax = Math.log(Number.MAX_VALUE * 0.1);
  const a = new Float64Array(p);
  const as = new Float64Array(p);
  const v = new Float64Array(p);
  const ga = new Float64Array(p);
  const strong = new Uint8Array(p);
  const active = new Uint8Array(p);
  const ia: number[] = [];
  const cthr = s.thr * dev0;
  const dotWr = (j: number): number => {
    let sdot = 0;
    const off = j * n;
    for (let i = 0; i < n; i++) sdot += wr[i] * x[off + i];
    return sdot;
  };
  for (let j = 0; j < p; j++) if (ju[j]) ga[j] = Math.abs(dotWr(j));
  let nlp = 0;
  let al = 0;
  const devs: number[] = [];

  const update = (j: number, sa: number, omal: number): number => {
    const uj = a[j] * v[j] + dotWr(j);
    const at = coordinateUpdate(uj, v[j], vp[j], sa, omal);
    if (at === a[j]) return -1;
    const del = at - a[j];
    a[j] = at;
    const off = j * n;
    for (let i = 0; i < n; i++) {
      const xi = x[off + i];
      wr[i] -= del * w[i] * xi;
      f[i] += del * xi;
    }
    return v[j] * del * del;
  };

  for (let m = 0; m < nlam; m++) {
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
    const sa = alpha * al;
    const omal = oma * al;
    const tlam = alpha * (2 * al - al0);
    for (let k = 0; k < p; k++) if (!strong[k] && ju[k] && ga[k] > tlam * vp[k]) strong[k] = 1;

    outerLoop: for (;;) {
      if (nlp > maxit) {
        out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
        out.npasses = nlp;
        out.nulldev = dev0;
        return out;
      }
      for (const k of ia) as[k] = a[k];
      weightedColumnSquares(x, n, w, strong, v);
      for (;;) {
        nlp++;
        let dli = 0;
        for (let j = 0; j < p; j++) {
          if (!strong[j]) continue;
          const d2 = update(j, sa, omal);
          if (d2 < 0) continue;
          if (d2 > dli) dli = d2;
          if (!active[j]) {
            active[j] = 1;
            ia.push(j);
          }
        }
        if (dli < cthr) break;
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
            const d2 = update(ia[l], sa, omal);
            if (d2 > dl2) dl2 = d2;
          }
          if (dl2 < cthr) break;
          if (nlp > maxit) {
            out.warnings.push(`convergence for lambda #${m + 1} not reached after ${maxit} passes; path truncated`);
            out.npasses = nlp;
            out.nulldev = dev0;
            return out;
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const fi = f[i];
        e[i] = q[i] * Math.exp(Math.abs(fi) < fmax ? fi : Math.sign(fi) * fmax);
      }
      if (!outer(rs, dq, e, u, w, wr)) {
        out.warnings.push(`numerical error at lambda #${m + 1}; path truncated`);
        out.npasses = nlp;
        out.nulldev = dev0;
        return out;
      }
      let moved = false;
      for (const k of ia) {
        const d = a[k] - as[k];
        if (v[k] * d * d >= cthr) {
          moved = true;
          break;
        }
      }
      if (moved) continue;
      let violated = false;
      for (let k = 0; k < p; k++) {
        if (strong[k] || !ju[k]) continue;
        ga[k] = Math.abs(dotWr(k));
        if (ga[k] > sa * vp[k]) {
          strong[k] = 1;
          violated = true;
        }
      }
      if (!violated) break outerLoop;
    }
    out.lambda.push(al);
    out.beta.push(Float64Array.from(a));
    out.a0.push(0);
    const dev = (coxLogPartialLikelihood(rs, dq, f, e, u) - r0) / rr;
    out.devRatio.push(dev);
    devs.push(dev);
    const mnl = Math.min(GLMNET_CONTROL.mnlam, nlam);
    if (m + 1 < mnl || s.userLambda) continue;
    // coxnet compares with the deviance ratio mnl - 1 points back.
    if ((dev - devs[m - mnl + 1]) / dev < sml) break;
    if (dev > devmax) break;
  }
  out.npasses = nlp;
  out.nulldev = dev0;
  return out;
}
