/**
 * The resolved form of a `*.study.yaml` file: what the loader produces (paths absolute, label
 * unions expanded, manifest and clinical tables read) and what the runner, the analysis, the
 * language server and the notebook consume. The YAML shape is documented in the study schema
 * (src/engine/study/schema.ts) and docs/study-file.md.
 *
 * study:        id, title, question
 * cohort:       manifest (CSV), subject_column, sequences {NAME: {column, preprocessing?}},
 *               mask_column, labels {name: value}, unions {name: [label names]}, rois (which
 *               ROIs to extract; default: every label and union), site_column?, clinical
 *               [{file, subject_column}], external? (a second manifest used only for testing)
 * preprocessing / features: the settings schema of `rgs extract --settings` (one schema)
 * outcomes:     {name: {type: binary, column, positive} | {type: survival, time, event, unit}}
 * analysis, report: reserved here; defined by the analysis.
 */
import type { ExtractionSettings, PreprocessingSettings } from '../settings/types';

export interface StudyInfo {
  id: string;
  title: string;
  question: string;
}

export interface SequenceSpec {
  name: string;
  /** Manifest column holding this sequence's image path. */
  column: string;
  /** The study's settings with this sequence's preprocessing overrides applied. */
  settings: ExtractionSettings;
  /** The overrides as written (for provenance); empty when none. */
  overrides: Partial<PreprocessingSettings>;
}

export interface RoiSpec {
  name: string;
  /** The mask label values this ROI is the union of. */
  labels: number[];
}

/** One subject of the cohort: resolved absolute paths. */
export interface SubjectRow {
  id: string;
  /** Sequence name -> absolute image path. */
  images: Record<string, string>;
  /** Absolute mask path. */
  mask: string;
  site: string | null;
  /** Manifest line (1-based) for messages. */
  line: number;
  /** Part of the external test cohort (never used for fitting or tuning). */
  external: boolean;
}

export type OutcomeSpec =
  | { name: string; type: 'binary'; column: string; positive: string }
  | { name: string; type: 'survival'; time: string; event: string; unit: 'days' | 'months' | 'years' };

export interface ClinicalTable {
  file: string;
  subjectColumn: string;
  columns: string[];
  /** subject id -> column -> raw cell text. */
  rows: Map<string, Record<string, string>>;
}

export interface Study {
  /** Absolute path of the study file. */
  file: string;
  /** SHA-256 of the study file's text. */
  sha256: string;
  info: StudyInfo;
  manifestFile: string;
  subjects: SubjectRow[];
  sequences: SequenceSpec[];
  rois: RoiSpec[];
  clinical: ClinicalTable[];
  outcomes: OutcomeSpec[];
  /** The study-wide settings (before per-sequence overrides). */
  settings: ExtractionSettings;
  /** The `analysis` and `report` sections as plain data (validated by the analysis module). */
  analysis: unknown;
  report: unknown;
}

/** A problem in a study file or a file it names, positioned for people (1-based). */
export interface StudyProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Dotted path in the study file ('' for YAML syntax problems or problems in other files). */
  path: string;
  /** Machine-readable code for quick fixes (e.g. 'unknown-key', 'missing-file', 'unknown-label'). */
  code?: string;
  /** Data a quick fix needs (e.g. the replacement key). */
  data?: unknown;
}
