/**
 * The resolved `analysis` and `report` sections: the plain data of a Study (as the loader keeps
 * them) validated against the same schema the editor uses (../schema.ts), then completed with
 * the defaults. Everything downstream reads these types, never the raw data.
 */
import { Document } from 'yaml';
import { validateYamlNode } from '../../schema/validate-yaml';
import { RgsError } from '../../util/errors';
import { ANALYSIS_DEFAULTS, ANALYSIS_SCHEMA, REPORT_SCHEMA, REPORT_SECTIONS } from '../schema';

export type ValidationMethod = 'nested_cv' | 'repeated_cv' | 'holdout' | 'external';
export type Stratify = 'outcome' | 'outcome_and_site' | 'none';
export type Scope = 'fold' | 'cohort';
/** glmnet's lambda.min / lambda.1se by inner CV, or a fixed value. */
export type LambdaRule = 'min' | '1se' | number;

export interface ValidationSpec {
  method: ValidationMethod;
  folds: number;
  repeats: number;
  innerFolds: number;
  innerRepeats: number;
  testFraction: number;
  stratify: Stratify;
  tuneOn: 'training' | 'test';
}

export interface FeatureFilterSpec {
  sequences: string[] | null;
  rois: string[] | null;
  families: string[] | null;
  include: string[] | null;
  exclude: string[];
}

export interface ImputationSpec {
  method: 'median' | 'mean';
  scope: Scope;
}
export interface HarmonisationSpec {
  method: 'combat';
  scope: Scope;
}
export interface ScalingSpec {
  method: 'zscore' | 'robust';
  scope: Scope;
}
export type FilterSpec =
  | { method: 'near_zero_variance'; freqCut: number; uniqueCut: number; scope: Scope }
  | { method: 'correlation'; threshold: number; scope: Scope }
  | { method: 'univariate'; test: 'wilcoxon' | 'welch'; pValue: number | null; topK: number | null; adjust: 'none' | 'bonferroni' | 'bh'; scope: Scope };
export type SelectionSpec =
  | { method: 'lasso'; alpha: number; lambda: LambdaRule; maxFeatures: number | null; features: number | null; scope: Scope }
  | { method: 'mrmr'; k: number; criterion: 'MID' | 'MIQ'; scope: Scope }
  | { method: 'boruta'; maxRuns: number; pValue: number; trees: number; tentative: 'drop' | 'keep'; scope: Scope };
export type BalancingSpec = { method: 'smote'; k: number; ratio: number; scope: Scope } | { method: 'oversample'; ratio: number; scope: Scope };

export type ModelSpec =
  | { type: 'logistic'; name: string; alpha: number[]; lambda: LambdaRule }
  | { type: 'random_forest'; name: string; trees: number; mtry: number[] | null; minNodeSize: number[] }
  | { type: 'svm'; name: string; kernel: 'rbf' | 'linear'; cost: number[]; gamma: number[] | null }
  | { type: 'cox'; name: string }
  | { type: 'lasso_cox'; name: string; alpha: number[]; lambda: LambdaRule };
export type ModelType = ModelSpec['type'];

export const BINARY_MODELS: readonly ModelType[] = ['logistic', 'random_forest', 'svm'];
export const SURVIVAL_MODELS: readonly ModelType[] = ['cox', 'lasso_cox'];

/**
 * The enrichment step (enrichment.ts): paths as written (relative to the study file); `seed`
 * null = the analysis seed; `model` null = the first survival model of the outcome.
 */
export interface EnrichmentSpec {
  expression: string;
  geneSets: string;
  groups: 'risk_groups' | 'outcome';
  outcome: string;
  model: string | null;
  statistic: 'signal_to_noise' | 't';
  permutations: number;
  minSize: number;
  maxSize: number;
  seed: number | null;
}

