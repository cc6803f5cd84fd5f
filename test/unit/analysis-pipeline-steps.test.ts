/**
 * The pipeline's stages on hand-made blocks: each is fitted on its training block only and
 * applies exactly those parameters to other rows.
 */
import { describe, expect, it } from 'vitest';
import { applyCombat, fitCombat } from '../../src/engine/analysis/pipeline/combat';
import type { StepData } from '../../src/engine/analysis/pipeline/data';
import { entryOrder } from '../../src/engine/analysis/pipeline/glmnet-tuning';
import { fitGlmnet } from '../../src/engine/analysis/glmnet/fit';
import { balancingStep, filterStep, imputationStep, scalingStep, selectionStep, type FitContext } from '../../src/engine/analysis/pipeline/steps';
import { candidateColumns, globMatcher } from '../../src/engine/analysis/pipeline/table';
import { innerFoldIds } from '../../src/engine/analysis/pipeline/validate';
import { Rng } from '../../src/engine/analysis/random';

function block(x: number[][], y: number[], rows?: number[], sites?: (string | null)[]): StepData {
  const n = x.length;
  const p = n > 0 ? x[0].length : 0;
  return {
    x: { rows: n, cols: p, data: Float64Array.from(x.flat()) },
    features: Array.from({ length: p }, (_, j) => `f${j}`),
    rows: Int32Array.from(rows ?? x.map((_, i) => i)),
    target: { kind: 'binary', y: Int32Array.from(y) },
    sites: sites ?? x.map(() => null),
  };
}

const ctx = (warnings: string[] = []): FitContext => ({ rng: new Rng(1), innerFoldIds: [], warn: (m) => warnings.push(m) });

describe('imputation and scaling use the training rows only', () => {
  it('median imputation: test cells get the training median, not their own', () => {
    // Training column f0: 1, NaN, 3, 10 -> median of 1, 3, 10 = 3. Column f1 all missing: dropped.
    const train = block([[1, NaN], [NaN, NaN], [3, NaN], [10, NaN]], [0, 1, 0, 1]);
    const warnings: string[] = [];
    const fitted = imputationStep({ method: 'median', scope: 'fold' }).fit(train, ctx(warnings));
    expect(fitted.train.features).toEqual(['f0']);
    expect(Array.from(fitted.train.x.data)).toEqual([1, 3, 3, 10]);
    const test = fitted.transform(block([[NaN, 5], [100, NaN], [NaN, 1]], [0, 0, 1], [10, 11, 12]));
    expect(Array.from(test.x.data)).toEqual([3, 100, 3]);
    expect(Array.from(test.rows)).toEqual([10, 11, 12]);
    expect(warnings).toEqual(['imputation: 1 feature(s) missing in every training row were dropped']);
    expect(Array.from(imputationStep({ method: 'mean', scope: 'fold' }).fit(train, ctx()).train.x.data)).toEqual([1, 14 / 3, 3, 10]);
  });

  it('z-score and robust scaling: training mean/SD (median/IQR) applied to test rows', () => {
    // Training f0: 2, 4, 6, 8: mean 5, SD sqrt(20/3). f1 constant 7: centred, scale 1.
    const train = block([[2, 7], [4, 7], [6, 7], [8, 7]], [0, 1, 0, 1]);
    const z = scalingStep({ method: 'zscore', scope: 'fold' }).fit(train, ctx());
    const sd = Math.sqrt(20 / 3);
    const t = z.transform(block([[5 + sd, 7], [0, 9]], [0, 1]));
    expect(t.x.data[0]).toBeCloseTo(1, 12);
    expect(t.x.data[1]).toBe(0);
    expect(t.x.data[2]).toBeCloseTo(-5 / sd, 12);
    expect(t.x.data[3]).toBe(2);
    // Robust: median 5, IQR (type 7) 6.5 - 3.5 = 3.
    const r = scalingStep({ method: 'robust', scope: 'fold' }).fit(train, ctx());
    expect(r.transform(block([[11, 7]], [0])).x.data[0]).toBe(2);
  });
});

