/**
 * Soundness checks of a study's analysis design: the mistakes that make a radiomics model look
 * better than it is (or that cannot run), reported where they are written, with the fix.
 *
 * Errors: a stage fitted before the split (`scope: cohort`: selection, filters and balancing
 * outside the cross-validation inflate performance, e.g. AUC by up to 0.15 on public radiomics
 * data, Demircioğlu, Insights Imaging 2021; imputation, harmonisation and scaling leak the test
 * folds' distributions); tuning on the test data (`tune_on: test`); tuned settings under
 * repeated_cv, which has no inner folds; a binary outcome column with other than two values;
 * references the analysis cannot resolve (outcome, sequence or ROI names, no site column for
 * ComBat, no external cohort for external validation); models or selection methods that do not
 * fit the outcome type; duplicate model names; an enrichment step whose files do not exist or
 * whose outcome is not defined, does not fit its `groups`, or (risk groups) is not analysed.
 * Warnings: fewer than 10 events per candidate feature (Riley et al., BMJ 2020: the usual floor
 * for penalised models is higher still); a binary outcome with a minority class under 20% that
 * is neither stratified nor balanced.
 *
 * Two entry points: `designFindings` on plain data (the runner refuses a design with errors),
 * and `analysisDesignChecks` on a parsed study document, which adds the exact YAML range of
 * each finding in the shape of the schema validator's problems (plus a `code` and, when there
 * is a one-value fix, `data.replacement` for a quick fix).
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Document } from 'yaml';
import type { JsonValue } from '../schema/json-schema';
import { formatPath, type PathSegment, type SourceRange } from '../schema/validate-yaml';
import { isMissingValue } from '../study/references';
import type { ClinicalTable, OutcomeSpec, Study, SubjectRow } from '../study/types';
import { isRecord, StudyView } from '../study/view';
import { BINARY_MODELS, SURVIVAL_MODELS, modelsFor, resolveAnalysisData, tunedSettings, type AnalysisSpec } from './pipeline/spec';

/** The events-per-candidate-feature floor below which a warning is given. */
export const EPV_FLOOR = 10;
/** Minority share below which an outcome counts as imbalanced. */
export const IMBALANCE_SHARE = 0.2;

export interface DesignContext {
  outcomes: readonly OutcomeSpec[];
  /** Sequence names of the cohort; null when unknown. */
  sequences: readonly string[] | null;
  /** ROI names of the cohort; null when unknown. */
  rois: readonly string[] | null;
  /** Whether cohort.site_column is set. */
  siteColumn: boolean;
  /** Whether the study declares an external cohort. */
  externalCohort: boolean;
  /** Data, when known: the clinical tables and the cohort's subjects. */
  clinical?: readonly ClinicalTable[] | null;
  subjects?: readonly SubjectRow[] | null;
  /** Number of candidate feature columns (from the feature table), when known. */
  featureCount?: number | null;
  /** The study file's folder, against which the files of the analysis are resolved; null or absent: files are not checked. */
  studyDir?: string | null;
}

export interface DesignFinding {
  path: PathSegment[];
  severity: 'error' | 'warning';
  code: string;
  message: string;
  /** A one-value fix for the value at `path` (e.g. `fold` for a `scope`). */
  replacement?: JsonValue;
}

/** A finding with its source range: the shape of the schema validator's problems. */
export interface DesignProblem {
  path: string;
  message: string;
  range: SourceRange;
  severity: 'error' | 'warning';
  code: string;
  data?: { replacement: JsonValue };
}

interface OutcomeFacts {
  /** Distinct non-missing values (binary) among the cohort's subjects. */
  values: string[];
  /** Development (internal) subjects with a known outcome, and the minority count (binary) or events (survival). */
  n: number;
  events: number;
}

