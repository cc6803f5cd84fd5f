/**
 * Local intensity (IBSI 3.2): the sphere of 1 cm^3 and the local / global intensity peaks on
 * hand-made volumes, and agreement with a direct (per-voxel, per-offset) computation on an
 * irregular anisotropic volume whose ROI touches the grid border.
 */
import { describe, expect, it } from 'vitest';
import {
  LOCAL_INTENSITY_RADIUS_MM,
  computeLocalIntensity,
  localIntensityPeaks,
  sphereRows,
} from '../../src/engine/features/local-intensity';
import type { FeatureInput } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';

function input(dims: Vec3, spacing: Vec3, image: number[], mask: number[]): FeatureInput {
  const n = dims[0] * dims[1] * dims[2];
  return {
    dims,
    spacing,
    image: Float64Array.from(image),
    morphMask: Uint8Array.from(mask),
    intensityMask: Uint8Array.from(mask),
    discretised: { bins: new Int32Array(n), binCount: 1, binValues: new Float64Array(2) },
    ivh: { values: new Float64Array(n), min: 0, max: 0, step: 1 },
  };
}

describe('sphere of 1 cm^3', () => {
  it('has radius (3 / (4 pi))^(1/3) cm', () => {
    // 4/3 pi r^3 = 1000 mm^3.
    expect((4 / 3) * Math.PI * LOCAL_INTENSITY_RADIUS_MM ** 3).toBeCloseTo(1000, 9);
    expect(LOCAL_INTENSITY_RADIUS_MM).toBeCloseTo(6.2035, 4);
  });

  it('holds 123 voxel centres on a 2 mm isotropic grid', () => {
    // (2i)^2 + (2j)^2 + (2k)^2 <= 6.2035^2 = 38.48  <=>  i^2 + j^2 + k^2 <= 9.62. Integer points by
    // i^2 + j^2 + k^2: 0: 1, 1: 6, 2: 12, 3: 8, 4: 6, 5: 24, 6: 24, 8: 12, 9: 30 (6 of the form
    // (3,0,0) and 24 of (2,2,1)); 7 is not a sum of three squares. Total 123.
    const rows = sphereRows([2, 2, 2]);
    expect(rows.voxels).toBe(123);
    // Rows: every (j, k) with 4 (j^2 + k^2) <= 38.48, i.e. j^2 + k^2 <= 9: 29 pairs.
    expect(rows.dj.length).toBe(29);
  });

  it('follows anisotropic spacing', () => {
    // 5 x 5 x 100 mm: in-plane (5i)^2 + (5j)^2 <= 38.48 <=> i^2 + j^2 <= 1.54: the voxel and its
    // 4 in-plane neighbours; no other slice is within reach.
    const rows = sphereRows([5, 5, 100]);
    expect(rows.voxels).toBe(5);
    expect(Array.from(rows.dk)).toEqual([0, 0, 0]);
    // 10 mm voxels: only the centre itself.
    expect(sphereRows([10, 10, 10]).voxels).toBe(1);
  });
});

