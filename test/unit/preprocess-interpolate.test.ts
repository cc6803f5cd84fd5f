/**
 * Interpolators (IBSI 2.4): exactness on ramps, the nearest-neighbour tie rule, the B-spline's
 * interpolation property and cardinal-spline values derived by hand, boundary handling, and the
 * separable passes against a direct 3D evaluation.
 */
import { describe, expect, it } from 'vitest';
import { diagonalAffine, type Vec3, type Volume } from '../../src/engine/image/volume';
import { axisTaps, bsplineCoefficients, resampleSeparable } from '../../src/engine/preprocess/interpolate';
import { resampleImage } from '../../src/engine/preprocess/resample';
import { oldPosition, resampleGrid } from '../../src/engine/preprocess/resample-grid';
import type { Interpolation, ResamplingSettings } from '../../src/engine/settings/types';

function volume(dims: Vec3, spacing: Vec3, f: (i: number, j: number, k: number) => number): Volume {
  const data = new Float64Array(dims[0] * dims[1] * dims[2]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++) data[n++] = f(i, j, k);
  return { dims, spacing, affine: diagonalAffine(spacing), data };
}

function settings(spacing: (number | null)[], interpolation: Interpolation): ResamplingSettings {
  return { spacing: spacing as [number | null, number | null, number | null], interpolation, roundIntensities: false, maskInterpolation: 'linear', maskThreshold: 0.5 };
}

/** Deterministic pseudo-random numbers (LCG) for test volumes. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Evaluate at every new voxel, with the new voxel's old-index position. */
function forEachNew(out: Volume, old: Volume, s: ResamplingSettings, fn: (value: number, pos: Vec3) => void): void {
  const g = resampleGrid(old, s.spacing, false);
  let n = 0;
  for (let k = 0; k < out.dims[2]; k++) {
    for (let j = 0; j < out.dims[1]; j++) {
      for (let i = 0; i < out.dims[0]; i++) fn(out.data[n++], [oldPosition(g.axes[0], i), oldPosition(g.axes[1], j), oldPosition(g.axes[2], k)]);
    }
  }
}

const clamp = (x: number, n: number) => Math.min(Math.max(x, 0), n - 1);

