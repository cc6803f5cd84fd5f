/**
 * The demo generator's random numbers: the xoshiro128** reference algorithm, seeding by labels,
 * and the ziggurat normals (moments, tail mass, quantiles).
 */
import { describe, expect, it } from 'vitest';
import { Rng, hashLabels, normalCdf } from '../../src/engine/demo/rng';
import { gaussianRandomField } from '../../src/engine/demo/random-field';

describe('xoshiro128**', () => {
  it('matches outputs worked by hand from the reference algorithm for state {1, 2, 3, 4}', () => {
    // result = rotl(s1 * 5, 7) * 9, then t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
    // s2 ^= t; s3 = rotl(s3, 11).
    // 1st: s1 = 2 -> rotl(10, 7) = 1280 -> 11520. State becomes {7, 0, 1026, 12288}.
    // 2nd: s1 = 0 -> 0. State becomes {12295, 1029, 1029, 25165824}.
    // 3rd: s1 = 1029 -> rotl(5145, 7) = 658560 -> 5927040.
    const r = Rng.fromState([1, 2, 3, 4]);
    expect([r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([11520, 0, 5927040]);
  });

  it('is reproducible from (seed, labels) and separates streams', () => {
    const a = new Rng(2026, 'subject', 3);
    const b = new Rng(2026, 'subject', 3);
    const seqA = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(seqA);
    for (const other of [new Rng(2027, 'subject', 3), new Rng(2026, 'subject', 4), new Rng(2026, 'anatomy', 3)]) {
      expect(Array.from({ length: 8 }, () => other.nextU32())).not.toEqual(seqA);
    }
    expect(hashLabels([1, 'a'])).not.toBe(hashLabels(['a', 1]));
    // Integers above 2^32 are hashed with both halves.
    expect(hashLabels([2 ** 32 + 5])).not.toBe(hashLabels([5]));
  });

  it('gives uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    // sd of the mean: sqrt(1/12 / n) = 6.5e-4; 5 sd.
    expect(Math.abs(mean - 0.5)).toBeLessThan(3.3e-3);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });
});

describe('ziggurat normals', () => {
  function checkNormalSample(x: Float64Array) {
    const n = x.length;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let tail = 0;
    for (const v of x) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) > 3.442619855899) tail++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // 5 sd bounds: sd(mean) = 1/sqrt(n); sd(variance) = sqrt(2/n); sd(4th moment) = sqrt(96/n).
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    // Mass beyond the ziggurat's tail start R (drawn by the separate tail algorithm).
    const pTail = 2 * (1 - normalCdf(3.442619855899));
    expect(Math.abs(tail / n - pTail)).toBeLessThan(5 * Math.sqrt((pTail * (1 - pTail)) / n));
    // Empirical CDF at a few points against Phi (binomial 5 sd).
    for (const q of [-2, -1, -0.3, 0, 0.7, 1.5, 2.5]) {
      let below = 0;
      for (const v of x) if (v < q) below++;
      const p = normalCdf(q);
      expect(Math.abs(below / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  }

  it('normal() has the moments, tail mass and quantiles of N(0, 1)', () => {
    const r = new Rng(11);
    const x = new Float64Array(400_000);
    for (let i = 0; i < x.length; i++) x[i] = r.normal();
    checkNormalSample(x);
  });

  it('fillNormal() does too, and is a deterministic function of the state', () => {
    const x = new Float64Array(400_000);
    new Rng(12).fillNormal(x, x.length);
    checkNormalSample(x);
    const y = new Float64Array(1000);
    const z = new Float64Array(1000);
    new Rng(13).fillNormal(y, 1000);
    new Rng(13).fillNormal(z, 1000);
    expect(z).toEqual(y);
  });
});

describe('smooth random fields', () => {
  it('have unit variance everywhere (also between lattice points) and the kernel correlation', () => {
    // Many independent fields, each read at 8 lattice points, 8 cell centres (where plain
    // trilinear interpolation would dip to ((1 + rho) / 2)^3 = 0.79, rho = 0.85) and 8 pairs
    // 4 mm apart: white noise smoothed by a Gaussian of sd L correlates at
    // exp(-d^2 / (4 L^2)) = exp(-1/4) for d = L = 4 mm.
    const L = 4;
    let nodeSq = 0;
    let centreSq = 0;
    let cross = 0;
    let pairSq = 0;
    let count = 0;
    for (let f = 0; f < 1500; f++) {
      const field = gaussianRandomField(new Rng(99, f), [-16, -16, -16], [16, 16, 16], L);
      const h = field.step;
      for (let c = 0; c < 8; c++) {
        // Corners of a cube 3 steps wide around lattice point (6, 6, 6): values 3 steps apart
        // correlate at only exp(-(3 h)^2 / (4 L^2)) = 0.24.
        const x = field.origin[0] + (5 + 3 * (c & 1)) * h;
        const y = field.origin[1] + (5 + 3 * ((c >> 1) & 1)) * h;
        const z = field.origin[2] + (5 + 3 * ((c >> 2) & 1)) * h;
        const a = field.sample(x, y, z);
        const m = field.sample(x + h / 2, y + h / 2, z + h / 2);
        const p = field.sample(x + 0.3 * h, y, z);
        const q = field.sample(x + 0.3 * h + L, y, z);
        nodeSq += a * a;
        centreSq += m * m;
        cross += p * q;
        pairSq += (p * p + q * q) / 2;
        count++;
      }
    }
    // 12,000 partly correlated squares: sd of each mean square about 0.02; 3 sd.
    expect(Math.abs(nodeSq / count - 1)).toBeLessThan(0.06);
    expect(Math.abs(centreSq / count - 1)).toBeLessThan(0.06);
    expect(Math.abs(cross / pairSq - Math.exp(-0.25))).toBeLessThan(0.05);
  });
});
