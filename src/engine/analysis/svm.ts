/**
 * Support vector classification (C-SVC, Cortes & Vapnik 1995) through libsvm-js 0.2.1, the
 * Emscripten build of LIBSVM 3.22 (Chang & Lin 2011) — the solver scikit-learn's SVC wraps too.
 *
 * Loading: the asm.js build (what `libsvm-js/asm` exports, assembled here from its two files).
 * It loads synchronously with `require`, embeds its memory image, and bundles with esbuild into
 * one CommonJS file. The default WASM entry loads asynchronously (a Promise) and looks for
 * libsvm.wasm next to the running script, which a bundled dist/ does not have (it is about 3x
 * faster once loaded).
 *
 * What LIBSVM does and what this module does itself:
 * - LIBSVM solves the dual problem (SMO with LIBSVM's working-set selection, shrinking, the
 *   tolerance `eps`; kernel values cached in single precision). Rows are handed over grouped
 *   by class, class 0 first, which is the order scikit-learn's SVC gives LIBSVM, so both solve
 *   exactly the same sequence of sub-problems (decision values agree to about 1e-14).
 * - The fitted model (dual coefficients y_i·alpha_i, support-vector indices, rho) is read from
 *   LIBSVM's svm_model struct in the module heap (layout of LIBSVM 3.22 on a 32-bit target,
 *   checked against the library's own accessors on every fit). The text serialisation cannot
 *   be used: it prints rho with 6 significant digits. The model is then freed, so nothing stays
 *   allocated in the module heap; predictions are computed here from the training rows.
 * - Decision value f(x) = sum_i coef_i K(x_i, x) + bias, oriented so that f > 0 means class 1
 *   (scikit-learn's decision_function convention for binary problems).
 * - Probabilities (`probability: true`) are LIBSVM's `-b 1` procedure, reimplemented so that it
 *   can be seeded: LIBSVM draws its five Platt folds with the C library's rand(), which
 *   libsvm-js does not let anyone seed (its state persists across fits in the process, so two
 *   identical fits would get different folds). Here the class-grouped rows are shuffled with the
 *   study's seeded generator in the same Fisher–Yates order LIBSVM uses, the five sub-problems
 *   are trained through LIBSVM with C = 1 and class weights C_+ and C_- exactly as
 *   svm_binary_svc_probability does, the held-out decision values are fitted with Platt's
 *   sigmoid by the Newton method with backtracking of Lin, Lin & Weng (2007). For two classes
 *   LIBSVM 3.22's svm_predict_probability returns that sigmoid (clipped to [1e-7, 1 - 1e-7])
 *   directly. Given the same fold permutation the result equals LIBSVM's own `-b 1` model.
 *   Consequence: probabilities are reproducible from the seed, but are not those of
 *   scikit-learn: another random generator draws its folds, and scikit-learn's LIBSVM fork also
 *   passes two-class probabilities through the pairwise coupling of Wu, Lin & Weng (2004)
 *   (`coupleTwoClasses`, a shift of up to about 0.005). Decision values are identical.
 *
 * Features are used as given: scale them first (the pipeline standardises in each training fold).
 */
import { RgsError } from '../util/errors';
import { Rng, toRng } from './random';
import { MatrixInput, toBinaryLabels, toDenseMatrix } from './forest/design-matrix';

export type SvmKernel = 'linear' | 'rbf';

