/**
 * Seeded pseudo-random numbers for the demo cohort generator.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018, "Scrambled linear pseudorandom number
 * generators"), 128-bit state, 32-bit output. It is chosen because it needs only 32-bit integer
 * operations (Math.imul, shifts), which V8 runs without allocation, and passes BigCrush.
 * State words come from splitmix32-style mixing of a hash of (seed, stream labels...), so every
 * part of the model (a subject's table row, its anatomy, its tumour, its noise) reads its own
 * independent stream: changing how many numbers one part draws never shifts another part, and
 * the first N rows of a large table equal the table of an N-subject cohort.
 *
 * Normal deviates: the ziggurat method (Marsaglia & Tsang 2000, J Stat Softw 5:8) with 128
 * layers. Following Doornik (2005, "An improved ziggurat method to generate normal random
 * samples"), the layer index and the abscissa come from disjoint bits of the 32-bit output
 * (7 bits for the layer, the remaining 25 bits, signed, for the abscissa), which removes the
 * correlation of the original code between the layer and the value.
 */

/** 32-bit finaliser of MurmurHash3: an avalanche mix of one word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Fold one 32-bit word into a running hash (MurmurHash3 body step). */
function mixWord(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) >>> 0;
}

/** Hash a seed and labels (integers or strings) to one 32-bit word. */
export function hashLabels(parts: readonly (number | string)[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    if (typeof p === 'number') {
      // Integers up to 2^53 contribute both halves; non-integers are not meaningful labels.
      const lo = p >>> 0;
      const hi = Math.floor(p / 4294967296) >>> 0;
      h = mixWord(mixWord(mixWord(h, 1), lo), hi);
    } else {
      h = mixWord(mixWord(h, 2), p.length);
      for (let i = 0; i < p.length; i++) h = mixWord(h, p.charCodeAt(i));
    }
  }
  return fmix32(h);
}

// Ziggurat tables (Marsaglia & Tsang 2000), abscissa scaled to a 24-bit magnitude.
const ZIG_LAYERS = 128;
const ZIG_R = 3.442619855899; // start of the tail for 128 layers
const ZIG_V = 9.91256303526217e-3; // area of each layer
const ZIG_SCALE = 16777216; // 2^24: the magnitude range of the 25-bit signed abscissa
const zigK = new Int32Array(ZIG_LAYERS);
const zigW = new Float64Array(ZIG_LAYERS);
const zigF = new Float64Array(ZIG_LAYERS);
(function buildZiggurat() {
  let dn = ZIG_R;
  let tn = dn;
  const q = ZIG_V / Math.exp(-0.5 * dn * dn);
  zigK[0] = Math.floor((dn / q) * ZIG_SCALE);
  zigK[1] = 0;
  zigW[0] = q / ZIG_SCALE;
  zigW[ZIG_LAYERS - 1] = dn / ZIG_SCALE;
  zigF[0] = 1;
  zigF[ZIG_LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZIG_LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZIG_V / dn + Math.exp(-0.5 * dn * dn)));
    zigK[i + 1] = Math.floor((dn / tn) * ZIG_SCALE);
    tn = dn;
    zigF[i] = Math.exp(-0.5 * dn * dn);
    zigW[i] = dn / ZIG_SCALE;
  }
})();

