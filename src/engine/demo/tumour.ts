/**
 * The tumour: a lobulated blob in one hemisphere with a necrotic core, an enhancing rim and
 * surrounding vasogenic oedema that spreads through white matter and largely spares the cortex
 * (docs/demo-cohort.md, "Tumour").
 *
 * Shape: in direction u from the centre the core boundary lies at
 *   R(u) = R0 (1 + sum_k a_k exp(kappa_k (u . v_k - 1))) / norm
 * (von Mises-Fisher bumps on the sphere = lobes; norm makes R0 the mean radius), roughened by a
 * smooth random field. With t = |p - c| / R(u) + margin noise:
 *   necrosis   t_n < necrosisFraction (its own roughening field),
 *   enhancing  t < 1,
 *   oedema     (t - 1) R(u) + infiltration noise < reach, where reach is the oedema extent in
 *              white matter, 60% of it in deep grey and 25% in cortex (vasogenic oedema follows
 *              white-matter tracts: finger-like spread that stops at the cortex).
 * Nesting is then enforced on the voxel grid (6-connectivity): necrosis touching anything but
 * necrosis or enhancing becomes enhancing, and non-tumour tissue touching enhancing becomes
 * oedema, so necrosis is enclosed by enhancing tumour, which is enclosed by oedema.
 */
import type { Grid, Vec3 } from '../image/volume';
import type { TumourPhenotype } from './genotype';
import { type HeadAnatomy, type MassEffect, intracranialDepth } from './head-phantom';
import { type LatticeField, gaussianRandomField } from './random-field';
import type { Rng } from './rng';
import { BratsLabel, Tissue, isIntracranial } from './tissue';

/** Margin roughness (t units), necrosis roughness (t units), infiltration roughness (mm). */
const MARGIN_NOISE = 0.07;
const NECROSIS_NOISE = 0.12;
const INFILTRATION_NOISE_MM = 4;
/** Oedema reach relative to white matter. */
const REACH_DEEP_GREY = 0.6;
const REACH_CORTEX = 0.25;
/** Frontal lobe: anterior to this coronal plane (mm from the head centre). */
export const FRONTAL_PLANE_Y = 20;

export interface TumourGeometry {
  centre: Vec3;
  coreRadiusMm: number;
  /** Lobe directions (3 per lobe), amplitudes and concentrations. */
  lobeDirs: Float64Array;
  lobeAmps: Float64Array;
  lobeKappas: Float64Array;
  lobeNorm: number;
  /** Bound on the core radius over all directions (mm), without margin noise. */
  maxCoreRadiusMm: number;
  necrosisFraction: number;
  oedemaExtentMm: number;
}

export interface TumourFields {
  margin: LatticeField;
  necrosisMargin: LatticeField;
  infiltration: LatticeField;
}

/** Core radius in unit direction (ux, uy, uz). A lobe more than 8 / kappa (in 1 - cos) away
 *  adds under 0.35 exp(-8) = 1e-4 of the radius and is skipped, sparing its exponential. */
function coreRadius(g: TumourGeometry, ux: number, uy: number, uz: number): number {
  let s = 1;
  const d = g.lobeDirs;
  for (let l = 0; l < g.lobeAmps.length; l++) {
    const e = g.lobeKappas[l] * (ux * d[3 * l] + uy * d[3 * l + 1] + uz * d[3 * l + 2] - 1);
    if (e > -8) s += g.lobeAmps[l] * Math.exp(e);
  }
  return (g.coreRadiusMm * s) / g.lobeNorm;
}

/** Reach of everything the tumour can label, beyond the centre (mm). */
function tumourReachMm(g: TumourGeometry): number {
  return g.maxCoreRadiusMm * (1 + 4 * MARGIN_NOISE) + g.oedemaExtentMm + 4 * INFILTRATION_NOISE_MM;
}

