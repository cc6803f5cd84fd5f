/**
 * Tissue to MR intensity: each tissue has a proton density (PD) and T1 and T2 relaxation times
 * at 3 T, and each sequence turns them into a signal with its textbook steady-state equation
 * (docs/demo-cohort.md, "MR contrast"):
 *
 *   T1, T1CE  spoiled gradient echo   S = PD sin(a) (1 - E1) / (1 - cos(a) E1),  E1 = exp(-TR/T1)
 *             (TE << T2*, so the echo-time decay is ~1 and left out)
 *   T2        fast spin echo          S = PD (1 - exp(-TR/T1)) exp(-TE/T2)
 *   FLAIR     inversion recovery      S = PD |1 - 2 exp(-TI/T1) + exp(-TR/T1)| exp(-TE/T2),
 *             TI = T1_csf ln(2 / (1 + exp(-TR/T1_csf))) nulls CSF
 *
 * Gadolinium shortens T1 in the enhancing rim: 1/T1 = 1/T1_0 + r1 [Gd], r1 = 4 /mM/s at 3 T
 * (Rohrer et al. 2005, Invest Radiol 40:715). The relative contrasts the brief asks for follow
 * from the physics: T1 WM > GM > CSF; T2 CSF bright; FLAIR CSF dark, oedema bright; T1CE rim
 * bright.
 *
 * Texture: a smooth unit-variance field n(p) perturbs the local free-water content by
 * w = amplitude(tissue) n(p), scaling PD by (1 + w/2) and T1, T2 by (1 + w); the same
 * perturbation shows in all four sequences, as a real microstructural variation would.
 */
import type { Grid } from '../image/volume';
import type { TumourPhenotype } from './genotype';
import type { LatticeField } from './random-field';
import type { Rng } from './rng';
import type { SiteProfile } from './sites';
import { TISSUE_COUNT, Tissue } from './tissue';

export const SEQUENCE_NAMES = ['t1', 't1ce', 't2', 'flair'] as const;
export type SequenceName = (typeof SEQUENCE_NAMES)[number];

export interface Relaxation {
  pd: number;
  t1Ms: number;
  t2Ms: number;
}

/**
 * PD (fraction of pure water) and relaxation times at 3 T, by tissue class. Sources: WM, GM,
 * muscle: Stanisz et al. 2005, MRM 54:507; CSF T1: Lu et al. 2005, JMRI 22:13 (T2 ~1.5-2 s);
 * subcutaneous fat: Gold et al. 2004, AJR 183:343, with T2 130 ms standing in for the bright
 * fat of fast spin echo (J-coupling: Henkelman et al. 1992, JMRI 2:533); PD of brain: water
 * content 0.69 (WM) and 0.80 (GM) (Neeb et al. 2006, NeuroImage 31:1156). Tumour tissues (vasogenic oedema, enhancing viable tumour, necrosis) are
 * set between parenchyma and fluid in line with quantitative T1/T2 mapping of glioblastoma
 * (values in docs/demo-cohort.md).
 */
export const RELAXATION_3T: readonly Relaxation[] = (() => {
  const r: Relaxation[] = new Array(TISSUE_COUNT);
  r[Tissue.Air] = { pd: 0, t1Ms: 1000, t2Ms: 100 };
  r[Tissue.Skin] = { pd: 0.75, t1Ms: 1412, t2Ms: 50 };
  r[Tissue.Fat] = { pd: 0.9, t1Ms: 382, t2Ms: 130 };
  r[Tissue.Bone] = { pd: 0.04, t1Ms: 300, t2Ms: 1 };
  r[Tissue.Marrow] = { pd: 0.85, t1Ms: 500, t2Ms: 70 };
  r[Tissue.Csf] = { pd: 1, t1Ms: 4163, t2Ms: 1800 };
  r[Tissue.GreyMatter] = { pd: 0.8, t1Ms: 1820, t2Ms: 99 };
  r[Tissue.WhiteMatter] = { pd: 0.69, t1Ms: 1084, t2Ms: 69 };
  r[Tissue.DeepGrey] = { pd: 0.78, t1Ms: 1450, t2Ms: 85 };
  r[Tissue.Oedema] = { pd: 0.86, t1Ms: 1700, t2Ms: 160 };
  r[Tissue.Enhancing] = { pd: 0.84, t1Ms: 1700, t2Ms: 120 };
  r[Tissue.Necrosis] = { pd: 0.92, t1Ms: 2600, t2Ms: 250 };
  return r;
})();

