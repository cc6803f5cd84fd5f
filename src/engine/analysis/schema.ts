/**
 * The schema of the `analysis` and `report` sections of a study file: one object drives the
 * study loader (plug `ANALYSIS_SCHEMA` / `REPORT_SCHEMA` into STUDY_SCHEMA.properties), the
 * language server (completion, hover: hence the descriptions), the exported JSON Schema and the
 * analysis runner, which validates the plain data of a Study against the same objects
 * (pipeline/spec.ts) before it resolves the defaults given here.
 *
 * Design: the preprocessing of the features is a fixed sequence of stages (imputation,
 * harmonisation, scaling, filters, selection, balancing, then the models), each optional, each
 * fitted inside every training fold. The order is not configurable because no other order is
 * sound (e.g. SMOTE before imputation cannot run; scaling before ComBat is undone by it).
 * Every stage has a `scope`; `scope: cohort` (fit once on all subjects before the split) is
 * accepted by the schema only so that the design checks (design-checks.ts) can name the
 * mistake where it is written and say how to fix it: it is always an error.
 */
import { FAMILIES } from '../features/types';
import type { JsonSchema } from '../schema/json-schema';

/** Defaults shared by the schema (`default`) and the resolver (pipeline/spec.ts). */
export const ANALYSIS_DEFAULTS = {
  seed: 1,
  method: 'nested_cv',
  folds: 5,
  repeats: 1,
  innerFolds: 5,
  innerRepeats: 1,
  testFraction: 0.3,
  stratify: 'outcome',
  tuneOn: 'training',
  imputation: 'median',
  scaling: 'zscore',
  lambda: '1se',
  alpha: 1,
  trees: 500,
  svmCost: [0.1, 1, 10],
  smoteK: 5,
  ratio: 1,
  threshold: 0.5,
  confidenceLevel: 0.95,
  bootstrapReplicates: 2000,
  correlationThreshold: 0.9,
  freqCut: 95 / 5,
  uniqueCut: 10,
  mrmrK: 10,
  borutaMaxRuns: 100,
  borutaPValue: 0.01,
  enrichmentStatistic: 'signal_to_noise',
  enrichmentPermutations: 1000,
  /** GSEA's defaults for the set sizes kept after restriction to the ranked genes. */
  enrichmentMinSize: 15,
  enrichmentMaxSize: 500,
} as const;

export const REPORT_SECTIONS = ['summary', 'cohort', 'discrimination', 'calibration', 'survival', 'stability', 'coefficients', 'enrichment', 'checklist'] as const;

const SCOPE: JsonSchema = {
  type: 'string',
  enum: ['fold', 'cohort'],
  enumDescriptions: [
    'Fitted inside every training fold (and on all development data for the final model): the test rows never influence it.',
    'Fitted once on all subjects before the split. Leaks the test folds into the model (feature selection outside ' +
      'cross-validation inflated AUCs by up to 0.15 on public radiomics data, Demircioğlu 2021); always reported as an error.',
  ],
  default: 'fold',
  description:
    'Where this stage is fitted. `fold` (the default, and the only sound choice): inside each training fold. `cohort` exists ' +
    'only so that the mistake of fitting before the split can be diagnosed.',
};

const POSITIVE_INT = (description: string, minimum = 1, extra: Partial<JsonSchema> = {}): JsonSchema => ({
  type: 'integer',
  minimum,
  description,
  ...extra,
});

/** A number, or a list of numbers tried by inner cross-validation. */
function grid(description: string, item: JsonSchema): JsonSchema {
  return {
    description,
    oneOf: [
      { ...item, description: 'A fixed value.' },
      { type: 'array', items: item, minItems: 1, uniqueItems: true, description: 'Values tried by inner cross-validation (the best by inner-CV AUC or deviance is used).' },
    ],
  };
}