export interface SvmOptions {
  /** Kernel: 'linear' (u·v) or 'rbf' (exp(-gamma |u - v|^2)); default 'rbf'. */
  kernel?: SvmKernel;
  /** Cost C (default 1). */
  cost?: number;
  /** RBF gamma (default 1 / number of features, LIBSVM's default). */
  gamma?: number;
  /** Stopping tolerance of the solver (LIBSVM -e, default 0.001). */
  tolerance?: number;
  /** Shrinking heuristics (LIBSVM -h, default true). */
  shrinking?: boolean;
  /** Kernel cache in MB (LIBSVM -m, default 100). */
  cacheSizeMb?: number;
  /** Per-class multipliers of C [class 0, class 1] (LIBSVM -w0, -w1; default [1, 1]). */
  classWeights?: readonly [number, number];
  /** Fit Platt probabilities by internal 5-fold cross-validation (LIBSVM -b 1; default false). */
  probability?: boolean;
  /** Seed (or generator) of the Platt folds; required when `probability` is true. */
  seed?: number | Rng;
  /**
   * The fold permutation of the class-grouped rows (class-0 rows in input order, then class-1
   * rows) used instead of a seeded shuffle: row perm[k] goes to fold floor(5k / n). Exists to
   * reproduce a LIBSVM run exactly; leave unset otherwise.
   */
  plattPermutation?: ArrayLike<number>;
}

export interface SvmModel {
  readonly kernel: SvmKernel;
  /** RBF gamma actually used (NaN for the linear kernel). */
  readonly gamma: number;
  readonly cost: number;
  /** Number of features. */
  readonly features: number;
  /** Training rows that are support vectors (0-based, in LIBSVM's model order). */
  readonly supportIndices: Int32Array;
  /** The support vectors, row-major (supportIndices.length x features). */
  readonly supportVectors: Float64Array;
  /** Dual coefficients y_i alpha_i, signed so that a positive decision value means class 1. */
  readonly coefficients: Float64Array;
  /** Intercept of the decision function (= -rho in LIBSVM's orientation towards class 1). */
  readonly bias: number;
  /**
   * Platt parameters in LIBSVM's orientation (class 0 is LIBSVM's first label): the pairwise
   * probability of class 0 is 1 / (1 + exp(probA * f0 + probB)) with f0 = -decision value.
   */
  readonly platt?: { readonly probA: number; readonly probB: number };
  /** Linear kernel only: the primal weight vector w (decision = w·x + bias). */
  readonly weights?: Float64Array;
}

// ---- libsvm-js binding ----------------------------------------------------------------------

interface LibsvmInstance {
  model: number | null;
  train(samples: ArrayLike<number>[], labels: number[]): void;
  getLabels(): number[];
  getSVIndices(): number[];
  free(): void;
}

interface LibsvmConstructor {
  new (options: Record<string, unknown>): LibsvmInstance;
  SVM_TYPES: { C_SVC: string };
  KERNEL_TYPES: { LINEAR: string; RBF: string };
}

interface LibsvmRuntime {
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
}

let binding: { SVM: LibsvmConstructor; runtime: LibsvmRuntime } | undefined;

/**
 * Loads the asm.js build on first use (about 0.3 MB of JavaScript to parse). The class is built
 * here from the Emscripten module, as libsvm-js/asm.js does, so that the heap read below is
 * the heap of the module the class trains in.
 */
function libsvm(): { SVM: LibsvmConstructor; runtime: LibsvmRuntime } {
  if (!binding) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require('libsvm-js/out/asm/libsvm') as LibsvmRuntime;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loadSVM = require('libsvm-js/src/loadSVM') as (module: LibsvmRuntime) => LibsvmConstructor;
    binding = { SVM: loadSVM(runtime), runtime };
  }
  return binding;
}

// Byte offsets in LIBSVM 3.22's struct svm_model on a 32-bit target (ints and pointers 4 bytes,
// doubles 8 bytes aligned to 8): struct svm_parameter param occupies 0 … 95, then
// nr_class, l, SV, sv_coef, rho, probA, probB, sv_indices, label, nSV, free_sv.
const OFFSET_NR_CLASS = 96;
const OFFSET_L = 100;
const OFFSET_SV_COEF = 108;
const OFFSET_RHO = 112;
const OFFSET_SV_INDICES = 124;
const OFFSET_LABEL = 128;

