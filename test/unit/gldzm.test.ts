/**
 * GLDZM (IBSI 3.7) on hand-worked volumes, and the edge distance map it rests on
 * (distance-map.ts), checked against a brute-force definition.
 */
import { describe, expect, it } from 'vitest';
import type { ZoneAggregation } from '../../src/engine/features/types';
import type { Vec3 } from '../../src/engine/image/volume';
import { cityBlockDistanceToEdge, extendDistanceAcrossSlices } from '../../src/engine/texture/distance-map';
import { computeGldzm } from '../../src/engine/texture/gldzm';
import { greyLevelInput, valueOf } from './glszm-fixtures';

const ALL: readonly ZoneAggregation[] = ['2D', '2.5D', '3D'];

// A 5x5 slice, all ROI. Edge distances (4-connected, edge voxel = 1): the outer ring 1, the next
// ring 2, the centre 3.
const SLICE = [
  1, 1, 1, 1, 1,
  1, 2, 2, 1, 1,
  1, 2, 3, 1, 1,
  1, 1, 1, 1, 1,
  1, 1, 1, 1, 1,
];

describe('GLDZM, one 5x5 slice', () => {
  // Zones: level 1, the 21 voxels around (one 8-connected zone), touching the edge: distance 1;
  // level 2 {(1,1),(2,1),(1,2)}, all in the second ring: distance 2; level 3, the centre:
  // distance 3. d_ij = 1 at (1,1), (2,2), (3,3); N_s = 3, N_v = 25.
  const rows = computeGldzm(greyLevelInput([5, 5, 1], SLICE), ALL);

  it('has 16 features per aggregation with the IBSI names and codes', () => {
    expect(rows.length).toBe(48);
    expect(rows.slice(0, 16).map((r) => r.ibsi_code)).toEqual([
      '0GBI', 'MB4I', 'S1RA', 'K26C', 'RUVG', 'DKNJ', 'A7WM', 'KLTH', 'VFT7', '7HP3', 'V294', 'IATH', 'VIWW', 'QK93', '7WT1', 'GBDU',
    ]);
  });

  it('matches the hand-worked values (one slice: 2D = 2.5D)', () => {
    const expected: Record<string, number> = {
      'Small distance emphasis': (1 + 1 / 4 + 1 / 9) / 3,
      'Large distance emphasis': (1 + 4 + 9) / 3,
      // Grey level i and distance j coincide for every zone here.
      'Low grey level zone emphasis': (1 + 1 / 4 + 1 / 9) / 3,
      'High grey level zone emphasis': 14 / 3,
      'Small distance low grey level emphasis': (1 + 1 / 16 + 1 / 81) / 3,
      'Small distance high grey level emphasis': 1,
      'Large distance low grey level emphasis': 1,
      'Large distance high grey level emphasis': (1 + 16 + 81) / 3,
      'Grey level non-uniformity': 1,
      'Normalised grey level non-uniformity': 1 / 3,
      'Zone distance non-uniformity': 1,
      'Normalised zone distance non-uniformity': 1 / 3,
      'Zone percentage': 3 / 25,
      'Grey level variance': 2 / 3,
      'Zone distance variance': 2 / 3,
      'Zone distance entropy': Math.log2(3),
    };
    for (const aggregation of ['2D', '2.5D']) {
      for (const [feature, value] of Object.entries(expected)) {
        expect(valueOf(rows, feature, aggregation), `${feature} ${aggregation}`).toBeCloseTo(value, 12);
      }
    }
  });

  it('puts every zone of a one-slice volume at distance 1 in 3D (the neighbouring slices are outside)', () => {
    expect(valueOf(rows, 'Small distance emphasis', '3D')).toBe(1);
    expect(valueOf(rows, 'Large distance emphasis', '3D')).toBe(1);
    expect(valueOf(rows, 'Zone distance variance', '3D')).toBe(0);
    // The zones themselves are those of 2D.
    expect(valueOf(rows, 'Zone percentage', '3D')).toBeCloseTo(3 / 25, 12);
  });

  it('measures distances to the edge of the morphological mask, not to re-segmentation holes', () => {
    // Remove (3,2), a face neighbour of the centre, from the intensity mask only. The
    // morphological mask is still the full slice, so the distances stay 1, 2, 3.
    const levels = SLICE.slice();
    levels[3 + 5 * 2] = 0;
    const morph = new Array<number>(25).fill(1);
    const withHole = computeGldzm(greyLevelInput([5, 5, 1], levels, { morph }), ['2D']);
    expect(valueOf(withHole, 'Small distance emphasis', '2D')).toBeCloseTo((1 + 1 / 4 + 1 / 9) / 3, 12);
    expect(valueOf(withHole, 'Large distance emphasis', '2D')).toBeCloseTo(14 / 3, 12);
    // Had the hole been an edge, the centre would be at distance 1 (the level-2 zone stays at 2):
    // d_ij = 1 at (1,1), (2,2), (3,1), as it is when the morphological mask has the hole too.
    const shrunk = computeGldzm(greyLevelInput([5, 5, 1], levels), ['2D']);
    expect(valueOf(shrunk, 'Large distance emphasis', '2D')).toBeCloseTo(2, 12);
    expect(valueOf(shrunk, 'Small distance emphasis', '2D')).toBeCloseTo(0.75, 12);
  });
});