/** Facts about an outcome's column in the clinical tables, or null when the data are not known. */
function outcomeFacts(o: OutcomeSpec, ctx: DesignContext): OutcomeFacts | null {
  const clinical = ctx.clinical;
  if (clinical === null || clinical === undefined) return null;
  const column = o.type === 'binary' ? o.column : o.time;
  const table = clinical.find((c) => c.columns.includes(column));
  if (table === undefined) return null;
  const subjects = ctx.subjects ?? null;
  const ids = subjects !== null ? subjects.filter((s) => !s.external).map((s) => s.id) : [...table.rows.keys()];
  const cell = (id: string, col: string): string | null => {
    const t = clinical.find((c) => c.columns.includes(col));
    const v = t?.rows.get(id)?.[col];
    return v === undefined || isMissingValue(v) ? null : v.trim();
  };
  if (o.type === 'binary') {
    const values: string[] = [];
    let pos = 0;
    let n = 0;
    const all = subjects !== null ? subjects.map((s) => s.id) : ids;
    for (const id of all) {
      const v = cell(id, o.column);
      if (v !== null && !values.includes(v)) values.push(v);
    }
    for (const id of ids) {
      const v = cell(id, o.column);
      if (v === null) continue;
      n++;
      if (v === o.positive) pos++;
    }
    return { values, n, events: Math.min(pos, n - pos) };
  }
  let n = 0;
  let events = 0;
  for (const id of ids) {
    const t = cell(id, o.time);
    const e = cell(id, o.event);
    if (t === null || e === null) continue;
    n++;
    if (e === '1') events++;
  }
  return { values: [], n, events };
}

const STAGE_WORDS: Record<string, { what: string; leak: string }> = {
  imputation: { what: 'the imputation', leak: 'the test folds\' values shape the imputed values of the training rows' },
  harmonisation: { what: 'the ComBat harmonisation', leak: 'the test folds\' site distributions shape the harmonised training features' },
  scaling: { what: 'the scaling', leak: 'the test folds\' means and spreads shape the scaled training features' },
  filters: {
    what: 'the filter',
    leak: 'the test folds help choose which features survive (selection outside cross-validation inflated AUC by up to 0.15, Demircioğlu 2021)',
  },
  selection: {
    what: 'the feature selection',
    leak: 'the test folds choose the features they are then tested on (selection outside cross-validation inflated AUC by up to 0.15, Demircioğlu 2021)',
  },
  balancing: { what: 'the class balancing', leak: 'synthetic copies of test subjects end up in the training folds' },
};

function scopeFinding(path: PathSegment[], stage: keyof typeof STAGE_WORDS): DesignFinding {
  const w = STAGE_WORDS[stage];
  return {
    path,
    severity: 'error',
    code: 'analysis-fit-before-split',
    message:
      `${formatPath(path)}: \`cohort\` fits ${w.what} once on all subjects before the split, so ${w.leak}; ` +
      'fix: remove `scope: cohort` (or write `scope: fold`) so that it is refit inside every training fold',
    replacement: 'fold',
  };
}

