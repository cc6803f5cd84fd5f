/**
 * The enrichment step of the analysis (analysis.enrichment, pipeline/enrichment.ts), on
 * synthetic cohorts (analysis-pipeline-fixture.ts) with a synthetic expression table written
 * beside a temporary study file:
 * - between the out-of-fold radiomic risk groups of a survival outcome, a gene set planted on
 *   the imaging risk comes out with q < 0.05 (higher in the high-risk group) and a random set
 *   does not; between the classes of a binary outcome likewise;
 * - the risk groups are out-of-sample: exactly the groups of the validated predictions, each
 *   subject grouped by a fold model whose training rows did not include it; on pure-noise
 *   features a set tied to the OUTCOME is enriched between in-sample groups (a model fitted on
 *   the subjects it groups) but not between the out-of-fold groups the step uses;
 * - missing files and undefined outcomes are errors naming the file / the outcome, with ranges;
 * - determinism: same seed, byte-identical enrichment.csv and results.json;
 * - the parser, the running-sum corners and the report section.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { analysisDesignChecks, designFindings, type DesignContext } from '../../src/engine/analysis/design-checks';
import { runningSum } from '../../src/engine/analysis/gsea/enrichment-score';
import {
  ENRICHMENT_FILE,
  loadEnrichmentInputs,
  parseExpressionCsv,
  runEnrichment,
  riskGroupsOf,
  runningSumCorners,
  type EnrichmentGroups,
} from '../../src/engine/analysis/pipeline/enrichment';
import type { PredictionRow } from '../../src/engine/analysis/pipeline/outputs';
import { buildAnalysisTable } from '../../src/engine/analysis/pipeline/table';
import { planSplits, runSplit } from '../../src/engine/analysis/pipeline/validate';
import { buildSteps } from '../../src/engine/analysis/pipeline/steps';
import { computeAnalysis, OUTPUT_FILES } from '../../src/engine/analysis/pipeline/run-analysis';
import { modelsFor, resolveAnalysis } from '../../src/engine/analysis/pipeline/spec';
import { renderReport } from '../../src/engine/analysis/report/html';
import { Rng } from '../../src/engine/analysis/random';
import type { Study } from '../../src/engine/study/types';
import { RgsError } from '../../src/engine/util/errors';
import { syntheticStudy, type SyntheticOptions } from './analysis-pipeline-fixture';

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rgs-enrichment-'));
  tempDirs.push(d);
  return d;
}

const PLANTED = 'PLANTED_SET';
const PLANTED_GENES = Array.from({ length: 20 }, (_, k) => `P${String(k).padStart(2, '0')}`);
const BACKGROUND = Array.from({ length: 280 }, (_, k) => `G${String(k).padStart(3, '0')}`);

/**
 * expression.csv (genes in rows) for the subjects: every gene N(0, 1) + its subject's `shift`
 * for the planted genes; gene_sets.gmt: the planted set and 12 random sets of background genes.
 */
function writeInputs(dir: string, subjects: readonly string[], shift: (i: number) => number, seed = 11): void {
  const rng = new Rng(seed);
  const lines = [['gene', ...subjects].join(',')];
  for (const gene of [...PLANTED_GENES, ...BACKGROUND]) {
    const planted = gene.startsWith('P');
    lines.push([gene, ...subjects.map((_, i) => (rng.normal() + (planted ? shift(i) : 0)).toFixed(4))].join(','));
  }
  writeFileSync(join(dir, 'expression.csv'), lines.join('\n') + '\n');
  const sets = [`${PLANTED}\tplanted\t${PLANTED_GENES.join('\t')}`];
  for (let r = 0; r < 12; r++) {
    const genes = Array.from(rng.sampleWithoutReplacement(BACKGROUND.length, 20 + r), (k) => BACKGROUND[k]);
    sets.push(`RANDOM_${String(r).padStart(2, '0')}\trandom\t${genes.join('\t')}`);
  }
  writeFileSync(join(dir, 'gene_sets.gmt'), sets.join('\n') + '\n');
}