const LAMBDA: JsonSchema = {
  description:
    'Penalty strength of the elastic net: `1se` (the default; the largest lambda whose inner-CV deviance is within one ' +
    'standard error of the best, glmnet\'s lambda.1se: sparser, more stable), `min` (the lambda of the best inner-CV ' +
    'deviance), or a fixed number (no tuning; required by `repeated_cv`, which has no inner folds).',
  default: ANALYSIS_DEFAULTS.lambda,
  oneOf: [
    {
      type: 'string',
      enum: ['1se', 'min'],
      enumDescriptions: ['glmnet lambda.1se, chosen by inner cross-validation.', 'glmnet lambda.min, chosen by inner cross-validation.'],
      description: 'Chosen by inner cross-validation.',
    },
    { type: 'number', exclusiveMinimum: 0, description: 'A fixed lambda (on glmnet\'s scale: standardised features, loss divided by n).' },
  ],
};

const ALPHA: JsonSchema = grid(
  'Elastic-net mixing: 1 = lasso (the default), 0 = ridge, in between = elastic net. A list is tuned by inner cross-validation.',
  { type: 'number', minimum: 0, maximum: 1 },
);

const VALIDATION: JsonSchema = {
  description:
    'How performance is estimated. Splits are by subject, stratified, seeded; every fitted stage and model is refit inside ' +
    'each training fold; anything tuned (lambda, hyper-parameters) is tuned on inner folds of the training data only.',
  type: 'object',
  properties: {
    method: {
      type: 'string',
      enum: ['nested_cv', 'repeated_cv', 'holdout', 'external'],
      enumDescriptions: [
        'Nested cross-validation: outer folds (repeated) estimate performance; inner folds of each outer training part tune.',
        'Repeated k-fold cross-validation without an inner loop: every setting must be fixed (no tuned lambda or grids).',
        'A stratified hold-out test set (`test_fraction`); tuning by inner folds of the training part, which gives the locked final model.',
        'Train and tune on the internal cohort, test once on the external cohort (cohort.external).',
      ],
      default: ANALYSIS_DEFAULTS.method,
      description: 'The resampling scheme (see each value). When the study has an external cohort, the final model is also tested on it.',
    },
    folds: POSITIVE_INT('Outer folds (nested_cv, repeated_cv). Default 5.', 2, { default: ANALYSIS_DEFAULTS.folds }),
    repeats: POSITIVE_INT('Repetitions of the outer cross-validation with fresh shuffles. Default 1.', 1, { default: ANALYSIS_DEFAULTS.repeats }),
    inner_folds: POSITIVE_INT(
      'Folds of the inner cross-validation that tunes lambda and hyper-parameters (all methods but repeated_cv). At least 3 (glmnet). Default 5.',
      3,
      { default: ANALYSIS_DEFAULTS.innerFolds },
    ),
    inner_repeats: POSITIVE_INT('Repetitions of the inner cross-validation; the tuning curves are averaged. Default 1.', 1, {
      default: ANALYSIS_DEFAULTS.innerRepeats,
    }),
    test_fraction: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: ANALYSIS_DEFAULTS.testFraction,
      description: 'Fraction of the internal subjects in the hold-out test set (holdout only). Default 0.3.',
    },
    stratify: {
      type: 'string',
      enum: ['outcome', 'outcome_and_site', 'none'],
      enumDescriptions: [
        'Every fold keeps the class balance (binary) or the share of events (survival).',
        'Strata of outcome x acquisition site (cohort.site_column), so that every site is in every fold.',
        'No stratification (not recommended for imbalanced outcomes).',
      ],
      default: ANALYSIS_DEFAULTS.stratify,
      description: 'What the subject-level splits are stratified by.',
    },
    tune_on: {
      type: 'string',
      enum: ['training', 'test'],
      enumDescriptions: [
        'Tuning (lambda, hyper-parameters) on inner folds of the training data only.',
        'Tuning on the test data: its performance estimate becomes optimistic. Accepted only to be diagnosed: always an error.',
      ],
      default: ANALYSIS_DEFAULTS.tuneOn,
      description: 'Which data choose the tuned settings. Only `training` is sound.',
    },
  },
  additionalProperties: false,
};

