/**
 * GLCM and GLRLM invariants: the 13 (3D) and 4 (in-plane) unique directions are closed under
 * flips and axis permutations, and empty space around the ROI takes no part. So
 *  - every aggregation is unchanged by flipping i, j or k, swapping i and j, and padding with
 *    empty rows, columns and slices;
 *  - the 3D aggregations are also unchanged by permutations that move the slice axis.
 */
import { describe, expect, it } from 'vitest';
import type { DirectionalAggregation, FeatureInput, FeatureValue } from '../../src/engine/features/types';
import { DIRECTIONAL_AGGREGATIONS } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';
import { computeGlcm } from '../../src/engine/texture/glcm';
import { computeGlrlm } from '../../src/engine/texture/glrlm';

interface Volume {
  dims: Vec3;
  bins: number[];
}

function textureInput({ dims, bins }: Volume): FeatureInput {
  const mask = Uint8Array.from(bins.map((b) => (b > 0 ? 1 : 0)));
  const binCount = 5;
  const binValues = Float64Array.from({ length: binCount + 1 }, (_, b) => b);
  const image = Float64Array.from(bins);
  return {
    dims,
    spacing: [1, 1, 1],
    image,
    morphMask: mask,
    intensityMask: mask,
    discretised: { bins: Int32Array.from(bins), binCount, binValues },
    ivh: { values: image, min: 0, max: binCount, step: 1 },
  };
}

/** A 7x6x5 volume with levels 1..5 and about a quarter of the voxels outside the ROI. */
function randomVolume(seed: number): Volume {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const dims: Vec3 = [7, 6, 5];
  const bins = Array.from({ length: 7 * 6 * 5 }, () => (next() < 0.25 ? 0 : 1 + Math.floor(next() * 5)));
  return { dims, bins };
}

/** The volume with voxel (i, j, k) moved to `to(i, j, k)` on a grid of `dims`. */
function remap(vol: Volume, dims: Vec3, to: (i: number, j: number, k: number) => Vec3): Volume {
  const [nx, ny, nz] = vol.dims;
  const bins = new Array<number>(dims[0] * dims[1] * dims[2]).fill(0);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const [a, b, c] = to(i, j, k);
        bins[a + dims[0] * (b + dims[1] * c)] = vol.bins[i + nx * (j + ny * k)];
      }
    }
  }
  return { dims, bins };
}

const IN_PLANE_PRESERVING: [string, (v: Volume) => Volume][] = [
  ['flip i', (v) => remap(v, v.dims, (i, j, k) => [v.dims[0] - 1 - i, j, k])],
  ['flip j', (v) => remap(v, v.dims, (i, j, k) => [i, v.dims[1] - 1 - j, k])],
  ['flip k', (v) => remap(v, v.dims, (i, j, k) => [i, j, v.dims[2] - 1 - k])],
  ['swap i and j', (v) => remap(v, [v.dims[1], v.dims[0], v.dims[2]], (i, j, k) => [j, i, k])],
  ['pad with empty rows, columns and slices', (v) => remap(v, [v.dims[0] + 3, v.dims[1] + 2, v.dims[2] + 4], (i, j, k) => [i + 1, j + 2, k + 2])],
];

const SLICE_AXIS_MOVING: [string, (v: Volume) => Volume][] = [
  ['permute (i, j, k) -> (k, i, j)', (v) => remap(v, [v.dims[2], v.dims[0], v.dims[1]], (i, j, k) => [k, i, j])],
  ['swap j and k', (v) => remap(v, [v.dims[0], v.dims[2], v.dims[1]], (i, j, k) => [i, k, j])],
];

function allFeatures(vol: Volume): FeatureValue[] {
  const input = textureInput(vol);
  return [
    ...computeGlcm(input, { distance: 1, symmetric: true }, DIRECTIONAL_AGGREGATIONS),
    ...computeGlcm(input, { distance: 2, symmetric: true }, DIRECTIONAL_AGGREGATIONS).map((v) => ({ ...v, feature: `${v.feature} (d=2)` })),
    ...computeGlrlm(input, DIRECTIONAL_AGGREGATIONS),
  ];
}

function same(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
}

/** Features (of the given aggregations) whose values differ between the two volumes. */
function differences(a: Volume, b: Volume, aggregations: readonly DirectionalAggregation[]): string[] {
  const fa = allFeatures(a);
  const fb = allFeatures(b);
  expect(fb).toHaveLength(fa.length);
  const out: string[] = [];
  fa.forEach((v, n) => {
    if (!aggregations.includes(v.aggregation as DirectionalAggregation)) return;
    if (!same(v.value, fb[n].value)) out.push(`${v.family} ${v.feature} ${v.aggregation}: ${v.value} vs ${fb[n].value}`);
  });
  return out;
}

const THREE_D: DirectionalAggregation[] = ['3D, averaged', '3D, merged'];

describe('GLCM and GLRLM invariance', () => {
  const volumes = [randomVolume(1), randomVolume(2)];

  it('has no undefined values on the test volumes (so the comparisons are meaningful)', () => {
    for (const v of volumes) {
      const nan = allFeatures(v).filter((f) => Number.isNaN(f.value));
      expect(nan).toEqual([]);
    }
  });

  for (const [name, transform] of IN_PLANE_PRESERVING) {
    it(`all six aggregations are unchanged by: ${name}`, () => {
      for (const v of volumes) expect(differences(v, transform(v), DIRECTIONAL_AGGREGATIONS)).toEqual([]);
    });
  }

  for (const [name, transform] of SLICE_AXIS_MOVING) {
    it(`the 3D aggregations are unchanged by: ${name}`, () => {
      for (const v of volumes) {
        expect(differences(v, transform(v), THREE_D)).toEqual([]);
        // ... while the slice-wise ones see other slices (the comparison is not vacuous).
        expect(differences(v, transform(v), ['2D, averaged', '2.5D, merged']).length).toBeGreaterThan(0);
      }
    });
  }
});