/** A synthetic study whose study file lives in a fresh temporary folder beside its expression files. */
function studyIn(dir: string, o: SyntheticOptions): ReturnType<typeof syntheticStudy> {
  const made = syntheticStudy(o);
  return { study: { ...made.study, file: join(dir, 'synthetic.study.yaml') }, features: { ...made.features, file: join(dir, 'features.csv') } };
}

const FAST_SURVIVAL = {
  seed: 3,
  outcomes: ['os'],
  validation: { method: 'repeated_cv', folds: 5, repeats: 1 },
  models: [{ type: 'lasso_cox', lambda: 0.05 }],
  bootstrap_replicates: 100,
};

const ENRICH_OS = { expression: 'expression.csv', gene_sets: 'gene_sets.gmt', groups: 'risk_groups', outcome: 'os', permutations: 1000 };

/** The survival study: 120 subjects, 20 features, the first 5 raising the hazard; the planted genes follow the same imaging signal. */
function riskStudy(): { dir: string; study: Study; features: ReturnType<typeof syntheticStudy>['features'] } {
  const dir = tempDir();
  const { study, features } = studyIn(dir, { subjects: 120, features: 20, seed: 21, signal: 1.5, informative: 5, analysis: { ...FAST_SURVIVAL, enrichment: ENRICH_OS } });
  // The fixture's linear predictor: the mean of the informative features (times the signal).
  const lp = (i: number): number => (features.rows[i][0] + features.rows[i][1] + features.rows[i][2] + features.rows[i][3] + features.rows[i][4]) / 5;
  writeInputs(dir, features.subjects, (i) => 0.5 * lp(i));
  return { dir, study, features };
}