/** 64 directions spread evenly over the sphere (Fibonacci lattice): probes of the core's extent. */
const PROBE_DIRS: Vec3[] = [];
for (let p = 0; p < 64; p++) {
  const z = 1 - (2 * p + 1) / 64;
  const r = Math.sqrt(1 - z * z);
  const phi = p * Math.PI * (3 - Math.sqrt(5));
  PROBE_DIRS.push([r * Math.cos(phi), r * Math.sin(phi), z]);
}

/**
 * Draw the lobulation and place the tumour in the hemisphere and lobe the phenotype asks for,
 * so that the core (with 3 sd of margin noise) lies at least 2 mm inside the cranial cavity and
 * stays at least 1 mm from the midline. Rejection sampling; the core shrinks by 5% after every 200
 * failures (rare: only the largest cores in the narrow frontal pole).
 */
export function placeTumour(rng: Rng, ph: TumourPhenotype, head: HeadAnatomy): TumourGeometry {
  const lobes = 3 + Math.floor(rng.uniform() * 4);
  const lobeDirs = new Float64Array(3 * lobes);
  const lobeAmps = new Float64Array(lobes);
  const lobeKappas = new Float64Array(lobes);
  let norm = 1;
  for (let l = 0; l < lobes; l++) {
    const v = rng.unitVector();
    lobeDirs.set(v, 3 * l);
    lobeAmps[l] = rng.between(0.1, 0.35);
    lobeKappas[l] = rng.between(4, 10);
    // Mean of exp(kappa (cos - 1)) over the sphere is (1 - exp(-2 kappa)) / (2 kappa).
    norm += (lobeAmps[l] * (1 - Math.exp(-2 * lobeKappas[l]))) / (2 * lobeKappas[l]);
  }
  const g: TumourGeometry = {
    centre: [0, 0, 0],
    coreRadiusMm: ph.coreRadiusMm,
    lobeDirs,
    lobeAmps,
    lobeKappas,
    lobeNorm: norm,
    maxCoreRadiusMm: 0,
    necrosisFraction: ph.necrosisFraction,
    oedemaExtentMm: ph.oedemaExtentMm,
  };
  // The radius peaks near a lobe's direction; probing the lobes and 64 spread directions, plus
  // 5%, bounds it.
  let peak = 0;
  for (let l = 0; l < lobes; l++) peak = Math.max(peak, coreRadius(g, lobeDirs[3 * l], lobeDirs[3 * l + 1], lobeDirs[3 * l + 2]));
  for (const u of PROBE_DIRS) peak = Math.max(peak, coreRadius(g, u[0], u[1], u[2]));
  const peakRatio = (1.05 * peak) / ph.coreRadiusMm;
  const s = ph.hemisphere;
  // Sampling box of the centre: the hemisphere, a lobe (anterior or posterior to
  // FRONTAL_PLANE_Y), and the supratentorial height range; the probes keep the core inside.
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0 && attempt % 200 === 0) g.coreRadiusMm *= 0.95;
    const x = s * rng.between(10, 45);
    const y = ph.frontal ? rng.between(FRONTAL_PLANE_Y + 5, 65) : rng.between(-65, FRONTAL_PLANE_Y - 5);
    const z = rng.between(-15, 35);
    if (intracranialDepth(head, [x, y, z]) < g.coreRadiusMm) continue;
    // Each probe sits on the core boundary in its direction, pushed out by 3 sd of margin noise.
    let fits = true;
    for (let p = 0; fits && p < PROBE_DIRS.length; p++) {
      const u = PROBE_DIRS[p];
      const r = coreRadius(g, u[0], u[1], u[2]) * (1 + 3 * MARGIN_NOISE);
      const px = x + r * u[0];
      fits = s * px > 1 && intracranialDepth(head, [px, y + r * u[1], z + r * u[2]]) > 2;
    }
    if (!fits) continue;
    g.centre = [x, y, z];
    g.maxCoreRadiusMm = g.coreRadiusMm * peakRatio;
    return g;
  }
}

