/**
 * Grey level co-occurrence matrix features (IBSI 3.6, family "cm"), all six aggregations.
 *
 * A GLCM M[i][j] counts voxel pairs (a, a + d * direction) with grey levels i and j, both inside
 * the intensity mask (a neighbour outside the mask is not counted). Symmetric counting (IBSI
 * default) adds every pair in both orders, M + M^T, so a pair of equal levels adds 2 to the
 * diagonal. The formulas use grey level VALUES (binValues), never bin indices.
 */
import type { DirectionalAggregation, FeatureInput, FeatureValue } from '../features/types';
import type { Vec3 } from '../image/volume';
import { RgsError } from '../util/errors';
import {
  aggregateDirectional,
  type ElementaryMatrices,
  type MatrixFeatures,
  needsOutOfPlane,
  onlyVolumeAggregations,
} from './directional-aggregation';
import { levelGridOf, type LevelGrid } from './directional-grid';
import { EMPTY_MATRIX, entropyOfCounts, type SparseMatrix, SparseAccumulator, xlog2x } from './directional-matrix';
import { flatOffset, IN_PLANE_DIRECTIONS, OUT_OF_PLANE_DIRECTIONS } from './directions';

export interface GlcmSettings {
  /** Chebyshev distance between the voxels of a pair (IBSI default 1). */
  distance: number;
  /** Count each pair in both orders (IBSI default). */
  symmetric: boolean;
}

/** [feature name, IBSI identifier] in output order (names as in the IBSI reference tables). */
export const GLCM_FEATURES: readonly (readonly [string, string])[] = [
  ['Joint maximum', 'GYBY'],
  ['Joint average', '60VM'],
  ['Joint variance', 'UR99'],
  ['Joint entropy', 'TU9B'],
  ['Difference average', 'TF7R'],
  ['Difference variance', 'D3YU'],
  ['Difference entropy', 'NTRS'],
  ['Sum average', 'ZGXS'],
  ['Sum variance', 'OEEB'],
  ['Sum entropy', 'P6QZ'],
  ['Angular second moment', '8ZQL'],
  ['Contrast', 'ACUI'],
  ['Dissimilarity', '8S9J'],
  ['Inverse difference', 'IB1Z'],
  ['Normalised inverse difference', 'NDRX'],
  ['Inverse difference moment', 'WF0Z'],
  ['Normalised inverse difference moment', '1QCO'],
  ['Inverse variance', 'E8JP'],
  ['Correlation', 'NI2N'],
  ['Autocorrelation', 'QWB0'],
  ['Cluster tendency', 'DG8W'],
  ['Cluster shade', '7NFM'],
  ['Cluster prominence', 'AE86'],
  ['Information correlation 1', 'R8DG'],
  ['Information correlation 2', 'JN9H'],
];

/**
 * GLCM features for each requested aggregation (in that order, 25 features each).
 *
 * Undefined values (NaN): every feature when no matrix of the aggregation has a voxel pair;
 * per matrix, "Inverse variance" when all pairs have equal grey levels (no off-diagonal cell),
 * "Correlation" when a marginal variance is 0 and "Information correlation 1" when both marginal
 * entropies are 0 (a single grey level). Such a matrix is left out of that feature's average.
 */
export function computeGlcm(
  input: FeatureInput,
  settings: GlcmSettings,
  aggregations: readonly DirectionalAggregation[],
): FeatureValue[] {
  const { distance, symmetric } = settings;
  if (!Number.isInteger(distance) || distance < 1) {
    throw new RgsError(`GLCM distance must be a whole number of voxels >= 1, got ${distance}`, { field: 'glcm distance' });
  }
  const grid = levelGridOf(input, distance);
  const nFeatures = GLCM_FEATURES.length;
  let vectors: Float64Array[];
  if (grid.levelCount === 0 || aggregations.length === 0) {
    vectors = aggregations.map(() => new Float64Array(nFeatures).fill(NaN));
  } else {
    const acc = new SparseAccumulator(grid.levelCount, grid.levelCount);
    const elementary = buildGlcmMatrices(grid, distance, symmetric, needsOutOfPlane(aggregations), acc, onlyVolumeAggregations(aggregations));
    vectors = aggregateDirectional(elementary, aggregations, acc, nFeatures, glcmFeatureFunction(grid, symmetric));
  }
  const out: FeatureValue[] = [];
  aggregations.forEach((aggregation, a) => {
    GLCM_FEATURES.forEach(([feature, code], f) => {
      out.push({ family: 'cm', feature, ibsi_code: code, aggregation, value: vectors[a][f], standardised: true });
    });
  });
  return out;
}