interface RawModel {
  /** Support-vector rows (0-based, into the rows given to LIBSVM). */
  sv: Int32Array;
  /** sv_coef in LIBSVM's orientation (positive towards label[0]). */
  coef: Float64Array;
  rho: number;
  /** LIBSVM's first label. */
  firstLabel: number;
}

interface SolverParameters {
  kernel: SvmKernel;
  gamma: number;
  tolerance: number;
  shrinking: boolean;
  cacheSizeMb: number;
}

/** Trains one C-SVC through LIBSVM and copies the model out of the heap. */
function trainLibsvm(rows: Float64Array[], labels: number[], cost: number, weight: Record<string, number>, s: SolverParameters): RawModel {
  const { SVM, runtime } = libsvm();
  const svm = new SVM({
    type: SVM.SVM_TYPES.C_SVC,
    kernel: s.kernel === 'linear' ? SVM.KERNEL_TYPES.LINEAR : SVM.KERNEL_TYPES.RBF,
    gamma: s.kernel === 'rbf' ? s.gamma : 1,
    cost,
    tolerance: s.tolerance,
    shrinking: s.shrinking,
    cacheSize: s.cacheSizeMb,
    probabilityEstimates: false,
    weight,
    quiet: true,
  });
  try {
    svm.train(rows, labels);
    const ptr = svm.model;
    if (!ptr) throw new Error('libsvm-js returned no model');
    const H32 = runtime.HEAP32;
    const HF = runtime.HEAPF64;
    const int = (offset: number): number => H32[(ptr + offset) >> 2];
    const nrClass = int(OFFSET_NR_CLASS);
    const l = int(OFFSET_L);
    const labelPtr = int(OFFSET_LABEL);
    // Cross-check the struct layout against libsvm-js's own accessors.
    const labelsApi = svm.getLabels();
    const svApi = svm.getSVIndices();
    if (nrClass !== 2 || labelsApi.length !== 2 || l !== svApi.length || H32[labelPtr >> 2] !== labelsApi[0] || H32[(labelPtr >> 2) + 1] !== labelsApi[1]) {
      throw new Error('libsvm-js: unexpected svm_model layout (is libsvm-js still 0.2.1?)');
    }
    const coefPtr = H32[int(OFFSET_SV_COEF) >> 2];
    const coef = HF.slice(coefPtr >> 3, (coefPtr >> 3) + l);
    const svPtr = int(OFFSET_SV_INDICES);
    const sv = new Int32Array(l);
    for (let k = 0; k < l; k++) {
      sv[k] = H32[(svPtr >> 2) + k] - 1;
      if (sv[k] !== svApi[k]) throw new Error('libsvm-js: support-vector indices disagree with the model struct');
    }
    const rho = HF[int(OFFSET_RHO) >> 3];
    return { sv, coef, rho, firstLabel: labelsApi[0] };
  } finally {
    svm.free();
  }
}

// ---- kernels and decision values --------------------------------------------------------------

function kernelValue(kernel: SvmKernel, gamma: number, a: Float64Array, aOff: number, b: Float64Array, bOff: number, p: number): number {
  if (kernel === 'linear') {
    let dot = 0;
    for (let j = 0; j < p; j++) dot += a[aOff + j] * b[bOff + j];
    return dot;
  }
  let d2 = 0;
  for (let j = 0; j < p; j++) {
    const d = a[aOff + j] - b[bOff + j];
    d2 += d * d;
  }
  return Math.exp(-gamma * d2);
}

/** Decision values of `data` rows (row-major, p columns) for support vectors `svRows` of `source`. */
function decisionValues(
  kernel: SvmKernel,
  gamma: number,
  source: Float64Array,
  svRows: ArrayLike<number>,
  coef: Float64Array,
  bias: number,
  data: Float64Array,
  rows: ArrayLike<number>,
  p: number,
): Float64Array {
  const out = new Float64Array(rows.length);
  for (let q = 0; q < rows.length; q++) {
    const xOff = rows[q] * p;
    let sum = 0;
    for (let k = 0; k < svRows.length; k++) sum += coef[k] * kernelValue(kernel, gamma, source, svRows[k] * p, data, xOff, p);
    out[q] = sum + bias;
  }
  return out;
}