/** The design findings of an `analysis` section (plain data) in its study context. */
export function designFindings(analysis: unknown, ctx: DesignContext): DesignFinding[] {
  const out: DesignFinding[] = [];
  const raw = isRecord(analysis) ? analysis : {};
  const spec = resolveAnalysisData(analysis);
  const at = (...p: PathSegment[]): PathSegment[] => ['analysis', ...p];

  // Stages fitted before the split.
  for (const stage of ['imputation', 'harmonisation', 'scaling', 'selection', 'balancing'] as const) {
    const s = raw[stage];
    if (isRecord(s) && s.scope === 'cohort') out.push(scopeFinding(at(stage, 'scope'), stage));
  }
  if (Array.isArray(raw.filters)) {
    raw.filters.forEach((f, i) => {
      if (isRecord(f) && f.scope === 'cohort') out.push(scopeFinding(at('filters', i, 'scope'), 'filters'));
    });
  }

  // Tuning on the test data.
  const validation = isRecord(raw.validation) ? raw.validation : {};
  if (validation.tune_on === 'test') {
    out.push({
      path: at('validation', 'tune_on'),
      severity: 'error',
      code: 'analysis-tuning-on-test',
      message:
        'analysis.validation.tune_on: `test` chooses lambda and hyper-parameters on the test data, so the test estimate is ' +
        'optimistic and no longer independent; fix: `tune_on: training` (inner folds of the training data)',
      replacement: 'training',
    });
  }

  // Tuned settings need inner folds.
  if (spec.validation.method === 'repeated_cv') {
    for (const t of tunedSettings(spec)) {
      out.push({
        path: t.path,
        severity: 'error',
        code: 'analysis-repeated-cv-tuning',
        message:
          `${formatPath(t.path)}: repeated_cv has no inner folds to tune ${t.what}; tuning on the outer test folds would leak ` +
          'them; fix: `validation.method: nested_cv`, or fix the value (e.g. `lambda: 0.05`, a single mtry or cost)',
      });
    }
  }

  // Names the analysis refers to.
  const outcomeNames = ctx.outcomes.map((o) => o.name);
  const analysed: OutcomeSpec[] = [];
  if (spec.outcomes === null) analysed.push(...ctx.outcomes);
  else {
    spec.outcomes.forEach((name, i) => {
      const o = ctx.outcomes.find((x) => x.name === name);
      if (o !== undefined) analysed.push(o);
      else {
        out.push({
          path: at('outcomes', i),
          severity: 'error',
          code: 'analysis-unknown-outcome',
          message: `analysis.outcomes[${i}]: \`${name}\` is not an outcome of the study (outcomes: ${outcomeNames.map((n) => `\`${n}\``).join(', ') || 'none'})`,
        });
      }
    });
  }
  const checkNames = (key: 'sequences' | 'rois', known: readonly string[] | null, what: string): void => {
    const list = spec.features[key];
    if (list === null || known === null) return;
    list.forEach((name, i) => {
      if (!known.includes(name)) {
        out.push({
          path: at('features', key, i),
          severity: 'error',
          code: `analysis-unknown-${what}`,
          message: `analysis.features.${key}[${i}]: \`${name}\` is not a ${what} of the cohort (${known.map((n) => `\`${n}\``).join(', ')})`,
        });
      }
    });
  };
  checkNames('sequences', ctx.sequences, 'sequence');
  checkNames('rois', ctx.rois, 'ROI');
  if (spec.harmonisation !== null && !ctx.siteColumn) {
    out.push({
      path: at('harmonisation'),
      severity: 'error',
      code: 'analysis-no-sites',
      message: 'analysis.harmonisation: ComBat harmonises by acquisition site, but the cohort has no `site_column`; add cohort.site_column or remove the harmonisation',
    });
  }
  if (spec.validation.stratify === 'outcome_and_site' && !ctx.siteColumn) {
    out.push({
      path: at('validation', 'stratify'),
      severity: 'error',
      code: 'analysis-no-sites',
      message: 'analysis.validation.stratify: `outcome_and_site` needs cohort.site_column; fix: `stratify: outcome`',
      replacement: 'outcome',
    });
  }
  if (spec.validation.method === 'external') {
    const known = ctx.subjects ?? null;
    const none = known !== null ? !known.some((s) => s.external) : !ctx.externalCohort;
    if (none) {
      out.push({
        path: at('validation', 'method'),
        severity: 'error',
        code: 'analysis-no-external-cohort',
        message: 'analysis.validation.method: `external` tests on the external cohort, but the study has none; add cohort.external or use `nested_cv`',
        replacement: 'nested_cv',
      });
    }
  }

  // Models and methods against the outcome types.
  const names = new Map<string, number>();
  (spec.models ?? []).forEach((m, i) => {
    const first = names.get(m.name);
    if (first !== undefined) {
      out.push({
        path: at('models', i),
        severity: 'error',
        code: 'analysis-duplicate-model',
        message: `analysis.models[${i}]: the name \`${m.name}\` is used by models[${first}] too; give one a \`name\``,
      });
    } else names.set(m.name, i);
  });
  for (const o of analysed) {
    if (spec.models !== null && modelsFor(spec, o.type).length === 0) {
      const kinds = (o.type === 'binary' ? BINARY_MODELS : SURVIVAL_MODELS).join(', ');
      out.push({
        path: at('models'),
        severity: 'error',
        code: 'analysis-no-model',
        message: `analysis.models: no model for the ${o.type} outcome \`${o.name}\`; add one of ${kinds} (e.g. \`- type: ${o.type === 'binary' ? 'logistic' : 'lasso_cox'}\`)`,
      });
    }
    if (o.type === 'survival' && spec.selection !== null && spec.selection.method !== 'lasso') {
      out.push({
        path: at('selection', 'method'),
        severity: 'error',
        code: 'analysis-method-outcome',
        message: `analysis.selection.method: ${spec.selection.method} needs a class outcome, but \`${o.name}\` is a survival outcome; fix: \`method: lasso\` (LASSO-Cox)`,
        replacement: 'lasso',
      });
    }
  }

  out.push(...enrichmentFindings(spec, ctx, analysed));

  if (spec.balancing !== null && analysed.length > 0 && analysed.every((o) => o.type === 'survival')) {
    out.push({
      path: at('balancing'),
      severity: 'warning',
      code: 'analysis-method-outcome',
      message: 'analysis.balancing: class balancing applies to binary outcomes only, and every analysed outcome is a survival outcome; it has no effect',
    });
  }

  // Data-level checks.
  for (const o of analysed) {
    const facts = outcomeFacts(o, ctx);
    if (facts === null) continue;
    if (o.type === 'binary' && facts.values.length !== 2) {
      const found = facts.values.length === 0 ? 'no values' : `${facts.values.length} distinct values (${facts.values.slice(0, 10).map((v) => `\`${v}\``).join(', ')})`;
      out.push({
        path: ['outcomes', o.name, 'column'],
        severity: 'error',
        code: 'analysis-outcome-not-binary',
        message: `outcomes.${o.name}.column: the binary outcome \`${o.column}\` has ${found} among the cohort's subjects, not two; leave unknown cells empty or write NA, or recode the column`,
      });
      continue;
    }
    out.push(...foldFindings(o, facts, spec));
    if (o.type === 'binary' && facts.n > 0) {
      const share = facts.events / facts.n;
      if (share < IMBALANCE_SHARE && spec.validation.stratify === 'none' && spec.balancing === null) {
        out.push({
          path: at('validation', 'stratify'),
          severity: 'warning',
          code: 'analysis-imbalance',
          message:
            `analysis.validation.stratify: the minority class of \`${o.name}\` is ${(100 * share).toFixed(1)}% of ${facts.n} subjects, ` +
            'and the folds are neither stratified nor balanced: some folds may hold almost no minority subjects; fix: `stratify: outcome` (and consider `balancing`)',
          replacement: 'outcome',
        });
      }
    }
    const candidates = candidateCount(spec, ctx.featureCount ?? null);
    if (candidates !== null && candidates > 0 && facts.events / candidates < EPV_FLOOR) {
      const suggested = Math.max(1, Math.floor(facts.events / EPV_FLOOR));
      const path = spec.selection !== null ? at('selection') : at();
      const what = o.type === 'binary' ? 'subjects in the minority class' : 'events';
      out.push({
        path,
        severity: 'warning',
        code: 'analysis-low-epv',
        message:
          `${formatPath(path)}: \`${o.name}\` has ${facts.events} ${what} for ${candidates} candidate feature${candidates === 1 ? '' : 's'} ` +
          `(${(facts.events / candidates).toFixed(2)} per feature, fewer than ${EPV_FLOOR}): the model is likely to overfit; ` +
          `cap the model size, e.g. \`selection: { method: lasso, features: ${suggested} }\``,
      });
    }
  }
  return out;
}

