/**
 * The IBSI morphological family (reference manual section 3.1, family code `morph`): 29 features
 * of the ROI's shape, computed from the morphological mask (mesh, voxel positions) and, for the
 * hybrid features (centre of mass shift, integrated intensity, Moran's I, Geary's C), the
 * intensity mask.
 *
 * Conventions (those of the IBSI reference values and MIRP):
 * - The mesh is marching cubes at iso-level 0.5 on the padded morphological mask, in mm
 *   (morphology/marching-cubes.ts). Volume and area come from that mesh.
 * - The convex hull is that of the mesh vertices (morphology/convex-hull.ts, exact); the maximum
 *   3D diameter and the axis-aligned bounding box are taken over its vertices.
 * - PCA uses the covariance of the morphological-mask voxel centres in mm with the unbiased
 *   (N - 1) normalisation (as numpy.cov in MIRP); the semi-axes of the approximate enclosing
 *   ellipsoid are 2 sqrt(lambda).
 * - Moran's I and Geary's C are computed exactly over all voxel pairs (morphology/autocorrelation.ts).
 *
 * Features that are undefined for an ROI (empty mask, a flat or single-voxel ROI for the PCA
 * ratios, a zero intensity sum for the centre of mass, constant intensities for Moran/Geary) are
 * returned as NaN.
 */
import type { Vec3 } from '../image/volume';
import { symmetricEigen3 } from '../util/eigen3';
import { spatialAutocorrelation } from './morphology/autocorrelation';
import { axisAlignedBoxDimensions, orientedMinimumBoxDimensions } from './morphology/bounding-box';
import { convexHull3 } from './morphology/convex-hull';
import { ellipsoidSurfaceArea, minimumVolumeEnclosingEllipsoid } from './morphology/ellipsoid';
import { meshOfMask, meshVolumeAndArea } from './morphology/marching-cubes';
import { maskBounds, type VoxelBounds } from './morphology/roi-bounds';
import type { FeatureInput, FeatureValue } from './types';

/** Relative optimality gap of the MVEE iteration. MIRP stops Khachiyan's iteration at 1e-3, which
 *  leaves the result dependent on point order and orientation at the 1e-3 level; solved to 1e-10
 *  the densities are reproducible and invariant (IBSI publishes no reference value for them). */
const MVEE_TOLERANCE = 1e-10;

interface HullMeasures {
  volume: number;
  area: number;
  maxDiameter: number;
  /** Hull vertex positions in mm, xyz interleaved. */
  vertexPositions: Float64Array;
  /** Hull triangles indexing vertexPositions. */
  triangles: Int32Array;
}

/**
 * The points that can be vertices of the convex hull: on each line of the lattice along x (fixed
 * y and z), only the first and the last point. A point between two others on a line lies on
 * their segment, so it is never an extreme point; dropping it leaves the hull unchanged and
 * leaves quickhull a few thousand candidates instead of every mesh vertex. Indices ascending.
 */
function lineExtremes(lattice: Int32Array): Int32Array {
  const n = lattice.length / 3;
  let y0 = Infinity, y1 = -Infinity, z0 = Infinity, z1 = -Infinity;
  for (let i = 0; i < n; i++) {
    const y = lattice[3 * i + 1], z = lattice[3 * i + 2];
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
    if (z < z0) z0 = z;
    if (z > z1) z1 = z;
  }
  const ny = y1 - y0 + 1;
  const lines = ny * (z1 - z0 + 1);
  const first = new Int32Array(lines).fill(-1);
  const last = new Int32Array(lines).fill(-1);
  for (let i = 0; i < n; i++) {
    const line = lattice[3 * i + 1] - y0 + ny * (lattice[3 * i + 2] - z0);
    const x = lattice[3 * i];
    const f = first[line];
    if (f < 0) {
      first[line] = i;
      last[line] = i;
    } else if (x < lattice[3 * f]) first[line] = i;
    else if (x > lattice[3 * last[line]]) last[line] = i;
  }
  const keep = new Uint8Array(n);
  for (let l = 0; l < lines; l++) {
    if (first[l] >= 0) {
      keep[first[l]] = 1;
      keep[last[l]] = 1;
    }
  }
  let count = 0;
  for (let i = 0; i < n; i++) count += keep[i];
  const out = new Int32Array(count);
  for (let i = 0, k = 0; i < n; i++) if (keep[i]) out[k++] = i;
  return out;
}

