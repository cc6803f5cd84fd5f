/**
 * Interpolation of a volume at the voxels of an axis-aligned new grid (IBSI 2.4): nearest
 * neighbour, (tri)linear and cubic B-spline ("tricubic spline"), in float64.
 *
 * The new grid shares the old grid's direction cosines, so every new voxel sits at
 * (x(m0), y(m1), z(m2)) in old index coordinates and each interpolator's 3D kernel is a product of
 * 1D kernels: we interpolate in three 1D passes (along i, then j, then k), each a weighted sum of
 * at most 4 neighbours, instead of evaluating 8 or 64 taps per output voxel.
 *
 * Image boundaries (IBSI: "voxels outside are padded with the nearest boundary intensity"; MIRP:
 * scipy.ndimage.map_coordinates with mode="nearest"): the image is extended beyond its edges by
 * its boundary intensities and the interpolant of that extended image is evaluated. For nearest
 * and linear this is the value at the position clamped to [0, n-1], i.e. the nearest boundary
 * intensity. For the B-spline it is the spline through the extended samples, which between the
 * last sample and the grid's edge (at most half an old voxel out, see resample-grid.ts) is not
 * exactly constant; this is what scipy/MIRP compute.
 *
 * Masks (`outside: 'zero'`): positions outside the old grid's physical extent [-0.5, n-0.5] are
 * outside the ROI (weight 0); inside it they are clamped like the image, so an ROI touching the
 * last slice is not cut at the new edge slice. (The IBSI grid never reaches beyond the extent.)
 *
 * Nearest-neighbour tie rule: a position exactly half-way between two voxels takes the higher
 * index (floor(x + 0.5), as scipy's order-0 map_coordinates). Positions are snapped to exact
 * half-integers first (resample-grid.ts), so ties do not depend on floating-point noise.
 *
 * Cubic B-spline (scipy's map_coordinates order 3 with prefilter): the image is first turned
 * into B-spline coefficients c with s[k] = (c[k-1] + 4 c[k] + c[k+1]) / 6 (Unser's recursive
 * filter, pole sqrt(3) - 2) for the signal extended by its edge values to infinity on both sides
 * (scipy approximates this by padding 12 edge copies; here the initial conditions of both
 * recursions are the exact sums for a constant tail). The interpolant passes through every
 * sample; it reproduces linear ramps away from the edges (near an edge the constant extension
 * bends it, the effect decaying as 0.268^distance).
 */
import type { Interpolation } from '../settings/types';
import type { Vec3 } from '../image/volume';

/** The 1D kernel of one axis: output m reads source[start[m] .. start[m] + width - 1] with
 *  weights[m * width ..]. Source indices include any padding offset of the source array. */
export interface AxisTaps {
  count: number;
  width: number;
  start: Int32Array;
  weights: Float64Array;
}

export type OutsidePolicy = 'nearest' | 'zero';

/** Cubic B-spline pole (IBSI "tricubic spline"; Unser 1999). */
const POLE = Math.sqrt(3) - 2;

/** Coefficients kept beyond each edge of a prefiltered axis: enough for positions in [-1, n]. */
export const BSPLINE_PAD = 2;

/**
 * The taps of one axis for old-index positions `positions` on an axis of `n` samples.
 * `offset` is where sample 0 sits in the source array along this axis (BSPLINE_PAD for padded
 * B-spline coefficients, else 0). An axis of one sample is constant: every interpolator
 * returns its sample, so it gets a single nearest tap.
 */