/** Counts the pairs of one direction starting at ROI voxels voxels[from..to) of the padded grid. */
function countPairs(
  grid: LevelGrid,
  offset: number,
  from: number,
  to: number,
  symmetric: boolean,
  acc: SparseAccumulator,
): SparseMatrix {
  const { levels, levelCount, voxels } = grid;
  for (let n = from; n < to; n++) {
    const v = voxels[n];
    const a = levels[v];
    const b = levels[v + offset];
    if (b < 0) continue;
    if (symmetric) {
      // Diagonal-major key (see buildGlcmMatrices): neighbouring voxels have close levels, so
      // the cells touched cluster in the first rows of the scratch array and stay in cache.
      const lo = a < b ? a : b;
      acc.add((a + b - 2 * lo) * levelCount + lo, a === b ? 2 : 1);
    } else {
      acc.add(a * levelCount + b, 1);
    }
  }
  return acc.take();
}

/**
 * The elementary GLCMs: one per ROI slice x in-plane direction, and (when `outOfPlane`) one per
 * out-of-plane direction over the volume. With `volumeOnly` (only 3D aggregations wanted) the
 * in-plane directions are counted over the whole volume at once instead of slice by slice.
 * Keys are row * levelCount + col (compact levels) for an asymmetric GLCM.
 *
 * Symmetric matrices S = M + M^T are stored as their upper triangle (row <= col), which halves
 * the cells to build, merge and evaluate: cell (a, b), a < b, holds S_ab = S_ba (the number of
 * pairs with levels {a, b}) and cell (a, a) holds S_aa (twice the pairs with both levels a).
 * Their keys are diagonal-major, (b - a) * levelCount + a.
 */
export function buildGlcmMatrices(
  grid: LevelGrid,
  distance: number,
  symmetric: boolean,
  outOfPlane: boolean,
  acc: SparseAccumulator,
  volumeOnly = false,
): ElementaryMatrices {
  const { sliceStart } = grid;
  // A direction that steps `distance` voxels along an axis on which the ROI spans no more than
  // `distance` voxels has no pairs (and its offset may leave the padded grid): its matrix is empty.
  const reachable = (d: Vec3): boolean => d.every((c, axis) => c === 0 || distance < grid.extent[axis]);
  const count = (d: Vec3, from: number, to: number): SparseMatrix =>
    reachable(d) ? countPairs(grid, flatOffset(d, distance, grid.nx, grid.ny), from, to, symmetric, acc) : EMPTY_MATRIX;
  const volume = outOfPlane ? OUT_OF_PLANE_DIRECTIONS.map((d) => count(d, 0, grid.voxelCount)) : null;
  if (volumeOnly) {
    // In-plane pairs never leave their slice (the padded grid has a border on every side).
    return { perSlice: [], inPlaneVolume: IN_PLANE_DIRECTIONS.map((d) => count(d, 0, grid.voxelCount)), outOfPlane: volume };
  }
  const perSlice: SparseMatrix[][] = [];
  for (let s = 0; s < grid.roiSlices.length; s++) {
    perSlice.push(IN_PLANE_DIRECTIONS.map((d) => count(d, sliceStart[s], sliceStart[s + 1])));
  }
  return { perSlice, outOfPlane: volume };
}

/** A distribution as parallel lists of (value, count). */
interface Distribution {
  size: number;
  values: Float64Array;
  counts: Float64Array;
}

/**
 * The 25 IBSI GLCM features of one matrix (IBSI 3.6.x; entropies in log2), from its cells, its
 * marginals p_i. and p_.j, and the diagonal distributions p_{x-y}(k), k = |i - j|, and
 * p_{x+y}(k), k = i + j. All features except the joint ones are exact functions of these, which
 * keeps the per-cell work to a few additions (the sparse matrices can have ~10^6 cells in all):
 *  - joint average and variance = mean and variance of p_i. (IBSI 60VM, UR99: mu = sum i p_ij);
 *  - contrast, dissimilarity, inverse differences, inverse variance: sums over p_{x-y};
 *  - cluster tendency / shade / prominence: sum (k - mu_i. - mu_.j)^n p_{x+y}(k);
 *  - correlation: cov = (cluster tendency - contrast + (mu_i. - mu_.j)^2) / 4, since with
 *    x = i - mu_i., y = j - mu_.j: xy = ((x + y)^2 - (x - y)^2) / 4 (centred, no cancellation);
 *  - autocorrelation sum i j p_ij = cov + mu_i. mu_.j;
 *  - HXY1 = -sum p_ij log2(p_i. p_.j) = HX + HY and HXY2 = -sum p_i. p_.j log2(p_i. p_.j)
 *    = HX + HY (both because the marginals are the row/column sums of p_ij).
 * Integer grey values (bin numbers, integer intensities) index the diagonal distributions
 * directly; other values are grouped exactly in Maps. `upperTriangle`: the matrices hold only
 * the upper triangle of symmetric matrices, with diagonal-major keys (see buildGlcmMatrices).
 */