function hullMeasures(lattice: Int32Array, positions: Float64Array): HullMeasures | null {
  const candidates = lineExtremes(lattice);
  const points = new Int32Array(3 * candidates.length);
  for (let c = 0; c < candidates.length; c++) {
    const v = candidates[c];
    points[3 * c] = lattice[3 * v];
    points[3 * c + 1] = lattice[3 * v + 1];
    points[3 * c + 2] = lattice[3 * v + 2];
  }
  const hull = convexHull3(points);
  if (hull === null) return null;
  const nv = hull.vertices.length;
  // Hull vertex i is candidate hull.vertices[i]; candidate c becomes hull vertex slot[c].
  const slot = new Int32Array(candidates.length).fill(-1);
  const vp = new Float64Array(3 * nv);
  for (let i = 0; i < nv; i++) {
    const c = hull.vertices[i];
    const v = candidates[c];
    slot[c] = i;
    vp[3 * i] = positions[3 * v];
    vp[3 * i + 1] = positions[3 * v + 1];
    vp[3 * i + 2] = positions[3 * v + 2];
  }
  const tris = new Int32Array(hull.triangles.length);
  for (let t = 0; t < tris.length; t++) tris[t] = slot[hull.triangles[t]];
  const { volume, area } = meshVolumeAndArea({ positions: vp, triangles: tris, lattice: new Int32Array(0) });
  // Maximum 3D diameter (L0JK): the farthest pair of mesh vertices is a pair of hull vertices.
  let max2 = 0;
  for (let i = 0; i < nv; i++) {
    const x = vp[3 * i], y = vp[3 * i + 1], z = vp[3 * i + 2];
    for (let j = i + 1; j < nv; j++) {
      const dx = vp[3 * j] - x, dy = vp[3 * j + 1] - y, dz = vp[3 * j + 2] - z;
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > max2) max2 = d2;
    }
  }
  return { volume, area, maxDiameter: Math.sqrt(max2), vertexPositions: vp, triangles: tris };
}

/** What one pass over the ROI bounding box gathers (everything but the mesh and Moran/Geary). */
interface RoiScan {
  morphCount: number;
  morphBounds: VoxelBounds | null;
  intensityBounds: VoxelBounds | null;
  /** Eigenvalues (descending) of the covariance of the morph-mask voxel centres (mm), N - 1 normalisation. */
  variances: [number, number, number];
  /** Centre of mass shift (KLMA), mm. */
  comShift: number;
  /** Mean intensity over the intensity mask. */
  meanIntensity: number;
}

function scanRoi(input: FeatureInput, box: VoxelBounds): RoiScan {
  const { dims, spacing, morphMask, intensityMask, image } = input;
  const [nx, ny] = dims;
  const [lo0, lo1, lo2] = box.lo;
  const [hi0, hi1, hi2] = box.hi;
  const mLo: Vec3 = [hi0, hi1, hi2], mHi: Vec3 = [lo0 - 1, lo1 - 1, lo2 - 1];
  const iLo: Vec3 = [hi0, hi1, hi2], iHi: Vec3 = [lo0 - 1, lo1 - 1, lo2 - 1];
  // Morph mask: count, first and second moments of box-relative indices (small numbers, so the
  // raw-moment covariance loses nothing that matters). Intensity mask: count, sum, weighted moments.
  let n = 0, sx = 0, sy = 0, sz = 0, sxx = 0, sxy = 0, sxz = 0, syy = 0, syz = 0, szz = 0;
  let ni = 0, w = 0, wx = 0, wy = 0, wz = 0;
  for (let k = lo2; k <= hi2; k++) {
    const z = k - lo2;
    for (let j = lo1; j <= hi1; j++) {
      const y = j - lo1;
      const row = nx * (j + ny * k);
      for (let i = lo0; i <= hi0; i++) {
        const idx = row + i;
        if (morphMask[idx] !== 0) {
          const x = i - lo0;
          n++;
          sx += x;
          sy += y;
          sz += z;
          sxx += x * x;
          sxy += x * y;
          sxz += x * z;
          syy += y * y;
          syz += y * z;
          szz += z * z;
          if (i < mLo[0]) mLo[0] = i;
          if (i > mHi[0]) mHi[0] = i;
          if (j < mLo[1]) mLo[1] = j;
          if (j > mHi[1]) mHi[1] = j;
          if (k < mLo[2]) mLo[2] = k;
          if (k > mHi[2]) mHi[2] = k;
        }
        if (intensityMask[idx] !== 0) {
          const v = image[idx];
          ni++;
          w += v;
          wx += v * (i - lo0);
          wy += v * y;
          wz += v * z;
          if (i < iLo[0]) iLo[0] = i;
          if (i > iHi[0]) iHi[0] = i;
          if (j < iLo[1]) iLo[1] = j;
          if (j > iHi[1]) iHi[1] = j;
          if (k < iLo[2]) iLo[2] = k;
          if (k > iHi[2]) iHi[2] = k;
        }
      }
    }
  }
  let variances: [number, number, number] = [NaN, NaN, NaN];
  if (n >= 2) {
    const [px, py, pz] = spacing;
    // Covariance (mm^2) with the unbiased N - 1 normalisation, as numpy.cov in MIRP.
    const c = (sab: number, sa: number, sb: number, scale: number) => ((sab - (sa * sb) / n) / (n - 1)) * scale;
    const cov = [
      c(sxx, sx, sx, px * px), c(sxy, sx, sy, px * py), c(sxz, sx, sz, px * pz),
      c(sxy, sx, sy, px * py), c(syy, sy, sy, py * py), c(syz, sy, sz, py * pz),
      c(sxz, sx, sz, px * pz), c(syz, sy, sz, py * pz), c(szz, sz, sz, pz * pz),
    ];
    const { values } = symmetricEigen3(cov);
    // Round-off can leave a tiny negative eigenvalue for a flat ROI.
    variances = [Math.max(0, values[0]), Math.max(0, values[1]), Math.max(0, values[2])];
  }
  const comShift =
    n === 0 || ni === 0 || w === 0
      ? NaN
      : Math.hypot((sx / n - wx / w) * spacing[0], (sy / n - wy / w) * spacing[1], (sz / n - wz / w) * spacing[2]);
  return {
    morphCount: n,
    morphBounds: n > 0 ? { lo: mLo, hi: mHi } : null,
    intensityBounds: ni > 0 ? { lo: iLo, hi: iHi } : null,
    variances,
    comShift,
    meanIntensity: ni > 0 ? w / ni : NaN,
  };
}

