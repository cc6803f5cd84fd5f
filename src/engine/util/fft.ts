/**
 * Fast Fourier transforms in float64: an in-place mixed-radix (2, 3, 4, 5) complex FFT that runs
 * the same transform on many lines at once, its 3D separable extension, and two exact helpers for
 * real 3D volumes: linear convolution with a kernel given on all offsets between two grid points,
 * and bilinear forms sum_{p,q} a_p k(p - q) b_q for an even kernel (used for the all-pairs sums of
 * Moran's I and Geary's C, IBSI 3.1.28-29, without an O(N^2) loop).
 */
import type { Vec3 } from '../image/volume';

/** Smallest power of two >= n (n >= 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/** Smallest length >= n (n >= 1) whose prime factors are all 2, 3 or 5 (a length fft() accepts). */
export function nextFftLength(n: number): number {
  for (let m = Math.max(1, n); ; m++) {
    let r = m;
    for (const f of [2, 3, 5]) while (r % f === 0) r /= f;
    if (r === 1) return m;
  }
}

interface FftPlan {
  n: number;
  /** Radices in the order the passes apply them (sub-transform sizes grow by each in turn). */
  radices: number[];
  /** Digit-reversal permutation as cycles: cycleStart[c] .. cycleStart[c+1] index cycleItems. */
  cycleStart: Int32Array;
  cycleItems: Int32Array;
  /** cos/sin of -2 pi j / n for j < n. */
  cos: Float64Array;
  sin: Float64Array;
}

const plans = new Map<number, FftPlan>();

function planFor(n: number): FftPlan {
  let plan = plans.get(n);
  if (plan) return plan;
  if (!(n >= 1) || nextFftLength(n) !== n) throw new Error(`FFT length ${n} has a prime factor other than 2, 3 and 5`);
  // Split n = r_A * r_B * ... (decimation in time: r_A is split off first, so it is combined last).
  const splits: number[] = [];
  let r = n;
  while (r % 4 === 0) {
    splits.push(4);
    r /= 4;
  }
  for (const f of [2, 3, 5]) {
    while (r % f === 0) {
      splits.push(f);
      r /= f;
    }
  }
  // Input index t = q_A + r_A (q_B + r_B (...)) goes to position q_A n/r_A + q_B n/(r_A r_B) + ...
  const perm = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    let rest = t, pos = 0, block = n;
    for (const f of splits) {
      block /= f;
      pos += (rest % f) * block;
      rest = Math.floor(rest / f);
    }
    perm[t] = pos;
  }
  // Cycles of the permutation (element at t moves to perm[t]).
  const seen = new Uint8Array(n);
  const starts: number[] = [0];
  const items: number[] = [];
  for (let t = 0; t < n; t++) {
    if (seen[t] || perm[t] === t) continue;
    let u = t;
    while (!seen[u]) {
      seen[u] = 1;
      items.push(u);
      u = perm[u];
    }
    starts.push(items.length);
  }
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    cos[j] = Math.cos((-2 * Math.PI * j) / n);
    sin[j] = Math.sin((-2 * Math.PI * j) / n);
  }
  plan = { n, radices: splits.slice().reverse(), cycleStart: Int32Array.from(starts), cycleItems: Int32Array.from(items), cos, sin };
  plans.set(n, plan);
  return plan;
}

/**
 * In-place complex FFT of re/im[offset .. offset + n) (n with prime factors 2, 3, 5 only). Forward
 * uses exp(-2 pi i jk/n); the inverse uses exp(+2 pi i jk/n) and divides by n.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false, offset = 0, n = re.length - offset): void {
  fftLines(re, im, n, 1, 1, offset, inverse);
}

// Constants of the radix-3 and radix-5 butterflies.
const C3 = -0.5; // cos(2 pi / 3)
const S3 = Math.sqrt(3) / 2; // sin(2 pi / 3)
const C51 = Math.cos((2 * Math.PI) / 5);
const C52 = Math.cos((4 * Math.PI) / 5);
const S51 = Math.sin((2 * Math.PI) / 5);
const S52 = Math.sin((4 * Math.PI) / 5);

/**
 * The same n-point FFT on `count` adjacent lines at once: line c has its elements at
 * offset + c + t * stride (t < n). The butterflies run over the lines in the innermost loop, so
 * memory is walked contiguously even when the transform axis has a large stride. Decimation in
 * time: digit-reversal permutation, then one pass per radix, each combining r sub-transforms of
 * size m into one of size r m with twiddles exp(-2 pi i q k / (r m)).
 */
