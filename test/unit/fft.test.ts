import { describe, expect, it } from 'vitest';
import { convolveReal3d, evenKernelBilinearForms, fft, fft3d, fftLines, nextFftLength, nextPowerOfTwo } from '../../src/engine/util/fft';
import type { Vec3 } from '../../src/engine/image/volume';

/** Deterministic pseudo-random numbers (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function naiveDft(re: number[], im: number[], inverse: boolean): [number[], number[]] {
  const n = re.length;
  const sign = inverse ? 1 : -1;
  const outR: number[] = [];
  const outI: number[] = [];
  for (let k = 0; k < n; k++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const ang = (sign * 2 * Math.PI * j * k) / n;
      sr += re[j] * Math.cos(ang) - im[j] * Math.sin(ang);
      si += re[j] * Math.sin(ang) + im[j] * Math.cos(ang);
    }
    outR.push(inverse ? sr / n : sr);
    outI.push(inverse ? si / n : si);
  }
  return [outR, outI];
}

describe('fft', () => {
  it('nextPowerOfTwo and nextFftLength (prime factors 2, 3, 5)', () => {
    expect([1, 2, 3, 5, 8, 9, 199].map(nextPowerOfTwo)).toEqual([1, 2, 4, 8, 8, 16, 256]);
    expect([1, 7, 11, 13, 51, 197, 199].map(nextFftLength)).toEqual([1, 8, 12, 15, 54, 200, 200]);
  });

  it('matches the direct DFT, forward and inverse, for mixed-radix lengths up to 100', () => {
    const rand = rng(1);
    for (const n of [1, 2, 3, 4, 5, 6, 8, 9, 10, 12, 15, 16, 20, 25, 27, 30, 32, 45, 48, 60, 64, 100]) {
      for (const inverse of [false, true]) {
        const re = Array.from({ length: n }, () => rand() - 0.5);
        const im = Array.from({ length: n }, () => rand() - 0.5);
        const [er, ei] = naiveDft(re, im, inverse);
        const R = Float64Array.from(re), I = Float64Array.from(im);
        fft(R, I, inverse);
        for (let k = 0; k < n; k++) {
          expect(R[k]).toBeCloseTo(er[k], 12);
          expect(I[k]).toBeCloseTo(ei[k], 12);
        }
      }
    }
  });

  it('rejects a length with a prime factor above 5', () => {
    expect(() => fft(new Float64Array(14), new Float64Array(14))).toThrow(/prime factor/);
  });

  it('fftLines transforms interleaved lines like separate ones', () => {
    const rand = rng(6);
    const n = 12, count = 3, stride = 5;
    const re = Float64Array.from({ length: n * stride + 2 }, () => rand());
    const im = Float64Array.from({ length: n * stride + 2 }, () => rand());
    const expected = [0, 1, 2].map((c) => {
      const r = Float64Array.from({ length: n }, (_, t) => re[1 + c + t * stride]);
      const i = Float64Array.from({ length: n }, (_, t) => im[1 + c + t * stride]);
      fft(r, i);
      return [r, i];
    });
    fftLines(re, im, n, stride, count, 1);
    for (let c = 0; c < count; c++)
      for (let t = 0; t < n; t++) {
        expect(re[1 + c + t * stride]).toBeCloseTo(expected[c][0][t], 12);
        expect(im[1 + c + t * stride]).toBeCloseTo(expected[c][1][t], 12);
      }
  });

  it('3D forward then inverse restores the input', () => {
    const rand = rng(2);
    const L: Vec3 = [8, 6, 15];
    const re = Float64Array.from({ length: 720 }, () => rand());
    const im = Float64Array.from({ length: 720 }, () => rand());
    const r0 = re.slice(), i0 = im.slice();
    fft3d(re, im, L);
    expect(Math.abs(re[1] - r0[1])).toBeGreaterThan(1e-6); // it did transform
    fft3d(re, im, L, true);
    for (let i = 0; i < 720; i++) {
      expect(re[i]).toBeCloseTo(r0[i], 12);
      expect(im[i]).toBeCloseTo(i0[i], 12);
    }
  });

  it('a 3D impulse at the origin transforms to all ones', () => {
    const L: Vec3 = [4, 2, 8];
    const re = new Float64Array(64), im = new Float64Array(64);
    re[0] = 1;
    fft3d(re, im, L);
    for (let i = 0; i < 64; i++) {
      expect(re[i]).toBeCloseTo(1, 14);
      expect(im[i]).toBeCloseTo(0, 14);
    }
  });
});

describe('convolveReal3d equals the direct O(N^2) sum', () => {
  const direct = (a: Float64Array, n: Vec3, k: (dx: number, dy: number, dz: number) => number) => {
    const out = new Float64Array(a.length);
    for (let pz = 0; pz < n[2]; pz++)
      for (let py = 0; py < n[1]; py++)
        for (let px = 0; px < n[0]; px++) {
          let s = 0;
          for (let qz = 0; qz < n[2]; qz++)
            for (let qy = 0; qy < n[1]; qy++)
              for (let qx = 0; qx < n[0]; qx++) s += a[qx + n[0] * (qy + n[1] * qz)] * k(px - qx, py - qy, pz - qz);
          out[px + n[0] * (py + n[1] * pz)] = s;
        }
    return out;
  };
  const expectClose = (got: Float64Array, want: Float64Array) => {
    let scale = 0;
    for (const w of want) scale = Math.max(scale, Math.abs(w));
    for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-9 * scale);
  };

  it('inverse-distance kernel, two signals packed in one transform, odd sizes', () => {
    const rand = rng(3);
    for (const n of [
      [5, 3, 4],
      [7, 6, 1],
      [1, 1, 9],
      [6, 5, 3],
    ] as Vec3[]) {
      const count = n[0] * n[1] * n[2];
      const a = Float64Array.from({ length: count }, () => (rand() < 0.6 ? 1 : 0));
      const b = Float64Array.from({ length: count }, () => rand() * 10 - 5);
      const sp = [0.7, 1.3, 2.9];
      const kernel = (dx: number, dy: number, dz: number) => {
        const r = Math.hypot(dx * sp[0], dy * sp[1], dz * sp[2]);
        return r > 0 ? 1 / r : 0;
      };
      const [ca, cb] = convolveReal3d([a, b], n, kernel);
      expectClose(ca, direct(a, n, kernel));
      expectClose(cb, direct(b, n, kernel));
    }
  });

  it('an asymmetric kernel with a single signal (orientation of offsets p - q)', () => {
    const rand = rng(4);
    const n: Vec3 = [4, 3, 5];
    const a = Float64Array.from({ length: 60 }, () => rand());
    const kernel = (dx: number, dy: number, dz: number) => dx + 10 * dy + 100 * dz + 0.5;
    const [ca] = convolveReal3d([a], n, kernel);
    expectClose(ca, direct(a, n, kernel));
  });
});

describe('evenKernelBilinearForms equals the direct O(N^2) sum', () => {
  it('sum_{p,q} a_p k(p - q) b_q for masks and signed values, several grid shapes', () => {
    const rand = rng(8);
    for (const n of [
      [6, 5, 4],
      [1, 7, 3],
      [9, 1, 1],
      [4, 4, 6],
      [2, 3, 2],
    ] as Vec3[]) {
      const count = n[0] * n[1] * n[2];
      const m = Float64Array.from({ length: count }, () => (rand() < 0.6 ? 1 : 0));
      const y = Float64Array.from(m, (v) => (v ? rand() * 20 - 10 : 0));
      const sp = [0.9, 1.4, 3.1];
      const kernel = (dx: number, dy: number, dz: number) => {
        const r = Math.hypot(dx * sp[0], dy * sp[1], dz * sp[2]);
        return r > 0 ? 1 / r : 0;
      };
      const pairs: [number, number][] = [
        [0, 0],
        [1, 1],
        [1, 0],
      ];
      const got = evenKernelBilinearForms([m, y], pairs, n, kernel);
      const pos = (p: number) => [p % n[0], Math.floor(p / n[0]) % n[1], Math.floor(p / (n[0] * n[1]))];
      const sigs = [m, y];
      pairs.forEach(([a, b], i) => {
        let want = 0, scale = 0;
        for (let p = 0; p < count; p++)
          for (let q = 0; q < count; q++) {
            const [px, py, pz] = pos(p), [qx, qy, qz] = pos(q);
            const t = sigs[a][p] * kernel(Math.abs(px - qx), Math.abs(py - qy), Math.abs(pz - qz)) * sigs[b][q];
            want += t;
            scale += Math.abs(t);
          }
        expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1e-9 * Math.max(scale, 1e-300));
      });
    }
  });
});
