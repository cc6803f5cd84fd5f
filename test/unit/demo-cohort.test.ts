/**
 * The demo cohort on disk (3 subjects on a coarse 3 x 3 x 6 mm grid, to stay fast) and one
 * rendered subject in memory: byte-for-byte determinism, file layout and readability, label
 * set and nesting, relative MR contrasts, and the benchmark case.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { Vec3 } from '../../src/engine/image/volume';
import { readNifti } from '../../src/engine/io/nifti';
import {
  type DemoCohortSummary,
  demoGrid,
  generateDemoCohort,
  generateGliomaCase,
  renderSubject,
} from '../../src/engine/demo/cohort';
import { SITES, generateSubject } from '../../src/engine/demo/genotype';
import { Tissue, isIntracranial } from '../../src/engine/demo/tissue';
import { RgsError } from '../../src/engine/util/errors';

const SPACING: Vec3 = [3, 3, 6];
const root = mkdtempSync(join(tmpdir(), 'rgs-demo-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** sha256 of every file under dir, keyed by relative path (temporary files would show up too). */
function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

function csvRows(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => l.split(','));
}

/**
 * Nesting by 6-connectivity: every necrosis voxel's face neighbours are necrosis or enhancing,
 * every enhancing voxel's are necrosis, enhancing or oedema. Returns the violations.
 */
function nestingViolations(seg: ArrayLike<number>, dims: Vec3): string[] {
  const [nx, ny, nz] = dims;
  const bad: string[] = [];
  const allowed: Record<number, number[]> = { 1: [1, 4], 4: [1, 2, 4] };
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const v = seg[i + nx * (j + ny * k)];
        if (v !== 1 && v !== 4) continue;
        const ok = allowed[v];
        for (const [di, dj, dk] of [[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, 0, -1], [0, 0, 1]]) {
          const a = i + di;
          const b = j + dj;
          const c = k + dk;
          const n = a < 0 || b < 0 || c < 0 || a >= nx || b >= ny || c >= nz ? 0 : seg[a + nx * (b + ny * c)];
          if (!ok.includes(n)) bad.push(`label ${v} at (${i},${j},${k}) touches ${n}`);
        }
      }
    }
  }
  return bad;
}