export function axisTaps(positions: Float64Array, n: number, kind: Interpolation, outside: OutsidePolicy, offset = 0): AxisTaps {
  const count = positions.length;
  const effective: Interpolation = n === 1 ? 'nearest' : kind;
  const width = effective === 'nearest' ? 1 : effective === 'linear' ? 2 : 4;
  const start = new Int32Array(count);
  const weights = new Float64Array(count * width);
  for (let m = 0; m < count; m++) {
    const x = positions[m];
    const w = m * width;
    if (outside === 'zero' && (x < -0.5 || x > n - 0.5)) {
      // Outside the old grid's extent: no ROI there. Weights stay 0, start at a valid index.
      start[m] = offset;
      continue;
    }
    if (effective === 'nearest') {
      const xc = x < 0 ? 0 : x > n - 1 ? n - 1 : x;
      start[m] = Math.min(n - 1, Math.floor(xc + 0.5)) + offset;
      weights[w] = 1;
    } else if (effective === 'linear') {
      const xc = x < 0 ? 0 : x > n - 1 ? n - 1 : x;
      const i0 = Math.min(Math.floor(xc), n - 2);
      const t = xc - i0;
      start[m] = i0 + offset;
      weights[w] = 1 - t;
      weights[w + 1] = t;
    } else {
      // The spline of the edge-extended signal, evaluated up to one voxel beyond the edges
      // (further out it is the edge value to within 0.268^distance). Basis at distances
      // 1 + t, t, 1 - t, 2 - t from coefficients i0-1 .. i0+2.
      const xc = x < -1 ? -1 : x > n ? n : x;
      const i0 = Math.min(Math.floor(xc), n - 1);
      const t = xc - i0;
      const u = 1 - t;
      start[m] = i0 - 1 + offset;
      weights[w] = (u * u * u) / 6;
      weights[w + 1] = (3 * t * t * t - 6 * t * t + 4) / 6;
      weights[w + 2] = (-3 * t * t * t + 3 * t * t + 3 * t + 1) / 6;
      weights[w + 3] = (t * t * t) / 6;
    }
  }
  return { count, width, start, weights };
}

/** B-spline coefficients with BSPLINE_PAD padding coefficients on each side of filtered axes. */
export interface BsplineCoefficients {
  data: Float64Array;
  /** Dims of `data` (old dims + 2 BSPLINE_PAD on filtered axes). */
  dims: Vec3;
  /** BSPLINE_PAD on filtered axes, 0 elsewhere: where sample 0 sits in `data`. */
  pad: Vec3;
}

/**
 * Cubic B-spline prefilter along the axes flagged in `filterAxes` (axes that are not
 * interpolated, or have a single sample, are left as they are: a spline through the samples
 * evaluated at the samples returns them). The volume is extended by its edge values; the
 * padding coefficients belong to that same infinite extension.
 */
