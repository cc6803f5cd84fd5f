/**
 * The head phantom: a layered, randomly deformed ellipsoidal head on which the tumour is
 * placed. All geometry is in world millimetres (RAS: +x right, +y anterior, +z superior) with
 * the head centred at the world origin, so the same anatomy renders on any grid (the 1.2 mm
 * demo grid, the 1 mm benchmark grid, the coarse test grid).
 *
 * Layers, from outside in (thicknesses: docs/demo-cohort.md, "Head"):
 *   skin and muscle | scalp fat | skull (outer table, diploe, inner table) | subarachnoid CSF |
 *   cortical grey matter, folded by sulci | white matter, holding the lateral and third
 *   ventricles (CSF) and the thalami and lentiform nuclei (deep grey).
 * Every layer is a level set of the signed distance, along the ray from the head centre, to the
 * inner table of the skull, whose radius in direction u is that of an ellipsoid times
 * (1 + a random low-order spherical-harmonic deformation), so each subject's head has its own
 * smooth shape.
 *
 * Cortical folding: sulci are the thin sheets where a smooth random field is near zero (the zero
 * set of a Gaussian random field is a connected sponge of sheets whose spacing is set by the
 * field's correlation length); grey matter lines them to the cortical thickness.
 *
 * Mass effect: the intracranial structures (ventricles, deep grey, folding, midline) are read at
 * positions pulled towards the tumour centre, which pushes them outward around the tumour
 * (ventricle compression, midline shift) while the skull stays in place.
 */
import type { Grid, Vec3 } from '../image/volume';
import type { LatticeField } from './random-field';
import type { Rng } from './rng';
import { Tissue } from './tissue';

/** Number of random spherical-harmonic terms (degrees 1 to 3). */
const SHAPE_TERMS = 15;

export interface HeadAnatomy {
  /** Semi-axes (mm) of the inner table of the skull: left-right, anterior-posterior, inferior-superior. */
  radii: Vec3;
  /** Coefficients of the random shape deformation (relative radius change per harmonic). */
  shape: Float64Array;
  skullMm: number;
  /** Diploe (marrow) between these depths into the skull, mm from the inner table. */
  marrowInnerMm: number;
  marrowOuterMm: number;
  fatMm: number;
  skinMm: number;
  /** Subarachnoid CSF between brain surface and inner table; grows with age (atrophy). */
  csfShellMm: number;
  /** Sulcal CSF where |folding field| < this (field units); widens with age. */
  sulcalHalfWidth: number;
  /** Grey matter where |folding field| < sulcalHalfWidth + this (cortex lining a sulcus). */
  cortexHalfWidth: number;
  cortexMm: number;
  sulcalDepthMm: number;
  /** Kernel sd (mm) of the folding field. */
  foldingLengthMm: number;
  /** Linear scale of the ventricles; grows with age. */
  ventricleScale: number;
  /** Half-width (mm) of the CSF in the interhemispheric fissure. */
  fissureHalfWidthMm: number;
}

/** Radial mass effect around the tumour: positions at distance r from `centre` are read at
 *  r (1 - amplitude exp(-r^2 / (2 length^2))); monotone in r for amplitude < 1. */