describe('generateDemoCohort (3 small subjects)', () => {
  let dirA: string;
  let summary: DemoCohortSummary;
  const progress: [number, number][] = [];

  beforeAll(() => {
    dirA = join(root, 'a');
    summary = generateDemoCohort(dirA, { seed: 31, subjects: 3, spacing: SPACING, onProgress: (d, t) => progress.push([d, t]) });
  });

  it('is byte-for-byte reproducible from the seed, and a different seed changes every image', () => {
    const dirB = join(root, 'b');
    generateDemoCohort(dirB, { seed: 31, subjects: 3, spacing: SPACING });
    const a = hashTree(dirA);
    const b = hashTree(dirB);
    expect(Object.keys(a)).toHaveLength(3 * 5 + 3);
    expect(b).toEqual(a);
    const dirC = join(root, 'c');
    generateDemoCohort(dirC, { seed: 32, subjects: 3, spacing: SPACING });
    const c = hashTree(dirC);
    for (const file of Object.keys(a)) {
      if (file === 'labels.yaml') expect(c[file]).toBe(a[file]);
      else if (file !== 'manifest.csv') expect(c[file], file).not.toBe(a[file]);
    }
  });

  it('reports progress and a summary that matches the files', () => {
    expect(progress).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(summary.ids).toEqual(['GBM-001', 'GBM-002', 'GBM-003']);
    expect(summary.dims).toEqual(demoGrid(SPACING).dims);
    const onDisk = Object.keys(hashTree(dirA)).reduce((n, f) => n + statSync(join(dirA, f)).size, 0);
    expect(summary.bytesWritten).toBe(onDisk);
  });

  it('writes manifest.csv, clinical.csv and labels.yaml as documented', () => {
    const manifest = csvRows(join(dirA, 'manifest.csv'));
    expect(manifest[0]).toEqual(['subject_id', 't1', 't1ce', 't2', 'flair', 'mask', 'site']);
    expect(manifest.slice(1).map((r) => r[0])).toEqual(summary.ids);
    for (const r of manifest.slice(1)) {
      expect(r.slice(1, 6)).toEqual(['t1', 't1ce', 't2', 'flair', 'seg'].map((f) => `subjects/${r[0]}/${f}.nii.gz`));
      expect(SITES as readonly string[]).toContain(r[6]);
    }
    const clinical = csvRows(join(dirA, 'clinical.csv'));
    expect(clinical[0]).toEqual([
      'subject_id',
      'age',
      'sex',
      'idh1',
      'mgmt',
      'codeletion_1p19q',
      'egfrviii',
      'survival_months',
      'death',
    ]);
    expect(clinical.slice(1).map((r) => r[0])).toEqual(summary.ids);
    expect(parseYaml(readFileSync(join(dirA, 'labels.yaml'), 'utf8'))).toEqual({
      necrosis: 1,
      oedema: 2,
      enhancing: 4,
      tumour_core: [1, 4],
      whole_tumour: [1, 2, 4],
    });
  });

  it('writes images readable by readNifti, int16 on the grid of a uint8 BraTS mask with nested labels', () => {
    for (const row of csvRows(join(dirA, 'manifest.csv')).slice(1)) {
      const seg = readNifti(join(dirA, row[5]));
      expect(seg.header.datatypeName).toBe('uint8');
      const labels = new Set(seg.data);
      expect([...labels].sort()).toEqual([0, 1, 2, 4]);
      expect(nestingViolations(seg.data, seg.dims)).toEqual([]);
      for (const path of row.slice(1, 5)) {
        const img = readNifti(join(dirA, path));
        expect(img.header.datatypeName).toBe('int16');
        expect(img.dims).toEqual(seg.dims);
        expect(img.spacing).toEqual(SPACING);
        expect(Array.from(img.affine)).toEqual(Array.from(seg.affine));
        let min = Infinity;
        let max = -Infinity;
        for (const v of img.data) {
          if (v < min) min = v;
          if (v > max) max = v;
        }
        expect(min).toBeGreaterThanOrEqual(0);
        expect(max).toBeGreaterThan(100);
      }
    }
  });

  it('rejects unusable settings with an RgsError naming them', () => {
    expect(() => generateDemoCohort(join(root, 'x'), { subjects: 0 })).toThrow(RgsError);
    expect(() => generateDemoCohort(join(root, 'x'), { subjects: 2.5 })).toThrow(/subjects/);
    expect(() => generateDemoCohort(join(root, 'x'), { seed: -1 })).toThrow(/seed/);
    expect(() => generateDemoCohort(join(root, 'x'), { spacing: [1, 0, 1] })).toThrow(/spacing/);
  });
});

