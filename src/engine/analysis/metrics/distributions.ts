/**
 * The distribution functions the metrics need, written for full double precision (tested to
 * 1e-10 against scipy): standard normal CDF and quantile, log-gamma, the regularised incomplete
 * gamma and beta functions, and from them Student's t and chi-square probabilities.
 */

const LOG_SQRT_PI = 0.5 * Math.log(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_ITER = 10000;

// Stirling series coefficients B_2k / (2k (2k - 1)) for k = 1 … 8 (Bernoulli numbers B2 = 1/6,
// B4 = -1/30, B6 = 1/42, B8 = -1/30, B10 = 5/66, B12 = -691/2730, B14 = 7/6, B16 = -3617/510).
const STIRLING = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/**
 * ln Γ(x) for x > 0: the Stirling series (8 terms, error below 1e-17 for x >= 15) after shifting
 * x up to 15 with Γ(x) = Γ(x + n) / (x (x + 1) … (x + n - 1)). NaN for x <= 0.
 */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  if (x === 1 || x === 2) return 0;
  // Shift up to z >= 15; the product of at most 15 factors below 15 cannot overflow.
  let z = x;
  let product = 1;
  while (z < 15) {
    product *= z;
    z += 1;
  }
  const shift = Math.log(product);
  const inv = 1 / z;
  const inv2 = inv * inv;
  let series = 0;
  for (let k = STIRLING.length - 1; k >= 0; k--) series = series * inv2 + STIRLING[k];
  series *= inv;
  return (z - 0.5) * Math.log(z) - z + LOG_SQRT_2PI + series - shift;
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b). */
function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b);
}

/**
 * The regularised lower and upper incomplete gamma functions P(a, x) and Q(a, x) = 1 - P, each
 * computed directly where it is the small one (series for P when x < a + 1, Lentz's continued
 * fraction for Q otherwise; Numerical Recipes 6.2), so tail values keep full relative precision.
 */
function incompleteGamma(a: number, x: number): { p: number; q: number } {
  if (Number.isNaN(a) || Number.isNaN(x) || a <= 0 || x < 0) return { p: NaN, q: NaN };
  if (x === 0) return { p: 0, q: 1 };
  if (x === Infinity) return { p: 1, q: 0 };
  const logPrefactor = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    let ap = a;
    for (let n = 0; n < MAX_ITER; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    const p = sum * Math.exp(logPrefactor);
    return { p, q: 1 - p };
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  const q = Math.exp(logPrefactor) * h;
  return { p: 1 - q, q };
}

/** Regularised lower incomplete gamma P(a, x). */
export function regularizedGammaP(a: number, x: number): number {
  return incompleteGamma(a, x).p;
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), accurate in the far tail. */
export function regularizedGammaQ(a: number, x: number): number {
  return incompleteGamma(a, x).q;
}

/** Lentz's continued fraction for I_x(a, b) (Numerical Recipes 6.4 `betacf`); y = 1 - x. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return h;
}

/**
 * I_x(a, b) with x and y = 1 - x both given, so callers that know 1 - x exactly (e.g. t²/(ν+t²))
 * do not lose it to cancellation. Uses the continued fraction on whichever side converges
 * (x < (a + 1)/(a + b + 2)) and the symmetry I_x(a, b) = 1 - I_y(b, a) otherwise.
 */
function incompleteBeta(x: number, y: number, a: number, b: number): { lower: number; upper: number } {
  if (x <= 0) return { lower: 0, upper: 1 };
  if (y <= 0) return { lower: 1, upper: 0 };
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * betaContinuedFraction(a, b, x)) / a;
    return { lower, upper: 1 - lower };
  }
  const upper = (Math.exp(logFront) * betaContinuedFraction(b, a, y)) / b;
  return { lower: 1 - upper, upper };
}

/** The regularised incomplete beta function I_x(a, b); NaN outside x ∈ [0, 1], a, b > 0. */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1 && a > 0 && b > 0)) return NaN;
  return incompleteBeta(x, 1 - x, a, b).lower;
}

/**
 * Standard normal CDF Φ(x) = erfc(-x/√2)/2 = Q(1/2, x²/2)/2 for x < 0 (and the mirror image for
 * x > 0), so both tails keep full relative precision.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === 0) return 0.5;
  const half = 0.5 * incompleteGamma(0.5, 0.5 * x * x).q;
  return x < 0 ? half : 1 - half;
}

/** Upper tail 1 - Φ(x), accurate for large x. */
export function normalSurvival(x: number): number {
  return normalCdf(-x);
}

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

