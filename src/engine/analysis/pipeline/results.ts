/**
 * The results of an analysis run: what results.json holds and what the HTML report renders.
 * Plain data only (numbers, strings, arrays); NaN (an undefined measure) is written as null.
 * Nothing here depends on the clock or the machine, so the same study, feature table and seed
 * give byte-identical files; times and versions of the run go to provenance.json instead.
 */
import type { GeneSetResult } from '../gsea/preranked';
import type { BinaryEvaluation, CvSummary, PairedComparison, SurvivalEvaluation } from './evaluate';
import type { ModelTerm } from './models';
import type { AnalysisSpec, ModelType, ReportSpec } from './spec';

export const RESULTS_FORMAT = 'radiogenomics-studio/analysis-results@1';

export interface FoldScore {
  repeat: number;
  fold: number;
  nTrain: number;
  nTest: number;
  /** AUC (binary) or Harrell's C (survival) on the fold's test rows. */
  score: number;
  /** Brier score (binary). */
  brier: number | null;
  hyper: Record<string, number | string>;
  /** Features the fitted model uses (non-zero coefficient or importance). */
  used: string[];
}

export interface FeatureFrequency {
  feature: string;
  count: number;
  /** count / number of fits. */
  share: number;
}

export interface SelectionStability {
  /** Number of fits (outer folds) counted. */
  fits: number;
  frequency: FeatureFrequency[];
  /** Mean pairwise Jaccard index of the selected sets (1 = identical in every fold); NaN with < 2 fits. */
  meanJaccard: number;
}

export interface EvaluationBlock {
  /** Which predictions: e.g. "out-of-fold, averaged over 5 repetitions", "hold-out test set", "external cohort". */
  set: string;
  binary: BinaryEvaluation | null;
  survival: SurvivalEvaluation | null;
}

export interface ModelResult {
  name: string;
  type: ModelType;
  folds: FoldScore[];
  /** Mean over the outer folds with the corrected resampled t interval (cross-validation only). */
  cv: CvSummary | null;
  /** The pooled out-of-fold AUC / C of each repetition (cross-validation only). */
  pooledByRepeat: number[] | null;
  evaluation: EvaluationBlock;
  /** The final model on the external cohort (when there is one and the method is not `external`). */
  external: EvaluationBlock | null;
  /** How often each feature is used by the model across the outer fits. */
  usage: SelectionStability;
  final: {
    hyper: Record<string, number | string>;
    terms: ModelTerm[];
    used: string[];
    /** Survival: the risk-group cut-off (median risk score of the development rows). */
    cutoff: number | null;
  };
}

export interface CohortSummary {
  /** Subjects of the study, with features, with a known outcome (analysed). */
  subjects: number;
  development: number;
  external: number;
  missingOutcome: number;
  missingFeatures: number;
  /** Binary: cases (positive class) and controls; survival: events and censored. */
  positives: number;
  negatives: number;
  minorityShare: number;
  sites: { site: string; n: number; positives: number }[];
  /** Survival: median follow-up time (reverse Kaplan–Meier is not used: the plain median of times). */
  medianTime: number | null;
}

export interface OutcomeResult {
  name: string;
  type: 'binary' | 'survival';
  /** Binary: the positive class; survival: the time unit. */
  positive: string | null;
  unit: string | null;
  cohort: CohortSummary;
  candidateFeatures: number;
  splits: number;
  /** Features leaving the pipeline's stages, per outer fit (null without filter or selection stages). */
  selection: (SelectionStability & { final: string[] }) | null;
  models: ModelResult[];
  comparisons: PairedComparison[];
}

export interface DesignNote {
  severity: 'error' | 'warning';
  code: string;
  path: string;
  message: string;
}

/**
 * The gene-set enrichment step (enrichment.ts): preranked GSEA between two groups of subjects.
 * Class 1 (`up`) is the high-risk group or the positive class: a positive NES means the set's
 * genes rank high, i.e. are higher in class 1.
 */
export interface EnrichmentResult {
  outcome: string;
  groups: 'risk_groups' | 'outcome';
  /** risk_groups: the survival model whose out-of-sample risk groups are compared. */
  model: string | null;
  /** Which subjects and groups were compared, in words (and where to find them in predictions.csv). */
  source: string;
  /** Names of class 1 and class 0, e.g. "high risk" / "low risk", "mutant" / "not mutant". */
  up: string;
  down: string;
  nUp: number;
  nDown: number;
  /** Grouped subjects without a column in the expression table (left out). */
  subjectsWithoutExpression: number;
  /** The files as written in the study file, with their content hashes. */
  expression: { file: string; sha256: string; genes: number; subjects: number };
  geneSets: { file: string; sha256: string; sets: number };
  statistic: 'signal_to_noise' | 't';
  permutations: number;
  minSize: number;
  maxSize: number;
  seed: number;
  /** Genes in the ranked list, and genes left out (a missing value among the compared subjects, or no finite statistic). */
  rankedGenes: number;
  droppedGenes: number;
  /** Analysed sets, by decreasing |NES| (undefined NES last, ties by name). */
  sets: GeneSetResult[];
  /** Sets outside [minSize, maxSize] after restriction to the ranked genes, with the reason. */
  skipped: { name: string; size: number; reason: string }[];
  /**
   * The running sum of the set with the largest |NES| (null when no set was analysed). The sum
   * is linear between hits, so its corners give it exactly: x = number of ranked genes passed
   * (0 … rankedGenes), y = the sum there. `hits` are the 0-based ranks of the set's genes.
   */
  top: { name: string; x: number[]; y: number[]; hits: number[] } | null;
}

export interface AnalysisResults {
  format: string;
  study: { id: string; title: string; question: string; sha256: string };
  featureTable: { file: string; sha256: string; subjects: number; columns: number };
  seed: number;
  analysis: AnalysisSpec;
  report: ReportSpec;
  outcomes: OutcomeResult[];
  design: DesignNote[];
  /** The gene-set enrichment step; null when the analysis has none. */
  enrichment: EnrichmentResult | null;
  /** Warnings of the run, each once, with how often it occurred. */
  warnings: { message: string; count: number }[];
}