// ---- Platt scaling ----------------------------------------------------------------------------

/**
 * Platt's sigmoid P(+1 | f) = 1 / (1 + exp(A f + B)) fitted to decision values `f` with labels
 * `positive` by Newton's method with backtracking line search on the regularised targets
 * (N+ + 1)/(N+ + 2) and 1/(N- + 2) (Lin, Lin & Weng 2007, Algorithm 1, as in LIBSVM).
 */
export function fitPlattSigmoid(f: ArrayLike<number>, positive: ArrayLike<boolean>): { probA: number; probB: number } {
  const l = f.length;
  let prior1 = 0;
  let prior0 = 0;
  for (let i = 0; i < l; i++) {
    if (positive[i]) prior1++;
    else prior0++;
  }
  const maxIter = 100;
  const minStep = 1e-10;
  const sigma = 1e-12;
  const eps = 1e-5;
  const hiTarget = (prior1 + 1) / (prior1 + 2);
  const loTarget = 1 / (prior0 + 2);
  const t = new Float64Array(l);
  for (let i = 0; i < l; i++) t[i] = positive[i] ? hiTarget : loTarget;
  // Negative log-likelihood, written to avoid overflow in exp for either sign of A f + B.
  const objective = (a: number, b: number): number => {
    let v = 0;
    for (let i = 0; i < l; i++) {
      const fApB = f[i] * a + b;
      v += fApB >= 0 ? t[i] * fApB + Math.log(1 + Math.exp(-fApB)) : (t[i] - 1) * fApB + Math.log(1 + Math.exp(fApB));
    }
    return v;
  };
  let A = 0;
  let B = Math.log((prior0 + 1) / (prior1 + 1));
  let fval = objective(A, B);
  for (let iter = 0; iter < maxIter; iter++) {
    let h11 = sigma;
    let h22 = sigma;
    let h21 = 0;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < l; i++) {
      const fApB = f[i] * A + B;
      let p: number;
      let q: number;
      if (fApB >= 0) {
        const e = Math.exp(-fApB);
        p = e / (1 + e);
        q = 1 / (1 + e);
      } else {
        const e = Math.exp(fApB);
        p = 1 / (1 + e);
        q = e / (1 + e);
      }
      const d2 = p * q;
      h11 += f[i] * f[i] * d2;
      h22 += d2;
      h21 += f[i] * d2;
      const d1 = t[i] - p;
      g1 += f[i] * d1;
      g2 += d1;
    }
    if (Math.abs(g1) < eps && Math.abs(g2) < eps) break;
    const det = h11 * h22 - h21 * h21;
    const dA = -(h22 * g1 - h21 * g2) / det;
    const dB = -(-h21 * g1 + h11 * g2) / det;
    const gd = g1 * dA + g2 * dB;
    let step = 1;
    while (step >= minStep) {
      const newA = A + step * dA;
      const newB = B + step * dB;
      const newf = objective(newA, newB);
      if (newf < fval + 0.0001 * step * gd) {
        A = newA;
        B = newB;
        fval = newf;
        break;
      }
      step /= 2;
    }
    if (step < minStep) break;
  }
  return { probA: A, probB: B };
}

/** Platt's sigmoid 1 / (1 + exp(A f + B)), evaluated without overflow. */
function sigmoid(f: number, A: number, B: number): number {
  const fApB = f * A + B;
  return fApB >= 0 ? Math.exp(-fApB) / (1 + Math.exp(-fApB)) : 1 / (1 + Math.exp(fApB));
}

