/**
 * Smooth Gaussian random fields for the demo cohort: cortical folding, tissue texture, tumour
 * margins and enhancement patchiness.
 *
 * A field is white Gaussian noise convolved with an isotropic Gaussian kernel of standard
 * deviation `lengthMm` (its autocorrelation is then exp(-r^2 / (4 lengthMm^2))), scaled to unit
 * variance. It is built on a coarse cubic lattice of step lengthMm / 1.25 (the kernel sd is 1.25
 * lattice steps; 9 taps per axis cover +-3.2 sd) and read anywhere by trilinear interpolation:
 * the field is smooth at the lattice scale (neighbouring lattice values correlate at about
 * 0.85), interpolation costs 8 reads and works at the warped positions used for mass effect.
 *
 * Interpolation averages correlated neighbours, so its variance would dip between lattice
 * points (to ((1 + rho) / 2)^3 = 0.79 at a cell centre) and the texture would carry a faint
 * periodic pattern at the lattice step. Because the lattice covariance is separable (a product over axes), the
 * variance at fractional position t along one axis is exactly 1 - 2 t (1 - t) (1 - rho), with rho
 * the neighbour correlation; each sample is divided by the square root of the product over the
 * three axes, which makes the variance exactly 1 everywhere.
 */
import type { Vec3 } from '../image/volume';
import type { Rng } from './rng';

/** Lattice steps per kernel standard deviation. */
const STEPS_PER_SD = 1.25;
/** Kernel half-width in lattice steps (3.2 sd). */
const KERNEL_RADIUS = 4;

export class LatticeField {
  constructor(
    /** World position (mm) of lattice point (0, 0, 0). */
    readonly origin: Vec3,
    /** Lattice step in mm (the same on every axis). */
    readonly step: number,
    readonly dims: Vec3,
    readonly data: Float32Array,
  ) {}

  /** Field value at world position (x, y, z) mm; positions outside the lattice are clamped. */
  sample(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.dims;
    let fx = (x - this.origin[0]) / this.step;
    let fy = (y - this.origin[1]) / this.step;
    let fz = (z - this.origin[2]) / this.step;
    fx = fx < 0 ? 0 : fx > nx - 1.000001 ? nx - 1.000001 : fx;
    fy = fy < 0 ? 0 : fy > ny - 1.000001 ? ny - 1.000001 : fy;
    fz = fz < 0 ? 0 : fz > nz - 1.000001 ? nz - 1.000001 : fz;
    const i = fx | 0;
    const j = fy | 0;
    const k = fz | 0;
    const tx = fx - i;
    const ty = fy - j;
    const tz = fz - k;
    const d = this.data;
    const sx = 1;
    const sy = nx;
    const sz = nx * ny;
    const b = i + nx * (j + ny * k);
    const c00 = d[b] + tx * (d[b + sx] - d[b]);
    const c10 = d[b + sy] + tx * (d[b + sy + sx] - d[b + sy]);
    const c01 = d[b + sz] + tx * (d[b + sz + sx] - d[b + sz]);
    const c11 = d[b + sz + sy] + tx * (d[b + sz + sy + sx] - d[b + sz + sy]);
    const c0 = c00 + ty * (c10 - c00);
    const c1 = c01 + ty * (c11 - c01);
    const v = c0 + tz * (c1 - c0);
    const g = 2 * (1 - NEIGHBOUR_CORRELATION);
    const variance = (1 - g * tx * (1 - tx)) * (1 - g * ty * (1 - ty)) * (1 - g * tz * (1 - tz));
    return v / Math.sqrt(variance);
  }
}

/** Normalised Gaussian kernel of `STEPS_PER_SD` steps per sd, and the sum of its squares. */
function latticeKernel(): { w: Float64Array; sumSq: number } {
  const w = new Float64Array(2 * KERNEL_RADIUS + 1);
  let s = 0;
  for (let t = -KERNEL_RADIUS; t <= KERNEL_RADIUS; t++) {
    const v = Math.exp((-0.5 * t * t) / (STEPS_PER_SD * STEPS_PER_SD));
    w[t + KERNEL_RADIUS] = v;
    s += v;
  }
  let sumSq = 0;
  for (let t = 0; t < w.length; t++) {
    w[t] /= s;
    sumSq += w[t] * w[t];
  }
  return { w, sumSq };
}