describe('linear interpolation', () => {
  it('reproduces a 3D ramp exactly, and the nearest boundary value outside the grid', () => {
    // f = 2i - 3j + 0.5k + 7 is trilinear, so trilinear interpolation is exact at any position
    // inside [0, n-1]^3; outside, nearest-boundary padding gives f at the clamped position.
    const ramp = (i: number, j: number, k: number) => 2 * i - 3 * j + 0.5 * k + 7;
    for (const dims of [[7, 6, 5], [8, 9, 4]] as Vec3[]) {
      const old = volume(dims, [1, 1, 1], ramp);
      const s = settings([0.7, 1.3, 0.45], 'linear');
      const out = resampleImage(old, s, false);
      let outside = 0;
      let worst = 0;
      forEachNew(out, old, s, (v, p) => {
        const inside = p.every((x, a) => x >= 0 && x <= dims[a] - 1);
        if (!inside) outside++;
        worst = Math.max(worst, Math.abs(v - ramp(clamp(p[0], dims[0]), clamp(p[1], dims[1]), clamp(p[2], dims[2]))));
      });
      expect(outside).toBeGreaterThan(0); // the case outside the grid was exercised
      expect(worst).toBeLessThan(1e-10);
    }
  });

  it('equals the direct 8-corner trilinear formula at arbitrary positions', () => {
    const rnd = random(7);
    const dims: Vec3 = [6, 5, 4];
    const old = volume(dims, [1, 1, 1], () => Math.round(rnd() * 1000 - 500));
    const positions = [0, 1, 2].map((a) => Float64Array.from({ length: 5 }, () => rnd() * (dims[a] + 1) - 1));
    const tap = (a: number) => axisTaps(positions[a], dims[a], 'linear', 'nearest');
    const taps = [tap(0), tap(1), tap(2)] as const;
    const out = resampleSeparable(old.data, dims, taps);
    const at = (i: number, j: number, k: number) => old.data[i + dims[0] * (j + dims[1] * k)];
    let n = 0;
    for (let c = 0; c < 5; c++) {
      for (let b = 0; b < 5; b++) {
        for (let a = 0; a < 5; a++) {
          const p = [positions[0][a], positions[1][b], positions[2][c]].map((x, ax) => clamp(x, dims[ax]));
          const i0 = p.map((x, ax) => Math.min(Math.floor(x), dims[ax] - 2));
          const t = p.map((x, ax) => x - i0[ax]);
          let v = 0;
          for (let dz = 0; dz < 2; dz++)
            for (let dy = 0; dy < 2; dy++)
              for (let dx = 0; dx < 2; dx++) {
                const w = (dx ? t[0] : 1 - t[0]) * (dy ? t[1] : 1 - t[1]) * (dz ? t[2] : 1 - t[2]);
                v += w * at(i0[0] + dx, i0[1] + dy, i0[2] + dz);
              }
          expect(out[n++]).toBeCloseTo(v, 9);
        }
      }
    }
  });

  it('in-plane (2D) resampling leaves every slice independent', () => {
    // Slice k of the 2D result depends only on slice k of the input: change slice 2 only.
    const rnd = random(3);
    const a = volume([9, 7, 4], [0.977, 0.977, 3], () => rnd() * 100);
    const b: Volume = { ...a, data: Float64Array.from(a.data) };
    for (let q = 2 * 63; q < 3 * 63; q++) b.data[q] += 50;
    const s = settings([2, 2, null], 'linear');
    const ra = resampleImage(a, s, true);
    const rb = resampleImage(b, s, true);
    expect(ra.dims).toEqual([5, 4, 4]);
    const plane = 5 * 4;
    for (let q = 0; q < ra.data.length; q++) {
      if (Math.floor(q / plane) === 2) expect(rb.data[q]).toBeCloseTo(ra.data[q] + 50, 10);
      else expect(rb.data[q]).toBe(ra.data[q]);
    }
  });
});

describe('nearest-neighbour interpolation', () => {
  it('takes the higher index at exact ties (even size) and the node itself at exact nodes (odd size)', () => {
    // n = 4, 1 mm -> 2 mm: n' = 2, x(m) = (m - 0.5) 2 + 1.5 = 2m + 0.5 -> 0.5, 2.5: ties -> voxels 1, 3.
    const even = volume([4, 1, 1], [1, 1, 1], (i) => 10 * (i + 1));
    expect(Array.from(resampleImage(even, settings([2, null, null], 'nearest'), false).data)).toEqual([20, 40]);
    // n = 5: n' = ceil(2.5) = 3, x(m) = (m - 1) 2 + 2 = 2m -> 0, 2, 4: voxels 0, 2, 4.
    const odd = volume([5, 1, 1], [1, 1, 1], (i) => 10 * (i + 1));
    expect(Array.from(resampleImage(odd, settings([2, null, null], 'nearest'), false).data)).toEqual([10, 30, 50]);
  });

  it('picks the closest voxel otherwise, and the boundary voxel outside the grid', () => {
    // n = 3, 1 mm -> 0.4 mm: n' = ceil(7.5) = 8, x(m) = (m - 3.5) 0.4 + 1 -> -0.4, 0, 0.4, 0.8, 1.2, 1.6, 2, 2.4
    // nearest: 0 (clamped), 0, 0, 1, 1, 2, 2, 2 (clamped).
    const v = volume([3, 1, 1], [1, 1, 1], (i) => [5, 6, 7][i]);
    expect(Array.from(resampleImage(v, settings([0.4, null, null], 'nearest'), false).data)).toEqual([5, 5, 5, 6, 6, 7, 7, 7]);
  });
});

