/**
 * Grey level run length matrix features (IBSI 3.7, family "rlm"), all six aggregations.
 *
 * A GLRLM r[i][j] counts the runs (maximal collinear sequences of consecutive voxels along a
 * direction, all in the intensity mask, with equal grey level) of grey level i and length j.
 * Every ROI voxel lies in exactly one run per direction. The formulas use grey level VALUES
 * (binValues), never bin indices.
 */
import type { DirectionalAggregation, FeatureInput, FeatureValue } from '../features/types';
import {
  aggregateDirectional,
  type ElementaryMatrices,
  type MatrixFeatures,
  needsOutOfPlane,
  onlyVolumeAggregations,
} from './directional-aggregation';
import { levelGridOf, type LevelGrid } from './directional-grid';
import { entropyOfCounts, type SparseMatrix, SparseAccumulator, xlog2x } from './directional-matrix';
import { flatOffset, IN_PLANE_DIRECTIONS, OUT_OF_PLANE_DIRECTIONS } from './directions';

/** [feature name, IBSI identifier] in output order (names as in the IBSI reference tables). */
export const GLRLM_FEATURES: readonly (readonly [string, string])[] = [
  ['Short runs emphasis', '22OV'],
  ['Long runs emphasis', 'W4KF'],
  ['Low grey level run emphasis', 'V3SW'],
  ['High grey level run emphasis', 'G3QZ'],
  ['Short run low grey level emphasis', 'HTZT'],
  ['Short run high grey level emphasis', 'GD3A'],
  ['Long run low grey level emphasis', 'IVPO'],
  ['Long run high grey level emphasis', '3KUM'],
  ['Grey level non-uniformity', 'R5YN'],
  ['Normalised grey level non-uniformity', 'OVBL'],
  ['Run length non-uniformity', 'W92Y'],
  ['Normalised run length non-uniformity', 'IC23'],
  ['Run percentage', '9ZK5'],
  ['Grey level variance', '8CE5'],
  ['Run length variance', 'SXLW'],
  ['Run entropy', 'HJ9O'],
];

/**
 * GLRLM features for each requested aggregation (in that order, 16 features each).
 *
 * Undefined values (NaN): every feature for an empty ROI; the low grey level emphases (V3SW,
 * HTZT, IVPO) when a run has grey level value 0 (division by zero).
 */
export function computeGlrlm(input: FeatureInput, aggregations: readonly DirectionalAggregation[]): FeatureValue[] {
  const grid = levelGridOf(input, 1);
  const nFeatures = GLRLM_FEATURES.length;
  let vectors: Float64Array[];
  if (grid.levelCount === 0 || aggregations.length === 0) {
    vectors = aggregations.map(() => new Float64Array(nFeatures).fill(NaN));
  } else {
    const maxRun = Math.max(...grid.extent);
    const acc = new SparseAccumulator(grid.levelCount, maxRun);
    const elementary = buildGlrlmMatrices(grid, needsOutOfPlane(aggregations), acc, onlyVolumeAggregations(aggregations));
    vectors = aggregateDirectional(elementary, aggregations, acc, nFeatures, glrlmFeatureFunction(grid, maxRun));
  }
  const out: FeatureValue[] = [];
  aggregations.forEach((aggregation, a) => {
    GLRLM_FEATURES.forEach(([feature, code], f) => {
      out.push({ family: 'rlm', feature, ibsi_code: code, aggregation, value: vectors[a][f], standardised: true });
    });
  });
  return out;
}

/**
 * Counts the runs along one direction among ROI voxels voxels[from..to) of the padded grid. A
 * run starts at an ROI voxel whose predecessor (v - offset) has another level or is outside the
 * ROI; the padding border (level -1) ends every run, so walks need no bounds checks. Column j
 * holds runs of length j + 1.
 */
function countRuns(grid: LevelGrid, offset: number, from: number, to: number, acc: SparseAccumulator): SparseMatrix {
  const { levels, voxels } = grid;
  const maxRun = acc.colCount;
  for (let n = from; n < to; n++) {
    const v = voxels[n];
    const a = levels[v];
    if (levels[v - offset] === a) continue;
    let length = 1;
    for (let w = v + offset; levels[w] === a; w += offset) length++;
    acc.add(a * maxRun + length - 1, 1);
  }
  // IBSI 9ZK5: N_v of a matrix is the voxel count it was built over (summed on merging).
  acc.addVoxels(to - from);
  return acc.take();
}

/**
 * The elementary GLRLMs: one per ROI slice x in-plane direction, and (when `outOfPlane`) one per
 * out-of-plane direction over the volume. Keys are level * maxRun + (run length - 1).
 */
