/**
 * The IBSI consistency warnings of a study: fixed bin size on MR without normalisation, 3D
 * texture on anisotropic voxels (from the first subject's image header), re-segmentation ranges
 * in raw units on normalised intensities; each at the setting that causes it, and per sequence
 * when a sequence's own preprocessing causes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Vec3 } from '../../src/engine/image/volume';
import { analyseStudyText } from '../../src/engine/study/load';
import { at, cohortDir, formatIn } from './study-fixtures';

/**
 * The fixture study with its settings sections replaced by `settings`, T2's own normalisation
 * removed (unless `keepT2` is set), then `edit`.
 */
function run(settings: string, opts: { spacing?: Vec3; edit?: (t: string) => string; keepT2?: boolean } = {}) {
  const dir = cohortDir({ spacing: opts.spacing });
  const file = join(dir, 'demo.study.yaml');
  const original = readFileSync(file, 'utf8');
  const start = original.indexOf('preprocessing:\n');
  const end = original.indexOf('outcomes:\n');
  let text = `${original.slice(0, start)}${settings}${original.slice(end)}`;
  if (opts.keepT2 !== true) text = text.replace(/T2: \{ column: t2, .*\n/, 'T2: { column: t2 }\n');
  if (opts.edit !== undefined) text = opts.edit(text);
  const r = analyseStudyText(text, file);
  return { text, study: r.study, lines: r.problems.map((p) => formatIn(dir, p)), problems: r.problems };
}

const FBS_MR =
  'fixed bin size (fbs) on MR intensities, which have no absolute scale: add preprocessing.normalisation or use fbn';

describe('fixed bin size on MR intensities', () => {
  // Isotropic voxels and fbn elsewhere, so that only the check under test can fire.
  const iso: Vec3 = [1, 1, 1];
  const reseg = '  resegmentation: { range: [0, null] }\n';

  it('warns at features.discretisation when there is no normalisation; the study still loads', () => {
    const r = run(`preprocessing:\n${reseg}features:\n  discretisation: { method: fbs, bin_width: 25 }\n`, { spacing: iso });
    expect(r.lines).toEqual([`demo.study.yaml:${at(r.text, '{ method: fbs')} warning features.discretisation: ${FBS_MR}`]);
    expect(r.problems[0]).toMatchObject({ code: 'ibsi-mr-fixed-bin-size', severity: 'warning', path: 'features.discretisation' });
    expect(r.study).not.toBeNull();
  });

  it('also for the IVH discretisation', () => {
    const r = run(`preprocessing:\n${reseg}features:\n  ivh_discretisation: { method: fbs, bin_width: 2.5 }\n`, { spacing: iso });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, '{ method: fbs')} warning features.ivh_discretisation: fixed bin size (fbs) on MR intensities, which have no absolute scale: add preprocessing.normalisation or use fbn`,
    ]);
  });

  it('no warning with a normalisation, on CT, with fbn, or when no family uses the discretisation', () => {
    const fbs = 'features:\n  discretisation: { method: fbs, bin_width: 25 }\n';
    expect(run(`preprocessing:\n${reseg}  normalisation: { method: zscore }\n${fbs}`, { spacing: iso }).lines).toEqual([]);
    expect(run(`preprocessing:\n${reseg}${fbs}`, { spacing: iso, edit: (t) => t.replace('modality: MR', 'modality: CT') }).lines).toEqual([]);
    expect(run(`preprocessing:\n${reseg}features:\n  discretisation: { method: fbn, bin_count: 16 }\n`, { spacing: iso }).lines).toEqual([]);
    expect(run(`preprocessing:\n${reseg}${fbs}  families: [morph, stat]\n`, { spacing: iso }).lines).toEqual([]);
  });

  it('a sequence whose own preprocessing removes the normalisation: at that sequence, naming it', () => {
    const r = run(`preprocessing:\n${reseg}  normalisation: { method: zscore }\nfeatures:\n  discretisation: { method: fbs, bin_width: 0.5 }\n`, {
      spacing: iso,
      keepT2: true,
      edit: (t) => t.replace('{ method: zscore, reference: roi }', '{ method: none }'),
    });
    expect(r.lines).toEqual([`demo.study.yaml:${at(r.text, '{ method: none }')} warning features.discretisation: ${FBS_MR} (sequence T2)`]);
    expect(r.problems[0].path).toBe('cohort.sequences.T2.preprocessing.normalisation');
  });
});

describe('3D texture on anisotropic voxels', () => {
  const fbn = 'features:\n  discretisation: { method: fbn, bin_count: 32 }\n';
  const norm = '  normalisation: { method: zscore }\n';

  it('warns with the first subject\'s voxel size when nothing is resampled (the demo\'s 1.2 x 1.2 x 4 mm)', () => {
    const r = run(`preprocessing:\n${norm}${fbn}`);
    // 4 / 1.2 = 3.33 > 2. No `aggregations` or `resampling` written: at the `features` key.
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, 'features:')} warning features.aggregations: 3D texture aggregations on anisotropic voxels: the first subject (GBM-001) has 1.2 x 1.2 x 4 mm voxels (longest side 3.33 times the shortest) and there is no resampling; resample to isotropic voxels (preprocessing.resampling) or use slice_wise with the 2D and 2.5D aggregations (IBSI 2.4)`,
    ]);
    expect(r.problems[0].code).toBe('ibsi-anisotropic-texture');
  });

  it('resampling that keeps the slice spacing still warns, with the spacing after resampling, at `resampling`', () => {
    const r = run(`preprocessing:\n${norm}  resampling: { spacing: [1, 1, null], interpolation: linear }\n${fbn}`);
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, '{ spacing')} warning features.aggregations: 3D texture aggregations on anisotropic voxels: the first subject (GBM-001) has 1.2 x 1.2 x 4 mm voxels, 1 x 1 x 4 mm after resampling (longest side 4 times the shortest); resample to isotropic voxels (preprocessing.resampling) or use slice_wise with the 2D and 2.5D aggregations (IBSI 2.4)`,
    ]);
  });

  it('written aggregations are where the warning goes', () => {
    const r = run(`preprocessing:\n${norm}${fbn}  aggregations: ['3D, merged']\n`);
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(new RegExp(`^demo\\.study\\.yaml:${at(r.text, "['3D")} warning features\\.aggregations: 3D texture`));
  });

  it('no warning: isotropic resampling, slice-wise 2D/2.5D texture, no texture families, ratio at most 2', () => {
    expect(run(`preprocessing:\n${norm}  resampling: { spacing: [1, 1, 1], interpolation: linear }\n${fbn}`).lines).toEqual([]);
    expect(run(`preprocessing:\n${norm}  slice_wise: true\n${fbn}`).lines).toEqual([]);
    expect(run(`preprocessing:\n${norm}${fbn}  families: [morph, stat, ih]\n`).lines).toEqual([]);
    expect(run(`preprocessing:\n${norm}${fbn}`, { spacing: [1, 1, 2] }).lines).toEqual([]);
  });

  it('a sequence processed slice-wise is not warned about; the others are, named', () => {
    const r = run(`preprocessing:\n${norm}${fbn}`, {
      edit: (t) => t.replace('T1: { column: t1 }', 'T1: { column: t1, preprocessing: { slice_wise: true } }'),
    });
    expect(r.lines).toHaveLength(1);
    expect(r.lines[0]).toMatch(/ \(IBSI 2\.4\) \(sequences T1CE, T2, FLAIR\)$/);
  });
});

describe('re-segmentation ranges on normalised intensities', () => {
  const fbn = 'features:\n  discretisation: { method: fbn, bin_count: 32 }\n';
  const iso: Vec3 = [1, 1, 1];

  it('HU-like bounds with z-scores remove nothing', () => {
    const r = run(`preprocessing:\n  normalisation: { method: zscore }\n  resegmentation: { range: [-500, 400] }\n${fbn}`, { spacing: iso });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, '[-500, 400]')} warning preprocessing.resegmentation.range: [-500, 400] looks like raw intensity units (e.g. HU), but re-segmentation follows zscore normalisation, where intensities are z-scores (mostly within ±5): it removes no voxel; give the bounds in normalised units (e.g. [-3, 3]) or remove the range`,
    ]);
    expect(r.problems[0].code).toBe('ibsi-resegmentation-units');
  });

  it('a lower bound far above the normalised scale would remove every voxel', () => {
    const r = run(`preprocessing:\n  normalisation: { method: percentile, lower: 1, upper: 99 }\n  resegmentation: { range: [200, null] }\n${fbn}`, { spacing: iso });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, '[200, null]')} warning preprocessing.resegmentation.range: [200, null] looks like raw intensity units (e.g. HU), but re-segmentation follows percentile normalisation, where intensities are on a 0–1 scale (the 1th and 99th percentiles map to 0 and 1): it would remove every voxel; give the bounds in normalised units (e.g. [0, 1]) or remove the range`,
    ]);
  });

  it('one implausible side', () => {
    const r = run(`preprocessing:\n  normalisation: { method: zscore }\n  resegmentation: { range: [-1000, 3] }\n${fbn}`, { spacing: iso });
    expect(r.lines[0]).toMatch(/: its lower bound -1000 removes nothing; give the bounds/);
  });

  it('plausible normalised bounds, or raw bounds without normalisation, are fine', () => {
    expect(run(`preprocessing:\n  normalisation: { method: zscore }\n  resegmentation: { range: [-3, 3] }\n${fbn}`, { spacing: iso }).lines).toEqual([]);
    expect(run(`preprocessing:\n  resegmentation: { range: [-500, 400] }\n${fbn}`, { spacing: iso }).lines).toEqual([]);
  });

  it('raw bounds for the study, but a sequence normalises its own intensities: at that sequence\'s normalisation', () => {
    const r = run(`preprocessing:\n  resegmentation: { range: [-500, 400] }\n${fbn}`, { spacing: iso, keepT2: true });
    expect(r.lines).toEqual([
      `demo.study.yaml:${at(r.text, '{ method: zscore, reference: roi }')} warning preprocessing.resegmentation.range: [-500, 400] looks like raw intensity units (e.g. HU), but re-segmentation follows zscore normalisation, where intensities are z-scores (mostly within ±5): it removes no voxel; give the bounds in normalised units (e.g. [-3, 3]) or remove the range (sequence T2)`,
    ]);
  });
});