/**
 * Class probabilities (p0, p1) from the pairwise probability r = P(class 0 | class 0 or 1) by
 * the second method of Wu, Lin & Weng (2004) with LIBSVM's fixed-point iteration and stopping
 * rule (max |Qp - pQp| < 0.005 / k, k = 2): what scikit-learn's SVC.predict_proba returns for
 * two classes (LIBSVM 3.22 itself returns r unchanged). The iteration stops within its
 * tolerance of the exact answer (r, 1 - r), so it moves probabilities by up to about 0.005 and
 * maps r within about 0.0025 of 1/2 to exactly 1/2. Not used by predictSvmProbability; kept
 * to reproduce scikit-learn's numbers.
 */
export function coupleTwoClasses(r: number): [number, number] {
  const s = 1 - r;
  const q00 = s * s;
  const q11 = r * r;
  const q01 = -s * r;
  const p = [0.5, 0.5];
  const Q = [
    [q00, q01],
    [q01, q11],
  ];
  const Qp = [0, 0];
  const eps = 0.005 / 2;
  for (let iter = 0; iter < 100; iter++) {
    let pQp = 0;
    for (let t = 0; t < 2; t++) {
      Qp[t] = Q[t][0] * p[0] + Q[t][1] * p[1];
      pQp += p[t] * Qp[t];
    }
    const maxError = Math.max(Math.abs(Qp[0] - pQp), Math.abs(Qp[1] - pQp));
    if (maxError < eps) break;
    for (let t = 0; t < 2; t++) {
      const diff = (-Qp[t] + pQp) / Q[t][t];
      p[t] += diff;
      pQp = (pQp + diff * (diff * Q[t][t] + 2 * Qp[t])) / (1 + diff) / (1 + diff);
      for (let j = 0; j < 2; j++) {
        Qp[j] = (Qp[j] + diff * Q[t][j]) / (1 + diff);
        p[j] /= 1 + diff;
      }
    }
  }
  return [p[0], p[1]];
}

const PLATT_FOLDS = 5;
const MIN_PROBABILITY = 1e-7;

/**
 * LIBSVM's svm_binary_svc_probability on the class-grouped problem: decision values of each
 * row from a model trained without its fold, then Platt's sigmoid on them. `plus[i]` marks
 * LIBSVM's +1 class (class 0); `perm` assigns the folds.
 */
function plattByCrossValidation(
  grouped: Float64Array[],
  plus: Uint8Array,
  cPlus: number,
  cMinus: number,
  s: SolverParameters,
  perm: Int32Array,
  p: number,
): { probA: number; probB: number } {
  const l = grouped.length;
  const dec = new Float64Array(l);
  const flat = new Float64Array(l * p);
  for (let i = 0; i < l; i++) flat.set(grouped[i], i * p);
  for (let fold = 0; fold < PLATT_FOLDS; fold++) {
    const begin = Math.floor((fold * l) / PLATT_FOLDS);
    const end = Math.floor(((fold + 1) * l) / PLATT_FOLDS);
    const subRows: number[] = [];
    for (let j = 0; j < begin; j++) subRows.push(perm[j]);
    for (let j = end; j < l; j++) subRows.push(perm[j]);
    let pCount = 0;
    let nCount = 0;
    for (const i of subRows) {
      if (plus[i]) pCount++;
      else nCount++;
    }
    const held: number[] = [];
    for (let j = begin; j < end; j++) held.push(perm[j]);
    if (pCount === 0 && nCount === 0) {
      for (const i of held) dec[i] = 0;
    } else if (nCount === 0) {
      for (const i of held) dec[i] = 1;
    } else if (pCount === 0) {
      for (const i of held) dec[i] = -1;
    } else {
      const model = trainLibsvm(
        subRows.map((i) => grouped[i]),
        subRows.map((i) => (plus[i] ? 1 : -1)),
        1,
        { '1': cPlus, '-1': cMinus },
        s,
      );
      // Orient towards +1 whichever label LIBSVM saw first.
      const sign = model.firstLabel === 1 ? 1 : -1;
      const coef = model.coef.map((c) => sign * c);
      const svSource = Int32Array.from(model.sv, (k) => subRows[k]);
      const values = decisionValues(s.kernel, s.gamma, flat, svSource, coef, -sign * model.rho, flat, held, p);
      for (let q = 0; q < held.length; q++) dec[held[q]] = values[q];
    }
  }
  const positive: boolean[] = Array.from(plus, (v) => v === 1);
  return fitPlattSigmoid(dec, positive);
}

