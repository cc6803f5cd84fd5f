/**
 * The seeded generator: published test vectors, determinism, and the distributions of the
 * derived draws (fixed seeds, so these checks are deterministic, not flaky).
 */
import { describe, expect, it } from 'vitest';
import { Rng, splitMix64Outputs, toRng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

describe('generator core', () => {
  it('reproduces the SplitMix64 reference outputs from state 0', () => {
    // Vigna's splitmix64.c from x = 0: 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4.
    expect(splitMix64Outputs(0n, 2)).toEqual([0xe220a8397b1dcdafn, 0x6e789e6aa1b965f4n]);
  });

  it('reproduces xoshiro128** from the state {1, 2, 3, 4}', () => {
    // First output by hand: rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9 = 11520. After the
    // update s1 = 0, so the second is 0. The rest from a line-by-line Python transcription of
    // the reference xoshiro128starstar.c.
    const rng = Rng.fromState([1, 2, 3, 4]);
    const out = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(out).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);
  });

  it('is deterministic per seed and differs between nearby seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 20 }, () => a.nextUint32());
    expect(Array.from({ length: 20 }, () => b.nextUint32())).toEqual(sa);
    const sc = Array.from({ length: 20 }, () => c.nextUint32());
    expect(sc.filter((v, i) => v === sa[i]).length).toBe(0);
  });

  it('rejects seeds that are not non-negative safe integers', () => {
    expect(() => new Rng(-1)).toThrow(RgsError);
    expect(() => new Rng(1.5)).toThrow(RgsError);
    expect(() => new Rng(2 ** 53)).toThrow(RgsError);
    expect(() => new Rng(Number.MAX_SAFE_INTEGER)).not.toThrow();
  });

  it('toRng passes a generator through and seeds a number', () => {
    const r = new Rng(1);
    expect(toRng(r)).toBe(r);
    expect(toRng(5).nextUint32()).toBe(new Rng(5).nextUint32());
  });
});

describe('derived draws', () => {
  it('nextFloat is in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(7);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      s += u;
      s2 += u * u;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const mean = s / n;
    // Standard error of the mean sqrt(1/12/n) = 6.5e-4; 5 SE bound.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });

  it('nextInt is uniform (chi-square over 7 cells) and within range', () => {
    const rng = new Rng(11);
    const counts = new Array(7).fill(0);
    const n = 70000;
    for (let i = 0; i < n; i++) counts[rng.nextInt(7)]++;
    const expected = n / 7;
    const chi2 = counts.reduce((a, c) => a + ((c - expected) ** 2) / expected, 0);
    // 6 degrees of freedom: the 99.9 % point is 22.46.
    expect(chi2).toBeLessThan(22.46);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
  });

  it('normal() has mean 0, variance 1 and the right tail mass', () => {
    const rng = new Rng(3);
    const n = 200000;
    let s = 0;
    let s2 = 0;
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
      if (Math.abs(z) > 1.959963984540054) beyond++;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.012);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.016);
    // P(|Z| > 1.96) = 0.05; binomial SE sqrt(0.05 * 0.95 / n) = 4.9e-4.
    expect(Math.abs(beyond / n - 0.05)).toBeLessThan(2.5e-3);
  });

  it('permutation and shuffle give every ordering of 3 items about equally often', () => {
    const rng = new Rng(99);
    const counts = new Map<string, number>();
    const n = 60000;
    for (let i = 0; i < n; i++) {
      const key = Array.from(rng.permutation(3)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((a, c) => a + ((c - n / 6) ** 2) / (n / 6), 0);
    expect(chi2).toBeLessThan(20.52); // chi-square 5 df, 99.9 %
    const arr = ['a', 'b', 'c', 'd'];
    expect(rng.shuffle(arr)).toBe(arr);
    expect([...arr].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('samples without replacement distinct indices, with replacement in range', () => {
    const rng = new Rng(5);
    const s = rng.sampleWithoutReplacement(50, 20);
    expect(s.length).toBe(20);
    expect(new Set(s).size).toBe(20);
    for (const v of s) expect(v >= 0 && v < 50).toBe(true);
    expect(Array.from(rng.sampleWithoutReplacement(5, 5)).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => rng.sampleWithoutReplacement(3, 4)).toThrow(RangeError);
    const w = rng.sampleWithReplacement(4, 1000);
    expect(new Set(w).size).toBe(4);
    for (const v of w) expect(v >= 0 && v < 4).toBe(true);
  });

  it('fork gives a reproducible stream and advances the parent by exactly two draws', () => {
    const fa = new Rng(8).fork();
    const fb = new Rng(8).fork();
    const sa = Array.from({ length: 5 }, () => fa.nextUint32());
    expect(Array.from({ length: 5 }, () => fb.nextUint32())).toEqual(sa);
    const ref = new Rng(8);
    ref.nextUint32();
    ref.nextUint32();
    const parent = new Rng(8);
    parent.fork();
    expect(parent.nextUint32()).toBe(ref.nextUint32());
    // The child is not the parent's continuation.
    expect(sa).not.toEqual(Array.from({ length: 5 }, () => ref.nextUint32()));
  });
});