describe('enrichment between the out-of-fold radiomic risk groups', () => {
  const { dir, study, features } = riskStudy();
  const run = computeAnalysis(study, features, {});
  const e = run.results.enrichment!;

  it('finds the planted set (q < 0.05, higher in the high-risk group) and not a random set', () => {
    expect(e).not.toBeNull();
    expect(e.groups).toBe('risk_groups');
    expect(e.model).toBe('lasso_cox');
    expect([e.up, e.down]).toEqual(['high risk', 'low risk']);
    expect(e.nUp + e.nDown).toBe(120);
    expect(e.rankedGenes).toBe(300);
    const planted = e.sets.find((s) => s.name === PLANTED)!;
    expect(planted.nes).toBeGreaterThan(1.5);
    expect(planted.q).toBeLessThan(0.05);
    expect(planted.p).toBeLessThan(0.01);
    // Sorted by |NES|: the planted set first; its leading edge is a subset of its genes.
    expect(e.sets[0].name).toBe(PLANTED);
    expect(planted.leadingEdge.length).toBeGreaterThan(3);
    expect(planted.leadingEdge.every((g) => PLANTED_GENES.includes(g))).toBe(true);
    const random = e.sets.filter((s) => s.name.startsWith('RANDOM_'));
    expect(random).toHaveLength(12);
    expect(random.filter((s) => s.q < 0.05)).toEqual([]);
    expect(e.top!.name).toBe(PLANTED);
  });

  it('uses exactly the validated out-of-fold groups: each subject grouped by a fold model not fitted on it', () => {
    const oof = run.predictions.filter((p) => p.outcome === 'os' && p.model === 'lasso_cox' && p.set === 'out-of-fold' && p.repeat === 0);
    expect(oof).toHaveLength(120);
    expect(e.nUp).toBe(oof.filter((p) => p.group === 'high').length);
    for (const p of oof) {
      const roles = run.folds.filter((f) => f.outcome === 'os' && f.repeat === 0 && f.fold === p.fold && f.subject === p.subject).map((f) => f.role);
      expect(roles).toEqual(['test']);
    }
    expect(e.source).toMatch(/out-of-fold risk groups of lasso_cox, repetition 1/);
  });

  it('takes the groups of the validated predictions only: repetition 1 out of fold, the hold-out test set, or the external cohort', () => {
    const row = (subject: string, set: PredictionRow['set'], repeat: number | null, fold: number | 'final' | null, group: 'high' | 'low'): PredictionRow => ({
      outcome: 'os',
      model: 'm',
      set,
      repeat,
      fold,
      subject,
      label: null,
      time: 1,
      event: 1,
      prediction: 0,
      group,
    });
    const rows = [
      row('S2', 'out-of-fold', 0, 1, 'high'),
      row('S1', 'out-of-fold', 0, 0, 'low'),
      row('S1', 'out-of-fold', 1, 2, 'high'), // repetition 2: not used
      row('X1', 'external', null, 'final', 'high'), // the final model on the external cohort: not part of the CV evaluation
      row('S3', 'test', null, null, 'high'),
      row('X2', 'external', null, null, 'low'),
    ];
    const cv = riskGroupsOf(rows, 'os', 'm', 'nested_cv');
    expect([cv.subjects, Array.from(cv.classes)]).toEqual([['S1', 'S2'], [0, 1]]);
    const holdout = riskGroupsOf(rows, 'os', 'm', 'holdout');
    expect([holdout.subjects, Array.from(holdout.classes)]).toEqual([['S3'], [1]]);
    const external = riskGroupsOf(rows, 'os', 'm', 'external');
    expect([external.subjects, Array.from(external.classes)]).toEqual([['X2'], [0]]);
    expect(riskGroupsOf(rows, 'os', 'other', 'nested_cv').subjects).toEqual([]);
  });

  it('writes enrichment.csv beside results.json, sorted by |NES|, and the enrichment into results.json', () => {
    const csv = readFileSync(join(dir, 'analysis', ENRICHMENT_FILE), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('set,size,es,nes,p,q,leading_edge_size,leading_edge');
    expect(csv).toHaveLength(1 + 13);
    const first = csv[1].split(',');
    expect(first[0]).toBe(PLANTED);
    expect(first[1]).toBe('20');
    expect(Number(first[3])).toBeCloseTo(e.sets[0].nes, 12);
    expect(first[7].split(';')).toEqual(e.sets[0].leadingEdge);
    const json = JSON.parse(readFileSync(join(dir, 'analysis', OUTPUT_FILES.results), 'utf8')) as { enrichment: { sets: { name: string }[]; top: { name: string } } };
    expect(json.enrichment.sets[0].name).toBe(PLANTED);
    expect(json.enrichment.top.name).toBe(PLANTED);
    expect(run.files).toContain(join(dir, 'analysis', ENRICHMENT_FILE));
  });

  it('a later run without the step removes the stale enrichment.csv', () => {
    const other = tempDir();
    const path = join(other, 'analysis', ENRICHMENT_FILE);
    computeAnalysis({ ...study, file: join(dir, 'synthetic.study.yaml') }, { ...features, file: join(other, 'features.csv') }, {});
    expect(existsSync(path)).toBe(true);
    const without = computeAnalysis({ ...study, analysis: FAST_SURVIVAL }, { ...features, file: join(other, 'features.csv') }, {});
    expect(existsSync(path)).toBe(false);
    expect(without.results.enrichment).toBeNull();
  });

  it('renders an Enrichment section: the table by |NES| with q-values and the running sum of the top set', () => {
    const html = renderReport(run.results);
    const start = html.indexOf('<section id="enrichment">');
    expect(start).toBeGreaterThan(0);
    const section = html.slice(start, html.indexOf('</section>', start));
    expect(section).toContain('<h2>Enrichment</h2>');
    expect(section).toContain(`<td>${PLANTED}</td>`);
    expect(section).toMatch(/FDR q/);
    expect(section).toMatch(/<svg [^>]*aria-label="PLANTED_SET: NES/);
    expect((section.match(/<path /g) ?? []).length).toBe(1);
    expect((section.match(/<line /g) ?? []).length).toBeGreaterThanOrEqual(20); // the barcode of its 20 genes
    expect(html).not.toMatch(/https?:/i);
    // Without the step: no section.
    expect(renderReport({ ...run.results, enrichment: null })).not.toContain('id="enrichment"');
  });

  it('is deterministic: a second run writes byte-identical enrichment.csv and results.json; another seed changes p but not ES', () => {
    const again = riskStudy();
    computeAnalysis(again.study, again.features, {});
    for (const name of [ENRICHMENT_FILE, OUTPUT_FILES.results, OUTPUT_FILES.report]) {
      const a = readFileSync(join(dir, 'analysis', name), 'utf8');
      const b = readFileSync(join(again.dir, 'analysis', name), 'utf8');
      // The study files are in different folders; nothing in these files names them.
      expect(a === b, name).toBe(true);
    }
    const other = computeAnalysis(
      { ...study, analysis: { ...FAST_SURVIVAL, enrichment: { ...ENRICH_OS, seed: 99 } } },
      features,
      { write: false },
    ).results.enrichment!;
    expect(other.seed).toBe(99);
    const es = (r: typeof e) => Object.fromEntries(r.sets.map((s) => [s.name, s.es]));
    expect(es(other)).toEqual(es(e));
    expect(other.sets.map((s) => s.p)).not.toEqual(e.sets.map((s) => s.p));
  });
});

describe('out-of-fold versus in-sample risk groups', () => {
  it('a set tied to the outcome is enriched between in-sample groups of a noise model, not between the out-of-fold groups', () => {
    // 60 subjects, 40 pure-noise features, a survival outcome independent of them. The planted
    // genes follow the OUTCOME (early death), which the imaging does not carry. A weakly
    // penalised LASSO-Cox fitted on all subjects overfits: its in-sample risk groups follow the
    // outcome, so they "find" the set. The step's out-of-fold groups do not.
    const dir = tempDir();
    const analysis = { ...FAST_SURVIVAL, models: [{ type: 'lasso_cox', lambda: 0.03 }], enrichment: ENRICH_OS };
    const { study, features } = studyIn(dir, { subjects: 60, features: 40, seed: 8, signal: 0, analysis });
    const os = study.outcomes[1];
    const clinical = study.clinical[0].rows;
    const times = features.subjects.map((id) => Number(clinical.get(id)!.os_months));
    const median = [...times].sort((a, b) => a - b)[30];
    const early = (i: number): boolean => clinical.get(features.subjects[i])!.death === '1' && times[i] < median;
    writeInputs(dir, features.subjects, (i) => (early(i) ? 1.2 : 0), 12);

    const honest = computeAnalysis(study, features, { write: false }).results.enrichment!;
    const honestSet = honest.sets.find((s) => s.name === PLANTED)!;
    expect(honestSet.q).toBeGreaterThan(0.05);

    // The leaky grouping, built here (the step never does this): the final model's groups of
    // the very subjects it was fitted on.
    const spec = resolveAnalysis(analysis);
    const table = buildAnalysisTable(study, os, features, features.columns).table;
    const plan = planSplits(table, spec.validation, new Rng(1));
    const fit = runSplit(table, plan.final, buildSteps(spec), null, modelsFor(spec, 'survival'), new Rng(2), { warn: () => {} });
    const m = fit.models[0];
    const inSample = m.fitted.predict(fit.pipeline.train);
    const groups: EnrichmentGroups = {
      subjects: Array.from(fit.pipeline.train.rows, (r) => table.subjects[r]),
      classes: Uint8Array.from(inSample, (v) => (v > m.cutoff! ? 1 : 0)),
      up: 'high risk',
      down: 'low risk',
      source: 'in-sample (leaky)',
    };
    const leaky = runEnrichment(loadEnrichmentInputs(study, spec.enrichment!), groups, { seed: 3, warn: () => {} });
    const leakySet = leaky.sets.find((s) => s.name === PLANTED)!;
    expect(leakySet.nes).toBeGreaterThan(0);
    expect(leakySet.q).toBeLessThan(0.05);
  });
});

describe('enrichment between the classes of a binary outcome', () => {
  it('finds a set planted in the positive class, not a random one', () => {
    const dir = tempDir();
    const { study, features } = studyIn(dir, {
      subjects: 80,
      features: 10,
      seed: 5,
      analysis: {
        seed: 2,
        outcomes: ['idh'],
        validation: { method: 'repeated_cv', folds: 4, repeats: 1 },
        models: [{ type: 'logistic', lambda: 0.1 }],
        bootstrap_replicates: 100,
        enrichment: { expression: 'expression.csv', gene_sets: 'gene_sets.gmt', groups: 'outcome', outcome: 'idh', statistic: 't', permutations: 500 },
      },
    });
    const mutant = features.subjects.map((id) => study.clinical[0].rows.get(id)!.idh === 'mutant');
    writeInputs(dir, features.subjects, (i) => (mutant[i] ? 0.8 : 0));
    const e = computeAnalysis(study, features, { write: false }).results.enrichment!;
    expect([e.up, e.down, e.nUp, e.nDown]).toEqual(['mutant', 'not mutant', 40, 40]);
    expect(e.model).toBeNull();
    expect(e.statistic).toBe('t');
    const planted = e.sets.find((s) => s.name === PLANTED)!;
    expect(planted.nes).toBeGreaterThan(0);
    expect(planted.q).toBeLessThan(0.05);
    expect(e.sets.filter((s) => s.name.startsWith('RANDOM_') && s.q < 0.05)).toEqual([]);
  });

  it('leaves out compared subjects without an expression column, with a warning', () => {
    const dir = tempDir();
    const enrichment = { expression: 'expression.csv', gene_sets: 'gene_sets.gmt', groups: 'outcome', outcome: 'idh', permutations: 100 };
    const { study, features } = studyIn(dir, {
      subjects: 40,
      features: 5,
      seed: 6,
      analysis: { outcomes: ['idh'], validation: { method: 'repeated_cv', folds: 4 }, models: [{ type: 'logistic', lambda: 0.1 }], bootstrap_replicates: 100, enrichment },
    });
    writeInputs(dir, features.subjects.slice(0, 30), () => 0);
    const r = computeAnalysis(study, features, { write: false }).results;
    expect(r.enrichment!.subjectsWithoutExpression).toBe(10);
    expect(r.enrichment!.nUp + r.enrichment!.nDown).toBe(30);
    expect(r.warnings.map((w) => w.message)).toContain('enrichment: 10 of the 40 compared subjects have no column in expression.csv and were left out');
  });
});

describe('enrichment errors', () => {
  const base = { ...FAST_SURVIVAL, enrichment: ENRICH_OS };

  it('a missing expression table or GMT: a design error naming the file, before any fitting', () => {
    const dir = tempDir();
    const { study, features } = studyIn(dir, { subjects: 40, features: 5, seed: 1, analysis: { ...base, enrichment: { ...ENRICH_OS, expression: 'data/expr.csv' } } });
    writeInputs(dir, features.subjects, () => 0);
    expect(() => computeAnalysis(study, features, { write: false })).toThrow(RgsError);
    expect(() => computeAnalysis(study, features, { write: false })).toThrow(/analysis\.enrichment\.expression: the expression table `data\/expr\.csv` does not exist \(.*data[/\\]expr\.csv\)/);
    const gmt = { ...study, analysis: { ...base, enrichment: { ...ENRICH_OS, gene_sets: 'sets.gmt' } } };
    expect(() => computeAnalysis(gmt, features, { write: false })).toThrow(/analysis\.enrichment\.gene_sets: the gene set file \(GMT\) `sets\.gmt` does not exist/);
  });

  it('design checks: missing files underlined at their values when the study file is known, not checked when it is not', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'gene_sets.gmt'), 'S\td\tA\tB\n');
    const text =
      'study: { id: demo, title: Demo }\ncohort:\n  manifest: manifest.csv\n  sequences: { T1CE: { column: t1ce } }\n  labels: { enhancing: 4 }\n' +
      'outcomes:\n  os: { type: survival, time: os_months, event: death, unit: months }\n' +
      'analysis:\n  enrichment:\n    expression: nowhere.csv\n    gene_sets: gene_sets.gmt\n    groups: risk_groups\n    outcome: os\n';
    const doc = parseDocument(text);
    const problems = analysisDesignChecks(doc, { studyFile: join(dir, 'x.study.yaml') });
    expect(problems).toHaveLength(1);
    const [p] = problems;
    expect(p).toMatchObject({ severity: 'error', code: 'analysis-enrichment-missing-file', path: 'analysis.enrichment.expression' });
    expect(text.slice(p.range[0], p.range[1])).toBe('nowhere.csv');
    expect(p.message).toContain(join(dir, 'nowhere.csv'));
    expect(analysisDesignChecks(doc, {})).toEqual([]);
  });

  it('an outcome that is not defined, or does not fit `groups`, or is not analysed: errors at the setting', () => {
    const ctx: DesignContext = {
      outcomes: [
        { name: 'idh', type: 'binary', column: 'idh', positive: 'mutant' },
        { name: 'os', type: 'survival', time: 't', event: 'e', unit: 'months' },
      ],
      sequences: null,
      rois: null,
      siteColumn: false,
      externalCohort: false,
    };
    const find = (enrichment: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      designFindings({ ...extra, enrichment: { expression: 'e.csv', gene_sets: 's.gmt', ...enrichment } }, ctx).filter((f) => f.path[1] === 'enrichment');
    const [unknown] = find({ groups: 'risk_groups', outcome: 'pfs' });
    expect(unknown).toMatchObject({ severity: 'error', code: 'analysis-unknown-outcome', path: ['analysis', 'enrichment', 'outcome'] });
    expect(unknown.message).toBe('analysis.enrichment.outcome: `pfs` is not an outcome of the study (outcomes: `idh`, `os`)');
    expect(find({ groups: 'risk_groups', outcome: 'idh' })[0]).toMatchObject({ code: 'analysis-enrichment-groups', path: ['analysis', 'enrichment', 'groups'], replacement: 'outcome' });
    expect(find({ groups: 'outcome', outcome: 'os' })[0]).toMatchObject({ code: 'analysis-enrichment-groups', replacement: 'risk_groups' });
    expect(find({ groups: 'risk_groups', outcome: 'os' }, { outcomes: ['idh'] })[0]).toMatchObject({ code: 'analysis-enrichment-not-analysed' });
    expect(find({ groups: 'risk_groups', outcome: 'os', model: 'cox2' }, { models: [{ type: 'lasso_cox' }] })[0].message).toMatch(/`cox2` is not a survival model of the analysis \(`lasso_cox`\)/);
    expect(find({ groups: 'risk_groups', outcome: 'os', min_size: 50, max_size: 20 })[0]).toMatchObject({ code: 'analysis-enrichment-sizes' });
    // A binary outcome compared by its classes need not be analysed.
    expect(find({ groups: 'outcome', outcome: 'idh' }, { outcomes: ['os'] })).toEqual([]);
  });

  it('the schema requires expression, gene_sets, groups and outcome', () => {
    expect(() => resolveAnalysis({ enrichment: { expression: 'e.csv', groups: 'outcome', outcome: 'idh' } })).toThrow(/gene_sets/);
    expect(() => resolveAnalysis({ enrichment: { expression: 'e.csv', gene_sets: 's.gmt', groups: 'classes', outcome: 'idh' } })).toThrow(RgsError);
    const spec = resolveAnalysis({ seed: 4, enrichment: { expression: 'e.csv', gene_sets: 's.gmt', groups: 'outcome', outcome: 'idh' } }).enrichment;
    expect(spec).toEqual({ expression: 'e.csv', geneSets: 's.gmt', groups: 'outcome', outcome: 'idh', model: null, statistic: 'signal_to_noise', permutations: 1000, minSize: 15, maxSize: 500, seed: null });
    expect(resolveAnalysis({}).enrichment).toBeNull();
  });

  it('a transposed table, no overlap of gene identifiers: errors naming the file', () => {
    const dir = tempDir();
    const { study, features } = studyIn(dir, { subjects: 30, features: 5, seed: 2, analysis: base });
    writeInputs(dir, features.subjects, () => 0);
    const spec = resolveAnalysis(base).enrichment!;
    // Subjects in rows, genes in columns.
    const transposed = ['subject_id,G000,G001', ...features.subjects.map((s) => `${s},1,2`)].join('\n');
    writeFileSync(join(dir, 'transposed.csv'), transposed);
    expect(() => loadEnrichmentInputs(study, { ...spec, expression: 'transposed.csv' })).toThrow(/transposed\.csv: no column is a subject of the study, but 30 row\(s\) are: the table looks transposed/);
    writeFileSync(join(dir, 'other.gmt'), 'S1\td\tENSG1\tENSG2\n');
    expect(() => loadEnrichmentInputs(study, { ...spec, geneSets: 'other.gmt' })).toThrow(/other\.gmt: no gene set has between 15 and 500 genes of .*expression\.csv \(the largest overlap is 0\)/);
  });
});