/** Gadolinium T1 relaxivity at 3 T, per mM per second. */
export const GADOLINIUM_R1 = 4;

/** Texture amplitude (relative water-content sd) of the normal tissues. */
const NORMAL_TEXTURE: readonly number[] = (() => {
  const a = new Array<number>(TISSUE_COUNT).fill(0);
  a[Tissue.Skin] = 0.05;
  a[Tissue.Fat] = 0.04;
  a[Tissue.Marrow] = 0.08;
  a[Tissue.Csf] = 0.01;
  a[Tissue.GreyMatter] = 0.04;
  a[Tissue.WhiteMatter] = 0.035;
  a[Tissue.DeepGrey] = 0.04;
  return a;
})();

/** Tumour texture amplitudes relative to the phenotype's amplitude. */
const TUMOUR_TEXTURE_SCALE = { oedema: 0.6, enhancing: 1, necrosis: 1.2 };
/** Relative sd of the gadolinium concentration within the rim (patchy enhancement). */
const GADOLINIUM_PATCHINESS = 0.35;

/** Stored intensity of white matter at site A, per sequence (arbitrary units, int16). */
export const WHITE_MATTER_INTENSITY: Record<SequenceName, number> = { t1: 300, t1ce: 300, t2: 150, flair: 200 };

const SPGR_TR_MS = 20;
const FSE_TR_MS = 4000;
const FLAIR_TE_MS = 120;

/** The inversion time that nulls CSF for a given TR. */
export function flairNullTiMs(trMs: number): number {
  const t1 = RELAXATION_3T[Tissue.Csf].t1Ms;
  return t1 * Math.log(2 / (1 + Math.exp(-trMs / t1)));
}

/** Signal of one sequence for given tissue parameters and gadolinium (mM), unscaled. */
export function sequenceSignal(seq: SequenceName, site: SiteProfile, pd: number, t1Ms: number, t2Ms: number, gdMm: number): number {
  switch (seq) {
    case 't1':
    case 't1ce': {
      const r1 = 1000 / t1Ms + (seq === 't1ce' ? GADOLINIUM_R1 * gdMm : 0);
      const e1 = Math.exp((-SPGR_TR_MS * r1) / 1000);
      const a = (site.t1FlipDeg * Math.PI) / 180;
      return (pd * Math.sin(a) * (1 - e1)) / (1 - Math.cos(a) * e1);
    }
    case 't2':
      return pd * (1 - Math.exp(-FSE_TR_MS / t1Ms)) * Math.exp(-site.t2TeMs / t2Ms);
    case 'flair': {
      const tr = site.flairTrMs;
      const ti = flairNullTiMs(tr);
      return pd * Math.abs(1 - 2 * Math.exp(-ti / t1Ms) + Math.exp(-tr / t1Ms)) * Math.exp(-FLAIR_TE_MS / t2Ms);
    }
  }
}

/** Site-A white-matter signal, the reference every sequence is scaled to. */
const REFERENCE_SITE: SiteProfile = {
  name: 'site-A',
  gain: 1,
  noiseFraction: 0,
  biasSd: 0,
  t1FlipDeg: 25,
  t2TeMs: 100,
  flairTrMs: 9000,
};

function sequenceScale(seq: SequenceName): number {
  const wm = RELAXATION_3T[Tissue.WhiteMatter];
  return WHITE_MATTER_INTENSITY[seq] / sequenceSignal(seq, REFERENCE_SITE, wm.pd, wm.t1Ms, wm.t2Ms, 0);
}

/** Lookup tables over the texture value n in [-TABLE_RANGE, TABLE_RANGE]. */
const TABLE_RANGE = 6;
const TABLE_STEPS = 240;
const TABLE_STEP = (2 * TABLE_RANGE) / TABLE_STEPS;