// ---- public API -------------------------------------------------------------------------------

function checkPositive(value: number, name: string): void {
  if (!(value > 0) || !Number.isFinite(value)) throw new RgsError(`svm: ${name} must be a positive number, got ${value}`, { field: name });
}

/** Fits a binary C-SVC; `y` holds 0/1 (or booleans). */
export function fitSvm(x: MatrixInput, y: ArrayLike<number | boolean>, options: SvmOptions = {}): SvmModel {
  const what = 'svm';
  const m = toDenseMatrix(x, what);
  if (m.rows < 2 || m.cols < 1) throw new RgsError(`${what}: needs at least 2 rows and 1 feature, got ${m.rows} x ${m.cols}`, { field: 'x' });
  const labels = toBinaryLabels(y, m.rows, what);
  const p = m.cols;
  const kernel = options.kernel ?? 'rbf';
  if (kernel !== 'linear' && kernel !== 'rbf') throw new RgsError(`${what}: kernel must be 'linear' or 'rbf', got '${String(kernel)}'`, { field: 'kernel' });
  const cost = options.cost ?? 1;
  checkPositive(cost, 'cost');
  const gamma = kernel === 'rbf' ? (options.gamma ?? 1 / p) : NaN;
  if (kernel === 'rbf') checkPositive(gamma, 'gamma');
  const tolerance = options.tolerance ?? 1e-3;
  checkPositive(tolerance, 'tolerance');
  const cacheSizeMb = options.cacheSizeMb ?? 100;
  checkPositive(cacheSizeMb, 'cacheSizeMb');
  const classWeights = options.classWeights ?? [1, 1];
  checkPositive(classWeights[0], 'classWeights');
  checkPositive(classWeights[1], 'classWeights');
  const solver: SolverParameters = { kernel, gamma, tolerance, shrinking: options.shrinking ?? true, cacheSizeMb };

  // Class-grouped order (class 0 first, input order within a class), as LIBSVM groups them.
  const order: number[] = [];
  for (let i = 0; i < m.rows; i++) if (labels[i] === 0) order.push(i);
  for (let i = 0; i < m.rows; i++) if (labels[i] === 1) order.push(i);
  const grouped = order.map((i) => m.data.subarray(i * p, (i + 1) * p));
  const groupedLabels = order.map((i) => labels[i]);

  const raw = trainLibsvm(grouped, groupedLabels, cost, { '0': classWeights[0], '1': classWeights[1] }, solver);
  const sign = raw.firstLabel === 1 ? 1 : -1;
  const nSv = raw.sv.length;
  const supportIndices = Int32Array.from(raw.sv, (k) => order[k]);
  const supportVectors = new Float64Array(nSv * p);
  for (let k = 0; k < nSv; k++) supportVectors.set(m.data.subarray(supportIndices[k] * p, (supportIndices[k] + 1) * p), k * p);
  const coefficients = raw.coef.map((c) => sign * c);
  const bias = -sign * raw.rho;
  let weights: Float64Array | undefined;
  if (kernel === 'linear') {
    weights = new Float64Array(p);
    for (let k = 0; k < nSv; k++) for (let j = 0; j < p; j++) weights[j] += coefficients[k] * supportVectors[k * p + j];
  }

  let platt: { probA: number; probB: number } | undefined;
  if (options.probability) {
    const l = m.rows;
    let perm: Int32Array;
    if (options.plattPermutation !== undefined) {
      perm = Int32Array.from(options.plattPermutation);
      const seen = new Uint8Array(l);
      for (const v of perm) {
        if (!Number.isInteger(v) || v < 0 || v >= l || seen[v]) throw new RgsError(`${what}: plattPermutation is not a permutation of 0 … ${l - 1}`, { field: 'plattPermutation' });
        seen[v] = 1;
      }
      if (perm.length !== l) throw new RgsError(`${what}: plattPermutation has ${perm.length} entries for ${l} rows`, { field: 'plattPermutation' });
    } else {
      if (options.seed === undefined) throw new RgsError(`${what}: probability estimates need a seed (their cross-validation folds are random)`, { field: 'seed' });
      const rng = toRng(options.seed);
      perm = new Int32Array(l);
      for (let i = 0; i < l; i++) perm[i] = i;
      // LIBSVM's shuffle: for i = 0 … l-1, swap perm[i] with perm[i + rand() % (l - i)].
      for (let i = 0; i < l; i++) {
        const j = i + rng.nextInt(l - i);
        const tmp = perm[i];
        perm[i] = perm[j];
        perm[j] = tmp;
      }
    }
    // LIBSVM's +1 class is its first label, class 0 here; C+ and C- are the weighted costs.
    const plus = Uint8Array.from(groupedLabels, (c) => (c === 0 ? 1 : 0));
    platt = plattByCrossValidation(grouped, plus, cost * classWeights[0], cost * classWeights[1], solver, perm, p);
  }

  return { kernel, gamma, cost, features: p, supportIndices, supportVectors, coefficients, bias, platt, weights };
}