export function buildGlrlmMatrices(grid: LevelGrid, outOfPlane: boolean, acc: SparseAccumulator, volumeOnly = false): ElementaryMatrices {
  const { sliceStart } = grid;
  const inPlaneOffsets = IN_PLANE_DIRECTIONS.map((d) => flatOffset(d, 1, grid.nx, grid.ny));
  if (volumeOnly) {
    // Only 3D aggregations: in-plane runs never leave their slice (padded grid), so each in-plane
    // direction is counted over the volume at once, as the merge of its slice matrices would be.
    const outOfPlaneMatrices = outOfPlane
      ? OUT_OF_PLANE_DIRECTIONS.map((d) => countRuns(grid, flatOffset(d, 1, grid.nx, grid.ny), 0, grid.voxelCount, acc))
      : null;
    return { perSlice: [], inPlaneVolume: inPlaneOffsets.map((off) => countRuns(grid, off, 0, grid.voxelCount, acc)), outOfPlane: outOfPlaneMatrices };
  }
  const perSlice: SparseMatrix[][] = [];
  for (let s = 0; s < grid.roiSlices.length; s++) {
    perSlice.push(inPlaneOffsets.map((off) => countRuns(grid, off, sliceStart[s], sliceStart[s + 1], acc)));
  }
  const volume = outOfPlane
    ? OUT_OF_PLANE_DIRECTIONS.map((d) => countRuns(grid, flatOffset(d, 1, grid.nx, grid.ny), 0, grid.voxelCount, acc))
    : null;
  return { perSlice, outOfPlane: volume };
}

/** The 16 IBSI GLRLM features of one matrix (IBSI 3.7.x; entropy in log2). */
export function glrlmFeatureFunction(grid: LevelGrid, maxRun: number): MatrixFeatures {
  const values = grid.values;
  const nLevels = grid.levelCount;
  const levelRuns = new Float64Array(nLevels); // r_i.: runs per grey level
  const lengthRuns = new Float64Array(maxRun); // r_.j: runs per run length

  return (m, out) => {
    const { keys, counts, size } = m;
    const ns = m.total;
    levelRuns.fill(0);
    lengthRuns.fill(0);
    let srlge = 0, srhge = 0, lrlge = 0, lrhge = 0, cellXlog2x = 0;
    for (let e = 0; e < size; e++) {
      const r = counts[e];
      const key = keys[e];
      const a = (key / maxRun) | 0;
      const l = key - a * maxRun;
      const i2 = values[a] * values[a];
      const j2 = (l + 1) * (l + 1);
      levelRuns[a] += r;
      lengthRuns[l] += r;
      srlge += r / (i2 * j2);
      srhge += (r * i2) / j2;
      lrlge += (r * j2) / i2;
      lrhge += r * i2 * j2;
      cellXlog2x += xlog2x(r);
    }
    // Grey level marginal: LGRE, HGRE, GLNU, grey level variance.
    let lgre = 0, hgre = 0, glnu = 0, muI = 0;
    for (let g = 0; g < nLevels; g++) {
      const r = levelRuns[g];
      if (r === 0) continue;
      const i = values[g];
      lgre += r / (i * i);
      hgre += r * i * i;
      glnu += r * r;
      muI += i * r;
    }
    muI /= ns;
    let glVar = 0;
    for (let g = 0; g < nLevels; g++) if (levelRuns[g] > 0) glVar += (values[g] - muI) ** 2 * levelRuns[g];
    // Run length marginal: SRE, LRE, RLNU, run length variance.
    let sre = 0, lre = 0, rlnu = 0, muJ = 0;
    for (let l = 0; l < maxRun; l++) {
      const r = lengthRuns[l];
      if (r === 0) continue;
      const j = l + 1;
      sre += r / (j * j);
      lre += r * j * j;
      rlnu += r * r;
      muJ += j * r;
    }
    muJ /= ns;
    let rlVar = 0;
    for (let l = 0; l < maxRun; l++) if (lengthRuns[l] > 0) rlVar += (l + 1 - muJ) ** 2 * lengthRuns[l];

    // A grey level value 0 makes the low grey level emphases infinite: undefined.
    const finite = (x: number): number => (Number.isFinite(x) ? x : NaN);
    out[0] = sre / ns;
    out[1] = lre / ns;
    out[2] = finite(lgre / ns);
    out[3] = hgre / ns;
    out[4] = finite(srlge / ns);
    out[5] = srhge / ns;
    out[6] = finite(lrlge / ns);
    out[7] = lrhge / ns;
    out[8] = glnu / ns;
    out[9] = glnu / (ns * ns);
    out[10] = rlnu / ns;
    out[11] = rlnu / (ns * ns);
    // IBSI 9ZK5: N_s / N_v; for merged matrices N_v is the sum over the merged matrices' voxel
    // counts (e.g. 13 N_v for "3D, merged").
    out[12] = ns / m.voxels;
    out[13] = glVar / ns;
    out[14] = rlVar / ns;
    out[15] = entropyOfCounts(cellXlog2x, ns, size);
  };
}