describe('a rendered demo subject', () => {
  const grid = demoGrid([2, 2, 3]);
  // A site-A subject (the reference scanner), found deterministically.
  let index = 0;
  while (generateSubject(5, index, 100).site !== 'site-A') index++;
  const subject = generateSubject(5, index, 100);
  const r = renderSubject(5, subject, grid);

  function meanOf(img: Int16Array, tissue: number): number {
    let s = 0;
    let n = 0;
    for (let i = 0; i < img.length; i++) {
      if (r.tissue[i] === tissue) {
        s += img[i];
        n++;
      }
    }
    expect(n).toBeGreaterThan(20);
    return s / n;
  }

  it('labels exactly the tumour tissues, nested, and all inside the cranial cavity', () => {
    const outside: number[] = [];
    for (let i = 0; i < r.seg.length; i++) {
      const expected =
        r.tissue[i] === Tissue.Necrosis ? 1 : r.tissue[i] === Tissue.Oedema ? 2 : r.tissue[i] === Tissue.Enhancing ? 4 : 0;
      if (r.seg[i] !== expected) outside.push(i);
      if (r.seg[i] > 0 && !isIntracranial(r.tissue[i])) outside.push(i);
    }
    expect(outside).toEqual([]);
    expect(nestingViolations(r.seg, grid.dims)).toEqual([]);
  });

  it('has the relative contrasts of real sequences', () => {
    const { t1, t1ce, t2, flair } = r.images;
    const wm = Tissue.WhiteMatter;
    const gm = Tissue.GreyMatter;
    const csf = Tissue.Csf;
    // T1: WM > GM > CSF; fat bright.
    expect(meanOf(t1, wm)).toBeGreaterThan(meanOf(t1, gm));
    expect(meanOf(t1, gm)).toBeGreaterThan(meanOf(t1, csf));
    expect(meanOf(t1, Tissue.Fat)).toBeGreaterThan(meanOf(t1, wm));
    // T2: CSF brightest, GM > WM, oedema bright.
    expect(meanOf(t2, csf)).toBeGreaterThan(meanOf(t2, gm));
    expect(meanOf(t2, gm)).toBeGreaterThan(meanOf(t2, wm));
    expect(meanOf(t2, Tissue.Oedema)).toBeGreaterThan(1.5 * meanOf(t2, wm));
    // FLAIR: CSF dark, oedema bright.
    expect(meanOf(flair, csf)).toBeLessThan(0.5 * meanOf(flair, wm));
    expect(meanOf(flair, Tissue.Oedema)).toBeGreaterThan(1.5 * meanOf(flair, wm));
    // T1CE: the enhancing rim lights up against T1 and against white matter; elsewhere T1CE ~ T1.
    expect(meanOf(t1ce, Tissue.Enhancing)).toBeGreaterThan(1.3 * meanOf(t1, Tissue.Enhancing));
    expect(meanOf(t1ce, Tissue.Enhancing)).toBeGreaterThan(meanOf(t1ce, wm));
    expect(Math.abs(meanOf(t1ce, wm) / meanOf(t1, wm) - 1)).toBeLessThan(0.1);
    // The skull's cortical bone is darker than the marrow it encloses in every sequence.
    for (const img of [t1, t1ce, t2, flair]) expect(meanOf(img, Tissue.Bone)).toBeLessThan(meanOf(img, Tissue.Marrow));
  });

  it('has Rician noise in the air: Rayleigh, mean = sigma sqrt(pi / 2)', () => {
    // In the air the magnitude of two N(0, s^2) channels has mean s sqrt(pi/2) and
    // E[M^2] = 2 s^2, so mean^2 / E[M^2] = pi / 4 whatever s is.
    // Only air at least 3 voxels from the head, out of reach of the point spread.
    let s = 0;
    let s2 = 0;
    let n = 0;
    const img = r.images.t2;
    const [nx, ny, nz] = grid.dims;
    const farFromHead = (i: number, j: number, k: number) => {
      for (let c = Math.max(0, k - 3); c <= Math.min(nz - 1, k + 3); c++)
        for (let b = Math.max(0, j - 3); b <= Math.min(ny - 1, j + 3); b++)
          for (let a = Math.max(0, i - 3); a <= Math.min(nx - 1, i + 3); a++)
            if (r.tissue[a + nx * (b + ny * c)] !== Tissue.Air) return false;
      return true;
    };
    for (let k = 0; k < nz; k += 2)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++) {
          const idx = i + nx * (j + ny * k);
          if (r.tissue[idx] !== Tissue.Air || !farFromHead(i, j, k)) continue;
          s += img[idx];
          s2 += img[idx] * img[idx];
          n++;
        }
    expect(n).toBeGreaterThan(10_000);
    const mean = s / n;
    expect(mean).toBeGreaterThan(1);
    // Rounding to integers adds about 1/12 to E[M^2]; tolerance covers it.
    expect(Math.abs((mean * mean) / (s2 / n) - Math.PI / 4)).toBeLessThan(0.02);
  });
});

describe('generateGliomaCase', () => {
  it('writes the four sequences, the mask and labels.yaml on the requested grid', () => {
    const dir = join(root, 'case');
    const shape: Vec3 = [64, 72, 52];
    const spacing: Vec3 = [3, 3, 3];
    const s = generateGliomaCase(dir, { seed: 4, shape, spacing });
    expect(s.dims).toEqual(shape);
    const seg = readNifti(s.files.seg);
    expect(seg.dims).toEqual(shape);
    expect([...new Set(seg.data)].sort()).toEqual([0, 1, 2, 4]);
    for (const seq of ['t1', 't1ce', 't2', 'flair'] as const) {
      const img = readNifti(s.files[seq]);
      expect(img.dims).toEqual(shape);
      expect(img.spacing).toEqual(spacing);
      expect(Array.from(img.affine)).toEqual(Array.from(seg.affine));
    }
    expect(readFileSync(s.files.labels, 'utf8')).toContain('whole_tumour: [1, 2, 4]');
    expect(() => generateGliomaCase(dir, { seed: 4, shape: [0, 10, 10], spacing })).toThrow(/shape/);
  });
});