export function fftLines(
  re: Float64Array,
  im: Float64Array,
  n: number,
  stride: number,
  count: number,
  offset: number,
  inverse = false,
): void {
  if (n <= 1 || count <= 0) return;
  const { radices, cycleStart, cycleItems, cos, sin } = planFor(n);
  permute(re, im, cycleStart, cycleItems, stride, count, offset);
  const sg = inverse ? -1 : 1;
  let m = 1;
  // One small function per radix: each is optimised on its own, quickly, by the JIT.
  for (const r of radices) {
    if (r === 4) pass4(re, im, n, stride, count, offset, sg, m, cos, sin);
    else if (r === 2) pass2(re, im, n, stride, count, offset, sg, m, cos, sin);
    else if (r === 3) pass3(re, im, n, stride, count, offset, sg, m, cos, sin);
    else pass5(re, im, n, stride, count, offset, sg, m, cos, sin);
    m *= r;
  }
  if (inverse) {
    const f = 1 / n;
    for (let t = 0; t < n; t++) {
      const base = offset + t * stride;
      for (let c = 0; c < count; c++) {
        re[base + c] *= f;
        im[base + c] *= f;
      }
    }
  }
}

/** Digit-reversal permutation along each cycle t0 -> t1 -> ... (the element at t_i moves to t_{i+1}). */
function permute(re: Float64Array, im: Float64Array, cycleStart: Int32Array, cycleItems: Int32Array, stride: number, count: number, offset: number): void {
  for (let cy = 0; cy + 1 < cycleStart.length; cy++) {
    const a = cycleStart[cy], b = cycleStart[cy + 1];
    for (let c = 0; c < count; c++) {
      let carryR = re[offset + cycleItems[a] * stride + c];
      let carryI = im[offset + cycleItems[a] * stride + c];
      for (let i = a + 1; i <= b; i++) {
        const dst = offset + cycleItems[i === b ? a : i] * stride + c;
        const tr = re[dst], ti = im[dst];
        re[dst] = carryR;
        im[dst] = carryI;
        carryR = tr;
        carryI = ti;
      }
    }
  }
}

/** Radix-4 pass: four sub-transforms of size m into one of size 4m. */
function pass4(re: Float64Array, im: Float64Array, n: number, stride: number, count: number, offset: number, sg: number, m: number, cos: Float64Array, sin: Float64Array): void {
  const size = 4 * m;
  const tw = n / size; // twiddle table step for exp(-2 pi i / size)
  const ms = m * stride;
  for (let start = 0; start < n; start += size) {
    for (let k = 0; k < m; k++) {
      const p0 = offset + (start + k) * stride;
      // Radix 4 as two merged radix-2 levels: X from sub-transforms 0 and 2, Y from 1 and 3,
      // with w_{4m}^{2k}; then w_{4m}^k and w_{4m}^{k+m} = -i w_{4m}^k (forward).
      const t1 = 2 * k * tw, t2 = k * tw;
      const w1r = cos[t1], w1i = sg * sin[t1], w2r = cos[t2], w2i = sg * sin[t2];
      const p1 = p0 + ms, p2 = p1 + ms, p3 = p2 + ms;
      for (let c = 0; c < count; c++) {
        const i0 = p0 + c, i1 = p1 + c, i2 = p2 + c, i3 = p3 + c;
        // Sub-transform q sits in quarter q: X pairs q = 0, 2 and Y pairs q = 1, 3.
        const b2r = re[i2] * w1r - im[i2] * w1i, b2i = re[i2] * w1i + im[i2] * w1r;
        const b3r = re[i3] * w1r - im[i3] * w1i, b3i = re[i3] * w1i + im[i3] * w1r;
        const x0r = re[i0] + b2r, x0i = im[i0] + b2i;
        const x1r = re[i0] - b2r, x1i = im[i0] - b2i;
        const y0r = re[i1] + b3r, y0i = im[i1] + b3i;
        const y1r = re[i1] - b3r, y1i = im[i1] - b3i;
        const z0r = y0r * w2r - y0i * w2i, z0i = y0r * w2i + y0i * w2r;
        const z1r = y1r * w2r - y1i * w2i, z1i = y1r * w2i + y1i * w2r;
        re[i0] = x0r + z0r;
        im[i0] = x0i + z0i;
        re[i2] = x0r - z0r;
        im[i2] = x0i - z0i;
        const r1r = sg * z1i, r1i = -sg * z1r;
        re[i1] = x1r + r1r;
        im[i1] = x1i + r1i;
        re[i3] = x1r - r1r;
        im[i3] = x1i - r1i;
      }
    }
  }
}