/** Why a file named by the analysis cannot be used, or null when it is a readable-looking file. */
function fileProblem(path: string): string | null {
  try {
    return statSync(path).isFile() ? null : 'is not a file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : `cannot be read (${code ?? String(e)})`;
  }
}

/** The checks of `analysis.enrichment` (pipeline/enrichment.ts). */
function enrichmentFindings(spec: AnalysisSpec, ctx: DesignContext, analysed: readonly OutcomeSpec[]): DesignFinding[] {
  const e = spec.enrichment;
  if (e === null) return [];
  const out: DesignFinding[] = [];
  const at = (...p: PathSegment[]): PathSegment[] => ['analysis', 'enrichment', ...p];
  const dir = ctx.studyDir ?? null;
  if (dir !== null) {
    const files = [
      { key: 'expression', path: e.expression, what: 'expression table' },
      { key: 'gene_sets', path: e.geneSets, what: 'gene set file (GMT)' },
    ];
    for (const f of files) {
      if (f.path === '') continue;
      const absolute = resolve(dir, f.path);
      const problem = fileProblem(absolute);
      if (problem === null) continue;
      out.push({
        path: at(f.key),
        severity: 'error',
        code: 'analysis-enrichment-missing-file',
        message: `analysis.enrichment.${f.key}: the ${f.what} \`${f.path}\` ${problem} (${absolute}); paths are relative to the study file`,
      });
    }
  }
  if (e.outcome !== '') {
    const o = ctx.outcomes.find((x) => x.name === e.outcome);
    const names = ctx.outcomes.map((x) => `\`${x.name}\``).join(', ') || 'none';
    if (o === undefined) {
      out.push({
        path: at('outcome'),
        severity: 'error',
        code: 'analysis-unknown-outcome',
        message: `analysis.enrichment.outcome: \`${e.outcome}\` is not an outcome of the study (outcomes: ${names})`,
      });
    } else if (e.groups === 'risk_groups' && o.type !== 'survival') {
      out.push({
        path: at('groups'),
        severity: 'error',
        code: 'analysis-enrichment-groups',
        message: `analysis.enrichment.groups: risk groups come from survival models, but \`${o.name}\` is a binary outcome; fix: \`groups: outcome\` (its classes) or a survival outcome`,
        replacement: 'outcome',
      });
    } else if (e.groups === 'outcome' && o.type !== 'binary') {
      out.push({
        path: at('groups'),
        severity: 'error',
        code: 'analysis-enrichment-groups',
        message: `analysis.enrichment.groups: \`outcome\` compares the classes of a binary outcome, but \`${o.name}\` is a survival outcome; fix: \`groups: risk_groups\``,
        replacement: 'risk_groups',
      });
    } else if (e.groups === 'risk_groups' && !analysed.includes(o)) {
      out.push({
        path: at('outcome'),
        severity: 'error',
        code: 'analysis-enrichment-not-analysed',
        message: `analysis.enrichment.outcome: \`${o.name}\` is not among analysis.outcomes, so no model gives it risk groups; add it to analysis.outcomes`,
      });
    } else if (e.groups === 'risk_groups') {
      const models = modelsFor(spec, 'survival').map((m) => m.name);
      if (e.model !== null && !models.includes(e.model)) {
        out.push({
          path: at('model'),
          severity: 'error',
          code: 'analysis-enrichment-unknown-model',
          message: `analysis.enrichment.model: \`${e.model}\` is not a survival model of the analysis (${models.map((m) => `\`${m}\``).join(', ') || 'none'})`,
        });
      }
    }
  }
  if (e.minSize > e.maxSize) {
    out.push({
      path: at('min_size'),
      severity: 'error',
      code: 'analysis-enrichment-sizes',
      message: `analysis.enrichment.min_size: ${e.minSize} is above max_size ${e.maxSize}, so no gene set could be analysed`,
    });
  }
  return out;
}

/**
 * Stratified folds need every stratum in every fold: the minority class (binary) or the events
 * (survival) must number at least the outer folds, and what is left of them in an outer
 * training part (at worst events − ceil(events / folds)) at least the inner folds.
 */
function foldFindings(o: OutcomeSpec, facts: OutcomeFacts, spec: AnalysisSpec): DesignFinding[] {
  if (facts.n === 0) return [];
  const v = spec.validation;
  const what = o.type === 'binary' ? 'subjects in its minority class' : 'events';
  const cv = v.method === 'nested_cv' || v.method === 'repeated_cv';
  const checks: { key: string; folds: number; available: number; where: string }[] = [];
  if (cv) checks.push({ key: 'folds', folds: v.folds, available: facts.events, where: '' });
  const tunes = v.method !== 'repeated_cv';
  if (tunes) {
    const left = v.method === 'nested_cv' ? facts.events - Math.ceil(facts.events / v.folds) : v.method === 'holdout' ? Math.floor(facts.events * (1 - v.testFraction)) : facts.events;
    checks.push({ key: 'inner_folds', folds: v.innerFolds, available: left, where: v.method === 'external' ? '' : ' in a training part' });
  }
  for (const c of checks) {
    if (c.available >= c.folds) continue;
    return [
      {
        path: ['analysis', 'validation', c.key],
        severity: 'error',
        code: 'analysis-too-few-events',
        message:
          `analysis.validation.${c.key}: \`${o.name}\` has ${c.available} ${what}${c.where}, fewer than the ${c.folds} folds, so some folds would have none; ` +
          `use at most ${Math.max(c.key === 'inner_folds' ? 3 : 2, c.available)} folds${c.available < (c.key === 'inner_folds' ? 3 : 2) ? ' (or leave this outcome out of analysis.outcomes)' : ''}`,
      },
    ];
  }
  return [];
}