// Wichura (1988), Algorithm AS 241 PPND16, Applied Statistics 37:477-484: rational
// approximations accurate to about 1e-16, in ascending powers (denominators lead with 1). The
// published 20-digit coefficients are written as the doubles they round to.
const AS241_A = [
  3.3871328727963665, 133.14166789178438, 1971.5909503065513, 13731.69376550946,
  45921.95393154987, 67265.7709270087, 33430.57558358813, 2509.0809287301227,
];
const AS241_B = [
  1, 42.31333070160091, 687.1870074920579, 5394.196021424751, 21213.794301586597,
  39307.89580009271, 28729.085735721943, 5226.495278852854,
];
const AS241_C = [
  1.4234371107496835, 4.630337846156546, 5.769497221460691, 3.6478483247632045,
  1.2704582524523684, 0.2417807251774506, 0.022723844989269184, 0.0007745450142783414,
];
const AS241_D = [
  1, 2.053191626637759, 1.6763848301838038, 0.6897673349851, 0.14810397642748008,
  0.015198666563616457, 0.0005475938084995345, 1.0507500716444169e-09,
];
const AS241_E = [
  6.657904643501103, 5.463784911164114, 1.7848265399172913, 0.29656057182850487,
  0.026532189526576124, 0.0012426609473880784, 2.7115555687434876e-05, 2.0103343992922881e-07,
];
const AS241_F = [
  1, 0.599832206555888, 0.1369298809227358, 0.014875361290850615,
  0.0007868691311456133, 1.8463183175100548e-05, 1.421511758316446e-07, 2.0442631033899397e-15,
];

function polynomial(c: readonly number[], x: number): number {
  let acc = c[c.length - 1];
  for (let k = c.length - 2; k >= 0; k--) acc = acc * x + c[k];
  return acc;
}

/**
 * Standard normal quantile Φ⁻¹(p) by AS 241 (PPND16). ±Infinity at p = 0 / 1, NaN outside
 * [0, 1]. Symmetric by construction: Φ⁻¹(1 - p) = -Φ⁻¹(p) for the same rounding of q = p - 1/2.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_A, r)) / polynomial(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(AS241_C, r) / polynomial(AS241_D, r);
  } else {
    r -= 5;
    value = polynomial(AS241_E, r) / polynomial(AS241_F, r);
  }
  return q < 0 ? -value : value;
}

/**
 * P(T <= t) for Student's t with `df` > 0 degrees of freedom (df may be fractional):
 * the tail beyond |t| is I_{ν/(ν+t²)}(ν/2, 1/2) / 2.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = 0.5 * studentTail(Math.abs(t), df);
  return t < 0 ? tail : 1 - tail;
}

/** Two-sided p-value P(|T| >= |t|) of Student's t with `df` degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return NaN;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, studentTail(Math.abs(t), df));
}

/** P(|T| >= a) for a >= 0 = I_x(ν/2, 1/2) with x = ν/(ν+a²), 1 - x = a²/(ν+a²) exactly. */
function studentTail(a: number, df: number): number {
  const denom = df + a * a;
  return incompleteBeta(df / denom, (a * a) / denom, 0.5 * df, 0.5).lower;
}

/**
 * Quantile of Student's t: safeguarded Newton iterations on the upper-tail mass (not on the CDF,
 * whose values near 1 would cost the tail its relative precision), kept inside a bracket.
 */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const target = 1 - p;
  const upperTail = (t: number): number => 0.5 * studentTail(t, df);
  let lo = 0;
  let hi = 1;
  while (upperTail(hi) > target) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = Math.max(lo, Math.min(hi, normalQuantile(p)));
  const logC = logGamma(0.5 * (df + 1)) - logGamma(0.5 * df) - 0.5 * Math.log(df) - LOG_SQRT_PI;
  for (let i = 0; i < 200; i++) {
    const f = upperTail(t) - target;
    if (f === 0) return t;
    if (f > 0) lo = t;
    else hi = t;
    const density = Math.exp(logC - 0.5 * (df + 1) * Math.log1p((t * t) / df));
    let next = t + f / density;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, Math.abs(t))) return next;
    t = next;
  }
  return t;
}

/** P(X <= x) for chi-square with k > 0 degrees of freedom: P(k/2, x/2). */
export function chiSquareCdf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x <= 0) return 0;
  return incompleteGamma(0.5 * k, 0.5 * x).p;
}

/** Upper tail P(X > x) for chi-square with k degrees of freedom (a p-value): Q(k/2, x/2). */
export function chiSquareSurvival(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x <= 0) return 1;
  return incompleteGamma(0.5 * k, 0.5 * x).q;
}