export interface AnalysisSpec {
  seed: number;
  /** Outcome names to analyse; null = all of the study's. */
  outcomes: string[] | null;
  features: FeatureFilterSpec;
  validation: ValidationSpec;
  imputation: ImputationSpec | null;
  harmonisation: HarmonisationSpec | null;
  scaling: ScalingSpec | null;
  filters: FilterSpec[];
  selection: SelectionSpec | null;
  balancing: BalancingSpec | null;
  /** The models as written; null = the defaults of each outcome type (modelsFor). */
  models: ModelSpec[] | null;
  threshold: number;
  confidenceLevel: number;
  bootstrapReplicates: number;
  /** The optional gene-set enrichment step; null when absent. */
  enrichment: EnrichmentSpec | null;
}

export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface ReportSpec {
  title: string | null;
  sections: ReportSection[];
  atRiskTimes: number[] | null;
  rocBand: 'bootstrap' | 'none';
}

type Raw = Record<string, unknown>;

function isRaw(v: unknown): v is Raw {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Schema problems of plain data (e.g. Study.analysis), with their dotted paths. The data are
 * turned into YAML nodes so that the one validator of the project checks them.
 */
export function schemaProblemsOf(data: unknown, section: 'analysis' | 'report'): string[] {
  const doc = new Document(data ?? null);
  const problems = validateYamlNode(doc.contents, section === 'analysis' ? ANALYSIS_SCHEMA : REPORT_SCHEMA, [section], { doc });
  return problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

function schemaCheck(data: unknown, section: 'analysis' | 'report'): void {
  const errors = schemaProblemsOf(data, section);
  if (errors.length > 0) {
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    throw new RgsError(`study file: ${errors[0]}${more}`, { field: section });
  }
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

function strList(v: unknown): string[] | null {
  return Array.isArray(v) ? v.map(String) : null;
}

/** A fixed value or a grid, as a list. */
function gridOf(v: unknown): number[] | null {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.map(Number);
  return null;
}

function scopeOf(r: Raw): Scope {
  return r.scope === 'cohort' ? 'cohort' : 'fold';
}

function lambdaOf(v: unknown): LambdaRule {
  if (typeof v === 'number') return v;
  return v === 'min' ? 'min' : '1se';
}

function resolveFilter(r: Raw): FilterSpec {
  const scope = scopeOf(r);
  switch (r.method) {
    case 'near_zero_variance':
      return { method: 'near_zero_variance', freqCut: num(r.freq_cut, ANALYSIS_DEFAULTS.freqCut), uniqueCut: num(r.unique_cut, ANALYSIS_DEFAULTS.uniqueCut), scope };
    case 'correlation':
      return { method: 'correlation', threshold: num(r.threshold, ANALYSIS_DEFAULTS.correlationThreshold), scope };
    default: {
      const topK = typeof r.top_k === 'number' ? r.top_k : null;
      const pValue = typeof r.p_value === 'number' ? r.p_value : topK === null ? 0.05 : null;
      const adjust = r.adjust === 'none' || r.adjust === 'bonferroni' ? r.adjust : 'bh';
      return { method: 'univariate', test: r.test === 'welch' ? 'welch' : 'wilcoxon', pValue, topK, adjust, scope };
    }
  }
}

function resolveSelection(r: Raw): SelectionSpec {
  const scope = scopeOf(r);
  if (r.method === 'mrmr') return { method: 'mrmr', k: num(r.k, ANALYSIS_DEFAULTS.mrmrK), criterion: r.criterion === 'MIQ' ? 'MIQ' : 'MID', scope };
  if (r.method === 'boruta') {
    return {
      method: 'boruta',
      maxRuns: num(r.max_runs, ANALYSIS_DEFAULTS.borutaMaxRuns),
      pValue: num(r.p_value, ANALYSIS_DEFAULTS.borutaPValue),
      trees: num(r.trees, ANALYSIS_DEFAULTS.trees),
      tentative: r.tentative === 'keep' ? 'keep' : 'drop',
      scope,
    };
  }
  return {
    method: 'lasso',
    alpha: num(r.alpha, ANALYSIS_DEFAULTS.alpha),
    lambda: lambdaOf(r.lambda),
    maxFeatures: typeof r.max_features === 'number' ? r.max_features : null,
    features: typeof r.features === 'number' ? r.features : null,
    scope,
  };
}

function resolveModel(r: Raw): ModelSpec {
  const type = String(r.type);
  const name = typeof r.name === 'string' ? r.name : type;
  switch (type) {
    case 'random_forest':
      return { type, name, trees: num(r.trees, ANALYSIS_DEFAULTS.trees), mtry: gridOf(r.mtry), minNodeSize: gridOf(r.min_node_size) ?? [1] };
    case 'svm':
      return { type, name, kernel: r.kernel === 'linear' ? 'linear' : 'rbf', cost: gridOf(r.cost) ?? [...ANALYSIS_DEFAULTS.svmCost], gamma: gridOf(r.gamma) };
    case 'cox':
      return { type, name };
    case 'lasso_cox':
      return { type, name, alpha: gridOf(r.alpha) ?? [ANALYSIS_DEFAULTS.alpha], lambda: lambdaOf(r.lambda) };
    default:
      return { type: 'logistic', name, alpha: gridOf(r.alpha) ?? [ANALYSIS_DEFAULTS.alpha], lambda: lambdaOf(r.lambda) };
  }
}

function resolveEnrichment(r: Raw): EnrichmentSpec {
  const d = ANALYSIS_DEFAULTS;
  return {
    expression: typeof r.expression === 'string' ? r.expression : '',
    geneSets: typeof r.gene_sets === 'string' ? r.gene_sets : '',
    groups: r.groups === 'outcome' ? 'outcome' : 'risk_groups',
    outcome: typeof r.outcome === 'string' ? r.outcome : '',
    model: typeof r.model === 'string' ? r.model : null,
    statistic: r.statistic === 't' ? 't' : d.enrichmentStatistic,
    permutations: num(r.permutations, d.enrichmentPermutations),
    minSize: num(r.min_size, d.enrichmentMinSize),
    maxSize: num(r.max_size, d.enrichmentMaxSize),
    seed: typeof r.seed === 'number' ? r.seed : null,
  };
}

/** The `analysis` section with defaults; throws RgsError naming the first schema problem. */
export function resolveAnalysis(data: unknown): AnalysisSpec {
  schemaCheck(data, 'analysis');
  return resolveAnalysisData(data);
}

/**
 * The defaults applied without the schema check: parts of the wrong type read as absent. For
 * the design checks, which run on documents that may also have schema problems.
 */
export function resolveAnalysisData(data: unknown): AnalysisSpec {
  const a: Raw = isRaw(data) ? data : {};
  const v: Raw = isRaw(a.validation) ? a.validation : {};
  const f: Raw = isRaw(a.features) ? a.features : {};
  const d = ANALYSIS_DEFAULTS;
  const imputation: ImputationSpec | null =
    a.imputation === null ? null : isRaw(a.imputation) ? { method: a.imputation.method === 'mean' ? 'mean' : 'median', scope: scopeOf(a.imputation) } : { method: d.imputation, scope: 'fold' };
  const scaling: ScalingSpec | null =
    a.scaling === null ? null : isRaw(a.scaling) ? { method: a.scaling.method === 'robust' ? 'robust' : 'zscore', scope: scopeOf(a.scaling) } : { method: d.scaling, scope: 'fold' };
  return {
    seed: num(a.seed, d.seed),
    outcomes: strList(a.outcomes),
    features: {
      sequences: strList(f.sequences),
      rois: strList(f.rois),
      families: strList(f.families),
      include: strList(f.include),
      exclude: strList(f.exclude) ?? [],
    },
    validation: {
      method: (typeof v.method === 'string' ? v.method : d.method) as ValidationMethod,
      folds: num(v.folds, d.folds),
      repeats: num(v.repeats, d.repeats),
      innerFolds: num(v.inner_folds, d.innerFolds),
      innerRepeats: num(v.inner_repeats, d.innerRepeats),
      testFraction: num(v.test_fraction, d.testFraction),
      stratify: (typeof v.stratify === 'string' ? v.stratify : d.stratify) as Stratify,
      tuneOn: v.tune_on === 'test' ? 'test' : 'training',
    },
    imputation,
    harmonisation: isRaw(a.harmonisation) ? { method: 'combat', scope: scopeOf(a.harmonisation) } : null,
    scaling,
    filters: Array.isArray(a.filters) ? a.filters.filter(isRaw).map(resolveFilter) : [],
    selection: isRaw(a.selection) ? resolveSelection(a.selection) : null,
    balancing: isRaw(a.balancing)
      ? a.balancing.method === 'oversample'
        ? { method: 'oversample', ratio: num(a.balancing.ratio, d.ratio), scope: scopeOf(a.balancing) }
        : { method: 'smote', k: num(a.balancing.k, d.smoteK), ratio: num(a.balancing.ratio, d.ratio), scope: scopeOf(a.balancing) }
      : null,
    models: Array.isArray(a.models) ? a.models.filter(isRaw).map(resolveModel) : null,
    threshold: num(a.threshold, d.threshold),
    confidenceLevel: num(a.confidence_level, d.confidenceLevel),
    bootstrapReplicates: num(a.bootstrap_replicates, d.bootstrapReplicates),
    enrichment: isRaw(a.enrichment) ? resolveEnrichment(a.enrichment) : null,
  };
}

/** The models that apply to an outcome type: those written, else the default of the type. */
export function modelsFor(spec: AnalysisSpec, type: 'binary' | 'survival'): ModelSpec[] {
  const allowed = type === 'binary' ? BINARY_MODELS : SURVIVAL_MODELS;
  if (spec.models === null) {
    return type === 'binary'
      ? [{ type: 'logistic', name: 'logistic', alpha: [ANALYSIS_DEFAULTS.alpha], lambda: ANALYSIS_DEFAULTS.lambda }]
      : [{ type: 'lasso_cox', name: 'lasso_cox', alpha: [ANALYSIS_DEFAULTS.alpha], lambda: ANALYSIS_DEFAULTS.lambda }];
  }
  return spec.models.filter((m) => allowed.includes(m.type));
}

/** The `report` section with defaults. */
export function resolveReport(data: unknown): ReportSpec {
  schemaCheck(data, 'report');
  const r: Raw = isRaw(data) ? data : {};
  return {
    title: typeof r.title === 'string' ? r.title : null,
    sections: Array.isArray(r.sections) ? (r.sections.map(String) as ReportSection[]) : [...REPORT_SECTIONS],
    atRiskTimes: Array.isArray(r.at_risk_times) ? r.at_risk_times.map(Number).sort((x, y) => x - y) : null,
    rocBand: r.roc_band === 'none' ? 'none' : 'bootstrap',
  };
}

/** Whether anything in the spec is tuned by inner cross-validation (so needs inner folds). */
export function tunedSettings(spec: AnalysisSpec): { path: (string | number)[]; what: string }[] {
  const out: { path: (string | number)[]; what: string }[] = [];
  const s = spec.selection;
  if (s !== null && s.method === 'lasso' && s.features === null && typeof s.lambda !== 'number') {
    out.push({ path: ['analysis', 'selection', 'lambda'], what: `the selection lambda (${s.lambda})` });
  }
  (spec.models ?? []).forEach((m, i) => {
    const at = ['analysis', 'models', i];
    if ((m.type === 'logistic' || m.type === 'lasso_cox') && typeof m.lambda !== 'number') out.push({ path: [...at, 'lambda'], what: `the lambda of model ${m.name} (${m.lambda})` });
    if ((m.type === 'logistic' || m.type === 'lasso_cox') && m.alpha.length > 1) out.push({ path: [...at, 'alpha'], what: `the alpha grid of model ${m.name}` });
    if (m.type === 'random_forest' && (m.mtry ?? []).length > 1) out.push({ path: [...at, 'mtry'], what: `the mtry grid of model ${m.name}` });
    if (m.type === 'random_forest' && m.minNodeSize.length > 1) out.push({ path: [...at, 'min_node_size'], what: `the min_node_size grid of model ${m.name}` });
    if (m.type === 'svm' && m.cost.length > 1) out.push({ path: [...at, 'cost'], what: `the cost grid of model ${m.name}` });
    if (m.type === 'svm' && (m.gamma ?? []).length > 1) out.push({ path: [...at, 'gamma'], what: `the gamma grid of model ${m.name}` });
  });
  if (spec.models === null) out.push({ path: ['analysis'], what: 'the lambda of the default models (1se)' });
  return out;
}
