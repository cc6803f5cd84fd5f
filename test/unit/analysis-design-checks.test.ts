/**
 * Design checks of the `analysis` section: each mistake reported at the exact YAML range where
 * it is written, in the shape of the schema validator's problems, with its fix; plus the
 * schema of the `analysis` and `report` sections itself.
 */
import { describe, expect, it } from 'vitest';
import { analysisDesignChecks, candidateCount, designFindings, EPV_FLOOR, type DesignContext, type DesignProblem } from '../../src/engine/analysis/design-checks';
import { ANALYSIS_SCHEMA, REPORT_SCHEMA } from '../../src/engine/analysis/schema';
import { resolveAnalysis, resolveAnalysisData, resolveReport } from '../../src/engine/analysis/pipeline/spec';
import { parseYamlText, validateYamlNode } from '../../src/engine/schema/validate-yaml';
import { RgsError } from '../../src/engine/util/errors';
import { syntheticStudy } from './analysis-pipeline-fixture';

const COHORT = `study: { id: demo, title: Demo }
cohort:
  manifest: manifest.csv
  sequences: { T1CE: { column: t1ce } }
  labels: { enhancing: 4 }
outcomes:
  idh: { type: binary, column: idh, positive: mutant }
  os: { type: survival, time: os_months, event: death, unit: months }
`;

/** Problems of a study text, each with the 1-based line/column of its range and the text it underlines. */
function check(text: string, facts: Parameters<typeof analysisDesignChecks>[1] = {}): (DesignProblem & { line: number; col: number; text: string })[] {
  const parsed = parseYamlText(text);
  expect(parsed.problems).toEqual([]);
  return analysisDesignChecks(parsed.doc, facts).map((p) => {
    const pos = parsed.lineCounter.linePos(p.range[0]);
    return { ...p, line: pos.line, col: pos.col, text: text.slice(p.range[0], p.range[1]) };
  });
}

describe('design checks with YAML ranges', () => {
  it('a clean design has no problem', () => {
    expect(check(`${COHORT}analysis:\n  selection: { method: lasso }\n  models: [{ type: logistic }, { type: lasso_cox }]\n`)).toEqual([]);
  });

  it('selection fitted on the whole cohort: an error on the `cohort` value, with the fix', () => {
    const text = `${COHORT}analysis:\n  selection:\n    method: lasso\n    scope: cohort\n`;
    const [p, ...rest] = check(text);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({ severity: 'error', code: 'analysis-fit-before-split', path: 'analysis.selection.scope', line: 12, col: 12, text: 'cohort' });
    expect(p.message).toMatch(/fits the feature selection once on all subjects before the split/);
    expect(p.message).toMatch(/fix: remove `scope: cohort`/);
    expect(p.data).toEqual({ replacement: 'fold' });
  });

  it('balancing and a filter before the split are errors too; each at its own range', () => {
    const text = `${COHORT}analysis:\n  filters:\n    - { method: correlation, scope: cohort }\n  balancing: { method: smote, scope: cohort }\n`;
    const problems = check(text);
    expect(problems.map((p) => [p.path, p.line, p.text])).toEqual([
      ['analysis.filters[0].scope', 11, 'cohort'],
      ['analysis.balancing.scope', 12, 'cohort'],
    ]);
    expect(problems[1].message).toMatch(/synthetic copies of test subjects/);
  });

  it('tuning on the test data is an error', () => {
    const [p] = check(`${COHORT}analysis:\n  validation: { method: holdout, tune_on: test }\n`);
    expect(p).toMatchObject({ code: 'analysis-tuning-on-test', severity: 'error', line: 10, text: 'test', data: { replacement: 'training' } });
  });

  it('repeated_cv cannot tune: the tuned lambda is an error, a fixed one is fine', () => {
    const tuned = check(`${COHORT}analysis:\n  outcomes: [idh]\n  validation: { method: repeated_cv }\n  models:\n    - { type: logistic, lambda: 1se }\n`);
    expect(tuned.map((p) => [p.code, p.path, p.text])).toEqual([['analysis-repeated-cv-tuning', 'analysis.models[0].lambda', '1se']]);
    expect(check(`${COHORT}analysis:\n  outcomes: [idh]\n  validation: { method: repeated_cv }\n  models:\n    - { type: logistic, lambda: 0.05 }\n`)).toEqual([]);
  });

  it('names: an unknown outcome, sequence or ROI, a duplicate model name, a survival outcome with mRMR', () => {
    const text = `${COHORT}analysis:\n  outcomes: [idh, pfs]\n  features: { sequences: [FLAIR], rois: [enhancing] }\n  selection: { method: mrmr }\n  models: [{ type: logistic }, { type: logistic }]\n`;
    const codes = check(text).map((p) => [p.code, p.text]);
    expect(codes).toEqual([
      ['analysis-unknown-outcome', 'pfs'],
      ['analysis-unknown-sequence', 'FLAIR'],
      ['analysis-duplicate-model', '{ type: logistic }'],
    ]);
    const surv = check(`${COHORT}analysis:\n  outcomes: [os]\n  selection: { method: boruta }\n  balancing: { method: smote }\n`);
    expect(surv.map((p) => [p.code, p.severity, p.text])).toEqual([
      ['analysis-method-outcome', 'error', 'boruta'],
      ['analysis-method-outcome', 'warning', 'balancing'],
    ]);
  });

  it('ComBat without a site column, and external validation without an external cohort', () => {
    const problems = check(`${COHORT}analysis:\n  validation: { method: external }\n  harmonisation: { method: combat }\n`);
    expect(problems.map((p) => [p.code, p.text])).toEqual([
      ['analysis-no-external-cohort', 'external'],
      ['analysis-no-sites', 'harmonisation'],
    ]);
  });
});