describe('ComBat', () => {
  it('one feature (no prior can be estimated): each site ends with the grand mean and pooled SD', () => {
    // Site A: 1, 2, 3 (mean 2); site B: 11, 13, 15 (mean 13). Grand mean 7.5;
    // pooled variance (1/6)(1+0+1+4+0+4) = 10/6.
    const x = Float64Array.from([1, 2, 3, 11, 13, 15]);
    const sites = ['A', 'A', 'A', 'B', 'B', 'B'];
    const fit = fitCombat(x, 6, 1, sites);
    expect(fit.mean[0]).toBeCloseTo(7.5, 12);
    expect(fit.sd[0]).toBeCloseTo(Math.sqrt(10 / 6), 12);
    expect(fit.sites.every((s) => !s.shrunk)).toBe(true);
    const out = applyCombat(fit, x, 6, 1, sites).x;
    for (const from of [0, 3]) {
      const v = Array.from(out.slice(from, from + 3));
      const m = v.reduce((a, b) => a + b, 0) / 3;
      const s = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / 2);
      expect(m).toBeCloseTo(7.5, 10);
      expect(s).toBeCloseTo(Math.sqrt(10 / 6), 10);
    }
  });

  it('several features: site effects removed with empirical-Bayes shrinkage; test rows use the training fit; unseen sites are left alone', () => {
    const rng = new Rng(3);
    const n = 60;
    const p = 20;
    const x = new Float64Array(n * p);
    const sites = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'A' : 'B'));
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) x[i * p + j] = rng.normal() * (sites[i] === 'B' ? 2 : 1) + (sites[i] === 'B' ? 3 : 0);
    const fit = fitCombat(x, n, p, sites);
    expect(fit.sites.map((s) => [s.site, s.rows, s.shrunk])).toEqual([
      ['A', 30, true],
      ['B', 30, true],
    ]);
    // Shrinkage: each gamma* lies between its own estimate gamma-hat (the site mean of the
    // standardised feature) and the site's mean of gamma-hat over the features.
    for (const site of fit.sites) {
      const gHat = Array.from({ length: p }, (_, j) => {
        let sum = 0;
        for (let i = 0; i < n; i++) if (sites[i] === site.site) sum += (x[i * p + j] - fit.mean[j]) / fit.sd[j];
        return sum / site.rows;
      });
      const gBar = gHat.reduce((a, b) => a + b, 0) / p;
      let moved = 0;
      for (let j = 0; j < p; j++) {
        expect(site.gamma[j]).toBeGreaterThanOrEqual(Math.min(gHat[j], gBar) - 1e-12);
        expect(site.gamma[j]).toBeLessThanOrEqual(Math.max(gHat[j], gBar) + 1e-12);
        moved += Math.abs(site.gamma[j] - gHat[j]);
      }
      expect(moved).toBeGreaterThan(0);
    }
    const out = applyCombat(fit, x, n, p, sites).x;
    const siteMean = (s: string, j: number, data: Float64Array) => {
      let sum = 0;
      let k = 0;
      for (let i = 0; i < n; i++) {
        if (sites[i] !== s) continue;
        sum += data[i * p + j];
        k++;
      }
      return sum / k;
    };
    let before = 0;
    let after = 0;
    for (let j = 0; j < p; j++) {
      before += Math.abs(siteMean('A', j, x) - siteMean('B', j, x));
      after += Math.abs(siteMean('A', j, out) - siteMean('B', j, out));
    }
    expect(before / p).toBeGreaterThan(2.5);
    expect(after / p).toBeLessThan(0.2);
    // A test row of site B is transformed with the training parameters.
    const row = Float64Array.from({ length: p }, (_, j) => 3 + j / 10);
    const t = applyCombat(fit, row, 1, p, ['B']);
    const b = fit.sites[1];
    for (let j = 0; j < p; j++) {
      const z = (row[j] - fit.mean[j]) / fit.sd[j];
      expect(t.x[j]).toBeCloseTo(((z - b.gamma[j]) / Math.sqrt(b.delta2[j])) * fit.sd[j] + fit.mean[j], 12);
    }
    const unseen = applyCombat(fit, row, 1, p, ['C']);
    expect(Array.from(unseen.x)).toEqual(Array.from(row));
    expect(unseen.unharmonised).toEqual(['C']);
  });
});

