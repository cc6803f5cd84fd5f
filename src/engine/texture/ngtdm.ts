/**
 * Neighbourhood grey tone difference matrix features (IBSI 3.8, family "ngt").
 *
 * For each ROI voxel with grey level x_i, the neighbourhood mean A is the mean grey level of the
 * voxels within Chebyshev distance d (in the slice for 2D / 2.5D, in the volume for 3D) that are
 * in the ROI, the centre excluded. Voxels without any such neighbour are left out entirely
 * (IBSI). s_i = sum |x_i - A| over the counted voxels of level i, n_i their number,
 * N_vc = sum n_i, p_i = n_i / N_vc, and N_gp the number of levels with p_i > 0. Sums over i, j
 * below run over levels with p > 0 only, and x are grey level VALUES:
 *
 *   coarseness  1 / sum p_i s_i                                  (10^6 if the sum is 0)
 *   contrast    [sum_ij p_i p_j (x_i - x_j)^2 / (N_gp (N_gp - 1))] [sum_i s_i / N_vc]  (0 if N_gp = 1)
 *   busyness    sum p_i s_i / sum_ij |x_i p_i - x_j p_j|          (0 if the denominator is 0)
 *   complexity  sum_ij |x_i - x_j| (p_i s_i + p_j s_j) / (p_i + p_j) / N_vc
 *   strength    sum_ij (p_i + p_j) (x_i - x_j)^2 / sum_i s_i      (0 if sum_i s_i = 0)
 */
import type { FeatureInput, FeatureValue, ZoneAggregation } from '../features/types';
import { RgsError } from '../util/errors';
import { neighbourhoodGridOf, type NeighbourhoodGrid } from './neighbourhood-grid';
import { chebyshevOffsets } from './neighbourhood-offsets';
import { aggregateZoneFeatures, type FeatureDefinition } from './zone-aggregation';

const NGTDM_FEATURES: readonly FeatureDefinition[] = [
  { feature: 'Coarseness', code: 'QCDE' },
  { feature: 'Contrast', code: '65HE' },
  { feature: 'Busyness', code: 'NQ30' },
  { feature: 'Complexity', code: 'HDEZ' },
  { feature: 'Strength', code: '1X9X' },
];

/** IBSI's coarseness when sum p_i s_i = 0 (a flat ROI); also used below 10^-6, as MIRP does,
 *  so that rounding residue of a flat neighbourhood cannot give an arbitrarily large value. */
const COARSENESS_CAP = 1e6;

export interface NgtdmMatrix {
  /** Grey level value per compact level (index 0 unused). */
  levelValues: Float64Array;
  /** s_i and n_i per compact level (index 0 unused). */
  s: Float64Array;
  n: Float64Array;
}

export interface NgtdmMatrices {
  /** Per-slice matrices with at least one counted voxel, in slice order (2D neighbourhoods). */
  slices: NgtdmMatrix[];
  /** The volume matrix (3D neighbourhoods), when requested. */
  volume: NgtdmMatrix | null;
}

/**
 * NGTDM matrices of `grid` (margin >= distance) in one pass: a voxel's in-plane neighbours give
 * its 2D neighbourhood, and together with the out-of-plane ones its 3D neighbourhood.
 */
export function ngtdmMatrices(grid: NeighbourhoodGrid, distance: number, slices: boolean, volume: boolean): NgtdmMatrices {
  const nz = grid.dims[2];
  const { levels, levelValues, voxels, sliceStart } = grid;
  const stride = levelValues.length;
  const { inPlane, outOfPlane } = chebyshevOffsets(grid.dims, distance);
  const nIn = inPlane.length;
  const nOut = outOfPlane.length;
  const sliceS = new Float64Array(slices ? nz * stride : 0);
  const sliceN = new Float64Array(slices ? nz * stride : 0);
  const volS = new Float64Array(stride);
  const volN = new Float64Array(stride);

  for (let k = 0; k < nz; k++) {
    const row = k * stride;
    for (let t = sliceStart[k]; t < sliceStart[k + 1]; t++) {
      const v = voxels[t];
      const level = levels[v];
      // levelValues[0] = 0, so outside voxels add nothing to the sum; (u | -u) >>> 31 is 1 for
      // a level u > 0 and 0 outside: branch-free neighbour counting.
      let sum = 0;
      let count = 0;
      for (let o = 0; o < nIn; o++) {
        const u = levels[v + inPlane[o]];
        sum += levelValues[u];
        count += (u | -u) >>> 31;
      }
      const x = levelValues[level];
      // |x - sum / count| written as |x count - sum| / count: exact for integer grey levels.
      if (slices && count > 0) {
        sliceS[row + level] += Math.abs(x * count - sum) / count;
        sliceN[row + level]++;
      }
      if (volume) {
        for (let o = 0; o < nOut; o++) {
          const u = levels[v + outOfPlane[o]];
          sum += levelValues[u];
          count += (u | -u) >>> 31;
        }
        if (count > 0) {
          volS[level] += Math.abs(x * count - sum) / count;
          volN[level]++;
        }
      }
    }
  }

  const sliceMatrices: NgtdmMatrix[] = [];
  if (slices) {
    for (let k = 0; k < nz; k++) {
      const n = sliceN.subarray(k * stride, (k + 1) * stride);
      if (!n.some((c) => c > 0)) continue;
      sliceMatrices.push({ levelValues, s: sliceS.slice(k * stride, (k + 1) * stride), n: n.slice() });
    }
  }
  return { slices: sliceMatrices, volume: volume ? { levelValues, s: volS, n: volN } : null };
}