describe('data-level checks (with the loaded study)', () => {
  const ctx = (o: Parameters<typeof syntheticStudy>[0], featureCount: number): { analysis: unknown; ctx: DesignContext } => {
    const { study } = syntheticStudy(o);
    return {
      analysis: study.analysis,
      ctx: {
        outcomes: study.outcomes,
        sequences: ['T1CE'],
        rois: ['enhancing'],
        siteColumn: false,
        externalCohort: false,
        clinical: study.clinical,
        subjects: study.subjects,
        featureCount,
      },
    };
  };

  it('fewer than 10 events per candidate feature: a warning with a suggested size', () => {
    // 100 subjects, 30 positives: 30 minority subjects. 500 candidate features -> EPV 0.06.
    const a = ctx({ subjects: 100, features: 1, seed: 1, positiveShare: 0.3, analysis: { outcomes: ['idh'], selection: { method: 'lasso' } } }, 500);
    const [w] = designFindings(a.analysis, a.ctx);
    expect(w).toMatchObject({ severity: 'warning', code: 'analysis-low-epv', path: ['analysis', 'selection'] });
    expect(w.message).toMatch(/30 subjects in the minority class for 500 candidate features \(0\.06 per feature, fewer than 10\)/);
    expect(w.message).toMatch(/features: 3/);
    // A fixed selection size of 3 gives EPV 10: no warning.
    const b = ctx({ subjects: 100, features: 1, seed: 1, positiveShare: 0.3, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 3 } } }, 500);
    expect(designFindings(b.analysis, b.ctx)).toEqual([]);
    expect(EPV_FLOOR).toBe(10);
  });

  it('a binary outcome column with other than two values is an error at outcomes.NAME.column', () => {
    const a = ctx({ subjects: 20, features: 1, seed: 2, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 } } }, 1);
    const clinical = a.ctx.clinical![0];
    clinical.rows.get('S0003')!.idh = 'unknown';
    clinical.rows.get('S0004')!.idh = 'NA'; // missing, not a value
    const [e] = designFindings(a.analysis, a.ctx);
    expect(e).toMatchObject({ severity: 'error', code: 'analysis-outcome-not-binary', path: ['outcomes', 'idh', 'column'] });
    expect(e.message).toMatch(/3 distinct values/);
  });

  it('an imbalanced outcome with neither stratification nor balancing: a warning', () => {
    const base = { subjects: 100, features: 1, seed: 3, positiveShare: 0.1 };
    const unstratified = ctx({ ...base, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 }, validation: { stratify: 'none' } } }, 1);
    const [w] = designFindings(unstratified.analysis, unstratified.ctx);
    expect(w).toMatchObject({ severity: 'warning', code: 'analysis-imbalance', replacement: 'outcome' });
    expect(w.message).toMatch(/10\.0% of 100 subjects/);
    const balanced = ctx({ ...base, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 }, validation: { stratify: 'none' }, balancing: { method: 'smote' } } }, 1);
    expect(designFindings(balanced.analysis, balanced.ctx)).toEqual([]);
    const stratified = ctx({ ...base, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 } } }, 1);
    expect(designFindings(stratified.analysis, stratified.ctx)).toEqual([]);
    // 20% exactly is not below the limit.
    const edge = ctx({ ...base, positiveShare: 0.2, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 }, validation: { stratify: 'none' } } }, 1);
    expect(designFindings(edge.analysis, edge.ctx)).toEqual([]);
  });

  it('too few minority subjects or events for the folds: an error at the fold count', () => {
    // 40 subjects, 3 positive: 4 outer folds cannot all hold one.
    const few = ctx({ subjects: 40, features: 1, seed: 5, positiveShare: 0.075, analysis: { outcomes: ['idh'], validation: { folds: 4 }, selection: { method: 'lasso', features: 1 } } }, 1);
    const [e] = designFindings(few.analysis, few.ctx).filter((f) => f.code === 'analysis-too-few-events');
    expect(e).toMatchObject({ severity: 'error', path: ['analysis', 'validation', 'folds'] });
    expect(e.message).toMatch(/`idh` has 3 subjects in its minority class, fewer than the 4 folds.*use at most 3 folds/);
    // 6 positives, 5 outer folds: an outer training part may keep only 6 - 2 = 4, fewer than 5 inner folds.
    const inner = ctx({ subjects: 60, features: 1, seed: 5, positiveShare: 0.1, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 } } }, 1);
    const [i] = designFindings(inner.analysis, inner.ctx).filter((f) => f.code === 'analysis-too-few-events');
    expect(i).toMatchObject({ path: ['analysis', 'validation', 'inner_folds'] });
    expect(i.message).toMatch(/has 4 subjects in its minority class in a training part, fewer than the 5 folds/);
    // Enough: 10 positives, 5 + 5 folds.
    const ok = ctx({ subjects: 60, features: 1, seed: 5, positiveShare: 1 / 6, analysis: { outcomes: ['idh'], selection: { method: 'lasso', features: 1 } } }, 1);
    expect(designFindings(ok.analysis, ok.ctx).filter((f) => f.code === 'analysis-too-few-events')).toEqual([]);
  });

  it('the YAML entry point uses the loaded study for the data-level checks', () => {
    const { study } = syntheticStudy({ subjects: 40, features: 1, seed: 4, positiveShare: 0.15 });
    const problems = check(`${COHORT}analysis:\n  outcomes: [idh]\n  validation: { stratify: none }\n`, { study, featureCount: 100 });
    expect(problems.map((p) => [p.code, p.severity, p.text])).toEqual([
      ['analysis-low-epv', 'warning', 'analysis'],
      // 6 positives: an outer training part keeps 4, fewer than the 5 inner folds (not written:
      // reported at the enclosing key).
      ['analysis-too-few-events', 'error', 'validation'],
      ['analysis-imbalance', 'warning', 'none'],
    ]);
  });

  it('candidate count: the smallest fixed size of the design, else every column', () => {
    expect(candidateCount(resolveAnalysis({ selection: { method: 'mrmr', k: 7 } }), 100)).toBe(7);
    expect(candidateCount(resolveAnalysis({ filters: [{ method: 'univariate', top_k: 20 }], selection: { method: 'lasso', max_features: 30 } }), 100)).toBe(20);
    expect(candidateCount(resolveAnalysis({}), 100)).toBe(100);
    expect(candidateCount(resolveAnalysis({}), null)).toBeNull();
  });
});

