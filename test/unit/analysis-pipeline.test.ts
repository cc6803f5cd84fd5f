/**
 * The analysis pipeline's honesty guarantees, tested on synthetic cohorts
 * (analysis-pipeline-fixture.ts):
 * - leakage: on pure noise, LASSO selection inside nested CV gives AUC ≈ 0.5, the same selection
 *   done once on the whole cohort before the CV (built here, in the test: the runner refuses
 *   `scope: cohort`) gives a clearly inflated AUC;
 * - every stage and model is fitted on training-fold rows only (instrumented);
 * - SMOTE only ever sees training rows; test rows are predicted untouched;
 * - survival risk groups are split at the TRAINING median;
 * - two runs with the same seed write byte-identical files.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tableRows, type StepData } from '../../src/engine/analysis/pipeline/data';
import { assignRiskGroups, riskGroupsAtTrainingMedian } from '../../src/engine/analysis/pipeline/risk-groups';
import { computeAnalysis, OUTPUT_FILES } from '../../src/engine/analysis/pipeline/run-analysis';
import { modelsFor, resolveAnalysis } from '../../src/engine/analysis/pipeline/spec';
import { buildSteps, selectionStep, type PipelineStep } from '../../src/engine/analysis/pipeline/steps';
import { buildAnalysisTable } from '../../src/engine/analysis/pipeline/table';
import { planSplits, runSplit, type OuterSplit } from '../../src/engine/analysis/pipeline/validate';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';
import { subjectId, syntheticStudy } from './analysis-pipeline-fixture';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rgs-analysis-'));
  tempDirs.push(d);
  return d;
}

describe('leakage: feature selection inside vs outside the cross-validation', () => {
  // 120 subjects x 2000 seeded N(0, 1) features, a label independent of them (60/60). The
  // selection: the first 10 features to enter the LASSO path. The model: penalised logistic
  // regression with lambda by inner CV. Nested CV, 5 outer folds x 2 repetitions.
  const validation = { method: 'nested_cv', folds: 5, repeats: 2, inner_folds: 5 };
  const models = [{ type: 'logistic', lambda: 'min' }];
  const { study, features } = syntheticStudy({
    subjects: 120,
    features: 2000,
    seed: 7,
    analysis: { seed: 3, outcomes: ['idh'], validation, selection: { method: 'lasso', features: 10 }, models },
  });

  it('selection inside the folds: AUC near 0.5; the same selection on the whole cohort first: clearly higher', () => {
    const honest = computeAnalysis(study, features, { write: false });
    const h = honest.results.outcomes[0].models[0];
    expect(honest.results.outcomes[0].selection!.fits).toBe(10);
    expect(Math.abs(h.cv!.mean - 0.5)).toBeLessThan(0.1);
    expect(Math.abs(h.evaluation.binary!.auc.estimate - 0.5)).toBeLessThan(0.1);
    // The selection really happened in every fold (10 features each) and varied between folds.
    expect(honest.results.outcomes[0].selection!.meanJaccard).toBeLessThan(0.5);

    // The leaky variant, possible only here: the selection stage fitted once on ALL subjects,
    // then the same nested CV on the 10 features it chose.
    const table = buildAnalysisTable(study, study.outcomes[0], features, features.columns).table;
    const all = tableRows(table, Int32Array.from(table.subjects, (_, i) => i));
    const leak = selectionStep({ method: 'lasso', alpha: 1, lambda: '1se', maxFeatures: null, features: 10, scope: 'cohort' }).fit(all, {
      rng: new Rng(1),
      innerFoldIds: [],
      warn: () => {},
    });
    expect(leak.train.features).toHaveLength(10);
    const leakyStudy = { ...study, analysis: { seed: 3, outcomes: ['idh'], validation, features: { include: leak.train.features }, models } };
    const leaky = computeAnalysis(leakyStudy, features, { write: false });
    const l = leaky.results.outcomes[0].models[0];
    expect(l.cv!.mean).toBeGreaterThan(0.75);
    expect(l.evaluation.binary!.auc.estimate).toBeGreaterThan(0.75);
    expect(l.cv!.mean - h.cv!.mean).toBeGreaterThan(0.2);
  });

  it('the runner refuses a selection fitted before the split', () => {
    const bad = { ...study, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 10, scope: 'cohort' } } };
    expect(() => computeAnalysis(bad, features, { write: false })).toThrow(RgsError);
    expect(() => computeAnalysis(bad, features, { write: false })).toThrow(/selection\.scope: `cohort`.*fix: remove `scope: cohort`/);
  });
});

describe('every fit sees training-fold rows only', () => {
  function rowsOf(split: OuterSplit): { train: Set<number>; test: Set<number> } {
    return { train: new Set(split.train), test: new Set(split.test) };
  }

  it('instrumented: all stages and models, outer folds, inner tuning folds and the final model', () => {
    const { study, features } = syntheticStudy({
      subjects: 60,
      features: 40,
      seed: 11,
      signal: 1,
      sites: ['A', 'B'],
      siteShift: 0.5,
      missing: [
        [3, 1],
        [10, 5],
      ],
      analysis: {
        seed: 5,
        validation: { method: 'nested_cv', folds: 3, repeats: 1, inner_folds: 3 },
        imputation: { method: 'median' },
        harmonisation: { method: 'combat' },
        scaling: { method: 'zscore' },
        filters: [{ method: 'near_zero_variance' }, { method: 'correlation', threshold: 0.95 }],
        selection: { method: 'lasso', lambda: '1se' },
        balancing: { method: 'oversample' },
        models: [{ type: 'logistic', alpha: [0.5, 1] }, { type: 'random_forest', trees: 15, mtry: [1, 2] }, { type: 'lasso_cox' }],
      },
    });
    const events: { outcome: string; split: OuterSplit; stage: string; rows: Int32Array }[] = [];
    computeAnalysis(study, features, { write: false, record: (outcome, split, stage, rows) => events.push({ outcome, split, stage, rows }) });
    const stages = new Set(events.map((e) => e.stage));
    for (const s of [
      'imputation:median',
      'harmonisation:combat',
      'scaling:zscore',
      'filter1:near_zero_variance',
      'filter2:correlation',
      'selection:lasso',
      'balancing:oversample',
      'model:logistic',
      'model:random_forest',
      'model:lasso_cox',
      'model:inner-fold',
    ]) {
      expect(stages, s).toContain(s);
    }
    let checked = 0;
    for (const e of events) {
      const { train, test } = rowsOf(e.split);
      for (const r of e.rows) {
        if (r === -1) continue; // a synthetic (balanced) row: made from training rows only
        expect(train.has(r)).toBe(true);
        expect(test.has(r)).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2500);
    // Every outer fold of both outcomes was instrumented, and the final fits too.
    const splits = new Set(events.map((e) => `${e.outcome}:${e.split.kind}:${e.split.repeat}:${e.split.fold}`));
    expect(splits.size).toBe(2 * (3 + 1));
  });

  it('a custom stage inserted in the pipeline receives exactly the outer training rows, in every fold', () => {
    const { study, features } = syntheticStudy({ subjects: 45, features: 12, seed: 2, analysis: { validation: { method: 'nested_cv', folds: 3, repeats: 1, inner_folds: 3 } } });
    const spec = resolveAnalysis(study.analysis);
    const table = buildAnalysisTable(study, study.outcomes[0], features, features.columns).table;
    const plan = planSplits(table, spec.validation, new Rng(1));
    const seen: Int32Array[] = [];
    const spy: PipelineStep = {
      name: 'spy',
      kind: 'custom',
      fit(train: StepData) {
        seen.push(Int32Array.from(train.rows));
        return { name: 'spy', kind: 'custom', train, transform: (d) => d, state: null };
      },
    };
    for (const split of plan.outer) {
      runSplit(table, split, [spy, ...buildSteps(spec)], null, modelsFor(spec, 'binary'), new Rng(2), { warn: () => {} });
      expect(Array.from(seen[seen.length - 1])).toEqual(Array.from(split.train));
      const test = new Set(split.test);
      expect(split.test.length).toBeGreaterThan(0);
      expect(seen[seen.length - 1].some((r) => test.has(r))).toBe(false);
    }
    expect(seen).toHaveLength(3);
  });
});

describe('SMOTE only touches training folds', () => {
  const { study, features } = syntheticStudy({
    subjects: 60,
    features: 20,
    seed: 4,
    signal: 1.5,
    positiveShare: 0.25,
    analysis: {
      seed: 9,
      outcomes: ['idh'],
      validation: { method: 'nested_cv', folds: 3, repeats: 1, inner_folds: 3 },
      balancing: { method: 'smote', k: 3 },
      models: [{ type: 'logistic' }, { type: 'svm', kernel: 'linear', cost: [0.1, 1] }],
    },
  });

  it('every SMOTE fit is on outer-training rows; predictions exist for real test subjects only', () => {
    const smoteFits: { split: OuterSplit; rows: Int32Array }[] = [];
    const afterBalancing: Int32Array[] = [];
    const run = computeAnalysis(study, features, {
      write: false,
      record: (_o, split, stage, rows) => {
        if (stage === 'balancing:smote') smoteFits.push({ split, rows });
        if (stage === 'model:inner-fold') afterBalancing.push(rows);
      },
    });
    // Per outer fold: 3 inner folds x 1 for the logistic model's lambda, 3 for the SVM grid,
    // then 1 final fit per model; plus the final model's fits.
    expect(smoteFits.length).toBe(4 * (3 + 1 + 3 + 1));
    for (const f of smoteFits) {
      const train = new Set(f.split.train);
      const test = new Set(f.split.test);
      for (const r of f.rows) {
        expect(r).toBeGreaterThanOrEqual(0); // SMOTE's input holds real rows only
        expect(train.has(r)).toBe(true);
        expect(test.has(r)).toBe(false);
      }
    }
    // SMOTE did add synthetic rows to the blocks the models were tuned on.
    expect(afterBalancing.some((rows) => rows.some((r) => r === -1))).toBe(true);
    // Out-of-fold predictions: exactly one per real subject and model, never a synthetic row.
    const oof = run.predictions.filter((p) => p.set === 'out-of-fold');
    expect(oof).toHaveLength(60 * 2);
    for (const model of ['logistic', 'svm']) {
      const ids = oof.filter((p) => p.model === model).map((p) => p.subject).sort();
      expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => subjectId(i)).sort());
    }
    // The minority share of the analysed subjects is unchanged by balancing.
    expect(run.results.outcomes[0].cohort.positives).toBe(15);
  });
});

describe('survival risk groups are split at the training median', () => {
  it('hand-made: the cut-off comes from the training scores, not from the scores it groups', () => {
    // Training scores 1, 2, 3, 4, 100: median 3. Test scores 2.5, 3, 3.5, 50, 60, 70: their own
    // median would be 27 (grouping 3.5 as low), the pooled median 3.5 (grouping 3.5 as low too).
    const g = riskGroupsAtTrainingMedian([1, 2, 3, 4, 100], [2.5, 3, 3.5, 50, 60, 70]);
    expect(g.cutoff).toBe(3);
    expect(g.groups).toEqual(['low', 'low', 'high', 'high', 'high', 'high']);
    // Even training sizes: the median is the mean of the two middle scores (3 and 4 -> 3.5).
    expect(riskGroupsAtTrainingMedian([4, 1, 3, 2, 10, 20], [3.4, 3.5, 3.6]).groups).toEqual(['low', 'low', 'high']);
    expect(assignRiskGroups([0], 0)).toEqual(['low']);
  });

  it('in a run, every fold groups its test subjects at the median of its own training risk scores', () => {
    const { study, features } = syntheticStudy({
      subjects: 80,
      features: 15,
      seed: 21,
      signal: 1,
      analysis: { seed: 2, outcomes: ['os'], validation: { method: 'nested_cv', folds: 4, repeats: 1, inner_folds: 3 }, models: [{ type: 'lasso_cox', lambda: 'min' }] },
    });
    const spec = resolveAnalysis(study.analysis);
    const table = buildAnalysisTable(study, study.outcomes[1], features, features.columns).table;
    const plan = planSplits(table, spec.validation, new Rng(4));
    let differs = 0;
    for (const split of plan.outer) {
      const r = runSplit(table, split, buildSteps(spec), null, modelsFor(spec, 'survival'), new Rng(5), { warn: () => {} });
      const m = r.models[0];
      const trainScores = Array.from(m.fitted.predict(r.pipeline.train)).sort((a, b) => a - b);
      const n = trainScores.length;
      const median = n % 2 ? trainScores[(n - 1) / 2] : (trainScores[n / 2 - 1] + trainScores[n / 2]) / 2;
      expect(m.cutoff).toBeCloseTo(median, 12);
      expect(m.groups).toEqual(Array.from(m.test, (v) => (v > median ? 'high' : 'low')));
      const testSorted = Array.from(m.test).sort((a, b) => a - b);
      const k = testSorted.length;
      const testMedian = k % 2 ? testSorted[(k - 1) / 2] : (testSorted[k / 2 - 1] + testSorted[k / 2]) / 2;
      if (testMedian !== median) differs++;
    }
    expect(differs).toBeGreaterThan(0);
    const run = computeAnalysis(study, features, { write: false });
    const final = run.results.outcomes[0].models[0];
    expect(Number.isFinite(final.final.cutoff)).toBe(true);
    expect(final.evaluation.survival!.groups.map((g) => g.group).sort()).toEqual(['high', 'low']);
  });
});

describe('validation methods and outputs', () => {
  it('hold-out: the locked model scores the test set; fold file lists train and test', () => {
    const { study, features } = syntheticStudy({
      subjects: 70,
      features: 30,
      seed: 5,
      signal: 1.2,
      analysis: { seed: 1, validation: { method: 'holdout', test_fraction: 0.3, inner_folds: 3 }, selection: { method: 'lasso', lambda: 'min', max_features: 5 } },
    });
    const run = computeAnalysis(study, features, { write: false });
    const idh = run.results.outcomes.find((o) => o.name === 'idh')!;
    expect(idh.models[0].cv).toBeNull();
    expect(idh.models[0].evaluation.set).toBe('hold-out test set');
    expect(idh.models[0].evaluation.binary!.n).toBe(21);
    expect(idh.models[0].evaluation.binary!.auc.estimate).toBeGreaterThan(0.7);
    expect(idh.selection!.final.length).toBeLessThanOrEqual(5);
    const roles = run.folds.filter((f) => f.outcome === 'idh').map((f) => f.role);
    expect(roles.filter((r) => r === 'test')).toHaveLength(21);
    expect(roles.filter((r) => r === 'train')).toHaveLength(49);
  });

  it('external: trained on the internal cohort, tested once on the external one', () => {
    const { study, features } = syntheticStudy({
      subjects: 90,
      features: 25,
      seed: 8,
      signal: 1,
      external: 30,
      analysis: { seed: 1, validation: { method: 'external', inner_folds: 3 } },
    });
    const run = computeAnalysis(study, features, { write: false });
    for (const o of run.results.outcomes) {
      expect(o.cohort.development).toBe(60);
      expect(o.cohort.external).toBe(30);
      expect(o.models[0].evaluation.set).toBe('external cohort');
      expect(o.models[0].external).toBeNull();
    }
    const ext = run.predictions.filter((p) => p.outcome === 'idh');
    expect(ext.every((p) => p.set === 'external')).toBe(true);
    expect(new Set(ext.map((p) => p.subject)).size).toBe(30);
  });

  it('refuses missing feature values without an imputation stage, and names the remedy', () => {
    const { study, features } = syntheticStudy({ subjects: 30, features: 5, seed: 1, missing: [[2, 3]], analysis: { imputation: null } });
    expect(() => computeAnalysis(study, features, { write: false })).toThrow(/1 empty cell.*T1CE\.enhancing\.stat\.f0003 of subject S0002.*imputation/);
  });
});

describe('determinism', () => {
  it('same study and seed: byte-identical results.json, predictions, folds, selections, final model and report', () => {
    const make = () =>
      syntheticStudy({
        subjects: 60,
        features: 50,
        seed: 13,
        signal: 0.8,
        sites: ['A', 'B', 'C'],
        siteShift: 0.3,
        analysis: {
          seed: 99,
          validation: { method: 'nested_cv', folds: 3, repeats: 2, inner_folds: 3 },
          harmonisation: { method: 'combat' },
          selection: { method: 'lasso', lambda: '1se' },
          balancing: { method: 'smote', k: 3 },
          models: [{ type: 'logistic' }, { type: 'random_forest', trees: 15, mtry: [2, 3] }, { type: 'lasso_cox' }],
          bootstrap_replicates: 200,
        },
      });
    const dirs = [tempDir(), tempDir()];
    for (const dir of dirs) {
      const { study, features } = make();
      computeAnalysis(study, { ...features, file: join(dir, 'features.csv') }, {});
    }
    const compared = Object.values(OUTPUT_FILES).filter((f) => f !== OUTPUT_FILES.provenance);
    for (const name of compared) {
      const a = readFileSync(join(dirs[0], 'analysis', name));
      const b = readFileSync(join(dirs[1], 'analysis', name));
      expect(a.length, name).toBeGreaterThan(50);
      expect(a.equals(b), name).toBe(true);
    }
    // A different seed changes the folds.
    const { study, features } = make();
    const other = computeAnalysis({ ...study, analysis: { ...(study.analysis as object), seed: 100 } }, features, { write: false });
    const first = readFileSync(join(dirs[0], 'analysis', OUTPUT_FILES.folds), 'utf8');
    expect(other.folds.length).toBeGreaterThan(0);
    const otherFirstFold = other.folds.filter((f) => f.repeat === 0 && f.fold === 0 && f.role === 'test').map((f) => f.subject);
    const fileFirstFold = first
      .split('\n')
      .filter((l) => l.startsWith('idh,1,1,') && l.includes(',test,'))
      .map((l) => l.split(',')[3]);
    expect(otherFirstFold).not.toEqual(fileFirstFold);
  });
});
