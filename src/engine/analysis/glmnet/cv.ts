/**
 * K-fold cross-validation of the lambda path with caller-supplied fold ids, computed as R's
 * cv.glmnet (glmnet 4.1, alignment = "lambda", grouped = TRUE):
 *
 * 1. fit the full data to get the lambda sequence;
 * 2. per fold, fit the training rows (their own default path unless `lambda` is given) and
 *    predict the held-out rows at the full-data lambdas (coefficients interpolated in lambda);
 * 3. per-observation losses averaged within folds (grouped), then a fold-weighted mean (cvm)
 *    and standard error cvsd = sqrt(weighted var over folds / (K - 1));
 *    AUC (binomial) and Harrell's C (cox) are computed per fold; the Cox deviance is the
 *    Verweij & van Houwelingen (1993) difference of full-data and training partial
 *    likelihood deviances per fold, divided by the fold's (weighted) number of events;
 * 4. lambdaMin = the largest lambda attaining the best cvm; lambda1se = the largest lambda
 *    whose cvm is within one cvsd of it.
 *
 * Folds are made elsewhere (seeded); this module never draws random numbers.
 */
import { RgsError } from '../../util/errors';
import { concordanceIndex } from '../survival/concordance';
import type { DesignMatrix, SurvivalOutcome } from '../survival/input';
import { coxLogPartialLikelihood, coxRiskSets } from './cox';
import { fitGlmnet, type GlmnetFit, type GlmnetOptions, type GlmnetResponse } from './fit';
import { coefficientsAt } from './predict';

export type CvTypeMeasure = 'deviance' | 'mse' | 'mae' | 'class' | 'auc' | 'C';

export interface CvGlmnetOptions extends GlmnetOptions {
  /** Fold of each observation, 1..K (K >= 3), as cv.glmnet's foldid. */
  foldId: Int32Array | ArrayLike<number>;
  /** Loss: gaussian mse (= deviance) / mae; binomial deviance / auc / mse / mae / class; cox deviance / C. Default deviance (mse for gaussian). */
  typeMeasure?: CvTypeMeasure;
}

export interface CvGlmnetResult {
  lambda: number[];
  /** Mean cross-validated loss (or AUC / C, where larger is better) per lambda. */
  cvm: number[];
  cvsd: number[];
  cvup: number[];
  cvlo: number[];
  /** Non-zero coefficients of the full-data fit per lambda. */
  nzero: number[];
  lambdaMin: number;
  lambda1se: number;
  indexMin: number;
  index1se: number;
  /** The measure actually used (glmnet switches AUC to deviance with < 10 observations per fold). */
  typeMeasure: CvTypeMeasure;
  fit: GlmnetFit;
  /** Out-of-fold linear predictors (n x L, row-major), glmnet's fit.preval on the link scale. */
  preval: Float64Array;
  warnings: string[];
}

function subsetRows(x: DesignMatrix, n: number, p: number, idx: number[]): number[][] | Float64Array {
  if (x instanceof Float64Array) {
    const out = new Float64Array(idx.length * p);
    idx.forEach((i, r) => out.set(x.subarray(i * p, (i + 1) * p), r * p));
    return out;
  }
  void n;
  return idx.map((i) => x[i]);
}

function subsetResponse(y: GlmnetResponse, idx: number[]): GlmnetResponse {
  if ('time' in y && 'status' in y) return { time: idx.map((i) => y.time[i]), status: idx.map((i) => y.status[i]) };
  const a = y as ArrayLike<number | boolean>;
  return idx.map((i) => a[i]) as number[] | boolean[];
}

function weightedMean(v: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  let sw = 0;
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) continue;
    s += v[i] * w[i];
    sw += w[i];
  }
  return s / sw;
}