const FEATURES: JsonSchema = {
  description:
    'Which columns of the feature table (features.csv: `SEQUENCE.ROI.family.feature[.aggregation]`) are candidate features. ' +
    'Default: all of them.',
  type: 'object',
  properties: {
    sequences: { type: 'array', items: { type: 'string', 'x-expected': 'a sequence name' }, minItems: 1, uniqueItems: true, description: 'Only these sequences (names from cohort.sequences).' },
    rois: { type: 'array', items: { type: 'string', 'x-expected': 'an ROI name' }, minItems: 1, uniqueItems: true, description: 'Only these ROIs (label or union names).' },
    families: {
      type: 'array',
      items: { type: 'string', enum: [...FAMILIES] },
      minItems: 1,
      uniqueItems: true,
      description: `Only these IBSI feature families (${FAMILIES.join(', ')}).`,
    },
    include: {
      type: 'array',
      items: { type: 'string', 'x-expected': 'a column pattern with * wildcards' },
      minItems: 1,
      description: 'Only columns matching one of these patterns (`*` matches any text), e.g. `T1CE.enhancing.*`.',
    },
    exclude: {
      type: 'array',
      items: { type: 'string', 'x-expected': 'a column pattern with * wildcards' },
      minItems: 1,
      description: 'Drop columns matching one of these patterns, e.g. `*.morph.*`.',
    },
  },
  additionalProperties: false,
};