/** IBSI identifiers of Moran's I and Geary's C, the last two features of the family. */
export const AUTOCORRELATION_CODES: readonly string[] = ['N365', 'NPT7'];

/**
 * Moran's I (N365) and Geary's C (NPT7) of the intensity mask, the family's last two features.
 * An FFT over the ROI box that costs about as much as the rest of the family, so `rgs extract`
 * can give it to another thread (split-families.ts). `bounds`: the intensity mask's bounding
 * box when the caller has it (the same box maskBounds finds, so the same values).
 */
export function morphologyAutocorrelation(input: FeatureInput, bounds?: VoxelBounds | null): FeatureValue[] {
  const { image, intensityMask, dims, spacing } = input;
  // An undefined `bounds` takes spatialAutocorrelation's default (the mask's own box).
  const { moranI, gearyC } = spatialAutocorrelation(image, intensityMask, dims, spacing, bounds);
  return [
    { family: 'morph', feature: "Moran's I index", ibsi_code: 'N365', aggregation: '', value: moranI, standardised: true },
    { family: 'morph', feature: "Geary's C measure", ibsi_code: 'NPT7', aggregation: '', value: gearyC, standardised: true },
  ];
}

/**
 * The 29 morphological features of IBSI 3.1, in the order of the manual. `wanted` (IBSI codes)
 * lets a selection skip the costly parts it does not need (the oriented box, the MVEE, and the
 * all-pairs Moran/Geary sums); skipped features are left out of the result. With
 * `autocorrelation: false` Moran's I and Geary's C are left out (another thread computes them
 * with morphologyAutocorrelation).
 */