describe('local and global intensity peak', () => {
  // A 3 x 3 x 1 grid with 5 x 5 x 100 mm voxels, so each sphere is the plus-shaped in-plane
  // neighbourhood clipped to the grid. The centre voxel (9) is outside the ROI but still counts
  // in its neighbours' means.
  //   j=0:  1 2 3
  //   j=1:  4 9 5
  //   j=2:  6 7 8
  const image = [1, 2, 3, 4, 9, 5, 6, 7, 8];
  const mask = [1, 1, 1, 1, 0, 1, 1, 1, 1];

  it('takes the peaks over the full image, without padding', () => {
    // Local means of the ROI voxels (neighbours that exist, the voxel itself included):
    //   1: (1+2+4)/3 = 7/3      2: (2+1+3+9)/4 = 15/4    3: (3+2+5)/3 = 10/3
    //   4: (4+1+6+9)/4 = 5      5: (5+3+8+9)/4 = 25/4    6: (6+4+7)/3 = 17/3
    //   7: (7+6+8+9)/4 = 15/2   8: (8+7+5)/3 = 20/3
    // Global peak: the largest, 15/2. Local peak: at the brightest ROI voxel (8): 20/3.
    const [local, global] = computeLocalIntensity(input([3, 3, 1], [5, 5, 100], image, mask));
    expect(local.feature).toBe('Local intensity peak');
    expect(local.ibsi_code).toBe('VJGA');
    expect(local.value).toBeCloseTo(20 / 3, 12);
    expect(global.feature).toBe('Global intensity peak');
    expect(global.ibsi_code).toBe('0F91');
    expect(global.value).toBeCloseTo(15 / 2, 12);
  });

  it('uses the largest local mean when several voxels share the maximum intensity', () => {
    // Voxel (0,0) raised to 8 as well: its mean is (8+2+4)/3 = 14/3, below 20/3 at (2,2), which
    // stays the local peak whichever comes first in scan order. Global peak unchanged (7: 15/2).
    const tied = image.slice();
    tied[0] = 8;
    const peaks = localIntensityPeaks(Float64Array.from(tied), Uint8Array.from(mask), [3, 3, 1], [5, 5, 100]);
    expect(peaks.local).toBeCloseTo(20 / 3, 12);
    expect(peaks.global).toBeCloseTo(15 / 2, 12);
    // Mirrored in j, the voxel with the larger mean comes first in scan order: same result.
    const peaksFlipped = localIntensityPeaks(
      Float64Array.from(flipJ(tied, [3, 3, 1])),
      Uint8Array.from(flipJ(mask, [3, 3, 1])),
      [3, 3, 1],
      [5, 5, 100],
    );
    expect(peaksFlipped.local).toBeCloseTo(20 / 3, 12);
    expect(peaksFlipped.global).toBeCloseTo(15 / 2, 12);
  });

  it('is NaN for an empty ROI', () => {
    const [local, global] = computeLocalIntensity(input([3, 3, 1], [5, 5, 100], image, new Array(9).fill(0)));
    expect(local.value).toBeNaN();
    expect(global.value).toBeNaN();
  });

  it('matches a direct computation on an anisotropic volume whose ROI touches the border', () => {
    // 14 x 12 x 9 voxels of 0.9 x 1.1 x 2.5 mm: the sphere reaches 6 voxels in i, 5 in j, 2 in k,
    // so ROI voxels near the border take the clipped path and central ones the interior path.
    const dims: Vec3 = [14, 12, 9];
    const spacing: Vec3 = [0.9, 1.1, 2.5];
    const n = dims[0] * dims[1] * dims[2];
    const random = lcg(12345);
    const img = new Float64Array(n);
    const roi = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      img[i] = Math.floor(random() * 2000) - 1000 + (random() < 0.3 ? 0.25 : 0);
      roi[i] = random() < 0.4 ? 1 : 0;
    }
    const peaks = localIntensityPeaks(img, roi, dims, spacing);
    const direct = directPeaks(img, roi, dims, spacing);
    expect(peaks.local).toBeCloseTo(direct.local, 9);
    expect(peaks.global).toBeCloseTo(direct.global, 9);
  });
});

/** The definition, voxel by voxel: mean over all grid voxels within the radius. */
function directPeaks(image: Float64Array, mask: Uint8Array, dims: Vec3, spacing: Vec3): { local: number; global: number } {
  const [nx, ny, nz] = dims;
  let max = -Infinity;
  for (let i = 0; i < image.length; i++) if (mask[i] && image[i] > max) max = image[i];
  let local = -Infinity;
  let global = -Infinity;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const idx = i + nx * (j + ny * k);
        if (!mask[idx]) continue;
        let sum = 0;
        let count = 0;
        for (let c = 0; c < nz; c++) {
          for (let b = 0; b < ny; b++) {
            for (let a = 0; a < nx; a++) {
              const d = Math.sqrt(((a - i) * spacing[0]) ** 2 + ((b - j) * spacing[1]) ** 2 + ((c - k) * spacing[2]) ** 2);
              if (d <= LOCAL_INTENSITY_RADIUS_MM) {
                sum += image[a + nx * (b + ny * c)];
                count++;
              }
            }
          }
        }
        const mean = sum / count;
        global = Math.max(global, mean);
        if (image[idx] === max) local = Math.max(local, mean);
      }
    }
  }
  return { local, global };
}

function flipJ(values: number[], dims: Vec3): number[] {
  const out = values.slice();
  for (let k = 0; k < dims[2]; k++) {
    for (let j = 0; j < dims[1]; j++) {
      for (let i = 0; i < dims[0]; i++) out[i + dims[0] * (j + dims[1] * k)] = values[i + dims[0] * (dims[1] - 1 - j + dims[1] * k)];
    }
  }
  return out;
}

/** A small deterministic generator (numerical recipes LCG), for reproducible test volumes. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