/** One subject's contrast: its tissue parameters at its site, tabulated against texture. */
export interface SubjectContrast {
  site: SiteProfile;
  relaxation: Relaxation[];
  textureAmplitude: Float64Array;
  gadoliniumMm: number;
  /** tables[s][tissue * (TABLE_STEPS + 1) + step]: scaled signal of sequence s. */
  tables: Float32Array[];
  /** Scaled white-matter signal per sequence at this site (noise reference). */
  whiteMatter: Float64Array;
}

/** Perturbed parameters for texture value w (relative water-content change). */
function perturbed(r: Relaxation, w: number): Relaxation {
  const f = Math.max(-0.9, w);
  return { pd: r.pd * (1 + 0.5 * f), t1Ms: r.t1Ms * (1 + f), t2Ms: r.t2Ms * (1 + f) };
}

/**
 * Draw the subject's tissue parameters (each PD, T1, T2 scaled by exp(N(0, 0.02)) for normal
 * tissue, exp(N(0, 0.05)) for tumour tissue: biological variation between patients) and
 * tabulate the four sequences at the subject's site.
 */
export function buildSubjectContrast(rng: Rng, site: SiteProfile, ph: TumourPhenotype): SubjectContrast {
  const relaxation: Relaxation[] = [];
  for (let t = 0; t < TISSUE_COUNT; t++) {
    const sd = t >= Tissue.Oedema ? 0.05 : 0.02;
    const r = RELAXATION_3T[t];
    relaxation.push({
      pd: r.pd * Math.exp(sd * rng.normal()),
      t1Ms: r.t1Ms * Math.exp(sd * rng.normal()),
      t2Ms: r.t2Ms * Math.exp(sd * rng.normal()),
    });
  }
  const amp = new Float64Array(TISSUE_COUNT);
  for (let t = 0; t < TISSUE_COUNT; t++) amp[t] = NORMAL_TEXTURE[t];
  amp[Tissue.Oedema] = TUMOUR_TEXTURE_SCALE.oedema * ph.textureAmplitude;
  amp[Tissue.Enhancing] = TUMOUR_TEXTURE_SCALE.enhancing * ph.textureAmplitude;
  amp[Tissue.Necrosis] = TUMOUR_TEXTURE_SCALE.necrosis * ph.textureAmplitude;

  const tables: Float32Array[] = [];
  const whiteMatter = new Float64Array(SEQUENCE_NAMES.length);
  SEQUENCE_NAMES.forEach((seq, s) => {
    const scale = sequenceScale(seq);
    const tab = new Float32Array(TISSUE_COUNT * (TABLE_STEPS + 1));
    for (let t = 0; t < TISSUE_COUNT; t++) {
      // Gadolinium is applied per voxel for the enhancing rim (renderCleanImages), not here.
      for (let q = 0; q <= TABLE_STEPS; q++) {
        const n = -TABLE_RANGE + q * TABLE_STEP;
        const r = perturbed(relaxation[t], amp[t] * n);
        tab[t * (TABLE_STEPS + 1) + q] = scale * sequenceSignal(seq, site, r.pd, r.t1Ms, r.t2Ms, 0);
      }
    }
    tables.push(tab);
    const wm = relaxation[Tissue.WhiteMatter];
    whiteMatter[s] = scale * sequenceSignal(seq, site, wm.pd, wm.t1Ms, wm.t2Ms, 0);
  });
  return { site, relaxation, textureAmplitude: amp, gadoliniumMm: ph.gadoliniumMm, tables, whiteMatter };
}

export interface ContrastFields {
  /** Texture of the normal tissues. */
  normal: LatticeField;
  /** Texture of oedema, enhancing rim and necrosis. */
  tumour: LatticeField;
  /** Relative variation of the gadolinium concentration in the rim. */
  gadolinium: LatticeField;
}

/**
 * Noise-free images of the four sequences (order of SEQUENCE_NAMES), then a mild point-spread
 * (3-tap [0.1, 0.8, 0.1] along every axis whose spacing is within 1.5x the finest, i.e. not
 * across thick slices), which gives partial-volume edges. Diagonal affine expected.
 */