/** Radix-2 pass. */
function pass2(re: Float64Array, im: Float64Array, n: number, stride: number, count: number, offset: number, sg: number, m: number, cos: Float64Array, sin: Float64Array): void {
  const size = 2 * m;
  const tw = n / size; // twiddle table step for exp(-2 pi i / size)
  const ms = m * stride;
  for (let start = 0; start < n; start += size) {
    for (let k = 0; k < m; k++) {
      const p0 = offset + (start + k) * stride;
      const t1 = k * tw;
      const wr = cos[t1], wi = sg * sin[t1];
      const p1 = p0 + ms;
      for (let c = 0; c < count; c++) {
        const i0 = p0 + c, i1 = p1 + c;
        const xr = re[i1] * wr - im[i1] * wi, xi = re[i1] * wi + im[i1] * wr;
        re[i1] = re[i0] - xr;
        im[i1] = im[i0] - xi;
        re[i0] += xr;
        im[i0] += xi;
      }
    }
  }
}

/** Radix-3 pass. */
function pass3(re: Float64Array, im: Float64Array, n: number, stride: number, count: number, offset: number, sg: number, m: number, cos: Float64Array, sin: Float64Array): void {
  const size = 3 * m;
  const tw = n / size; // twiddle table step for exp(-2 pi i / size)
  const ms = m * stride;
  for (let start = 0; start < n; start += size) {
    for (let k = 0; k < m; k++) {
      const p0 = offset + (start + k) * stride;
      const t1 = k * tw, t2 = 2 * k * tw;
      const w1r = cos[t1], w1i = sg * sin[t1], w2r = cos[t2], w2i = sg * sin[t2];
      const p1 = p0 + ms, p2 = p1 + ms;
      const s3 = sg * S3;
      for (let c = 0; c < count; c++) {
        const i0 = p0 + c, i1 = p1 + c, i2 = p2 + c;
        const ar = re[i1] * w1r - im[i1] * w1i, ai = re[i1] * w1i + im[i1] * w1r;
        const br = re[i2] * w2r - im[i2] * w2i, bi = re[i2] * w2i + im[i2] * w2r;
        const sr = ar + br, si = ai + bi;
        const dr = ar - br, di = ai - bi;
        const x0r = re[i0], x0i = im[i0];
        const mr = x0r + C3 * sr, mi = x0i + C3 * si;
        re[i0] = x0r + sr;
        im[i0] = x0i + si;
        // exp(-2 pi i / 3) = C3 - i S3 (forward): out1 = m - i S3 d, out2 = m + i S3 d.
        re[i1] = mr + s3 * di;
        im[i1] = mi - s3 * dr;
        re[i2] = mr - s3 * di;
        im[i2] = mi + s3 * dr;
      }
    }
  }
}