export function bsplineCoefficients(data: ArrayLike<number>, dims: Vec3, filterAxes: readonly boolean[]): BsplineCoefficients {
  const pad: Vec3 = [0, 1, 2].map((a) => (filterAxes[a] && dims[a] > 1 ? BSPLINE_PAD : 0)) as Vec3;
  const pd: Vec3 = [dims[0] + 2 * pad[0], dims[1] + 2 * pad[1], dims[2] + 2 * pad[2]];
  const out = new Float64Array(pd[0] * pd[1] * pd[2]);
  // Copy with edge replication into the padding (padding rows repeat the edge rows).
  const [nx, ny] = dims;
  const typed = data instanceof Float64Array ? data : Float64Array.from(data);
  for (let k = 0; k < pd[2]; k++) {
    const sk = clampIndex(k - pad[2], dims[2]);
    for (let j = 0; j < pd[1]; j++) {
      const src = nx * (clampIndex(j - pad[1], ny) + ny * sk);
      const dst = pd[0] * (j + pd[1] * k);
      out.set(typed.subarray(src, src + nx), dst + pad[0]);
      for (let p = 0; p < pad[0]; p++) {
        out[dst + p] = typed[src];
        out[dst + pad[0] + nx + p] = typed[src + nx - 1];
      }
    }
  }
  // The filter's gain, 6 per filtered axis, is applied once, by the first filtered axis's pass
  // (the filter is linear, so where the gain goes does not matter).
  let gain = Math.pow(6, pad.filter((p) => p > 0).length);
  if (pad[0] > 0) {
    for (let r = 0; r < pd[1] * pd[2]; r++) filterLine(out, r * pd[0], pd[0], gain);
    gain = 1;
  }
  // Along j and k the recursion runs over whole rows / planes at once (contiguous in memory).
  if (pad[1] > 0) {
    for (let k = 0; k < pd[2]; k++) filterLanes(out, k * pd[0] * pd[1], pd[0], pd[1], gain);
    gain = 1;
  }
  if (pad[2] > 0) filterLanes(out, 0, pd[0] * pd[1], pd[2], gain);
  return { data: out, dims: pd, pad };
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/**
 * In-place cubic B-spline prefilter of d[base .. base + len - 1] for a signal continued by its
 * first sample to the left and its last to the right forever. Causal c+[k] = s[k] + z c+[k-1];
 * anticausal c-[k] = z (c-[k+1] - c+[k]); c = 6 c-, the gain applied to the input (`gain`, which
 * may carry the gain of other axes too). Exact initial values for the constant tails:
 * c+[0] = s[0] / (1 - z); c-[len-1] = -z (L / (1 - z) + (c+[len-1] - L) / (1 - z^2)) with
 * L = s[len-1] / (1 - z), the limit of c+ over the right tail.
 */
function filterLine(d: Float64Array, base: number, len: number, gain: number): void {
  const z = POLE;
  const end = base + len - 1;
  const limit = (gain * d[end]) / (1 - z);
  d[base] = (gain * d[base]) / (1 - z);
  for (let k = base + 1; k <= end; k++) d[k] = gain * d[k] + z * d[k - 1];
  d[end] = -z * (limit / (1 - z) + (d[end] - limit) / (1 - z * z));
  for (let k = end - 1; k >= base; k--) d[k] = z * (d[k + 1] - d[k]);
}

/**
 * The same filter along an outer axis: `lanes` independent lines side by side (contiguous),
 * `len` of them in sequence starting at `base` (line t of lane q at base + q + t * lanes).
 */
function filterLanes(d: Float64Array, base: number, lanes: number, len: number, gain: number): void {
  const z = POLE;
  const last = base + (len - 1) * lanes;
  const limit = new Float64Array(lanes);
  for (let q = 0; q < lanes; q++) {
    limit[q] = (gain * d[last + q]) / (1 - z);
    d[base + q] = (gain * d[base + q]) / (1 - z);
  }
  for (let t = 1; t < len; t++) {
    const row = base + t * lanes;
    for (let q = 0; q < lanes; q++) d[row + q] = gain * d[row + q] + z * d[row - lanes + q];
  }
  for (let q = 0; q < lanes; q++) d[last + q] = -z * (limit[q] / (1 - z) + (d[last + q] - limit[q]) / (1 - z * z));
  for (let t = len - 2; t >= 0; t--) {
    const row = base + t * lanes;
    for (let q = 0; q < lanes; q++) d[row + q] = z * (d[row + lanes + q] - d[row + q]);
  }
}

/**
 * Interpolate `src` (dims `srcDims`, possibly padded B-spline coefficients) at the separable grid
 * described by one AxisTaps per axis. Output dims are (taps[0].count, taps[1].count, taps[2].count).
 * Only the source block the taps reach is read. `binarise` reads every non-zero source value as 1
 * (ROI masks given as labels).
 */
export function resampleSeparable(
  src: ArrayLike<number>,
  srcDims: Vec3,
  taps: readonly [AxisTaps, AxisTaps, AxisTaps],
  opts: { binarise?: boolean } = {},
): Float64Array {
  const lo: number[] = [];
  const len: number[] = [];
  for (let a = 0; a < 3; a++) {
    const t = taps[a];
    let min = t.count === 0 ? 0 : Infinity;
    let max = t.count === 0 ? 0 : -Infinity;
    for (let m = 0; m < t.count; m++) {
      if (t.start[m] < min) min = t.start[m];
      if (t.start[m] + t.width - 1 > max) max = t.start[m] + t.width - 1;
    }
    if (min < 0 || max >= srcDims[a]) throw new Error(`interpolation taps reach outside the source on axis ${a}`);
    lo.push(min);
    len.push(max - min + 1);
  }
  const [cx, cy, cz] = [taps[0].count, taps[1].count, taps[2].count];
  if (cx * cy * cz === 0) return new Float64Array(0);

  // The source block the taps read, as float64 (the only access to `src`, whatever its type).
  const [lx, ly, lz] = len;
  const block = new Float64Array(lx * ly * lz);
  const binarise = opts.binarise === true;
  for (let k = 0; k < lz; k++) {
    for (let j = 0; j < ly; j++) {
      copyRow(src, lo[0] + srcDims[0] * (lo[1] + j + srcDims[1] * (lo[2] + k)), block, lx * (j + ly * k), lx, binarise);
    }
  }

  const p1 = passI(block, lx, ly * lz, taps[0], lo[0]);
  const p2 = passOuter(p1, cx, ly, lz, taps[1], lo[1]);
  return passOuter(p2, cx * cy, lz, 1, taps[2], lo[2]);
}

/**
 * One row of the source block (as float64, or 0/1 when binarising). The per-row loops of this
 * module are small functions called once per row: V8 optimises them within the first rows of a
 * cold process, where a loop nest inside a single call would run unoptimised (boxing every
 * intermediate double) for most of the block.
 */
function copyRow(src: ArrayLike<number>, s: number, block: Float64Array, d: number, lx: number, binarise: boolean): void {
  if (binarise) for (let i = 0; i < lx; i++) block[d + i] = src[s + i] !== 0 ? 1 : 0;
  else for (let i = 0; i < lx; i++) block[d + i] = src[s + i];
}

/** out[d .. d + n) += w * src[s .. s + n). */
function addScaledRow(out: Float64Array, d: number, w: number, src: Float64Array, s: number, n: number): void {
  for (let i = 0; i < n; i++) out[d + i] += w * src[s + i];
}

/** Along i: `rows` rows of length lx -> rows of length taps.count. */
function passI(src: Float64Array, lx: number, rows: number, t: AxisTaps, lo: number): Float64Array {
  const cx = t.count;
  const out = new Float64Array(cx * rows);
  const start = new Int32Array(cx);
  for (let m = 0; m < cx; m++) start[m] = t.start[m] - lo;
  const w = t.weights;
  // Specialised by kernel width: the inner loop stays free of a variable-length tap loop.
  const row = t.width === 1 ? rowWidth1 : t.width === 2 ? rowWidth2 : rowWidth4;
  for (let r = 0; r < rows; r++) row(out, r * cx, src, r * lx, start, w, cx);
  return out;
}

/** One output row of passI for each kernel width (1: nearest, 2: linear, 4: cubic B-spline). */
function rowWidth1(out: Float64Array, d: number, src: Float64Array, s: number, start: Int32Array, w: Float64Array, cx: number): void {
  for (let m = 0; m < cx; m++) out[d + m] = w[m] * src[s + start[m]];
}

function rowWidth2(out: Float64Array, d: number, src: Float64Array, s: number, start: Int32Array, w: Float64Array, cx: number): void {
  for (let m = 0; m < cx; m++) {
    const q = s + start[m];
    out[d + m] = w[2 * m] * src[q] + w[2 * m + 1] * src[q + 1];
  }
}

function rowWidth4(out: Float64Array, d: number, src: Float64Array, s: number, start: Int32Array, w: Float64Array, cx: number): void {
  for (let m = 0; m < cx; m++) {
    const q = s + start[m];
    const b = 4 * m;
    out[d + m] = w[b] * src[q] + w[b + 1] * src[q + 1] + w[b + 2] * src[q + 2] + w[b + 3] * src[q + 3];
  }
}

/**
 * Along an outer axis: src holds `outer` groups of `len` lanes-wide rows; each output row m of a
 * group is the weighted sum of input rows start[m] .. start[m] + width - 1 (whole rows at once).
 */
function passOuter(src: Float64Array, lanes: number, len: number, outer: number, t: AxisTaps, lo: number): Float64Array {
  const c = t.count;
  const out = new Float64Array(lanes * c * outer);
  for (let g = 0; g < outer; g++) {
    const sBase = g * len * lanes;
    const dBase = g * c * lanes;
    for (let m = 0; m < c; m++) {
      const d = dBase + m * lanes;
      const wBase = m * t.width;
      for (let q = 0; q < t.width; q++) {
        const wq = t.weights[wBase + q];
        if (wq === 0) continue;
        addScaledRow(out, d, wq, src, sBase + (t.start[m] - lo + q) * lanes, lanes);
      }
    }
  }
  return out;
}