/**
 * The number of candidate features the model can end up with: a fixed selection size when the
 * design has one (lasso `features` / `max_features`, mRMR `k`, a univariate `top_k`), else every
 * candidate column; null when unknown.
 */
export function candidateCount(spec: AnalysisSpec, featureCount: number | null): number | null {
  const caps: number[] = [];
  const s = spec.selection;
  if (s?.method === 'lasso' && s.features !== null) caps.push(s.features);
  if (s?.method === 'lasso' && s.maxFeatures !== null) caps.push(s.maxFeatures);
  if (s?.method === 'mrmr') caps.push(s.k);
  for (const f of spec.filters) if (f.method === 'univariate' && f.topK !== null) caps.push(f.topK);
  if (featureCount !== null) caps.push(featureCount);
  return caps.length === 0 ? null : Math.min(...caps);
}

/**
 * What the checks know beyond the document: the loaded Study (everything), or just the clinical
 * tables and subjects the loader has read so far (e.g. before it builds the Study), and the
 * number of candidate feature columns.
 */
export interface DesignFacts {
  study?: Study | null;
  /** The study file's path, when known and its files are to be checked (e.g. the enrichment's expression table and GMT). */
  studyFile?: string | null;
  clinical?: readonly ClinicalTable[] | null;
  subjects?: readonly SubjectRow[] | null;
  featureCount?: number | null;
}