describe('filters, selection and balancing', () => {
  it('lasso `features: k` keeps the first k features to enter the path', () => {
    const rng = new Rng(5);
    const n = 80;
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const yi = i % 2;
      y.push(yi);
      // f0 strongly, f1 weakly informative, the rest noise.
      rows.push([rng.normal() + 2 * yi, rng.normal() + 0.8 * yi, ...Array.from({ length: 8 }, () => rng.normal())]);
    }
    const train = block(rows, y);
    const fitted = selectionStep({ method: 'lasso', alpha: 1, lambda: '1se', maxFeatures: null, features: 2, scope: 'fold' }).fit(train, ctx());
    expect(fitted.train.features).toEqual(['f0', 'f1']);
    const path = fitGlmnet(train.x.data, train.target.kind === 'binary' ? train.target.y : [], { family: 'binomial', p: 10 });
    const entry = entryOrder(path);
    expect(entry[0]).toBeLessThan(entry[1]);
    expect(Math.min(...Array.from(entry).slice(2))).toBeGreaterThanOrEqual(entry[1]);
  });

  it('univariate filter on a survival outcome keeps the feature related to the hazard', () => {
    const rng = new Rng(8);
    const n = 100;
    const x: number[][] = [];
    const time: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.normal();
      x.push([a, rng.normal(), rng.normal()]);
      time.push(-Math.log(1 - rng.nextFloat()) * Math.exp(-1.5 * a));
    }
    const train: StepData = { ...block(x, new Array(n).fill(0)), target: { kind: 'survival', time: Float64Array.from(time), status: new Uint8Array(n).fill(1) } };
    const f = filterStep({ method: 'univariate', test: 'wilcoxon', pValue: 0.01, topK: null, adjust: 'bh', scope: 'fold' }, 0).fit(train, ctx());
    expect(f.train.features).toEqual(['f0']);
  });

  it('balancing grows the training block only; the transform of other blocks is the identity', () => {
    const x = Array.from({ length: 12 }, (_, i) => [i, i % 3]);
    const y = x.map((_, i) => (i < 3 ? 1 : 0));
    const train = block(x, y, x.map((_, i) => 100 + i));
    const fitted = balancingStep({ method: 'smote', k: 5, ratio: 1, scope: 'fold' }).fit(train, ctx());
    expect(fitted.train.x.rows).toBe(18);
    const labels = fitted.train.target.kind === 'binary' ? Array.from(fitted.train.target.y) : [];
    expect(labels.filter((v) => v === 1)).toHaveLength(9);
    // Source rows: the 12 real ones, then 6 synthetic (-1).
    expect(Array.from(fitted.train.rows.slice(0, 12))).toEqual(x.map((_, i) => 100 + i));
    expect(Array.from(fitted.train.rows.slice(12))).toEqual(new Array(6).fill(-1));
    const test = block([[1, 1]], [1], [7]);
    expect(fitted.transform(test)).toBe(test);
  });
});

describe('helpers', () => {
  it('inner fold ids follow the rows of the training block', () => {
    const ids = innerFoldIds(Int32Array.of(2, 5, 7, 9), [
      { repeat: 0, fold: 0, train: Int32Array.of(7, 9), test: Int32Array.of(2, 5) },
      { repeat: 0, fold: 1, train: Int32Array.of(2, 5), test: Int32Array.of(7, 9) },
      { repeat: 1, fold: 0, train: Int32Array.of(5, 9), test: Int32Array.of(2, 7) },
      { repeat: 1, fold: 1, train: Int32Array.of(2, 7), test: Int32Array.of(5, 9) },
    ]);
    expect(ids.map((a) => Array.from(a))).toEqual([
      [1, 1, 2, 2],
      [1, 2, 1, 2],
    ]);
  });

  it('candidate columns by sequence, ROI, family and patterns', () => {
    const cols = ['T1.core.stat.mean', 'T1.core.cm.joint_max.3d_averaged', 'T2.core.stat.mean', 'T1.edema.morph.volume'];
    const f = { sequences: null, rois: null, families: null, include: null, exclude: [] as string[] };
    expect(candidateColumns(cols, { ...f, sequences: ['T1'] })).toEqual([cols[0], cols[1], cols[3]]);
    expect(candidateColumns(cols, { ...f, rois: ['core'], families: ['stat'] })).toEqual([cols[0], cols[2]]);
    expect(candidateColumns(cols, { ...f, exclude: ['*.morph.*'], include: ['T1.*'] })).toEqual([cols[0], cols[1]]);
    expect(globMatcher('a.b*').test('a.bc')).toBe(true);
    expect(globMatcher('a.b*').test('aXbc')).toBe(false);
  });
});