/** Weighted AUC as concordance(y ~ prob, weights): ties in prob count 1/2. O(n log n). */
function weightedAuc(y: Float64Array, prob: Float64Array, w: Float64Array): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => prob[a] - prob[b]);
  let negBelow = 0;
  let conc = 0;
  let total = 0;
  let posTotal = 0;
  let negTotal = 0;
  for (let i = 0; i < n; i++) {
    posTotal += w[i] * y[i];
    negTotal += w[i] * (1 - y[i]);
  }
  let r = 0;
  while (r < n) {
    let e = r;
    let pos = 0;
    let neg = 0;
    while (e < n && prob[order[e]] === prob[order[r]]) {
      const i = order[e];
      pos += w[i] * y[i];
      neg += w[i] * (1 - y[i]);
      e++;
    }
    conc += pos * negBelow + 0.5 * pos * neg;
    negBelow += neg;
    r = e;
  }
  total = posTotal * negTotal;
  return conc / total;
}

/** Breslow partial-likelihood deviance 2 (lsat - loglik) of linear predictors on a subset (glmnet coxnet.deviance). */
function coxDeviance(time: Float64Array, status: Uint8Array, w: Float64Array, eta: Float64Array): number {
  const n = time.length;
  // std.weights: weights rescaled to sum to n.
  let sw = 0;
  for (let i = 0; i < n; i++) sw += w[i];
  const q = w.map((v) => (n * v) / sw);
  const rs = coxRiskSets(time, status, q);
  // Saturated log-likelihood from the weighted death counts per distinct death time.
  const byTime = new Map<number, number>();
  for (let i = 0; i < n; i++) if (status[i] === 1) byTime.set(time[i], (byTime.get(time[i]) ?? 0) + q[i]);
  let lsat = 0;
  for (const wd of byTime.values()) if (wd > 0) lsat -= wd * Math.log(wd);
  if (rs === null) return 2 * lsat;
  const dq = new Float64Array(n);
  const e = new Float64Array(n);
  const fmax = Math.log(Number.MAX_VALUE * 0.1);
  let etaMean = 0;
  for (let i = 0; i < n; i++) etaMean += q[i] * eta[i];
  etaMean /= n;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dq[i] = status[i] * q[i];
    const fi = eta[i] - etaMean;
    f[i] = fi;
    e[i] = q[i] * Math.exp(Math.abs(fi) < fmax ? fi : Math.sign(fi) * fmax);
  }
  const u = new Float64Array(rs.dk.length);
  return 2 * (lsat - coxLogPartialLikelihood(rs, dq, f, e, u));
}