/** The tumour's mass effect on the surrounding anatomy: larger cores push harder. */
export function tumourMassEffect(g: TumourGeometry): MassEffect {
  const amplitude = Math.min(0.4, Math.max(0.1, (0.25 * g.coreRadiusMm) / 17));
  return { centre: g.centre, amplitude, lengthMm: g.coreRadiusMm + 0.5 * g.oedemaExtentMm };
}

function boxAround(c: Vec3, r: number): { min: Vec3; max: Vec3 } {
  return { min: [c[0] - r, c[1] - r, c[2] - r], max: [c[0] + r, c[1] + r, c[2] + r] };
}

/** The world-space box the tumour (with its oedema) can reach. */
export function tumourBox(g: TumourGeometry): { min: Vec3; max: Vec3 } {
  return boxAround(g.centre, tumourReachMm(g));
}

/** The world-space box of the core (necrosis and enhancing rim, with margin noise). */
export function coreBox(g: TumourGeometry): { min: Vec3; max: Vec3 } {
  return boxAround(g.centre, g.maxCoreRadiusMm * (1 + 4 * MARGIN_NOISE));
}

/** Roughening fields of the margins (kernel sd 3, 2.5 and 5 mm). */
export function makeTumourFields(rng: Rng, g: TumourGeometry): TumourFields {
  const all = tumourBox(g);
  const core = coreBox(g);
  return {
    margin: gaussianRandomField(rng, all.min, all.max, 3),
    necrosisMargin: gaussianRandomField(rng, core.min, core.max, 2.5),
    infiltration: gaussianRandomField(rng, all.min, all.max, 5),
  };
}

/** Voxel index range [lo, hi] per axis of the grid covered by the world box (diagonal affine). */
export function voxelBox(grid: Grid, min: Vec3, max: Vec3): { lo: Vec3; hi: Vec3 } {
  const lo: Vec3 = [0, 0, 0];
  const hi: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const s = grid.affine[5 * a];
    const o = grid.affine[4 * a + 3];
    const i0 = (min[a] - o) / s;
    const i1 = (max[a] - o) / s;
    lo[a] = Math.max(0, Math.floor(Math.min(i0, i1)));
    hi[a] = Math.min(grid.dims[a] - 1, Math.ceil(Math.max(i0, i1)));
  }
  return { lo, hi };
}

/**
 * Write the tumour into the tissue map (in place) and return the BraTS segmentation
 * (0 background, 1 necrosis, 2 oedema, 4 enhancing). The grid's affine must be diagonal.
 */
export function renderTumour(grid: Grid, g: TumourGeometry, f: TumourFields, tissue: Uint8Array): Uint8Array {
  const [nx, ny] = grid.dims;
  const m = grid.affine;
  const { min, max } = tumourBox(g);
  const { lo, hi } = voxelBox(grid, min, max);
  const [cx, cy, cz] = g.centre;
  const reachWm = g.oedemaExtentMm;
  const reach2 = tumourReachMm(g) ** 2;
  for (let k = lo[2]; k <= hi[2]; k++) {
    const z = m[10] * k + m[11];
    for (let j = lo[1]; j <= hi[1]; j++) {
      const y = m[5] * j + m[7];
      for (let i = lo[0]; i <= hi[0]; i++) {
        const x = m[0] * i + m[3];
        const idx = i + nx * (j + ny * k);
        const dx = x - cx;
        const dy = y - cy;
        const dz = z - cz;
        const rho2 = dx * dx + dy * dy + dz * dz;
        if (rho2 > reach2) continue;
        const rho = Math.sqrt(rho2);
        const R = rho < 1e-9 ? g.coreRadiusMm : coreRadius(g, dx / rho, dy / rho, dz / rho);
        const base = rho / R;
        const t = base + MARGIN_NOISE * f.margin.sample(x, y, z);
        if (t < 1) {
          const tn = base + NECROSIS_NOISE * f.necrosisMargin.sample(x, y, z);
          tissue[idx] = tn < g.necrosisFraction ? Tissue.Necrosis : Tissue.Enhancing;
          continue;
        }
        const here = tissue[idx];
        const reach =
          here === Tissue.WhiteMatter
            ? reachWm
            : here === Tissue.DeepGrey
              ? REACH_DEEP_GREY * reachWm
              : here === Tissue.GreyMatter
                ? REACH_CORTEX * reachWm
                : -1;
        if (reach < 0) continue;
        const out = (t - 1) * R + INFILTRATION_NOISE_MM * f.infiltration.sample(x, y, z);
        if (out < reach) tissue[idx] = Tissue.Oedema;
      }
    }
  }
  enforceNesting(grid, tissue, lo, hi);
  return segmentationOf(tissue);
}