/** Radix-5 pass. */
function pass5(re: Float64Array, im: Float64Array, n: number, stride: number, count: number, offset: number, sg: number, m: number, cos: Float64Array, sin: Float64Array): void {
  const size = 5 * m;
  const tw = n / size; // twiddle table step for exp(-2 pi i / size)
  const ms = m * stride;
  for (let start = 0; start < n; start += size) {
    for (let k = 0; k < m; k++) {
      const p0 = offset + (start + k) * stride;
      const t1 = k * tw, t2 = 2 * k * tw, t3 = 3 * k * tw, t4 = 4 * k * tw;
      const w1r = cos[t1], w1i = sg * sin[t1], w2r = cos[t2], w2i = sg * sin[t2];
      const w3r = cos[t3], w3i = sg * sin[t3], w4r = cos[t4], w4i = sg * sin[t4];
      const p1 = p0 + ms, p2 = p1 + ms, p3 = p2 + ms, p4 = p3 + ms;
      const s1 = sg * S51, s2 = sg * S52;
      for (let c = 0; c < count; c++) {
        const i0 = p0 + c, i1 = p1 + c, i2 = p2 + c, i3 = p3 + c, i4 = p4 + c;
        const ar = re[i1] * w1r - im[i1] * w1i, ai = re[i1] * w1i + im[i1] * w1r;
        const br = re[i2] * w2r - im[i2] * w2i, bi = re[i2] * w2i + im[i2] * w2r;
        const cr = re[i3] * w3r - im[i3] * w3i, ci = re[i3] * w3i + im[i3] * w3r;
        const dr = re[i4] * w4r - im[i4] * w4i, di = re[i4] * w4i + im[i4] * w4r;
        const x0r = re[i0], x0i = im[i0];
        const s14r = ar + dr, s14i = ai + di, d14r = ar - dr, d14i = ai - di;
        const s23r = br + cr, s23i = bi + ci, d23r = br - cr, d23i = bi - ci;
        const m1r = x0r + C51 * s14r + C52 * s23r, m1i = x0i + C51 * s14i + C52 * s23i;
        const m2r = x0r + C52 * s14r + C51 * s23r, m2i = x0i + C52 * s14i + C51 * s23i;
        // Forward: out_s = x0 + sum_q t_q exp(-2 pi i q s / 5); the sine parts:
        const n1r = s1 * d14i + s2 * d23i, n1i = -(s1 * d14r + s2 * d23r);
        const n2r = s2 * d14i - s1 * d23i, n2i = -(s2 * d14r - s1 * d23r);
        re[i0] = x0r + s14r + s23r;
        im[i0] = x0i + s14i + s23i;
        re[i1] = m1r + n1r;
        im[i1] = m1i + n1i;
        re[i4] = m1r - n1r;
        im[i4] = m1i - n1i;
        re[i2] = m2r + n2r;
        im[i2] = m2i + n2i;
        re[i3] = m2r - n2r;
        im[i3] = m2i - n2i;
      }
    }
  }
}

/**
 * Transform along one axis of a 3D complex array of dims L (x fastest), only on the lines whose
 * other two coordinates are below `limit` (the remaining lines are known to be zero, or their
 * result is not needed).
 */
export function fftAxis(re: Float64Array, im: Float64Array, L: Vec3, axis: number, inverse: boolean, limit: Vec3 = L): void {
  const [lx, ly, lz] = L;
  if (axis === 0) {
    for (let z = 0; z < limit[2]; z++) for (let y = 0; y < limit[1]; y++) fft(re, im, inverse, lx * (y + ly * z), lx);
  } else if (axis === 1) {
    for (let z = 0; z < limit[2]; z++) fftLines(re, im, ly, lx, limit[0], lx * ly * z, inverse);
  } else if (limit[1] === ly) {
    fftLines(re, im, lz, lx * ly, lx * limit[1], 0, inverse);
  } else {
    for (let y = 0; y < limit[1]; y++) fftLines(re, im, lz, lx * ly, limit[0], lx * y, inverse);
  }
}

/** Full 3D complex FFT of arrays with dims L (each accepted by fft()), x fastest. */
export function fft3d(re: Float64Array, im: Float64Array, L: Vec3, inverse = false): void {
  for (let axis = 0; axis < 3; axis++) fftAxis(re, im, L, axis, inverse);
}

/**
 * Exact linear convolution on a grid of dims n of one or two real volumes with a real kernel:
 *
 *   out_s[p] = sum_q signal_s[q] * kernel(p - q),   p, q in the grid,
 *
 * where kernel(d) for offsets |d_a| < n_a is given by `kernelAt(dx, dy, dz)`. The FFT grid has
 * L_a = nextFftLength(2 n_a - 1) points per axis, so the cyclic convolution never wraps an offset
 * onto another one and the result equals the direct sum (to rounding). Two signals share one
 * complex transform (as real and imaginary part; the kernel is real, so they do not mix).
 * Transforms skip the lines that are known to be zero (forward) or not needed (inverse).
 */