export function renderCleanImages(grid: Grid, tissue: Uint8Array, c: SubjectContrast, f: ContrastFields): Float32Array[] {
  const [nx, ny, nz] = grid.dims;
  const m = grid.affine;
  const n = nx * ny * nz;
  const images = SEQUENCE_NAMES.map(() => new Float32Array(n));
  const [t1, t1ce, t2, flair] = images;
  const [tab1, tab1ce, tab2, tabFl] = c.tables;
  const rowLen = TABLE_STEPS + 1;
  const enh = c.relaxation[Tissue.Enhancing];
  const enhAmp = c.textureAmplitude[Tissue.Enhancing];
  const t1ceScale = sequenceScale('t1ce');
  let idx = 0;
  for (let k = 0; k < nz; k++) {
    const z = m[10] * k + m[11];
    for (let j = 0; j < ny; j++) {
      const y = m[5] * j + m[7];
      for (let i = 0; i < nx; i++, idx++) {
        const t = tissue[idx];
        if (t === Tissue.Air) continue;
        const x = m[0] * i + m[3];
        const v = t >= Tissue.Oedema ? f.tumour.sample(x, y, z) : f.normal.sample(x, y, z);
        let q = (v + TABLE_RANGE) / TABLE_STEP;
        q = q < 0 ? 0 : q > TABLE_STEPS - 1e-6 ? TABLE_STEPS - 1e-6 : q;
        const q0 = q | 0;
        const fr = q - q0;
        const b = t * rowLen + q0;
        t1[idx] = tab1[b] + fr * (tab1[b + 1] - tab1[b]);
        t2[idx] = tab2[b] + fr * (tab2[b + 1] - tab2[b]);
        flair[idx] = tabFl[b] + fr * (tabFl[b + 1] - tabFl[b]);
        if (t === Tissue.Enhancing) {
          const gd = c.gadoliniumMm * Math.max(0, 1 + GADOLINIUM_PATCHINESS * f.gadolinium.sample(x, y, z));
          const r = perturbed(enh, enhAmp * v);
          t1ce[idx] = t1ceScale * sequenceSignal('t1ce', c.site, r.pd, r.t1Ms, r.t2Ms, gd);
        } else {
          t1ce[idx] = tab1ce[b] + fr * (tab1ce[b + 1] - tab1ce[b]);
        }
      }
    }
  }
  const finest = Math.min(grid.spacing[0], grid.spacing[1], grid.spacing[2]);
  for (const img of images) {
    for (let a = 0; a < 3; a++) if (grid.spacing[a] <= 1.5 * finest) pointSpread(img, grid.dims, a as 0 | 1 | 2);
  }
  return images;
}

/**
 * In-place 3-tap blur [0.1, 0.8, 0.1] along one axis (at the edges the missing tap is the
 * centre value). The original values of the previous line (axis 1) or plane (axis 2) are kept
 * in a small buffer, so no copy of the volume is needed.
 */
function pointSpread(img: Float32Array, dims: readonly number[], axis: 0 | 1 | 2): void {
  const [nx, ny, nz] = dims;
  if (dims[axis] < 3) return;
  if (axis === 0) {
    for (let start = 0; start < img.length; start += nx) {
      let prev = img[start];
      for (let i = 0; i < nx; i++) {
        const p = start + i;
        const c = img[p];
        const next = i < nx - 1 ? img[p + 1] : c;
        img[p] = 0.1 * prev + 0.8 * c + 0.1 * next;
        prev = c;
      }
    }
    return;
  }
  const stride = axis === 1 ? nx : nx * ny;
  const lines = axis === 1 ? ny : nz; // positions along the blurred axis
  const blocks = axis === 1 ? nz : 1; // independent stacks (slices for axis 1)
  const prev = new Float32Array(stride);
  for (let b = 0; b < blocks; b++) {
    const base = b * nx * ny;
    for (let l = 0; l < lines; l++) {
      const off = base + l * stride;
      for (let q = 0; q < stride; q++) {
        const p = off + q;
        const c = img[p];
        const before = l > 0 ? prev[q] : c;
        const after = l < lines - 1 ? img[p + stride] : c;
        prev[q] = c;
        img[p] = 0.1 * before + 0.8 * c + 0.1 * after;
      }
    }
  }
}