/** Necrosis inside enhancing inside oedema, by 6-connectivity (see the module comment). */
function enforceNesting(grid: Grid, tissue: Uint8Array, lo: Vec3, hi: Vec3): void {
  const [nx, ny, nz] = grid.dims;
  const sy = nx;
  const sz = nx * ny;
  // Pass 1: necrosis with a face neighbour that is neither necrosis nor enhancing (or on the
  // grid's border, where no rim can enclose it) becomes enhancing. Decided on the original map.
  const toEnhancing: number[] = [];
  const rimOrCore = (t: number) => t === Tissue.Necrosis || t === Tissue.Enhancing;
  for (let k = lo[2]; k <= hi[2]; k++) {
    for (let j = lo[1]; j <= hi[1]; j++) {
      for (let i = lo[0]; i <= hi[0]; i++) {
        const idx = i + nx * (j + ny * k);
        if (tissue[idx] !== Tissue.Necrosis) continue;
        const border = i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1;
        if (
          border ||
          !rimOrCore(tissue[idx - 1]) ||
          !rimOrCore(tissue[idx + 1]) ||
          !rimOrCore(tissue[idx - sy]) ||
          !rimOrCore(tissue[idx + sy]) ||
          !rimOrCore(tissue[idx - sz]) ||
          !rimOrCore(tissue[idx + sz])
        ) {
          toEnhancing.push(idx);
        }
      }
    }
  }
  for (const idx of toEnhancing) tissue[idx] = Tissue.Enhancing;
  // Pass 2: intracranial non-tumour tissue touching enhancing becomes oedema.
  const touch = (n: number) => {
    const t = tissue[n];
    if (t !== Tissue.Necrosis && t !== Tissue.Enhancing && t !== Tissue.Oedema && isIntracranial(t)) tissue[n] = Tissue.Oedema;
  };
  for (let k = lo[2]; k <= hi[2]; k++) {
    for (let j = lo[1]; j <= hi[1]; j++) {
      for (let i = lo[0]; i <= hi[0]; i++) {
        const idx = i + nx * (j + ny * k);
        if (tissue[idx] !== Tissue.Enhancing) continue;
        if (i > 0) touch(idx - 1);
        if (i < nx - 1) touch(idx + 1);
        if (j > 0) touch(idx - sy);
        if (j < ny - 1) touch(idx + sy);
        if (k > 0) touch(idx - sz);
        if (k < nz - 1) touch(idx + sz);
      }
    }
  }
}

/** BraTS labels from the tissue map. */
export function segmentationOf(tissue: Uint8Array): Uint8Array {
  const seg = new Uint8Array(tissue.length);
  for (let i = 0; i < tissue.length; i++) {
    const t = tissue[i];
    seg[i] =
      t === Tissue.Necrosis
        ? BratsLabel.Necrosis
        : t === Tissue.Oedema
          ? BratsLabel.Oedema
          : t === Tissue.Enhancing
            ? BratsLabel.Enhancing
            : BratsLabel.Background;
  }
  return seg;
}