export function convolveReal3d(
  signals: [Float64Array] | [Float64Array, Float64Array],
  n: Vec3,
  kernelAt: (dx: number, dy: number, dz: number) => number,
): Float64Array[] {
  const L: Vec3 = [nextFftLength(2 * n[0] - 1), nextFftLength(2 * n[1] - 1), nextFftLength(2 * n[2] - 1)];
  const [lx, ly, lz] = L;
  const size = lx * ly * lz;

  // Kernel, offsets stored cyclically (d mod L).
  const kr = new Float64Array(size);
  const ki = new Float64Array(size);
  for (let dz = -(n[2] - 1); dz < n[2]; dz++) {
    const z = dz < 0 ? dz + lz : dz;
    for (let dy = -(n[1] - 1); dy < n[1]; dy++) {
      const y = dy < 0 ? dy + ly : dy;
      const row = lx * (y + ly * z);
      for (let dx = -(n[0] - 1); dx < n[0]; dx++) kr[row + (dx < 0 ? dx + lx : dx)] = kernelAt(dx, dy, dz);
    }
  }
  fft3d(kr, ki, L);

  const sr = new Float64Array(size);
  const si = new Float64Array(size);
  const [a, b] = signals;
  for (let z = 0; z < n[2]; z++) {
    for (let y = 0; y < n[1]; y++) {
      const src = n[0] * (y + n[1] * z);
      const dst = lx * (y + ly * z);
      for (let x = 0; x < n[0]; x++) {
        sr[dst + x] = a[src + x];
        if (b) si[dst + x] = b[src + x];
      }
    }
  }
  // Forward: the signal is zero outside the first n of each axis.
  fftAxis(sr, si, L, 0, false, [lx, n[1], n[2]]);
  fftAxis(sr, si, L, 1, false, [lx, ly, n[2]]);
  fftAxis(sr, si, L, 2, false, [lx, ly, lz]);
  for (let i = 0; i < size; i++) {
    const xr = sr[i], xi = si[i], yr = kr[i], yi = ki[i];
    sr[i] = xr * yr - xi * yi;
    si[i] = xr * yi + xi * yr;
  }
  // Inverse: only the first n of each axis are read back.
  fftAxis(sr, si, L, 2, true, [lx, ly, lz]);
  fftAxis(sr, si, L, 1, true, [lx, ly, n[2]]);
  fftAxis(sr, si, L, 0, true, [lx, n[1], n[2]]);

  const count = n[0] * n[1] * n[2];
  const outA = new Float64Array(count);
  const outB = b ? new Float64Array(count) : null;
  for (let z = 0; z < n[2]; z++) {
    for (let y = 0; y < n[1]; y++) {
      const dst = n[0] * (y + n[1] * z);
      const src = lx * (y + ly * z);
      for (let x = 0; x < n[0]; x++) {
        outA[dst + x] = sr[src + x];
        if (outB) outB[dst + x] = si[src + x];
      }
    }
  }
  return outB ? [outA, outB] : [outA];
}

/**
 * Spectrum of a real volume (grid n, zero-padded to L) over the half space kx <= L0/2 (the rest
 * follows by Hermitian symmetry), into re/im laid out kx fastest: index kx + H (ky + L1 kz),
 * H = L0/2 + 1.
 * x lines are transformed two at a time as one complex line; the y pass only runs on the z
 * planes that hold data.
 */
function halfSpectrum3d(signal: Float64Array, n: Vec3, L: Vec3, re: Float64Array, im: Float64Array): void {
  const [lx, ly] = L;
  const H = (lx >> 1) + 1;
  re.fill(0);
  im.fill(0);
  const lr = new Float64Array(lx);
  const li = new Float64Array(lx);
  const lines = n[1] * n[2];
  for (let line = 0; line < lines; line += 2) {
    lr.fill(0);
    li.fill(0);
    const second = line + 1 < lines;
    const srcA = n[0] * line;
    for (let x = 0; x < n[0]; x++) lr[x] = signal[srcA + x];
    if (second) for (let x = 0; x < n[0]; x++) li[x] = signal[srcA + n[0] + x];
    fft(lr, li, false, 0, lx);
    const dstA = H * ((line % n[1]) + ly * Math.floor(line / n[1]));
    const dstB = H * (((line + 1) % n[1]) + ly * Math.floor((line + 1) / n[1]));
    separateLines(lr, li, lx, H, re, im, dstA, second ? dstB : -1);
  }
  for (let z = 0; z < n[2]; z++) fftLines(re, im, ly, H, H, H * ly * z);
  fftLines(re, im, L[2], H * ly, H * ly, 0);
}

