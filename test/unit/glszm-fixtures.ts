/**
 * Fixtures shared by the GLSZM, GLDZM, NGTDM and NGLDM tests: FeatureInputs built from small
 * hand-written grey-level volumes, the IBSI digital phantom, and the grid transforms the
 * invariance tests apply. (Named glszm-* to stay within the files of that work package; a
 * natural home would be test/helpers.)
 */
import type { FeatureInput, FeatureValue } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';
import { readNifti } from '../../src/engine/io/nifti';
import { DIGITAL_PHANTOM } from '../helpers/ibsi';

/**
 * A FeatureInput without discretisation: `levels[i + nx * (j + ny * k)]` is the grey level
 * (bin = value, 1..max) of an ROI voxel, 0 outside the ROI. The morphological mask is the ROI
 * unless `morph` (1 inside) is given; `binValues` overrides the value of each bin.
 */
export function greyLevelInput(
  dims: Vec3,
  levels: readonly number[],
  opts: { morph?: readonly number[]; binValues?: readonly number[] } = {},
): FeatureInput {
  const n = dims[0] * dims[1] * dims[2];
  if (levels.length !== n) throw new Error(`fixture: ${levels.length} levels for ${n} voxels`);
  const binCount = Math.max(1, ...levels);
  const bins = Int32Array.from(levels);
  const intensityMask = Uint8Array.from(levels, (l) => (l > 0 ? 1 : 0));
  const morphMask = opts.morph ? Uint8Array.from(opts.morph) : intensityMask.slice();
  const binValues = new Float64Array(binCount + 1);
  for (let b = 1; b <= binCount; b++) binValues[b] = opts.binValues ? opts.binValues[b] : b;
  const image = Float64Array.from(levels, (l) => (l > 0 ? binValues[l] : 0));
  return {
    dims,
    spacing: [1, 1, 1],
    image,
    morphMask,
    intensityMask,
    discretised: { bins, binCount, binValues },
    ivh: { values: image, min: 0, max: binCount, step: 1 },
  };
}

/** The IBSI digital phantom as its settings prescribe: grey level = intensity, 6 levels, morph = intensity mask. */
export function digitalPhantomInput(): FeatureInput {
  const image = readNifti(DIGITAL_PHANTOM.image);
  const mask = readNifti(DIGITAL_PHANTOM.mask);
  const n = image.data.length;
  const intensityMask = new Uint8Array(n);
  const bins = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    if (mask.data[v] > 0) {
      intensityMask[v] = 1;
      bins[v] = image.data[v];
    }
  }
  const binValues = Float64Array.from({ length: 7 }, (_, b) => b);
  return {
    dims: image.dims,
    spacing: image.spacing,
    image: image.data,
    morphMask: intensityMask.slice(),
    intensityMask,
    discretised: { bins, binCount: 6, binValues },
    ivh: { values: image.data, min: 1, max: 6, step: 1 },
  };
}

/**
 * `input` on a transformed grid: voxel (i, j, k) of the result is voxel `source(i, j, k)` of the
 * input, `dims` the new dimensions; voxels whose source is null are outside every mask.
 */
function remap(input: FeatureInput, dims: Vec3, source: (i: number, j: number, k: number) => Vec3 | null): FeatureInput {
  const [nx, ny, nz] = dims;
  const [ox, oy] = input.dims;
  const n = nx * ny * nz;
  const image = new Float64Array(n);
  const morphMask = new Uint8Array(n);
  const intensityMask = new Uint8Array(n);
  const bins = new Int32Array(n);
  for (let k = 0, v = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, v++) {
        const s = source(i, j, k);
        if (s === null) continue;
        const w = s[0] + ox * (s[1] + oy * s[2]);
        image[v] = input.image[w];
        morphMask[v] = input.morphMask[w];
        intensityMask[v] = input.intensityMask[w];
        bins[v] = input.discretised.bins[w];
      }
    }
  }
  return {
    ...input,
    dims,
    image,
    morphMask,
    intensityMask,
    discretised: { ...input.discretised, bins },
    ivh: { ...input.ivh, values: image },
  };
}

/** Mirrors the grid along `axis`. */
export function flip(input: FeatureInput, axis: 0 | 1 | 2): FeatureInput {
  const d = input.dims;
  return remap(input, [...d], (i, j, k) => {
    const s: Vec3 = [i, j, k];
    s[axis] = d[axis] - 1 - s[axis];
    return s;
  });
}

/** Permutes the axes: result axis a is input axis `order[a]`. */
export function permute(input: FeatureInput, order: Vec3): FeatureInput {
  const d = input.dims;
  const dims: Vec3 = [d[order[0]], d[order[1]], d[order[2]]];
  return remap(input, dims, (i, j, k) => {
    const s: Vec3 = [0, 0, 0];
    s[order[0]] = i;
    s[order[1]] = j;
    s[order[2]] = k;
    return s;
  });
}

/** Adds `pad` empty voxels on every side (empty slices along k included). */
export function padGrid(input: FeatureInput, pad: number): FeatureInput {
  const d = input.dims;
  const dims: Vec3 = [d[0] + 2 * pad, d[1] + 2 * pad, d[2] + 2 * pad];
  return remap(input, dims, (i, j, k) => {
    const s: Vec3 = [i - pad, j - pad, k - pad];
    return s.every((c, a) => c >= 0 && c < d[a]) ? s : null;
  });
}

/** The value of one feature row. */
export function valueOf(rows: readonly FeatureValue[], feature: string, aggregation: string): number {
  const row = rows.find((r) => r.feature === feature && r.aggregation === aggregation);
  if (!row) throw new Error(`no row ${feature} (${aggregation})`);
  return row.value;
}