describe('cubic B-spline interpolation', () => {
  it('passes through every sample', () => {
    // s' = s / 3 on every axis: n' = 3n and x(m) = (m - (3n - 1)/2) / 3 + (n - 1)/2 = (m - 1) / 3,
    // so new voxels m = 3i + 1 sit exactly on old voxel i.
    const rnd = random(11);
    const dims: Vec3 = [5, 4, 6];
    const old = volume(dims, [3, 3, 3], () => rnd() * 2000 - 1000);
    const out = resampleImage(old, settings([1, 1, 1], 'bspline'), false);
    expect(out.dims).toEqual([15, 12, 18]);
    for (let k = 0; k < dims[2]; k++)
      for (let j = 0; j < dims[1]; j++)
        for (let i = 0; i < dims[0]; i++) {
          const v = out.data[3 * i + 1 + 15 * (3 * j + 1 + 12 * (3 * k + 1))];
          expect(v).toBeCloseTo(old.data[i + dims[0] * (j + dims[1] * k)], 9);
        }
  });

  it('reproduces a 3D ramp away from the edges', () => {
    // Cubic B-splines reproduce polynomials up to degree 3; the edge-value extension bends the
    // spline only near the edges (decay 0.268^d: below 1e-12 of the slope at d >= 22).
    const ramp = (i: number, j: number, k: number) => 0.5 * i - 0.25 * j + 0.75 * k + 3;
    const dims: Vec3 = [60, 56, 52];
    const old = volume(dims, [1, 1, 1], ramp);
    const s = settings([0.9, 1.1, 0.7], 'bspline');
    const out = resampleImage(old, s, false);
    let checked = 0;
    let worst = 0;
    forEachNew(out, old, s, (v, p) => {
      if (p.every((x, a) => x >= 22 && x <= dims[a] - 23)) {
        worst = Math.max(worst, Math.abs(v - ramp(p[0], p[1], p[2])));
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(1e-9);
  });

  it('gives the cardinal cubic spline of an impulse (derived by hand)', () => {
    // The B-spline coefficients of a unit impulse on an infinite line are c_k = sqrt(3) z^|k|,
    // z = sqrt(3) - 2 (from 6 / (w + 4 + 1/w) = 6 (-z) / ((1 - z/w)(1 - z w)), -6z/(1 - z^2) = sqrt(3)).
    // At distance 0.5 from the impulse the cubic B-spline weights are beta(0.5) = 23/48 (two
    // coefficients c_0, c_1) and beta(1.5) = 1/48 (c_-1, c_2):
    //   eta(0.5) = sqrt(3) (23/48 (1 + z) + 1/48 (z + z^2)) = 0.60048...
    // At distance 1: beta(0) = 2/3 on c_1, beta(1) = 1/6 on c_0 and c_2:
    //   eta(1) = sqrt(3) (2/3 z + 1/6 (1 + z^2)) = 0 (the interpolant vanishes at other samples).
    const z = Math.sqrt(3) - 2;
    const etaHalf = Math.sqrt(3) * ((23 / 48) * (1 + z) + (z + z * z) / 48);
    const n = 61;
    const impulse = new Float64Array(n);
    impulse[30] = 1;
    const c = bsplineCoefficients(impulse, [n, 1, 1], [true, false, false]);
    const positions = Float64Array.from([30, 30.5, 29.5, 31, 32.25]);
    const taps = axisTaps(positions, n, 'bspline', 'nearest', c.pad[0]);
    const one = axisTaps(Float64Array.from([0]), 1, 'bspline', 'nearest');
    const out = resampleSeparable(c.data, c.dims, [taps, one, one]);
    expect(out[0]).toBeCloseTo(1, 12);
    expect(out[1]).toBeCloseTo(etaHalf, 12);
    expect(out[1]).toBeCloseTo(0.600481, 6);
    expect(out[2]).toBeCloseTo(etaHalf, 12);
    expect(out[3]).toBeCloseTo(0, 12);
    // eta(2.25) by the same rule: weights at t = 0.25 on c_1..c_4 (distances 1.25, 0.25, 0.75, 1.75).
    const t = 0.25;
    const u = 1 - t;
    const w = [(u * u * u) / 6, (3 * t ** 3 - 6 * t * t + 4) / 6, (-3 * t ** 3 + 3 * t * t + 3 * t + 1) / 6, t ** 3 / 6];
    const eta225 = Math.sqrt(3) * (w[0] * z + w[1] * z * z + w[2] * z ** 3 + w[3] * z ** 4);
    expect(out[4]).toBeCloseTo(eta225, 12);
  });

  it('extends the image by its edge values: a constant image stays constant everywhere', () => {
    const old = volume([4, 3, 5], [1, 1, 1], () => -321);
    const out = resampleImage(old, settings([0.45, 0.7, 1.9], 'bspline'), false);
    for (const v of out.data) expect(v).toBeCloseTo(-321, 10);
  });

  it('near an edge equals the spline of the edge-padded signal (independent solve)', () => {
    // Reference: pad the 1D signal with 40 edge copies per side, solve the tridiagonal system
    // (c[k-1] + 4 c[k] + c[k+1]) / 6 = s[k] with mirror ends by Gaussian elimination, and sum the
    // basis functions; the padding makes the end condition irrelevant (0.268^40).
    const s = [3, -1, 4, 1, -5, 9, 2, -6];
    const n = s.length;
    const P = 40;
    const padded = [...Array(P).fill(s[0]), ...s, ...Array(P).fill(s[n - 1])];
    const L = padded.length;
    const diag = new Float64Array(L).fill(4 / 6);
    const rhs = Float64Array.from(padded);
    const off = 1 / 6;
    // Mirror ends: c[-1] = c[1], c[L] = c[L-2] -> first row 4/6 c0 + 2/6 c1, last similarly.
    const upper = new Float64Array(L).fill(off);
    const lower = new Float64Array(L).fill(off);
    upper[0] = 2 / 6;
    lower[L - 1] = 2 / 6;
    for (let k = 1; k < L; k++) {
      const f = lower[k] / diag[k - 1];
      diag[k] -= f * upper[k - 1];
      rhs[k] -= f * rhs[k - 1];
    }
    const coef = new Float64Array(L);
    coef[L - 1] = rhs[L - 1] / diag[L - 1];
    for (let k = L - 2; k >= 0; k--) coef[k] = (rhs[k] - upper[k] * coef[k + 1]) / diag[k];
    const beta = (x: number) => {
      const a = Math.abs(x);
      return a < 1 ? 2 / 3 - a * a + (a * a * a) / 2 : a < 2 ? (2 - a) ** 3 / 6 : 0;
    };
    const spline = (x: number) => {
      let v = 0;
      for (let k = Math.floor(x) - 2; k <= Math.floor(x) + 2; k++) v += coef[k + P] * beta(x - k);
      return v;
    };
    const positions = Float64Array.from([-1, -0.5, -0.2, 0, 0.3, 1.5, 3.7, 6.9, 7, 7.4, 7.5, 8]);
    const c = bsplineCoefficients(Float64Array.from(s), [n, 1, 1], [true, false, false]);
    const one = axisTaps(Float64Array.from([0]), 1, 'bspline', 'nearest');
    const out = resampleSeparable(c.data, c.dims, [axisTaps(positions, n, 'bspline', 'nearest', c.pad[0]), one, one]);
    positions.forEach((x, q) => expect(out[q]).toBeCloseTo(spline(x), 10));
  });
});

describe('mask boundary', () => {
  it('is outside the ROI beyond the old grid extent and clamped inside it', () => {
    // n = 2 samples, both in the ROI; positions -0.6 and 2.6 lie outside [-0.5, 1.5].
    const positions = Float64Array.from([-0.6, -0.4, 0.5, 1.4, 1.6]);
    const one = axisTaps(Float64Array.from([0]), 1, 'linear', 'zero');
    for (const kind of ['nearest', 'linear', 'bspline'] as Interpolation[]) {
      const mask = Float64Array.from([1, 1]);
      const c = kind === 'bspline' ? bsplineCoefficients(mask, [2, 1, 1], [true, false, false]) : { data: mask, dims: [2, 1, 1] as Vec3, pad: [0, 0, 0] };
      const out = resampleSeparable(c.data, c.dims, [axisTaps(positions, 2, kind, 'zero', c.pad[0]), one, one]);
      expect(Array.from(out).map((v) => +v.toFixed(12))).toEqual([0, 1, 1, 1, 0]);
    }
  });
});
