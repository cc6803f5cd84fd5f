/**
 * The scanner's imperfections, applied to a noise-free image (docs/demo-cohort.md, "Scanners
 * and sites"):
 *
 * - Bias field: a smooth multiplicative intensity non-uniformity from the receive coils,
 *   modelled, as in retrospective correction methods (Styner et al. 2000, IEEE TMI 19:153;
 *   N4, Tustison et al. 2010), as exp(polynomial of degree 2 in the position). One polynomial is
 *   shared by the subject's four sequences (same coil, same session) and each sequence adds a
 *   smaller one of its own.
 * - Rician noise: the magnitude of the complex signal with independent Gaussian noise in the
 *   real and imaginary channels, M = sqrt((S + n1)^2 + n2^2) (Gudbjartsson & Patz 1995, MRM
 *   34:910): Rayleigh-distributed in the air, biased upward at low SNR, near-Gaussian in tissue.
 * - Gain and quantisation: the site's receiver scaling, rounding to int16 and clipping at 0 and
 *   32767.
 */
import type { Grid } from '../image/volume';
import type { Rng } from './rng';

/** Degree-2 polynomial terms in position (x, y, z scaled by 1/100 mm, about the head's size). */
const BIAS_TERMS = 9;
/** Sd of a sequence's own bias coefficients relative to the shared ones. */
const PER_SEQUENCE_BIAS = 0.35;

/** Coefficients of a log bias polynomial: x, y, z, x^2, y^2, z^2, xy, xz, yz. */
export function drawBiasPolynomial(rng: Rng, sd: number): Float64Array {
  const c = new Float64Array(BIAS_TERMS);
  for (let t = 0; t < BIAS_TERMS; t++) c[t] = sd * rng.normal();
  return c;
}

export interface ScannerSettings {
  /** Shared log bias polynomial of the subject's session. */
  sharedBias: Float64Array;
  /** Site bias sd (scales this sequence's own polynomial). */
  biasSd: number;
  /** Noise sd of each channel, in the units of the noise-free image. */
  noiseSd: number;
  gain: number;
}

/**
 * Bias, Rician noise, gain and int16 quantisation of one noise-free image. Draws the sequence's
 * own bias polynomial, then two normals per voxel, from `rng`.
 */
export function acquire(clean: Float32Array, grid: Grid, s: ScannerSettings, rng: Rng): Int16Array {
  const own = drawBiasPolynomial(rng, s.biasSd * PER_SEQUENCE_BIAS);
  const c = new Float64Array(BIAS_TERMS);
  for (let t = 0; t < BIAS_TERMS; t++) c[t] = s.sharedBias[t] + own[t];
  const [nx, ny, nz] = grid.dims;
  const m = grid.affine;
  const out = new Int16Array(nx * ny * nz);
  const sd = s.noiseSd;
  const gain = s.gain;
  const h = m[0] / 100;
  const x0 = m[3] / 100;
  const noise = new Float64Array(2 * nx);
  let idx = 0;
  for (let k = 0; k < nz; k++) {
    const z = (m[10] * k + m[11]) / 100;
    for (let j = 0; j < ny; j++) {
      const y = (m[5] * j + m[7]) / 100;
      // Along a row the log bias is quadratic in x, a + b x + c x^2, so exp of it follows the
      // recurrence E(i+1) = E(i) R(i), R(i+1) = R(i) exp(2 c h^2): three exps per row.
      const a0 = c[1] * y + c[2] * z + c[4] * y * y + c[5] * z * z + c[8] * y * z;
      const b1 = c[0] + c[6] * y + c[7] * z;
      const c2 = c[3];
      let bias = Math.exp(a0 + b1 * x0 + c2 * x0 * x0);
      let ratio = Math.exp(b1 * h + c2 * h * (2 * x0 + h));
      const ratioStep = Math.exp(2 * c2 * h * h);
      // Two normals per voxel also in the air (Rayleigh there): the ziggurat's two draws cost
      // less than one logarithm of the direct Rayleigh formula sd sqrt(-2 ln U).
      rng.fillNormal(noise, 2 * nx);
      for (let i = 0; i < nx; i++, idx++) {
        const re = clean[idx] * bias + sd * noise[2 * i];
        const im = sd * noise[2 * i + 1];
        const q = gain * Math.sqrt(re * re + im * im) + 0.5; // >= 0.5, so truncation rounds to nearest
        out[idx] = q >= 32767 ? 32767 : q | 0;
        bias *= ratio;
        ratio *= ratioStep;
      }
    }
  }
  return out;
}
