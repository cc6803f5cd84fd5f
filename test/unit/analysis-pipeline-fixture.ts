/**
 * Synthetic studies for the analysis tests: a Study object as the loader would produce it (one
 * sequence, one ROI, a clinical table with a binary and a survival outcome) and an in-memory
 * feature table of seeded standard-normal features. With `signal` > 0 the first `informative`
 * features are shifted by `signal` SDs in the positive class (binary) and raise the hazard
 * (survival); with signal 0 every feature is pure noise and the label a fair coin.
 */
import { Rng } from '../../src/engine/analysis/random';
import type { FeatureTableInput } from '../../src/engine/analysis/pipeline/table';
import { presetByName } from '../../src/engine/settings/presets';
import type { Study, SubjectRow } from '../../src/engine/study/types';

export interface SyntheticOptions {
  subjects: number;
  features: number;
  seed: number;
  signal?: number;
  informative?: number;
  /** Share of positive subjects (default 0.5, exactly balanced by construction). */
  positiveShare?: number;
  /** Sites assigned round-robin; with siteShift, site k adds k * siteShift to every feature. */
  sites?: string[];
  siteShift?: number;
  /** The last `external` subjects form the external cohort. */
  external?: number;
  analysis?: unknown;
  report?: unknown;
  /** Drop these feature cells (subject index, feature index). */
  missing?: [number, number][];
}

export const SEQUENCE = 'T1CE';
export const ROI = 'enhancing';

export function featureName(j: number): string {
  return `${SEQUENCE}.${ROI}.stat.f${String(j).padStart(4, '0')}`;
}

export function subjectId(i: number): string {
  return `S${String(i).padStart(4, '0')}`;
}

export function syntheticStudy(o: SyntheticOptions): { study: Study; features: FeatureTableInput } {
  const rng = new Rng(o.seed);
  const n = o.subjects;
  const p = o.features;
  const signal = o.signal ?? 0;
  const informative = o.informative ?? 5;
  const share = o.positiveShare ?? 0.5;
  // Labels: exactly round(share * n) positives, in a seeded random order.
  const nPos = Math.round(share * n);
  const order = rng.permutation(n);
  const y = new Int32Array(n);
  for (let k = 0; k < nPos; k++) y[order[k]] = 1;
  const columns = Array.from({ length: p }, (_, j) => featureName(j));
  const rows: Float64Array[] = [];
  const x: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = new Float64Array(p);
    const xi: number[] = [];
    const siteIndex = o.sites === undefined ? 0 : i % o.sites.length;
    for (let j = 0; j < p; j++) {
      let v = rng.normal();
      if (j < informative) v += signal * y[i];
      v += siteIndex * (o.siteShift ?? 0);
      xi.push(v);
      row[j] = v;
    }
    x.push(xi);
    rows.push(row);
  }
  for (const [i, j] of o.missing ?? []) rows[i][j] = NaN;
  // Survival: exponential times with hazard exp(signal * mean of the informative features), censoring ~ 30%.
  const clinicalRows = new Map<string, Record<string, string>>();
  for (let i = 0; i < n; i++) {
    let lp = 0;
    for (let j = 0; j < Math.min(informative, p); j++) lp += x[i][j];
    lp = (signal * lp) / Math.max(1, informative);
    const t = -Math.log(1 - rng.nextFloat()) * 24 * Math.exp(-lp);
    const c = -Math.log(1 - rng.nextFloat()) * 60;
    clinicalRows.set(subjectId(i), {
      subject_id: subjectId(i),
      idh: y[i] === 1 ? 'mutant' : 'wildtype',
      os_months: (Math.round(Math.min(t, c) * 100) / 100).toString(),
      death: t <= c ? '1' : '0',
    });
  }
  const externalFrom = n - (o.external ?? 0);
  const subjects: SubjectRow[] = Array.from({ length: n }, (_, i) => ({
    id: subjectId(i),
    images: { [SEQUENCE]: `/data/${subjectId(i)}/t1ce.nii.gz` },
    mask: `/data/${subjectId(i)}/seg.nii.gz`,
    site: o.sites === undefined ? null : o.sites[i % o.sites.length],
    line: i + 2,
    external: i >= externalFrom,
  }));
  const settings = presetByName('default');
  const study: Study = {
    file: '/virtual/synthetic.study.yaml',
    sha256: '0'.repeat(64),
    info: { id: 'synthetic', title: 'Synthetic radiogenomics study', question: 'Can noise predict anything?' },
    manifestFile: '/virtual/manifest.csv',
    subjects,
    sequences: [{ name: SEQUENCE, column: 't1ce', settings, overrides: {} }],
    rois: [{ name: ROI, labels: [4] }],
    clinical: [{ file: '/virtual/clinical.csv', subjectColumn: 'subject_id', columns: ['subject_id', 'idh', 'os_months', 'death'], rows: clinicalRows }],
    outcomes: [
      { name: 'idh', type: 'binary', column: 'idh', positive: 'mutant' },
      { name: 'os', type: 'survival', time: 'os_months', event: 'death', unit: 'months' },
    ],
    settings,
    analysis: o.analysis ?? {},
    report: o.report ?? {},
  };
  const subjectIds = Array.from({ length: n }, (_, i) => subjectId(i));
  return { study, features: { file: '/virtual/features.csv', sha256: 'f'.repeat(64), columns, subjects: subjectIds, rows } };
}