/**
 * The spectra of two real lines transformed together as one complex line Z (halfSpectrum3d):
 * A = (Z[k] + conj Z[-k]) / 2 at dstA, B = (Z[k] - conj Z[-k]) / (2i) at dstB (none when -1),
 * for k < H. A function of its own, called once per line pair, so that V8 optimises it early.
 */
function separateLines(lr: Float64Array, li: Float64Array, lx: number, H: number, re: Float64Array, im: Float64Array, dstA: number, dstB: number): void {
  for (let k = 0; k < H; k++) {
    const m = k === 0 ? 0 : lx - k;
    const zr = lr[k], zi = li[k], cr = lr[m], ci = -li[m];
    re[dstA + k] = (zr + cr) / 2;
    im[dstA + k] = (zi + ci) / 2;
    if (dstB >= 0) {
      re[dstB + k] = (zi - ci) / 2;
      im[dstB + k] = -(zr - cr) / 2;
    }
  }
}

/**
 * Real spectrum of a kernel that is even in every axis (k(+-dx, +-dy, +-dz) all equal), for
 * offsets |d_a| < n_a, on the FFT grid L, over kx <= L0/2 and ky <= L1/2 (the spectrum is even in
 * ky as well). Layout kx fastest: index kx + H (ky + L1 kz), H = L0/2 + 1, ky < L1.
 * A real even line (or plane) has a real spectrum, so two of them share one complex transform as
 * its real and imaginary part with no separation step.
 */
function evenKernelSpectrum(
  n: Vec3,
  L: Vec3,
  kernelAt: (dx: number, dy: number, dz: number) => number,
  re: Float64Array,
  im: Float64Array,
): void {
  const [lx, ly, lz] = L;
  const H = (lx >> 1) + 1;
  const plane = H * ly;
  const lr = new Float64Array(lx);
  const li = new Float64Array(lx);
  // x pass: line (dy, dz) goes to plane dz, rows dy and L1 - dy. Odd-numbered z planes are staged
  // in the imaginary part of the even plane before them, for the paired y pass below.
  const put = (dy: number, dz: number, from: Float64Array) => {
    const target = dz % 2 === 0 ? re : im;
    const base = plane * (dz - (dz % 2));
    for (const y of dy === 0 ? [0] : [dy, ly - dy]) {
      const dst = base + H * y;
      for (let k = 0; k < H; k++) target[dst + k] = from[k];
    }
  };
  const fillLine = (buf: Float64Array, dy: number, dz: number) => {
    buf.fill(0);
    for (let dx = 0; dx < n[0]; dx++) {
      const v = kernelAt(dx, dy, dz);
      buf[dx] = v;
      if (dx > 0) buf[lx - dx] = v;
    }
  };
  const lines = n[1] * n[2];
  for (let line = 0; line < lines; line += 2) {
    fillLine(lr, line % n[1], Math.floor(line / n[1]));
    if (line + 1 < lines) fillLine(li, (line + 1) % n[1], Math.floor((line + 1) / n[1]));
    else li.fill(0);
    fft(lr, li, false, 0, lx);
    put(line % n[1], Math.floor(line / n[1]), lr);
    if (line + 1 < lines) put((line + 1) % n[1], Math.floor((line + 1) / n[1]), li);
  }
  // y pass on pairs of planes (dz even in re, dz + 1 in im), only rows ky <= L1/2 are kept.
  const half = H * ((ly >> 1) + 1);
  for (let dz = 0; dz < n[2]; dz += 2) {
    const base = plane * dz;
    fftLines(re, im, ly, H, H, base);
    if (dz + 1 < n[2]) {
      for (let i = 0; i < half; i++) re[base + plane + i] = im[base + i];
    }
    im.fill(0, base, base + plane);
  }
  // Mirror the planes to negative dz, then the z pass on the rows ky <= L1/2.
  for (let dz = 1; dz < n[2]; dz++) re.copyWithin(plane * (lz - dz), plane * dz, plane * dz + half);
  fftLines(re, im, lz, plane, half, 0);
}

/**
 * Exact bilinear forms  sum_{p,q} a[p] kernel(p - q) b[q]  (p, q over the grid n) for several
 * pairs of real volumes, for a real kernel that is even in every axis (kernelAt(dx, dy, dz) is
 * called with dx, dy, dz >= 0 only). By Parseval, each form is (1/|L|) sum_k conj(A_k) K_k B_k on
 * an FFT grid with L_a >= 2 n_a - 1 per axis (so no offset wraps onto another); with real inputs
 * the sum runs over the half space kx <= L0/2, the other half counted by symmetry. No inverse
 * transform is needed.
 *
 * @param pairs indices into `signals`.
 */