export interface MassEffect {
  centre: Vec3;
  amplitude: number;
  lengthMm: number;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/**
 * Draw one subject's head. Age drives atrophy (wider CSF spaces and larger ventricles); sex
 * scales head size (male intracranial volume is about 10% larger, i.e. about 3% linear).
 */
export function sampleHeadAnatomy(rng: Rng, age: number, sex: 'M' | 'F'): HeadAnatomy {
  const scale = clamp(rng.gaussian(sex === 'M' ? 1.015 : 0.985, 0.03), 0.9, 1.1);
  const radii: Vec3 = [
    68 * scale * clamp(rng.gaussian(1, 0.02), 0.95, 1.05),
    85 * scale * clamp(rng.gaussian(1, 0.02), 0.95, 1.05),
    60 * scale * clamp(rng.gaussian(1, 0.02), 0.95, 1.05),
  ];
  const shape = new Float64Array(SHAPE_TERMS);
  // Lower degrees deform more: sd 1% (degree 1), 2% (degree 2), 1.2% (degree 3).
  for (let t = 0; t < SHAPE_TERMS; t++) shape[t] = rng.normal() * (t < 3 ? 0.01 : t < 8 ? 0.02 : 0.012);
  const skullMm = clamp(rng.gaussian(6.5, 0.7), 5, 8.5);
  const atrophyYears = Math.max(0, age - 30);
  return {
    radii,
    shape,
    skullMm,
    marrowInnerMm: 0.3 * skullMm,
    marrowOuterMm: 0.7 * skullMm,
    fatMm: clamp(rng.gaussian(4.5, 1), 2.5, 7),
    skinMm: 1.8,
    csfShellMm: clamp(1.2 + 0.035 * atrophyYears + rng.gaussian(0, 0.2), 0.8, 4),
    sulcalHalfWidth: clamp(0.12 + 0.003 * atrophyYears + rng.gaussian(0, 0.02), 0.06, 0.4),
    cortexHalfWidth: 0.8,
    cortexMm: clamp(rng.gaussian(2.6, 0.15), 2, 3.2),
    sulcalDepthMm: clamp(rng.gaussian(15, 2), 10, 20),
    foldingLengthMm: 4,
    ventricleScale: clamp((0.8 + 0.012 * (age - 40)) * rng.gaussian(1, 0.1), 0.6, 1.8),
    fissureHalfWidthMm: clamp(0.8 + 0.02 * atrophyYears, 0.6, 2.5),
  };
}

/**
 * Relative radius change in unit direction u: the subject's random low-order harmonics plus a
 * flattened skull base (the cranial fossae), the same for every subject.
 */
function shapeFactor(s: Float64Array, x: number, y: number, z: number): number {
  const x2 = x * x;
  const y2 = y * y;
  const z2 = z * z;
  const below = z < 0 ? -z : 0;
  return (
    1 +
    s[0] * x +
    s[1] * y +
    s[2] * z +
    s[3] * x * y +
    s[4] * y * z +
    s[5] * x * z +
    s[6] * (x2 - y2) +
    s[7] * (3 * z2 - 1) +
    s[8] * x * (x2 - 3 * y2) +
    s[9] * y * (3 * x2 - y2) +
    s[10] * z * (x2 - y2) +
    s[11] * x * y * z +
    s[12] * x * (5 * z2 - 1) +
    s[13] * y * (5 * z2 - 1) +
    s[14] * z * (5 * z2 - 3) -
    0.1 * below * below * below
  );
}

/** Upper bounds of |basis term| over the unit sphere, in the order of shapeFactor. */
const SHAPE_TERM_BOUND = [1, 1, 1, 0.5, 0.5, 0.5, 1, 2, 1, 1, 0.4, 0.2, 1.4, 1.4, 2];

/** An upper bound of shapeFactor over all directions. */
export function maxShapeFactor(a: HeadAnatomy): number {
  let m = 1;
  for (let t = 0; t < SHAPE_TERMS; t++) m += Math.abs(a.shape[t]) * SHAPE_TERM_BOUND[t];
  return m;
}

/** Distance (mm) from the head centre to the inner table of the skull in unit direction u. */
export function innerTableRadius(a: HeadAnatomy, ux: number, uy: number, uz: number): number {
  const [rx, ry, rz] = a.radii;
  const e = 1 / Math.sqrt((ux / rx) ** 2 + (uy / ry) ** 2 + (uz / rz) ** 2);
  return e * shapeFactor(a.shape, ux, uy, uz);
}

/** Depth (mm) of world point p below the inner table along the ray from the head centre
 *  (negative outside the cranial cavity). */
export function intracranialDepth(a: HeadAnatomy, p: Vec3): number {
  const r = Math.hypot(p[0], p[1], p[2]);
  if (r < 1e-9) return innerTableRadius(a, 0, 0, 1);
  return innerTableRadius(a, p[0] / r, p[1] / r, p[2] / r) - r;
}

/** Outer extent (mm) of the head beyond the inner table. */
export function scalpOuterMm(a: HeadAnatomy): number {
  return a.skullMm + a.fatMm + a.skinMm;
}

/** Inside an ellipsoid with the given centre and semi-axes. */
function inEllipsoid(x: number, y: number, z: number, cx: number, cy: number, cz: number, rx: number, ry: number, rz: number): boolean {
  const dx = (x - cx) / rx;
  const dy = (y - cy) / ry;
  const dz = (z - cz) / rz;
  return dx * dx + dy * dy + dz * dz < 1;
}

/** Deep structures at (already warped) position (x, y, z): CSF, deep grey, or -1 for neither. */
function deepStructure(a: HeadAnatomy, x: number, y: number, z: number): number {
  const v = a.ventricleScale;
  const ax = x < 0 ? -x : x;
  // Lateral ventricles: ellipsoids whose long axis arches (higher in the middle, frontal and
  // occipital horns lower), one each side of the septum.
  const yc = -4;
  const zc = 12 - 0.006 * (y - yc) * (y - yc);
  if (inEllipsoid(ax, y, z, 4 + 2.5 * v, yc, zc, 3.5 * v, 28 + 4 * v, 5.5 * v)) return Tissue.Csf;
  // Third ventricle: a thin midline slab.
  if (ax < 1.2 * v && y > -14 && y < 6 && z > -6 && z < 8) return Tissue.Csf;
  // Thalami and lentiform nuclei.
  if (inEllipsoid(ax, y, z, 11, -14, 4, 7, 13, 8)) return Tissue.DeepGrey;
  if (inEllipsoid(ax, y, z, 21, 4, 2, 6, 14, 9)) return Tissue.DeepGrey;
  return -1;
}

/**
 * Classify every voxel of `grid` into a tissue class. `folding` is the cortical folding field
 * (kernel sd `anatomy.foldingLengthMm`), `mass` the tumour's mass effect (or null).
 */
export function renderHead(grid: Grid, a: HeadAnatomy, folding: LatticeField, mass: MassEffect | null): Uint8Array {
  const [nx, ny, nz] = grid.dims;
  const m = grid.affine;
  const out = new Uint8Array(nx * ny * nz);
  const outer = scalpOuterMm(a);
  const skull = a.skullMm;
  const fatOuter = skull + a.fatMm;
  const cortexDepth = a.csfShellMm + a.cortexMm;
  const sulcusDepth = a.csfShellMm + a.sulcalDepthMm;
  const foldedDepth = sulcusDepth + a.cortexMm;
  const wS = a.sulcalHalfWidth;
  const wG = a.sulcalHalfWidth + a.cortexHalfWidth;
  const fiss = a.fissureHalfWidthMm;
  const mc = mass ? mass.centre : [0, 0, 0];
  const mA = mass ? mass.amplitude : 0;
  const mInv2L2 = mass ? 1 / (2 * mass.lengthMm * mass.lengthMm) : 0;
  const mReach2 = mass ? 16 * mass.lengthMm * mass.lengthMm : 0;
  // Outside this ellipsoid is air whatever the deformation, which spares the shape evaluation
  // for most of the background.
  const grow = maxShapeFactor(a);
  const ex = 1 / (grow * a.radii[0] + outer);
  const ey = 1 / (grow * a.radii[1] + outer);
  const ez = 1 / (grow * a.radii[2] + outer);
  let idx = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++, idx++) {
        const x = m[0] * i + m[1] * j + m[2] * k + m[3];
        const y = m[4] * i + m[5] * j + m[6] * k + m[7];
        const z = m[8] * i + m[9] * j + m[10] * k + m[11];
        if ((x * ex) ** 2 + (y * ey) ** 2 + (z * ez) ** 2 > 1) continue;
        const r = Math.sqrt(x * x + y * y + z * z);
        const R = r < 1e-9 ? a.radii[2] : innerTableRadius(a, x / r, y / r, z / r);
        const d = r - R; // signed distance outward from the inner table, mm
        if (d > outer) continue; // air
        if (d > fatOuter) {
          out[idx] = Tissue.Skin;
          continue;
        }
        if (d > skull) {
          out[idx] = Tissue.Fat;
          continue;
        }
        if (d > 0) {
          out[idx] = d > a.marrowInnerMm && d < a.marrowOuterMm ? Tissue.Marrow : Tissue.Bone;
          continue;
        }
        const depth = -d;
        if (depth < a.csfShellMm) {
          out[idx] = Tissue.Csf;
          continue;
        }
        // Intracranial structures are read at positions displaced by the mass effect.
        let wx = x;
        let wy = y;
        let wz = z;
        if (mass) {
          const dx = x - mc[0];
          const dy = y - mc[1];
          const dz = z - mc[2];
          const r2 = dx * dx + dy * dy + dz * dz;
          if (r2 < mReach2) {
            const f = 1 - mA * Math.exp(-r2 * mInv2L2);
            wx = mc[0] + dx * f;
            wy = mc[1] + dy * f;
            wz = mc[2] + dz * f;
          }
        }
        const deep = deepStructure(a, wx, wy, wz);
        if (deep >= 0) {
          out[idx] = deep;
          continue;
        }
        // Interhemispheric fissure: down to the corpus callosum between |y| < 40 mm, through
        // the whole depth in front of and behind it.
        const ax = wx < 0 ? -wx : wx;
        const fissureFloor = wy > -40 && wy < 40 ? 20 : -1000;
        if (ax < fiss + a.cortexMm && wz > fissureFloor - a.cortexMm) {
          out[idx] = ax < fiss && wz > fissureFloor ? Tissue.Csf : Tissue.GreyMatter;
          continue;
        }
        if (depth < cortexDepth) {
          out[idx] = Tissue.GreyMatter;
          continue;
        }
        if (depth < foldedDepth) {
          const g = folding.sample(wx, wy, wz);
          const ag = g < 0 ? -g : g;
          if (ag < wS && depth < sulcusDepth) {
            out[idx] = Tissue.Csf;
            continue;
          }
          if (ag < wG) {
            out[idx] = Tissue.GreyMatter;
            continue;
          }
        }
        out[idx] = Tissue.WhiteMatter;
      }
    }
  }
  return out;
}