/** The design context of a study document (plain data), completed with the data in `facts`. */
export function contextOf(data: Record<string, unknown>, facts: DesignFacts = {}): DesignContext {
  const cohort = isRecord(data.cohort) ? data.cohort : {};
  const study = facts.study ?? null;
  let outcomes: OutcomeSpec[];
  if (study !== null) outcomes = study.outcomes;
  else {
    outcomes = [];
    const raw = isRecord(data.outcomes) ? data.outcomes : {};
    for (const [name, o] of Object.entries(raw)) {
      if (!isRecord(o)) continue;
      if (o.type === 'binary' && typeof o.column === 'string' && (typeof o.positive === 'string' || typeof o.positive === 'number')) {
        outcomes.push({ name, type: 'binary', column: o.column, positive: String(o.positive) });
      } else if (o.type === 'survival' && typeof o.time === 'string' && typeof o.event === 'string') {
        const unit = o.unit === 'days' || o.unit === 'years' ? o.unit : 'months';
        outcomes.push({ name, type: 'survival', time: o.time, event: o.event, unit });
      }
    }
  }
  const sequences = study !== null ? study.sequences.map((s) => s.name) : isRecord(cohort.sequences) ? Object.keys(cohort.sequences) : null;
  let rois: string[] | null;
  if (study !== null) rois = study.rois.map((r) => r.name);
  else if (Array.isArray(cohort.rois)) rois = cohort.rois.map(String);
  else if (isRecord(cohort.labels)) rois = [...Object.keys(cohort.labels), ...(isRecord(cohort.unions) ? Object.keys(cohort.unions) : [])];
  else rois = null;
  return {
    outcomes,
    sequences,
    rois,
    siteColumn: typeof cohort.site_column === 'string' || (study !== null && study.subjects.some((s) => s.site !== null)),
    externalCohort: isRecord(cohort.external),
    clinical: study?.clinical ?? facts.clinical ?? null,
    subjects: study !== null && study.subjects.length > 0 ? study.subjects : (facts.subjects ?? null),
    featureCount: facts.featureCount ?? null,
    studyDir: study !== null ? dirname(study.file) : facts.studyFile ? dirname(resolve(facts.studyFile)) : null,
  };
}

/**
 * The design problems of a parsed study document, in source order, with ranges: a finding about a setting's
 * value underlines the value; one about a block (e.g. `selection`) underlines its key. Give
 * the loaded Study (and the feature count) for the data-level checks.
 */
export function analysisDesignChecks(doc: Document, facts: DesignFacts = {}): DesignProblem[] {
  const view = new StudyView(doc.contents, doc);
  const findings = designFindings(view.get(['analysis']), contextOf(view.data, facts));
  const problems = findings.map((f) => {
    const value = view.get(f.path);
    const range = isRecord(value) || Array.isArray(value) ? view.keyRange(f.path) : view.range(f.path);
    return {
      path: formatPath(f.path),
      message: f.message,
      range,
      severity: f.severity,
      code: f.code,
      ...(f.replacement === undefined ? {} : { data: { replacement: f.replacement } }),
    };
  });
  // Source order, as the loader reports the study file's problems.
  return problems.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
}