export function glcmFeatureFunction(grid: LevelGrid, upperTriangle: boolean): MatrixFeatures {
  const values = grid.values;
  const nLevels = grid.levelCount;
  // IBSI N_g: the number of grey levels of the discretisation (for the digital phantom, 6).
  const ng = grid.binCount;
  const rowCount = new Float64Array(nLevels);
  const colCount = new Float64Array(nLevels);

  let min = Infinity;
  let max = -Infinity;
  let integer = true;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    if (!Number.isInteger(v)) integer = false;
  }
  const range = max - min;
  const arrays = integer && range <= 1 << 20;
  const shifted = new Int32Array(nLevels); // integer grey value - min
  if (arrays) for (let g = 0; g < nLevels; g++) shifted[g] = values[g] - min;
  const diffArray = new Float64Array(arrays ? range + 1 : 0);
  const sumArray = new Float64Array(arrays ? 2 * range + 1 : 0);
  const diffMap = new Map<number, number>();
  const sumMap = new Map<number, number>();
  const diff: Distribution = { size: 0, values: new Float64Array(0), counts: new Float64Array(0) };
  const sum: Distribution = { size: 0, values: new Float64Array(0), counts: new Float64Array(0) };

  const fromArray = (array: Float64Array, offset: number, into: Distribution): void => {
    if (into.values.length < array.length) {
      into.values = new Float64Array(array.length);
      into.counts = new Float64Array(array.length);
    }
    let n = 0;
    for (let k = 0; k < array.length; k++) {
      if (array[k] === 0) continue;
      into.values[n] = k + offset;
      into.counts[n++] = array[k];
      array[k] = 0;
    }
    into.size = n;
  };
  const fromMap = (map: Map<number, number>, into: Distribution): void => {
    if (into.values.length < map.size) {
      into.values = new Float64Array(map.size);
      into.counts = new Float64Array(map.size);
    }
    let n = 0;
    for (const [k, c] of map) {
      into.values[n] = k;
      into.counts[n++] = c;
    }
    into.size = n;
    map.clear();
  };

  return (m, out) => {
    const { keys, counts, size } = m;
    rowCount.fill(0);
    colCount.fill(0);
    // Totals over the full matrix (both triangles when stored as the upper one).
    let total = 0, cells = 0, maxCount = 0, sumSquares = 0, cellXlog2x = 0;
    for (let e = 0; e < size; e++) {
      const c = counts[e];
      const key = keys[e];
      let a: number, b: number;
      if (upperTriangle) {
        const d = (key / nLevels) | 0;
        a = key - d * nLevels;
        b = a + d;
      } else {
        a = (key / nLevels) | 0;
        b = key - a * nLevels;
      }
      // An off-diagonal upper-triangle cell stands for two cells of equal count, (a, b) and (b, a).
      const mirrored = upperTriangle && a !== b;
      const w = mirrored ? 2 : 1;
      rowCount[a] += c;
      colCount[b] += c;
      if (mirrored) {
        rowCount[b] += c;
        colCount[a] += c;
      }
      total += w * c;
      cells += w;
      if (c > maxCount) maxCount = c;
      sumSquares += w * c * c;
      cellXlog2x += w * xlog2x(c);
      if (arrays) {
        const sa = shifted[a];
        const sb = shifted[b];
        diffArray[sa > sb ? sa - sb : sb - sa] += w * c;
        sumArray[sa + sb] += w * c;
      } else {
        const d = Math.abs(values[a] - values[b]);
        const s = values[a] + values[b];
        diffMap.set(d, (diffMap.get(d) ?? 0) + w * c);
        sumMap.set(s, (sumMap.get(s) ?? 0) + w * c);
      }
    }
    if (arrays) {
      fromArray(diffArray, 0, diff);
      fromArray(sumArray, 2 * min, sum);
    } else {
      fromMap(diffMap, diff);
      fromMap(sumMap, sum);
    }

    // Marginals p_i. and p_.j: means, variances, entropies HX and HY.
    let muX = 0, muY = 0, xX = 0, xY = 0, nX = 0, nY = 0;
    for (let g = 0; g < nLevels; g++) {
      const r = rowCount[g];
      const c = colCount[g];
      if (r > 0) {
        muX += values[g] * r;
        xX += xlog2x(r);
        nX++;
      }
      if (c > 0) {
        muY += values[g] * c;
        xY += xlog2x(c);
        nY++;
      }
    }
    muX /= total;
    muY /= total;
    let varX = 0, varY = 0;
    for (let g = 0; g < nLevels; g++) {
      varX += (values[g] - muX) ** 2 * rowCount[g];
      varY += (values[g] - muY) ** 2 * colCount[g];
    }
    varX /= total;
    varY /= total;
    const hx = entropyOfCounts(xX, total, nX);
    const hy = entropyOfCounts(xY, total, nY);
    const hxy = entropyOfCounts(cellXlog2x, total, cells);

    // p_{x-y}: difference features (IBSI TF7R, D3YU, NTRS, ACUI, 8S9J, IB1Z, NDRX, WF0Z, 1QCO, E8JP).
    let diffAverage = 0, diffXlog2x = 0, contrast = 0, invDiff = 0, normInvDiff = 0, idm = 0, normIdm = 0;
    let invVar = 0, offDiagonal = false;
    for (let n = 0; n < diff.size; n++) {
      const k = diff.values[n];
      const p = diff.counts[n] / total;
      diffAverage += k * p;
      diffXlog2x += xlog2x(diff.counts[n]);
      contrast += k * k * p;
      invDiff += p / (1 + k);
      normInvDiff += p / (1 + k / ng);
      idm += p / (1 + k * k);
      normIdm += p / (1 + (k * k) / (ng * ng));
      if (k !== 0) {
        // IBSI E8JP: sum over i != j of p_ij / (i - j)^2.
        invVar += p / (k * k);
        offDiagonal = true;
      }
    }
    let diffVariance = 0;
    for (let n = 0; n < diff.size; n++) diffVariance += (diff.values[n] - diffAverage) ** 2 * (diff.counts[n] / total);

    // p_{x+y}: sum features (IBSI ZGXS, OEEB, P6QZ) and the cluster features (DG8W, 7NFM, AE86).
    let sumAverage = 0, sumXlog2x = 0, tendency = 0, shade = 0, prominence = 0;
    for (let n = 0; n < sum.size; n++) {
      const k = sum.values[n];
      const p = sum.counts[n] / total;
      sumAverage += k * p;
      sumXlog2x += xlog2x(sum.counts[n]);
      const t = k - muX - muY;
      const t2 = t * t;
      tendency += t2 * p;
      shade += t2 * t * p;
      prominence += t2 * t2 * p;
    }
    let sumVariance = 0;
    for (let n = 0; n < sum.size; n++) sumVariance += (sum.values[n] - sumAverage) ** 2 * (sum.counts[n] / total);

    const covariance = (tendency - contrast + (muX - muY) ** 2) / 4;
    // IBSI R8DG: (HXY - HXY1) / max(HX, HY) with HXY1 = HX + HY; undefined for a single grey level.
    const hMax = Math.max(hx, hy);
    const infoCorr1 = hMax > 0 ? (hxy - hx - hy) / hMax : NaN;
    // IBSI JN9H: sqrt(1 - exp(-2 (HXY2 - HXY))), HXY2 = HX + HY >= HXY; clamp rounding below 0.
    const infoCorr2 = Math.sqrt(Math.max(0, 1 - Math.exp(-2 * (hx + hy - hxy))));

    out[0] = maxCount / total;
    out[1] = muX;
    out[2] = varX;
    out[3] = hxy;
    out[4] = diffAverage;
    out[5] = diffVariance;
    out[6] = entropyOfCounts(diffXlog2x, total, diff.size);
    out[7] = sumAverage;
    out[8] = sumVariance;
    out[9] = entropyOfCounts(sumXlog2x, total, sum.size);
    out[10] = sumSquares / (total * total);
    out[11] = contrast;
    out[12] = diffAverage;
    out[13] = invDiff;
    out[14] = normInvDiff;
    out[15] = idm;
    out[16] = normIdm;
    out[17] = offDiagonal ? invVar : NaN;
    // IBSI NI2N: cov / (sigma_i. sigma_.j); undefined (NaN) when a marginal variance is 0.
    out[18] = varX > 0 && varY > 0 ? covariance / Math.sqrt(varX * varY) : NaN;
    out[19] = covariance + muX * muY;
    out[20] = tendency;
    out[21] = shade;
    out[22] = prominence;
    out[23] = infoCorr1;
    out[24] = infoCorr2;
  };
}