describe('GLDZM, 3x3x3 cube with a different centre', () => {
  // All 27 voxels in the ROI; level 2 at the centre, level 1 elsewhere.
  // 2D: slices k = 0 and 2 are one level-1 zone at distance 1; slice 1 has the level-1 ring
  // (distance 1) and the centre at in-plane distance 2. 3D: the level-1 shell (distance 1) and
  // the centre at 6-connected distance 2.
  const levels = new Array<number>(27).fill(1);
  levels[13] = 2;
  const rows = computeGldzm(greyLevelInput([3, 3, 3], levels), ALL);

  it('matches the hand-worked values of each aggregation', () => {
    // SDE: 2D (1 + (1 + 1/4)/2 + 1) / 3; 2.5D merged d = {1: 3, 2: 1}: (3 + 1/4) / 4; 3D (1 + 1/4) / 2.
    expect(valueOf(rows, 'Small distance emphasis', '2D')).toBeCloseTo((1 + 0.625 + 1) / 3, 12);
    expect(valueOf(rows, 'Small distance emphasis', '2.5D')).toBeCloseTo(3.25 / 4, 12);
    expect(valueOf(rows, 'Small distance emphasis', '3D')).toBeCloseTo(0.625, 12);
    // LDE: 2D (1 + (1 + 4)/2 + 1) / 3; 2.5D (3 + 4) / 4; 3D (1 + 4) / 2.
    expect(valueOf(rows, 'Large distance emphasis', '2D')).toBeCloseTo(1.5, 12);
    expect(valueOf(rows, 'Large distance emphasis', '2.5D')).toBeCloseTo(1.75, 12);
    expect(valueOf(rows, 'Large distance emphasis', '3D')).toBeCloseTo(2.5, 12);
    // Zone percentage: 2D (1/9 + 2/9 + 1/9) / 3; 2.5D 4/27; 3D 2/27.
    expect(valueOf(rows, 'Zone percentage', '2D')).toBeCloseTo(4 / 27, 12);
    expect(valueOf(rows, 'Zone percentage', '2.5D')).toBeCloseTo(4 / 27, 12);
    expect(valueOf(rows, 'Zone percentage', '3D')).toBeCloseTo(2 / 27, 12);
  });

  it('gives the same values whichever aggregation is computed first', () => {
    // The 3D distance map is derived from the in-plane one when that exists; alone, it is
    // computed directly.
    const alone = computeGldzm(greyLevelInput([3, 3, 3], levels), ['3D']);
    expect(valueOf(alone, 'Large distance emphasis', '3D')).toBeCloseTo(2.5, 12);
  });
});

/** Brute force: min over voxels u outside the mask (or beyond the grid) of the L1 distance. */
function bruteForceDistance(mask: Uint8Array, dims: Vec3, inPlaneOnly: boolean): Int32Array {
  const [nx, ny, nz] = dims;
  const out = new Int32Array(mask.length);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (mask[v] === 0) continue;
        // Nearest position beyond the grid.
        let best = Math.min(i + 1, nx - i, j + 1, ny - j);
        if (!inPlaneOnly) best = Math.min(best, k + 1, nz - k);
        for (let kk = 0; kk < nz; kk++) {
          if (inPlaneOnly && kk !== k) continue;
          for (let jj = 0; jj < ny; jj++) {
            for (let ii = 0; ii < nx; ii++) {
              if (mask[ii + nx * (jj + ny * kk)] !== 0) continue;
              best = Math.min(best, Math.abs(ii - i) + Math.abs(jj - j) + Math.abs(kk - k));
            }
          }
        }
        out[v] = best;
      }
    }
  }
  return out;
}

describe('city-block distance to the ROI edge', () => {
  it('matches the worked 5x3 example', () => {
    // A full 5x3 slice: the middle row's inner voxels are 2 steps from outside the grid.
    const d = cityBlockDistanceToEdge(new Uint8Array(15).fill(1), [5, 3, 1], true);
    expect(Array.from(d)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]);
  });

  it('equals the brute-force definition on random masks, in-plane and in 3D', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let trial = 0; trial < 30; trial++) {
      const dims: Vec3 = [1 + Math.floor(random() * 7), 1 + Math.floor(random() * 7), 1 + Math.floor(random() * 7)];
      const n = dims[0] * dims[1] * dims[2];
      const fill = 0.6 + 0.4 * random();
      const mask = Uint8Array.from({ length: n }, () => (random() < fill ? 1 : 0));
      const inPlane = cityBlockDistanceToEdge(mask, dims, true);
      expect(Array.from(inPlane)).toEqual(Array.from(bruteForceDistance(mask, dims, true)));
      const volume = bruteForceDistance(mask, dims, false);
      expect(Array.from(cityBlockDistanceToEdge(mask, dims, false))).toEqual(Array.from(volume));
      expect(Array.from(extendDistanceAcrossSlices(inPlane, dims))).toEqual(Array.from(volume));
    }
  });
});