const IMPUTATION: JsonSchema = {
  description:
    'Replace missing feature values (empty cells) by a per-feature statistic of the training rows. Features missing in every ' +
    'training row are dropped. Default: median; `null` switches it off (the run then refuses tables with empty cells).',
  type: ['object', 'null'],
  default: { method: ANALYSIS_DEFAULTS.imputation },
  oneOf: [
    {
      type: 'object',
      description: 'Median of the training rows (robust to outliers).',
      properties: { method: { const: 'median', description: 'Median imputation.' }, scope: SCOPE },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Mean of the training rows.',
      properties: { method: { const: 'mean', description: 'Mean imputation.' }, scope: SCOPE },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const HARMONISATION: JsonSchema = {
  description:
    'Remove site effects (cohort.site_column) from the features before scaling: ComBat (Johnson, Li & Rabinovic 2007), ' +
    'empirical-Bayes location and scale per site and feature, estimated on the training rows only. Rows of a site not seen ' +
    'in training (or with fewer than 2 training rows) are left as they are, with a warning.',
  oneOf: [
    {
      type: 'object',
      description: 'Parametric empirical-Bayes ComBat, without covariates (the outcome is never used).',
      properties: { method: { const: 'combat', description: 'ComBat harmonisation by acquisition site.' }, scope: SCOPE },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const SCALING: JsonSchema = {
  description:
    'Standardise every feature with the training rows\' statistics (needed by penalised models, SVM and SMOTE distances). ' +
    'Default: z-score; `null` switches it off.',
  type: ['object', 'null'],
  default: { method: ANALYSIS_DEFAULTS.scaling },
  oneOf: [
    {
      type: 'object',
      description: 'z-score: (x − mean) / SD of the training rows.',
      properties: { method: { const: 'zscore', description: 'z-score scaling.' }, scope: SCOPE },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Robust: (x − median) / interquartile range of the training rows.',
      properties: { method: { const: 'robust', description: 'Median / IQR scaling.' }, scope: SCOPE },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const FILTER: JsonSchema = {
  description: 'A filter that drops features, fitted on the training rows.',
  oneOf: [
    {
      type: 'object',
      description: 'Drop (near-)constant features (caret nearZeroVar).',
      properties: {
        method: { const: 'near_zero_variance', description: 'Near-zero-variance filter.' },
        freq_cut: { type: 'number', minimum: 1, default: ANALYSIS_DEFAULTS.freqCut, description: 'Ratio of the two most frequent values above which a feature is near-constant. Default 19 (95/5).' },
        unique_cut: { type: 'number', minimum: 0, maximum: 100, default: ANALYSIS_DEFAULTS.uniqueCut, description: 'Percentage of distinct values at or below which a feature can be near-constant. Default 10.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Of every pair with Pearson |r| above `threshold`, keep the feature more associated with the outcome.',
      properties: {
        method: { const: 'correlation', description: 'Correlation filter.' },
        threshold: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: ANALYSIS_DEFAULTS.correlationThreshold, description: '|r| above which two features are redundant. Default 0.9.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description:
        'Univariate test of every feature against the outcome: Wilcoxon rank-sum or Welch t (binary), Cox score test (survival). ' +
        'Keeps features with (adjusted) p below `p_value` and/or the `top_k` smallest p; with neither, p_value 0.05.',
      properties: {
        method: { const: 'univariate', description: 'Univariate filter.' },
        test: { type: 'string', enum: ['wilcoxon', 'welch'], default: 'wilcoxon', description: 'Test for binary outcomes (survival outcomes always use the Cox score test).' },
        p_value: { type: 'number', exclusiveMinimum: 0, maximum: 1, description: 'Keep features whose adjusted p-value is below this.' },
        top_k: POSITIVE_INT('Keep at most this many features (smallest p first).'),
        adjust: { type: 'string', enum: ['none', 'bonferroni', 'bh'], default: 'bh', description: 'Multiple-testing adjustment before `p_value`: none, Bonferroni or Benjamini–Hochberg (default).' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const SELECTION: JsonSchema = {
  description: 'Multivariable feature selection, fitted inside every training fold.',
  oneOf: [
    {
      type: 'object',
      description:
        'LASSO / elastic net (glmnet: binomial for binary outcomes, Cox for survival): the features with a non-zero ' +
        'coefficient at the chosen lambda.',
      properties: {
        method: { const: 'lasso', description: 'LASSO / elastic-net selection.' },
        alpha: { type: 'number', minimum: 0, maximum: 1, default: ANALYSIS_DEFAULTS.alpha, description: 'Elastic-net mixing (1 = lasso). Below 1 fewer coefficients are exactly 0.' },
        lambda: LAMBDA,
        max_features: POSITIVE_INT('Keep at most this many of the selected features: those that entered the lasso path first.'),
        features: POSITIVE_INT(
          'Instead of a lambda: the first `features` features to enter the lasso path (no tuning). Useful to fix the model size, e.g. at events / 10.',
        ),
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Minimum-redundancy maximum-relevance (Peng 2005) on features discretised at mean ± SD. Binary outcomes only.',
      properties: {
        method: { const: 'mrmr', description: 'mRMR selection.' },
        k: POSITIVE_INT('Number of features to select. Default 10.', 1, { default: ANALYSIS_DEFAULTS.mrmrK }),
        criterion: { type: 'string', enum: ['MID', 'MIQ'], default: 'MID', description: 'Difference (MID, default) or quotient (MIQ) of relevance and redundancy.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Boruta all-relevant selection with random-forest importance (Kursa & Rudnicki 2010). Binary outcomes only; slow.',
      properties: {
        method: { const: 'boruta', description: 'Boruta selection.' },
        max_runs: POSITIVE_INT('Upper bound on the importance runs. Default 100.', 11, { default: ANALYSIS_DEFAULTS.borutaMaxRuns }),
        p_value: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: ANALYSIS_DEFAULTS.borutaPValue, description: 'Significance level of the hit tests. Default 0.01.' },
        trees: POSITIVE_INT('Trees per forest. Default 500.', 1, { default: ANALYSIS_DEFAULTS.trees }),
        tentative: { type: 'string', enum: ['drop', 'keep'], default: 'drop', description: 'What to do with features still tentative at the end: drop (default) or keep.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const BALANCING: JsonSchema = {
  description:
    'Grow the smaller class of a binary outcome in the training rows only (never in a test fold): applied inside every ' +
    'training fold and every inner tuning fold, after selection, just before the model.',
  oneOf: [
    {
      type: 'object',
      description: 'SMOTE (Chawla 2002): synthetic points between a minority row and one of its k nearest minority neighbours.',
      properties: {
        method: { const: 'smote', description: 'SMOTE oversampling.' },
        k: POSITIVE_INT('Neighbours per point. Default 5 (lowered, with a warning, when a fold has fewer minority rows).', 1, { default: ANALYSIS_DEFAULTS.smoteK }),
        ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: ANALYSIS_DEFAULTS.ratio, description: 'Minority / majority size after balancing. Default 1.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Random oversampling: duplicate minority rows drawn with replacement.',
      properties: {
        method: { const: 'oversample', description: 'Random oversampling.' },
        ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: ANALYSIS_DEFAULTS.ratio, description: 'Minority / majority size after balancing. Default 1.' },
        scope: SCOPE,
      },
      required: ['method'],
      additionalProperties: false,
    },
  ],
};

const MODEL_NAME: JsonSchema = {
  type: 'string',
  pattern: '^[A-Za-z][A-Za-z0-9_-]*$',
  'x-expected': 'a name of letters, digits, _ and -, starting with a letter',
  description: 'Name of the model in results and reports (default: its type). Must be unique.',
};

const MODEL: JsonSchema = {
  description: 'A model fitted on the selected features. Binary outcomes use logistic, random_forest and svm; survival outcomes cox and lasso_cox.',
  oneOf: [
    {
      type: 'object',
      description: 'Penalised logistic regression (glmnet binomial with an unpenalised intercept). Binary outcomes.',
      properties: {
        type: { const: 'logistic', description: 'Penalised logistic regression.' },
        name: MODEL_NAME,
        alpha: ALPHA,
        lambda: LAMBDA,
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Random forest (Breiman 2001), probabilities as the mean of the trees\' leaf proportions. Binary outcomes.',
      properties: {
        type: { const: 'random_forest', description: 'Random forest classifier.' },
        name: MODEL_NAME,
        trees: POSITIVE_INT('Number of trees. Default 500.', 1, { default: ANALYSIS_DEFAULTS.trees }),
        mtry: grid('Features drawn at each split. Default floor(sqrt(number of features)).', { type: 'integer', minimum: 1 }),
        min_node_size: grid('Smallest leaf size (bootstrap draws). Default 1.', { type: 'integer', minimum: 1 }),
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Support vector machine (C-SVC, LIBSVM 3.22) with Platt probabilities. Binary outcomes.',
      properties: {
        type: { const: 'svm', description: 'Support vector classifier.' },
        name: MODEL_NAME,
        kernel: { type: 'string', enum: ['rbf', 'linear'], default: 'rbf', description: 'Kernel: rbf (default) or linear.' },
        cost: grid('Cost C. Default [0.1, 1, 10], tuned by inner cross-validation.', { type: 'number', exclusiveMinimum: 0 }),
        gamma: grid('RBF gamma. Default 1 / number of features.', { type: 'number', exclusiveMinimum: 0 }),
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'Cox proportional hazards regression (Efron ties) on the selected features; its linear predictor is the risk score. Survival outcomes.',
      properties: { type: { const: 'cox', description: 'Unpenalised Cox model.' }, name: MODEL_NAME },
      required: ['type'],
      additionalProperties: false,
    },
    {
      type: 'object',
      description: 'LASSO-Cox (glmnet Cox, Breslow ties): the radiomic risk score is its linear predictor. Survival outcomes.',
      properties: {
        type: { const: 'lasso_cox', description: 'Penalised Cox model.' },
        name: MODEL_NAME,
        alpha: ALPHA,
        lambda: LAMBDA,
      },
      required: ['type'],
      additionalProperties: false,
    },
  ],
};

/**
 * The optional gene-set enrichment step (pipeline/enrichment.ts). The expression table has one
 * gene per row (the layout of GSEA's .gct/.txt inputs and of most expression matrices):
 * header `gene,<subject id>,<subject id>,…`, first column the gene identifier (matched exactly
 * against the GMT's genes), then one numeric column per subject (e.g. log2 expression).
 */
const ENRICHMENT: JsonSchema = {
  description:
    'Preranked GSEA (Subramanian et al., PNAS 2005) of a gene-expression table between the radiomic risk groups of a survival ' +
    'outcome (each subject grouped by a model that was not fitted on it: the out-of-fold groups) or the classes of a binary ' +
    'outcome, with gene sets from a GMT file. Runs after the models; writes enrichment.csv beside results.json.',
  type: 'object',
  properties: {
    expression: {
      type: 'string',
      'x-expected': 'a file path',
      description:
        'Gene-expression CSV, relative to the study file: one gene per row, header `gene,<subject id>,…`; first column the gene ' +
        'identifier (as in the GMT), then one numeric column per subject. Empty or NA cells drop the gene.',
    },
    gene_sets: { type: 'string', 'x-expected': 'a file path', description: 'Gene sets in GMT format (name<TAB>description<TAB>genes…), relative to the study file.' },
    groups: {
      type: 'string',
      enum: ['risk_groups', 'outcome'],
      enumDescriptions: [
        'High versus low radiomic risk group of a survival outcome, each subject grouped by a model not fitted on it (out-of-fold, repetition 1; or the hold-out / external test set).',
        'Positive class versus the other class of a binary outcome, as recorded in the clinical table.',
      ],
      description: 'Which two groups of subjects are compared. Positive NES: the set is higher in the high-risk group / the positive class.',
    },
    outcome: {
      type: 'string',
      'x-expected': 'an outcome name',
      description: 'The outcome (a name from `outcomes`): a survival outcome for `risk_groups`, a binary outcome for `outcome`.',
    },
    model: {
      ...MODEL_NAME,
      description: 'risk_groups only: the survival model whose risk groups are compared (a model name). Default: the first survival model.',
    },
    statistic: {
      type: 'string',
      enum: ['signal_to_noise', 't'],
      enumDescriptions: ["Signal-to-noise (μ₁ − μ₀) / (σ₁ + σ₀), GSEA's default ranking metric.", "Welch's t statistic."],
      default: ANALYSIS_DEFAULTS.enrichmentStatistic,
      description: 'The gene-ranking statistic between the two groups. Default signal_to_noise.',
    },
    permutations: POSITIVE_INT('Gene-set permutations per set for p- and q-values. Default 1000.', 1, { default: ANALYSIS_DEFAULTS.enrichmentPermutations }),
    min_size: POSITIVE_INT('Smallest gene set analysed (genes found in the expression table). Default 15.', 1, { default: ANALYSIS_DEFAULTS.enrichmentMinSize }),
    max_size: POSITIVE_INT('Largest gene set analysed. Default 500.', 1, { default: ANALYSIS_DEFAULTS.enrichmentMaxSize }),
    seed: { type: 'integer', minimum: 0, description: 'Seed of the permutations. Default: the analysis seed.' },
  },
  required: ['expression', 'gene_sets', 'groups', 'outcome'],
  additionalProperties: false,
};

export const ANALYSIS_SCHEMA: JsonSchema = {
  title: 'Analysis',
  description:
    'The radiogenomic analysis of the feature table: candidate features, validation, the fitted stages (imputation → ' +
    'harmonisation → scaling → filters → selection → balancing → models, each refit inside every training fold) and the ' +
    'models. Risk groups of survival models are split at the median risk score of the training rows. Optionally, a gene-set ' +
      'enrichment of an expression table between the risk groups or the classes of an outcome (`enrichment`).',
  type: ['object', 'null'],
  properties: {
    seed: {
      type: 'integer',
      minimum: 0,
      default: ANALYSIS_DEFAULTS.seed,
      description: 'Seed of every random step (folds, SMOTE, forests, bootstrap). Same study and seed: byte-identical results.',
    },
    outcomes: {
      type: 'array',
      items: { type: 'string', 'x-expected': 'an outcome name' },
      minItems: 1,
      uniqueItems: true,
      description: 'The outcomes to analyse (names from `outcomes`). Default: all.',
    },
    features: FEATURES,
    validation: VALIDATION,
    imputation: IMPUTATION,
    harmonisation: HARMONISATION,
    scaling: SCALING,
    filters: { type: 'array', items: FILTER, description: 'Filters, applied in the order written, after scaling.' },
    selection: SELECTION,
    balancing: BALANCING,
    models: {
      type: 'array',
      items: MODEL,
      minItems: 1,
      description: 'The models. Default: `logistic` (lasso) for binary outcomes and `lasso_cox` for survival outcomes.',
    },
    threshold: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: ANALYSIS_DEFAULTS.threshold,
      description: 'Probability at or above which a subject is called positive, for sensitivity, specificity, PPV and NPV (fixed, never tuned). Default 0.5.',
    },
    confidence_level: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: ANALYSIS_DEFAULTS.confidenceLevel,
      description: 'Level of every confidence interval (DeLong, Wilson, bootstrap, corrected t). Default 0.95.',
    },
    bootstrap_replicates: POSITIVE_INT('Bootstrap replicates for C-index intervals and ROC bands. Default 2000.', 100, {
      default: ANALYSIS_DEFAULTS.bootstrapReplicates,
    }),
    enrichment: ENRICHMENT,
  },
  additionalProperties: false,
};

export const REPORT_SCHEMA: JsonSchema = {
  title: 'Report',
  description: 'The self-contained HTML report written next to results.json (no network access, charts as inline SVG).',
  type: ['object', 'null'],
  properties: {
    title: { type: 'string', description: 'Report title. Default: the study title.' },
    sections: {
      type: 'array',
      items: {
        type: 'string',
        enum: [...REPORT_SECTIONS],
        enumDescriptions: [
          'Study summary: question, design, seed, versions.',
          'Cohort table: subjects, events, sites, outcome balance.',
          'ROC curves with confidence bands and AUCs with DeLong intervals.',
          'Calibration plots, slope and calibration-in-the-large.',
          'Kaplan–Meier curves of the risk groups with numbers at risk, log-rank test, C-index.',
          'Feature-selection stability: how often each feature was selected across folds.',
          'Coefficients (or importances) of the final models.',
          'Gene-set enrichment between the risk groups or classes: top sets by |NES| with q-values, running sum of the top set.',
          'RQS and TRIPOD+AI items, filled in where the study file determines them.',
        ],
      },
      minItems: 1,
      uniqueItems: true,
      description: 'The sections to include, in report order. Default: all.',
    },
    at_risk_times: {
      type: 'array',
      items: { type: 'number', minimum: 0 },
      minItems: 1,
      uniqueItems: true,
      description: 'Times (in the outcome\'s unit) of the numbers-at-risk table under Kaplan–Meier curves. Default: 5 evenly spaced times.',
    },
    roc_band: {
      type: 'string',
      enum: ['bootstrap', 'none'],
      default: 'bootstrap',
      description: 'Pointwise confidence band of the ROC curves: percentile bootstrap of sensitivity at fixed 1 − specificity (default), or none.',
    },
  },
  additionalProperties: false,
};
