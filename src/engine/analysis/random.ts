/**
 * The one seeded pseudo-random number generator of the analysis pipeline. Every random step
 * (fold assignment, bootstrap, SMOTE, permutations) takes an `Rng` or a seed, never
 * `Math.random`, so a study reproduces bit for bit from its seed on every platform.
 *
 * Generator: xoshiro128** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 2021). Its state is four 32-bit words, so it runs exactly on JavaScript's
 * 32-bit integer operations (`Math.imul`, `>>>`), with no floating point in the stream.
 * Seeding: the seed is expanded into the 128-bit state by SplitMix64 (Steele, Lea & Flood 2014),
 * as the xoshiro authors recommend, so nearby seeds (1, 2, 3 …) give unrelated streams.
 *
 * Derived quantities and the number of 32-bit draws each consumes (part of the reproducibility
 * contract: changing them changes every downstream result):
 * - `nextFloat()`: uniform on [0, 1) with 53 random bits, two draws.
 * - `nextInt(n)`: uniform on {0 … n-1}, unbiased by rejection, usually one draw.
 * - `normal()`: standard normal by the Box–Muller transform, two `nextFloat()` per pair of
 *   values; the second value of a pair is kept for the next call.
 */
import { RgsError } from '../util/errors';

const MASK64 = (1n << 64n) - 1n;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** One SplitMix64 step: returns [next state, output], both as unsigned 64-bit BigInts. */
function splitMix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}

/** The first `count` SplitMix64 outputs from `seed` (exported for its published test vector). */
export function splitMix64Outputs(seed: bigint, count: number): bigint[] {
  const out: bigint[] = [];
  let state = seed & MASK64;
  for (let i = 0; i < count; i++) {
    const [next, value] = splitMix64(state);
    state = next;
    out.push(value);
  }
  return out;
}

function rotl32(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A seed must be a non-negative safe integer (it is written into study records as a number). */
function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RgsError(`seed: ${seed} is not a non-negative integer up to 2^53 - 1`, { field: 'seed' });
  }
}

export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = NaN;

  /** A generator whose stream is fully determined by `seed` (a non-negative safe integer). */
  constructor(seed: number) {
    checkSeed(seed);
    const [a, b] = splitMix64Outputs(BigInt(seed), 2);
    this.setState([Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)]);
  }

  /** A generator started from an explicit xoshiro128** state (for the published test vectors). */
  static fromState(state: readonly [number, number, number, number]): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  private setState(state: readonly [number, number, number, number]): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w >>> 0);
    // The all-zero state is the one fixed point of xoshiro; SplitMix64 never yields two zero
    // outputs in a row, so this only guards hand-set states.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
    this.spareNormal = NaN;
  }

  /** The next raw output, an unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl32(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl32(this.s3, 11);
    return result;
  }

  /** Uniform on [0, 1), a multiple of 2^-53 (27 + 26 high bits of two draws). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / TWO_POW_53;
  }

  /** Uniform integer in [0, n), 1 <= n <= 2^32, without modulo bias (rejects the ragged top). */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(`Rng.nextInt: n = ${n} is not an integer in [1, 2^32]`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  /** A standard normal deviate (Box–Muller; 1 - u keeps the logarithm finite). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const z = this.spareNormal;
      this.spareNormal = NaN;
      return z;
    }
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Durstenfeld's Fisher–Yates, from the end) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly random permutation of 0 … n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * `k` distinct indices from 0 … n-1, uniformly, in random order (a partial Fisher–Yates over
   * the first k positions; O(n) memory).
   */
  sampleWithoutReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || k > n) {
      throw new RangeError(`Rng.sampleWithoutReplacement: cannot draw ${k} of ${n}`);
    }
    const pool = new Int32Array(n);
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const tmp = pool[i];
      pool[i] = pool[j];
      pool[j] = tmp;
    }
    return pool.slice(0, k);
  }

  /** `k` indices from 0 … n-1, independently uniform (a bootstrap draw when k = n). */
  sampleWithReplacement(n: number, k: number): Int32Array {
    if (!Number.isInteger(k) || k < 0 || (n < 1 && k > 0)) {
      throw new RangeError(`Rng.sampleWithReplacement: cannot draw ${k} of ${n}`);
    }
    const out = new Int32Array(k);
    for (let i = 0; i < k; i++) out[i] = this.nextInt(n);
    return out;
  }

  /**
   * An independent generator for a sub-task (e.g. one per outer fold), seeded from this
   * stream. Consumes two draws, so the parent stream stays reproducible.
   */
  fork(): Rng {
    const hi = this.nextUint32() & 0x1fffff;
    const lo = this.nextUint32();
    return new Rng(hi * TWO_POW_32 + lo);
  }
}

/** `seed` when it is an `Rng` already, else a new generator from it. */
export function toRng(seed: number | Rng): Rng {
  return seed instanceof Rng ? seed : new Rng(seed);
}