describe('the analysis and report schema', () => {
  const example = `analysis:
  seed: 20240501
  outcomes: [idh, os]
  features: { sequences: [T1CE], rois: [enhancing], exclude: ['*.morph.*'] }
  validation: { method: nested_cv, folds: 5, repeats: 5, inner_folds: 5, stratify: outcome_and_site }
  imputation: { method: median }
  harmonisation: { method: combat }
  scaling: { method: zscore }
  filters:
    - { method: near_zero_variance }
    - { method: correlation, threshold: 0.9 }
    - { method: univariate, test: wilcoxon, p_value: 0.05, adjust: bh }
  selection: { method: lasso, lambda: 1se, max_features: 20 }
  balancing: { method: smote, k: 5 }
  models:
    - { type: logistic, alpha: [0.5, 1] }
    - { type: random_forest, trees: 500, mtry: [2, 4, 8] }
    - { type: svm, kernel: rbf, cost: [0.1, 1, 10] }
    - { type: lasso_cox }
  threshold: 0.5
  bootstrap_replicates: 2000
report:
  title: IDH and survival
  sections: [summary, cohort, discrimination, calibration, survival, stability, coefficients, checklist]
  at_risk_times: [0, 12, 24, 36]
`;

  it('accepts the documented example and resolves it', () => {
    const { doc } = parseYamlText(example);
    const root = doc.contents as unknown as { get(k: string, keep: boolean): unknown };
    expect(validateYamlNode(root.get('analysis', true) as never, ANALYSIS_SCHEMA, ['analysis'], { doc })).toEqual([]);
    expect(validateYamlNode(root.get('report', true) as never, REPORT_SCHEMA, ['report'], { doc })).toEqual([]);
    const data = doc.toJS() as { analysis: unknown; report: unknown };
    const spec = resolveAnalysis(data.analysis);
    expect(spec.validation).toMatchObject({ method: 'nested_cv', folds: 5, repeats: 5, innerFolds: 5, stratify: 'outcome_and_site', tuneOn: 'training' });
    expect(spec.filters.map((f) => f.method)).toEqual(['near_zero_variance', 'correlation', 'univariate']);
    expect(spec.selection).toMatchObject({ method: 'lasso', lambda: '1se', maxFeatures: 20, scope: 'fold' });
    expect(spec.models!.map((m) => m.name)).toEqual(['logistic', 'random_forest', 'svm', 'lasso_cox']);
    expect(resolveReport(data.report).atRiskTimes).toEqual([0, 12, 24, 36]);
  });

  it('defaults of an empty section', () => {
    const spec = resolveAnalysis({});
    expect(spec).toMatchObject({ seed: 1, imputation: { method: 'median' }, scaling: { method: 'zscore' }, selection: null, balancing: null, models: null, threshold: 0.5 });
    expect(spec.validation).toEqual({ method: 'nested_cv', folds: 5, repeats: 1, innerFolds: 5, innerRepeats: 1, testFraction: 0.3, stratify: 'outcome', tuneOn: 'training' });
    expect(resolveReport(null).sections).toHaveLength(9);
  });

  it('rejects unknown keys and values with the validator\'s messages (and the runner refuses them)', () => {
    const { doc } = parseYamlText('analysis:\n  selection: { method: lasso, lamda: 1se }\n  validation: { method: nested }\n');
    const root = doc.contents as unknown as { get(k: string, keep: boolean): unknown };
    const problems = validateYamlNode(root.get('analysis', true) as never, ANALYSIS_SCHEMA, ['analysis'], { doc });
    expect(problems.map((p) => p.message)).toEqual([
      'unknown key `lamda` in analysis.selection; did you mean `lambda`?',
      expect.stringMatching(/^analysis\.validation\.method: expected one of `nested_cv`.*got "nested"; did you mean `nested_cv`\?$/),
    ]);
    expect(() => resolveAnalysis({ validation: { method: 'nested' } })).toThrow(RgsError);
    // The lenient resolver (for the design checks) reads the broken part as absent.
    expect(resolveAnalysisData({ validation: 7 }).validation.method).toBe('nested_cv');
  });
});