const TWO_POW_M32 = 1 / 4294967296;

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Scratch for fillNormal: positions and outputs that missed the ziggurat's rectangles. */
  private missIndex = new Int32Array(0);
  private missOutput = new Int32Array(0);

  /** A generator whose state is derived from the hash of `parts` (seed first, then labels). */
  constructor(...parts: (number | string)[]) {
    // splitmix32 expansion of the hash into four state words (never all zero).
    let x = hashLabels(parts);
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with exactly this state (known-answer tests of the reference algorithm). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.map((w) => w | 0);
    if ((r.s0 | r.s1 | r.s2 | r.s3) === 0) r.s0 = 1;
    return r;
  }

  /** Next 32-bit output as an unsigned integer (xoshiro128**). */
  nextU32(): number {
    const s1 = this.s1;
    const r = Math.imul(s1, 5);
    const result = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /** Uniform on [0, 1) with 32-bit resolution. */
  uniform(): number {
    return this.nextU32() * TWO_POW_M32;
  }

  /** Uniform on the open interval (0, 1): safe under a logarithm. */
  uniformOpen(): number {
    return (this.nextU32() + 0.5) * TWO_POW_M32;
  }

  /** Uniform on [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Index i with probability weights[i] / sum(weights). */
  categorical(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let u = this.uniform() * total;
    for (let i = 0; i < weights.length - 1; i++) {
      u -= weights[i];
      if (u < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal deviate (ziggurat). */
  normal(): number {
    const u = this.nextU32() | 0;
    const iz = u & (ZIG_LAYERS - 1);
    const hz = u >> 7; // signed 25-bit abscissa from the bits the layer did not use
    if ((hz < 0 ? -hz : hz) < zigK[iz]) return hz * zigW[iz];
    return this.normalSlow(u);
  }

  /**
   * Fill out[0..n) with standard normal deviates, for bulk noise. The generator state stays in
   * locals and the ziggurat's rectangle test (about 99% of draws) is inlined; the outputs that
   * miss it are finished after the pass, drawing their extra numbers from the stream then. So
   * the values are a deterministic function of the state, but not those of n calls of normal().
   */
  fillNormal(out: Float64Array, n: number): void {
    if (this.missIndex.length < n) {
      this.missIndex = new Int32Array(n);
      this.missOutput = new Int32Array(n);
    }
    const missIndex = this.missIndex;
    const missOutput = this.missOutput;
    let misses = 0;
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = 0; i < n; i++) {
      const r = Math.imul(s1, 5);
      const u = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = u & (ZIG_LAYERS - 1);
      const hz = u >> 7;
      if ((hz < 0 ? -hz : hz) < zigK[iz]) {
        out[i] = hz * zigW[iz];
      } else {
        missIndex[misses] = i;
        missOutput[misses++] = u;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    for (let m = 0; m < misses; m++) out[missIndex[m]] = this.normalSlow(missOutput[m]);
  }

  /** The ziggurat's rare paths for a 32-bit output u that missed the rectangle test. */
  private normalSlow(u: number): number {
    for (;;) {
      const iz = u & (ZIG_LAYERS - 1);
      const hz = u >> 7;
      if ((hz < 0 ? -hz : hz) < zigK[iz]) return hz * zigW[iz];
      const x = hz * zigW[iz];
      if (iz === 0) {
        // Tail beyond R (Marsaglia 1964): exponential proposals, accepted by a second draw.
        let xt: number;
        let yt: number;
        do {
          xt = -Math.log(this.uniformOpen()) / ZIG_R;
          yt = -Math.log(this.uniformOpen());
        } while (yt + yt < xt * xt);
        return hz > 0 ? ZIG_R + xt : -ZIG_R - xt;
      }
      // Wedge: accept under the density, otherwise start over with a fresh output.
      if (zigF[iz] + this.uniform() * (zigF[iz - 1] - zigF[iz]) < Math.exp(-0.5 * x * x)) return x;
      u = this.nextU32() | 0;
    }
  }

  /** Normal with the given mean and standard deviation. */
  gaussian(mean: number, sd: number): number {
    return mean + sd * this.normal();
  }

  /** A uniformly distributed unit vector (normalised isotropic Gaussian). */
  unitVector(): [number, number, number] {
    for (;;) {
      const x = this.normal();
      const y = this.normal();
      const z = this.normal();
      const n = Math.hypot(x, y, z);
      if (n > 1e-9) return [x / n, y / n, z / n];
    }
  }
}

/** Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26 via erf; |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