/** Sum of per-slice matrices (IBSI 2.5D). */
export function mergeNgtdmMatrices(matrices: readonly NgtdmMatrix[], levelValues: Float64Array): NgtdmMatrix {
  const s = new Float64Array(levelValues.length);
  const n = new Float64Array(levelValues.length);
  for (const m of matrices) {
    for (let l = 0; l < s.length; l++) {
      s[l] += m.s[l];
      n[l] += m.n[l];
    }
  }
  return { levelValues, s, n };
}

/** Coarseness, contrast, busyness, complexity, strength; all NaN for a matrix without voxels. */
export function ngtdmFeatures(m: NgtdmMatrix): number[] {
  // The levels that occur (p_i > 0).
  const x: number[] = [];
  const s: number[] = [];
  const n: number[] = [];
  let nvc = 0;
  for (let l = 1; l < m.n.length; l++) {
    if (m.n[l] > 0) {
      x.push(m.levelValues[l]);
      s.push(m.s[l]);
      n.push(m.n[l]);
      nvc += m.n[l];
    }
  }
  const ngp = x.length;
  if (ngp === 0) return [NaN, NaN, NaN, NaN, NaN];
  const p = n.map((c) => c / nvc);

  let ps = 0;
  let sumS = 0;
  for (let a = 0; a < ngp; a++) {
    ps += p[a] * s[a];
    sumS += s[a];
  }
  const coarseness = ps < 1 / COARSENESS_CAP ? COARSENESS_CAP : 1 / ps;

  let contrastSum = 0, busyDenominator = 0, complexitySum = 0, strengthSum = 0;
  for (let a = 0; a < ngp; a++) {
    for (let b = 0; b < ngp; b++) {
      const dx = x[a] - x[b];
      contrastSum += p[a] * p[b] * dx * dx;
      busyDenominator += Math.abs(x[a] * p[a] - x[b] * p[b]);
      complexitySum += (Math.abs(dx) * (p[a] * s[a] + p[b] * s[b])) / (p[a] + p[b]);
      strengthSum += (p[a] + p[b]) * dx * dx;
    }
  }
  const contrast = ngp > 1 ? (contrastSum / (ngp * (ngp - 1))) * (sumS / nvc) : 0;
  const busyness = ngp > 1 && busyDenominator > 0 ? ps / busyDenominator : 0;
  const complexity = complexitySum / nvc;
  const strength = sumS > 0 ? strengthSum / sumS : 0;
  return [coarseness, contrast, busyness, complexity, strength];
}

/**
 * The 5 NGTDM features for each requested aggregation, neighbourhood: Chebyshev `distance`.
 * In 2D, slices where no voxel has an ROI neighbour are skipped; features are NaN when no voxel
 * of the ROI (2.5D, 3D) or of any slice (2D) has one.
 */
export function computeNgtdm(
  input: FeatureInput,
  settings: { distance: number },
  aggregations: readonly ZoneAggregation[],
): FeatureValue[] {
  const { distance } = settings;
  if (!Number.isInteger(distance) || distance < 1) {
    throw new RgsError(`NGTDM: distance ${distance} must be an integer >= 1`, { field: 'ngtdmDistance' });
  }
  const grid = neighbourhoodGridOf(input, distance);
  const wantSlices = aggregations.includes('2D') || aggregations.includes('2.5D');
  const wantVolume = aggregations.includes('3D');
  const matrices = ngtdmMatrices(grid, distance, wantSlices, wantVolume);
  return aggregateZoneFeatures(
    {
      family: 'ngt',
      definitions: NGTDM_FEATURES,
      sliceMatrices: () => matrices.slices,
      volumeMatrix: () => matrices.volume ?? { levelValues: grid.levelValues, s: new Float64Array(0), n: new Float64Array(0) },
      merge: (ms) => mergeNgtdmMatrices(ms, grid.levelValues),
      features: ngtdmFeatures,
    },
    aggregations,
  );
}