export function computeMorphology(
  input: FeatureInput,
  wanted: ReadonlySet<string> | null = null,
  opts: { autocorrelation?: boolean } = {},
): FeatureValue[] {
  const want = (...codes: string[]) => wanted === null || codes.some((c) => wanted.has(c));
  const { dims, spacing, morphMask, intensityMask } = input;
  const out: FeatureValue[] = [];
  const add = (feature: string, code: string, value: number, standardised = true) =>
    out.push({ family: 'morph', feature, ibsi_code: code, aggregation: '', value, standardised });

  const box = maskBounds(dims, morphMask, intensityMask);
  const scan: RoiScan = box
    ? scanRoi(input, box)
    : { morphCount: 0, morphBounds: null, intensityBounds: null, variances: [NaN, NaN, NaN], comShift: NaN, meanIntensity: NaN };

  const mesh = meshOfMask(morphMask, dims, spacing, scan.morphBounds);
  // V and A: mesh volume and area, the basis of most features below (NaN for an empty mask).
  const { volume: V, area: A } = mesh.triangles.length > 0 ? meshVolumeAndArea(mesh) : { volume: NaN, area: NaN };
  const voxels = scan.morphCount;
  const voxelVolume = spacing[0] * spacing[1] * spacing[2];

  // 3.1.1-3.1.9: volume, area and the sphericity family (all from the mesh).
  add('Volume (mesh)', 'RNU0', V);
  add('Volume (voxel counting)', 'YEKZ', voxels > 0 ? voxels * voxelVolume : NaN);
  add('Surface area (mesh)', 'C0JK', A);
  add('Surface to volume ratio', '2PR5', A / V);
  add('Compactness 1', 'SKGS', V / (Math.sqrt(Math.PI) * Math.pow(A, 1.5)));
  add('Compactness 2', 'BQWJ', (36 * Math.PI * V * V) / (A * A * A));
  add('Spherical disproportion', 'KRCK', A / Math.cbrt(36 * Math.PI * V * V));
  add('Sphericity', 'QCFX', Math.cbrt(36 * Math.PI * V * V) / A);
  add('Asphericity', '25C7', Math.cbrt((A * A * A) / (36 * Math.PI * V * V)) - 1);
  add('Centre of mass shift', 'KLMA', scan.comShift);

  const hull = mesh.triangles.length > 0 ? hullMeasures(mesh.lattice, mesh.positions) : null;
  add('Maximum 3D diameter', 'L0JK', hull ? hull.maxDiameter : NaN);

  // 3.1.12-3.1.16: PCA of the voxel centres.
  const [l1, l2, l3] = scan.variances;
  add('Major axis length', 'TDIC', 4 * Math.sqrt(l1));
  add('Minor axis length', 'P9VJ', 4 * Math.sqrt(l2));
  add('Least axis length', '7J51', 4 * Math.sqrt(l3));
  add('Elongation', 'Q3CK', l1 > 0 ? Math.sqrt(l2 / l1) : NaN);
  add('Flatness', 'N17B', l1 > 0 ? Math.sqrt(l3 / l1) : NaN);

  // 3.1.17-3.1.18: axis-aligned bounding box of the mesh (its extent is that of the hull vertices).
  const [ax, ay, az] = hull ? axisAlignedBoxDimensions(hull.vertexPositions) : [NaN, NaN, NaN];
  add('Volume density (axis-aligned bounding box)', 'PBX1', V / (ax * ay * az));
  add('Area density (axis-aligned bounding box)', 'R59B', A / (2 * (ax * ay + ax * az + ay * az)));

  // 3.1.19-3.1.20: oriented minimum bounding box (no IBSI reference value).
  const [ox, oy, oz] = hull && want('ZH1A', 'IQYR') ? orientedMinimumBoxDimensions(hull.vertexPositions, hull.triangles) : [NaN, NaN, NaN];
  add('Volume density (oriented minimum bounding box)', 'ZH1A', V / (ox * oy * oz), false);
  add('Area density (oriented minimum bounding box)', 'IQYR', A / (2 * (ox * oy + ox * oz + oy * oz)), false);

  // 3.1.21-3.1.22: approximate enclosing ellipsoid, semi-axes 2 sqrt(lambda).
  const aee = [2 * Math.sqrt(l1), 2 * Math.sqrt(l2), 2 * Math.sqrt(l3)];
  const aeeDefined = aee[2] > 0;
  add('Volume density (approximate enclosing ellipsoid)', '6BDE', aeeDefined ? (3 * V) / (4 * Math.PI * aee[0] * aee[1] * aee[2]) : NaN);
  add('Area density (approximate enclosing ellipsoid)', 'RDD2', aeeDefined ? A / ellipsoidSurfaceArea(aee) : NaN);

  // 3.1.23-3.1.24: minimum volume enclosing ellipsoid of the hull vertices (no IBSI reference value).
  const mvee = hull && want('SWZ1', 'BRI8') ? minimumVolumeEnclosingEllipsoid(hull.vertexPositions, MVEE_TOLERANCE) : null;
  add('Volume density (minimum volume enclosing ellipsoid)', 'SWZ1', mvee ? (3 * V) / (4 * Math.PI * mvee[0] * mvee[1] * mvee[2]) : NaN, false);
  add('Area density (minimum volume enclosing ellipsoid)', 'BRI8', mvee ? A / ellipsoidSurfaceArea(mvee) : NaN, false);

  // 3.1.25-3.1.26: convex hull.
  add('Volume density (convex hull)', 'R3ER', hull ? V / hull.volume : NaN);
  add('Area density (convex hull)', '7T7F', hull ? A / hull.area : NaN);

  // 3.1.27-3.1.29: hybrid features over the intensity mask.
  add('Integrated intensity', '99N0', V * scan.meanIntensity);
  if (opts.autocorrelation !== false && want(...AUTOCORRELATION_CODES)) out.push(...morphologyAutocorrelation(input, scan.intensityBounds));
  return wanted === null ? out : out.filter((f) => wanted.has(f.ibsi_code));
}