describe('expression table parser', () => {
  it('reads genes in rows with quoting, NA as missing', () => {
    const t = parseExpressionCsv('\uFEFFgene,S1,"S2"\r\nA,1,2.5\r\n"B,1",NA,-3\r\n\r\n', 'x.csv');
    expect(t.genes).toEqual(['A', 'B,1']);
    expect(t.subjects).toEqual(['S1', 'S2']);
    expect(Array.from(t.values)).toEqual([1, 2.5, NaN, -3]);
  });

  it('names the file and line of each problem', () => {
    expect(() => parseExpressionCsv('gene,S1\nA,1\nA,2\n', 'x.csv')).toThrow('x.csv:3: gene A appears twice (first on line 2)');
    expect(() => parseExpressionCsv('gene,S1\nA,high\n', 'x.csv')).toThrow('x.csv:2: subject S1, gene A: `high` is not a number');
    expect(() => parseExpressionCsv('gene,S1,S2\nA,1\n', 'x.csv')).toThrow('x.csv:2: 2 fields, but the header has 3');
    expect(() => parseExpressionCsv('gene,S1,S1\nA,1,2\n', 'x.csv')).toThrow('x.csv:1: subject S1 appears twice in the header');
    expect(() => parseExpressionCsv('gene,S1\n"A,1\n', 'x.csv')).toThrow(/x\.csv:2: unterminated quoted field/);
    expect(() => parseExpressionCsv('gene,S1\n', 'x.csv')).toThrow('x.csv: the expression table has a header but no gene rows');
  });
});

describe('running-sum corners', () => {
  it('are the running sum at every corner, and linear in between reproduce it everywhere', () => {
    const rng = new Rng(9);
    const n = 60;
    const scores = Float64Array.from({ length: n }, () => rng.normal()).sort().reverse();
    for (const hits of [[0, 3, 4, 20, 59], [5, 6, 30], [0, 1, 2]]) {
      const inSet = Array.from({ length: n }, (_, j) => hits.includes(j));
      const full = runningSum(scores, inSet); // full[j]: after position j, i.e. at x = j + 1
      const { x, y } = runningSumCorners(scores, hits);
      expect(x[0]).toBe(0);
      expect(x[x.length - 1]).toBe(n);
      for (let k = 1; k < x.length; k++) expect(x[k]).toBeGreaterThan(x[k - 1]); // no repeated corner
      for (let t = 1; t <= n; t++) {
        const k = x.findIndex((v) => v >= t);
        const at = x[k] === t ? y[k] : y[k - 1] + ((y[k] - y[k - 1]) * (t - x[k - 1])) / (x[k] - x[k - 1]);
        expect(at).toBeCloseTo(full[t - 1], 12);
      }
    }
  });
});
