/**
 * The table outputs of an analysis, written next to results.json:
 *
 * - predictions.csv: every validated prediction: outcome, model, set (out-of-fold | test |
 *   external), repeat, fold, subject_id, the observed outcome (label, or time and event), the
 *   prediction (probability of the positive class, or risk score) and the risk group (survival).
 * - folds.csv: the fold assignments: outcome, repeat, fold, subject_id, role (train | test |
 *   development | external) and the inner fold (first inner repetition) of training rows.
 * - selected-features.csv: outcome, repeat, fold, stage (pipeline | model:NAME), feature: the
 *   features leaving the stages and those each model uses, per outer fit (fold `final` for the
 *   final model).
 * - selection-frequency.csv: outcome, stage, feature, count, fits, share.
 * - final-model.json: the final models (fitted on all development rows by the same procedure)
 *   with every fitted stage's parameters, enough to apply them to new subjects.
 * - final-model-coefficients.csv: outcome, model, term, kind (intercept | coefficient |
 *   importance), value.
 * - enrichment.csv (only with analysis.enrichment): one analysed gene set per row, by
 *   decreasing |NES|: set, size (genes in the ranked list), es, nes, p (nominal), q (FDR),
 *   leading_edge_size, leading_edge (genes separated by `;`). A positive NES: higher in the
 *   high-risk group / the positive class.
 */
import type { JsonValue } from '../../schema/json-schema';
import { csvCell } from '../../run/outputs';
import { deterministicJson } from '../report/results-json';
import type { ModelTerm } from './models';
import type { EnrichmentResult, SelectionStability } from './results';
import type { RiskGroup } from './risk-groups';

export interface PredictionRow {
  outcome: string;
  model: string;
  set: 'out-of-fold' | 'test' | 'external';
  repeat: number | null;
  fold: number | 'final' | null;
  subject: string;
  label: number | null;
  time: number | null;
  event: number | null;
  prediction: number;
  group: RiskGroup | null;
}

export interface FoldRow {
  outcome: string;
  repeat: number | null;
  fold: number | 'final' | null;
  subject: string;
  role: 'train' | 'test' | 'development' | 'external';
  innerFold: number | null;
}

export interface SelectionRow {
  outcome: string;
  repeat: number | null;
  fold: number | 'final' | null;
  stage: string;
  feature: string;
}

export interface FinalModelRecord {
  outcome: string;
  type: 'binary' | 'survival';
  developmentSubjects: number;
  stages: { name: string; state: JsonValue }[];
  models: { name: string; type: string; hyper: Record<string, number | string>; cutoff: number | null; state: JsonValue; terms: ModelTerm[] }[];
}

function cell(v: number | string | null): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return csvCell(v);
}

function csv(header: string[], rows: (number | string | null)[][]): string {
  return [header.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}

/** 1-based repeat / fold numbers in files, as people count them. */
function oneBased(v: number | 'final' | null): number | string | null {
  return typeof v === 'number' ? v + 1 : v;
}

export function predictionsCsv(rows: readonly PredictionRow[]): string {
  return csv(
    ['outcome', 'model', 'set', 'repeat', 'fold', 'subject_id', 'label', 'time', 'event', 'prediction', 'risk_group'],
    rows.map((r) => [r.outcome, r.model, r.set, oneBased(r.repeat), oneBased(r.fold), r.subject, r.label, r.time, r.event, r.prediction, r.group]),
  );
}

export function foldsCsv(rows: readonly FoldRow[]): string {
  return csv(
    ['outcome', 'repeat', 'fold', 'subject_id', 'role', 'inner_fold'],
    rows.map((r) => [r.outcome, oneBased(r.repeat), oneBased(r.fold), r.subject, r.role, r.innerFold]),
  );
}

export function selectedFeaturesCsv(rows: readonly SelectionRow[]): string {
  return csv(
    ['outcome', 'repeat', 'fold', 'stage', 'feature'],
    rows.map((r) => [r.outcome, oneBased(r.repeat), oneBased(r.fold), r.stage, r.feature]),
  );
}

export function selectionFrequencyCsv(entries: readonly { outcome: string; stage: string; stability: SelectionStability }[]): string {
  const rows: (number | string | null)[][] = [];
  for (const e of entries) for (const f of e.stability.frequency) rows.push([e.outcome, e.stage, f.feature, f.count, e.stability.fits, f.share]);
  return csv(['outcome', 'stage', 'feature', 'count', 'fits', 'share'], rows);
}

export function finalModelJson(records: readonly FinalModelRecord[]): string {
  return deterministicJson({
    format: 'radiogenomics-studio/final-model@1',
    note:
      'Apply the stages in order (imputation, harmonisation, scaling, filters, selection: each keeps its `features`), ' +
      'then the model. Logistic: P = 1 / (1 + exp(-(intercept + x . coefficients))); Cox / LASSO-Cox: risk score = x . coefficients, ' +
      'high risk when above `cutoff`.',
    outcomes: records.map((r) => ({
      outcome: r.outcome,
      type: r.type,
      development_subjects: r.developmentSubjects,
      stages: r.stages,
      models: r.models.map((m) => ({ name: m.name, type: m.type, hyper: m.hyper, cutoff: m.cutoff, state: m.state })),
    })),
  });
}

export function coefficientsCsv(records: readonly FinalModelRecord[]): string {
  const rows: (number | string | null)[][] = [];
  for (const r of records) for (const m of r.models) for (const t of m.terms) rows.push([r.outcome, m.name, t.term, t.kind, t.value]);
  return csv(['outcome', 'model', 'term', 'kind', 'value'], rows);
}

export function enrichmentCsv(result: EnrichmentResult): string {
  return csv(
    ['set', 'size', 'es', 'nes', 'p', 'q', 'leading_edge_size', 'leading_edge'],
    result.sets.map((s) => [s.name, s.size, s.es, s.nes, s.p, s.q, s.leadingEdge.length, s.leadingEdge.join(';')]),
  );
}