function checkPredictInput(model: SvmModel, x: MatrixInput): { data: Float64Array; rows: number } {
  const m = toDenseMatrix(x, 'svm prediction');
  if (m.rows > 0 && m.cols !== model.features) {
    throw new RgsError(`svm prediction: the data have ${m.cols} features but the model was trained on ${model.features}`, { field: 'x' });
  }
  return { data: m.data, rows: m.rows };
}

/** Decision values f(x); positive means class 1 (scikit-learn's SVC.decision_function). */
export function svmDecisionFunction(model: SvmModel, x: MatrixInput): Float64Array {
  const { data, rows } = checkPredictInput(model, x);
  const idx = new Int32Array(model.supportIndices.length);
  for (let k = 0; k < idx.length; k++) idx[k] = k;
  const all = new Int32Array(rows);
  for (let i = 0; i < rows; i++) all[i] = i;
  return decisionValues(model.kernel, model.gamma, model.supportVectors, idx, model.coefficients, model.bias, data, all, model.features);
}

/** Predicted classes: 1 where the decision value is positive (LIBSVM's and scikit-learn's predict). */
export function predictSvmClasses(model: SvmModel, x: MatrixInput): Int32Array {
  const f = svmDecisionFunction(model, x);
  return Int32Array.from(f, (v) => (v > 0 ? 1 : 0));
}

/**
 * P(class 1 | x) as LIBSVM 3.22's svm_predict_probability for two classes: 1 - r with
 * r = P(class 0) = Platt's sigmoid of the decision value oriented towards class 0, clipped to
 * [1e-7, 1 - 1e-7]. Needs a model fitted with `probability: true`.
 */
export function predictSvmProbability(model: SvmModel, x: MatrixInput): Float64Array {
  if (!model.platt) throw new RgsError('svm prediction: the model was fitted without probability: true', { field: 'probability' });
  const { probA, probB } = model.platt;
  const f = svmDecisionFunction(model, x);
  const out = new Float64Array(f.length);
  for (let i = 0; i < f.length; i++) {
    const r = Math.min(Math.max(sigmoid(-f[i], probA, probB), MIN_PROBABILITY), 1 - MIN_PROBABILITY);
    out[i] = 1 - r;
  }
  return out;
}