const KERNEL = latticeKernel();

/** rho = sum_t w_t w_(t+1) / sum_t w_t^2: the correlation of adjacent lattice values. */
const NEIGHBOUR_CORRELATION = (() => {
  let c = 0;
  for (let t = 0; t + 1 < KERNEL.w.length; t++) c += KERNEL.w[t] * KERNEL.w[t + 1];
  return c / KERNEL.sumSq;
})();

/**
 * Convolve along one axis, keeping only outputs whose kernel lies inside the input ("valid"):
 * the output has `2 * KERNEL_RADIUS` fewer points on that axis. Along y and z, whole rows are
 * accumulated tap by tap, so memory is read contiguously.
 */
function blurAxisValid(src: Float32Array, dims: Vec3, axis: 0 | 1 | 2): { data: Float32Array; dims: Vec3 } {
  const [nx, ny] = dims;
  const out: Vec3 = [dims[0], dims[1], dims[2]];
  out[axis] -= 2 * KERNEL_RADIUS;
  const [ox, oy, oz] = out;
  const dst = new Float32Array(ox * oy * oz);
  const w = KERNEL.w;
  const taps = w.length;
  if (axis === 0) {
    for (let row = 0; row < oy * oz; row++) {
      const s0 = row * nx;
      const d0 = row * ox;
      for (let i = 0; i < ox; i++) {
        let acc = 0;
        for (let t = 0; t < taps; t++) acc += w[t] * src[s0 + i + t];
        dst[d0 + i] = acc;
      }
    }
  } else {
    // Rows (axis 1) or planes (axis 2) of the output, each a weighted sum of input rows or
    // planes, accumulated in double precision.
    const span = axis === 1 ? ox : nx * ny;
    const acc = new Float64Array(span);
    const outer = axis === 1 ? oz : 1;
    const inner = axis === 1 ? oy : oz;
    const step = axis === 1 ? nx : nx * ny;
    for (let k = 0; k < outer; k++) {
      for (let j = 0; j < inner; j++) {
        acc.fill(0);
        const first = axis === 1 ? nx * (j + ny * k) : step * j;
        for (let t = 0; t < taps; t++) {
          const wt = w[t];
          const s0 = first + t * step;
          for (let i = 0; i < span; i++) acc[i] += wt * src[s0 + i];
        }
        dst.set(acc, axis === 1 ? ox * (j + oy * k) : span * j);
      }
    }
  }
  return { data: dst, dims: out };
}

/**
 * A unit-variance smooth random field covering the box [min, max] (world mm) with kernel sd
 * `lengthMm`. Draws (nx+8)(ny+8)(nz+8) normals from `rng` in lattice order.
 */
export function gaussianRandomField(rng: Rng, min: Vec3, max: Vec3, lengthMm: number): LatticeField {
  const step = lengthMm / STEPS_PER_SD;
  // One extra lattice point beyond each side so clamped interpolation never reaches the edge.
  const origin: Vec3 = [min[0] - step, min[1] - step, min[2] - step];
  const dims: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) dims[a] = Math.max(2, Math.ceil((max[a] - min[a]) / step) + 3);
  const padded: Vec3 = [dims[0] + 2 * KERNEL_RADIUS, dims[1] + 2 * KERNEL_RADIUS, dims[2] + 2 * KERNEL_RADIUS];
  let data: Float32Array = new Float32Array(padded[0] * padded[1] * padded[2]);
  const row = new Float64Array(padded[0]);
  for (let o = 0; o < data.length; o += padded[0]) {
    rng.fillNormal(row, padded[0]);
    data.set(row, o);
  }
  let cur: Vec3 = padded;
  for (const axis of [0, 1, 2] as const) {
    const r = blurAxisValid(data, cur, axis);
    data = r.data;
    cur = r.dims;
  }
  // The variance of a weighted sum of iid unit normals is the sum of squared weights.
  const scale = 1 / Math.sqrt(KERNEL.sumSq * KERNEL.sumSq * KERNEL.sumSq);
  for (let i = 0; i < data.length; i++) data[i] *= scale;
  return new LatticeField(origin, step, dims, data);
}