/** Cross-validates the path. Throws RgsError for invalid folds or options. */
export function cvGlmnet(x: DesignMatrix, y: GlmnetResponse, options: CvGlmnetOptions): CvGlmnetResult {
  const family = options.family;
  const isSurv = 'time' in y && 'status' in y;
  const n = isSurv ? (y as SurvivalOutcome).time.length : (y as ArrayLike<number>).length;
  const foldId = Int32Array.from(options.foldId);
  if (foldId.length !== n) throw new RgsError(`cv.glmnet: ${foldId.length} fold ids for ${n} observations`, { field: 'foldId' });
  let nfolds = 0;
  for (let i = 0; i < n; i++) {
    if (!(foldId[i] >= 1)) throw new RgsError(`cv.glmnet: foldId[${i}] is ${foldId[i]}; fold ids are 1..K`, { field: 'foldId' });
    nfolds = Math.max(nfolds, foldId[i]);
  }
  if (nfolds < 3) throw new RgsError(`cv.glmnet: ${nfolds} folds; at least 3 are needed`, { field: 'foldId' });
  const folds: number[][] = Array.from({ length: nfolds }, () => []);
  for (let i = 0; i < n; i++) folds[foldId[i] - 1].push(i);
  for (let k = 0; k < nfolds; k++) if (folds[k].length === 0) throw new RgsError(`cv.glmnet: fold ${k + 1} is empty`, { field: 'foldId' });

  let type: CvTypeMeasure = options.typeMeasure ?? (family === 'gaussian' ? 'mse' : 'deviance');
  const allowed: Record<string, CvTypeMeasure[]> = {
    gaussian: ['mse', 'deviance', 'mae'],
    binomial: ['deviance', 'class', 'auc', 'mse', 'mae'],
    cox: ['deviance', 'C'],
  };
  if (!allowed[family].includes(type)) {
    throw new RgsError(`cv.glmnet: typeMeasure '${type}' is not available for family ${family} (use ${allowed[family].join(', ')})`, { field: 'typeMeasure' });
  }
  const warnings: string[] = [];
  if (n / nfolds < 3 && !(family === 'cox' || type === 'auc')) {
    // cv.glmnet then switches to ungrouped per-observation statistics; not replicated here.
    throw new RgsError(`cv.glmnet: ${n} observations in ${nfolds} folds; at least 3 per fold are needed`, { field: 'foldId' });
  }
  if (family === 'binomial' && type === 'auc' && n / nfolds < 10) {
    warnings.push('fewer than 10 observations per fold for AUC; deviance used instead (as cv.glmnet)');
    type = 'deviance';
  }

  const p = x instanceof Float64Array ? (options.p ?? x.length / n) : n > 0 ? x[0].length : 0;
  const weights = options.weights === undefined ? new Float64Array(n).fill(1) : Float64Array.from(options.weights);
  const fit = fitGlmnet(x, y, options);
  warnings.push(...fit.warnings);
  const lambda = fit.lambda;
  const L = lambda.length;

  // Out-of-fold linear predictors at the full-data lambdas.
  const preval = new Float64Array(n * L);
  const coxRaw: number[][] = [];
  const xRows = (i: number): ArrayLike<number> => (x instanceof Float64Array ? x.subarray(i * p, (i + 1) * p) : x[i]);
  for (let k = 0; k < nfolds; k++) {
    const inFold = new Uint8Array(n);
    for (const i of folds[k]) inFold[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inFold[i]) train.push(i);
    const fk = fitGlmnet(subsetRows(x, n, p, train), subsetResponse(y, train), {
      ...options,
      p,
      weights: train.map((i) => weights[i]),
      lambda: options.lambda,
    });
    warnings.push(...fk.warnings.map((m) => `fold ${k + 1}: ${m}`));
    const coefs = lambda.map((l) => coefficientsAt(fk, { lambda: l }));
    // Sparse coefficient lists: most of a lasso path has few non-zero coefficients.
    const nzIdx = coefs.map((c) => {
      const idx: number[] = [];
      for (let j = 0; j < p; j++) if (c.beta[j] !== 0) idx.push(j);
      return idx;
    });
    for (const i of folds[k]) {
      const xi = xRows(i);
      for (let l = 0; l < L; l++) {
        const c = coefs[l];
        let s = c.a0;
        for (const j of nzIdx[l]) s += xi[j] * c.beta[j];
        preval[i * L + l] = s;
      }
    }
    if (family === 'cox' && type === 'deviance') {
      // Verweij & van Houwelingen: deviance of the fold's coefficients on all data minus on the training data.
      const yy = y as SurvivalOutcome;
      const tAll = Float64Array.from(yy.time, (t, i) => t + (1 - Number(yy.status[i])) * 100 * Number.EPSILON);
      const sAll = Uint8Array.from(yy.status, (s) => Number(s));
      const tTr = Float64Array.from(train, (i) => tAll[i]);
      const sTr = Uint8Array.from(train, (i) => sAll[i]);
      const wTr = Float64Array.from(train, (i) => weights[i]);
      const row: number[] = [];
      for (let l = 0; l < L; l++) {
        const etaAll = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const xi = xRows(i);
          let s = 0;
          for (const j of nzIdx[l]) s += xi[j] * coefs[l].beta[j];
          etaAll[i] = s;
        }
        const etaTr = Float64Array.from(train, (i) => etaAll[i]);
        row.push(coxDeviance(tAll, sAll, weights, etaAll) - coxDeviance(tTr, sTr, wTr, etaTr));
      }
      coxRaw.push(row);
    }
  }

  // Per-fold values (grouped) and fold weights.
  const foldVals: number[][] = [];
  const foldW: number[] = [];
  if (family === 'cox') {
    const yy = y as SurvivalOutcome;
    for (let k = 0; k < nfolds; k++) {
      const idx = folds[k];
      if (type === 'deviance') {
        let ev = 0;
        for (const i of idx) ev += weights[i] * Number(yy.status[i]);
        foldW.push(ev);
        foldVals.push(coxRaw[k].map((v) => v / ev));
      } else {
        let sw = 0;
        for (const i of idx) sw += weights[i];
        foldW.push(sw);
        const vals: number[] = [];
        for (let l = 0; l < L; l++) {
          const c = concordanceIndex(
            { time: idx.map((i) => yy.time[i]), status: idx.map((i) => yy.status[i]) },
            idx.map((i) => preval[i * L + l]),
            { weights: idx.map((i) => weights[i]) },
          );
          vals.push(c.concordance);
        }
        foldVals.push(vals);
      }
    }
  } else {
    const yv = Float64Array.from(y as ArrayLike<number | boolean>, (v) => Number(v));
    for (let k = 0; k < nfolds; k++) {
      const idx = folds[k];
      let sw = 0;
      for (const i of idx) sw += weights[i];
      foldW.push(sw);
      const vals: number[] = [];
      for (let l = 0; l < L; l++) {
        if (type === 'auc') {
          vals.push(
            weightedAuc(
              Float64Array.from(idx, (i) => yv[i]),
              Float64Array.from(idx, (i) => 1 / (1 + Math.exp(-preval[i * L + l]))),
              Float64Array.from(idx, (i) => weights[i]),
            ),
          );
          continue;
        }
        const losses = idx.map((i) => {
          const eta = preval[i * L + l];
          const yi = yv[i];
          if (family === 'gaussian') return type === 'mae' ? Math.abs(yi - eta) : (yi - eta) ** 2;
          const pr = 1 / (1 + Math.exp(-eta));
          if (type === 'mse') return 2 * (yi - pr) ** 2;
          if (type === 'mae') return 2 * Math.abs(yi - pr);
          if (type === 'class') return yi === 1 ? (pr <= 0.5 ? 1 : 0) : pr > 0.5 ? 1 : 0;
          const pc = Math.min(Math.max(pr, 1e-5), 1 - 1e-5);
          return -2 * (yi * Math.log(pc) + (1 - yi) * Math.log(1 - pc));
        });
        vals.push(weightedMean(losses, idx.map((i) => weights[i])));
      }
      foldVals.push(vals);
    }
  }

  const cvm: number[] = [];
  const cvsd: number[] = [];
  for (let l = 0; l < L; l++) {
    const v = foldVals.map((r) => r[l]);
    const m = weightedMean(v, foldW);
    cvm.push(m);
    const dev = v.map((vi) => (vi - m) ** 2);
    cvsd.push(Math.sqrt(weightedMean(dev, foldW) / (nfolds - 1)));
  }
  const larger = type === 'auc' || type === 'C';
  const score = cvm.map((m) => (larger ? -m : m));
  let best = Infinity;
  for (const s of score) if (s < best) best = s;
  let indexMin = -1;
  for (let l = 0; l < L; l++) if (score[l] <= best && (indexMin < 0 || lambda[l] > lambda[indexMin])) indexMin = l;
  const limit = score[indexMin] + cvsd[indexMin];
  let index1se = -1;
  for (let l = 0; l < L; l++) if (score[l] <= limit && (index1se < 0 || lambda[l] > lambda[index1se])) index1se = l;
  return {
    lambda,
    cvm,
    cvsd,
    cvup: cvm.map((m, l) => m + cvsd[l]),
    cvlo: cvm.map((m, l) => m - cvsd[l]),
    nzero: fit.df,
    lambdaMin: lambda[indexMin],
    lambda1se: lambda[index1se],
    indexMin,
    index1se,
    typeMeasure: type,
    fit,
    preval,
    warnings,
  };
}