export function evenKernelBilinearForms(
  signals: Float64Array[],
  pairs: [number, number][],
  n: Vec3,
  kernelAt: (dx: number, dy: number, dz: number) => number,
): number[] {
  const L: Vec3 = [nextFftLength(2 * n[0] - 1), nextFftLength(2 * n[1] - 1), nextFftLength(2 * n[2] - 1)];
  const [lx, ly, lz] = L;
  const H = (lx >> 1) + 1;
  const size = H * ly * lz;
  const K = new Float64Array(size);
  const kernelScratch = new Float64Array(size);
  evenKernelSpectrum(n, L, kernelAt, K, kernelScratch);
  // Spectra are computed in signal order and dropped as soon as no later pair needs them; their
  // buffers (and the kernel's scratch) are reused, which keeps memory and GC work low.
  const pool: Float64Array[] = [kernelScratch];
  const take = () => pool.pop() ?? new Float64Array(size);
  const spectra: ({ re: Float64Array; im: Float64Array } | null)[] = signals.map(() => null);
  const lastUse = signals.map((_, s) => Math.max(-1, ...pairs.filter(([a, b]) => a === s || b === s).map(([a, b]) => Math.max(a, b))));
  const total = lx * ly * lz;
  const results = new Array<number>(pairs.length).fill(0);
  for (let s = 0; s < signals.length; s++) {
    if (lastUse[s] < 0) continue;
    const re = take(), im = take();
    halfSpectrum3d(signals[s], n, L, re, im);
    spectra[s] = { re, im };
    pairs.forEach(([ia, ib], p) => {
      const A = spectra[ia], B = spectra[ib];
      if (Math.max(ia, ib) === s && A && B) results[p] = parsevalSum(A, B, K, L) / total;
    });
    for (let t = 0; t <= s; t++) {
      const sp = spectra[t];
      if (sp && lastUse[t] <= s) {
        pool.push(sp.re, sp.im);
        spectra[t] = null;
      }
    }
  }
  return results;
}

/** Sum over the full spectrum of Re(conj(A) B) K, from the half space kx <= L0/2 and K's rows ky <= L1/2. */
function parsevalSum(A: { re: Float64Array; im: Float64Array }, B: { re: Float64Array; im: Float64Array }, K: Float64Array, L: Vec3): number {
  const [lx, ly, lz] = L;
  const H = (lx >> 1) + 1;
  const lastIsOwnMirror = 2 * (H - 1) === lx && H > 1;
  let sum = 0;
  for (let kz = 0; kz < lz; kz++) {
    for (let ky = 0; ky < ly; ky++) {
      // K is even in ky: rows above L1/2 read their mirror row.
      sum += parsevalRow(A.re, A.im, B.re, B.im, K, H * (ky + ly * kz), H * (Math.min(ky, ly - ky) + ly * kz), H, lastIsOwnMirror);
    }
  }
  return sum;
}

/**
 * One kx row of parsevalSum: Re(conj(A) B) K over kx < H, where kx = 0 (and kx = L0/2 when L0
 * is even) are their own mirror images and the others stand for two. A function of its own
 * because it is called once per row (thousands of times), so V8 optimises it within the first
 * few rows; as a loop inside one call it ran unoptimised, boxing every partial sum, for most of
 * a cold process's first transform.
 */
function parsevalRow(
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
  K: Float64Array,
  base: number,
  kbase: number,
  H: number,
  lastIsOwnMirror: boolean,
): number {
  let row = 0;
  for (let kx = 0; kx < H; kx++) row += (aRe[base + kx] * bRe[base + kx] + aIm[base + kx] * bIm[base + kx]) * K[kbase + kx];
  const first = (aRe[base] * bRe[base] + aIm[base] * bIm[base]) * K[kbase];
  let last = 0;
  if (lastIsOwnMirror) last = (aRe[base + H - 1] * bRe[base + H - 1] + aIm[base + H - 1] * bIm[base + H - 1]) * K[kbase + H - 1];
  return 2 * row - first - last;
}

