/**
 * The unit of work of a cohort run: one subject x one sequence. A task reads the sequence's
 * image and the subject's mask once and extracts every ROI of the study in one pass, with the
 * sequence's settings. Also the shapes a task's result takes on its way from a worker (or the
 * cache) to the output tables.
 */
import type { RoiSpec, Study, SubjectRow } from '../study/types';
import type { ExtractionSettings } from '../settings/types';

export interface RunTask {
  subject: string;
  sequence: string;
  /** Position of the sequence in the study (column order of the outputs). */
  sequenceIndex: number;
  imagePath: string;
  maskPath: string;
  settings: ExtractionSettings;
  rois: RoiSpec[];
  /** Other files the settings read (e.g. a normalisation reference mask); part of the cache key. */
  extraFiles: string[];
}

/** One ROI's features: column names as in feature-table.ts, values with NaN as null. */
export interface RoiResult {
  roi: string;
  columns: string[];
  values: (number | null)[];
  diagnostics: Record<string, unknown>;
}

export interface RoiError {
  roi: string;
  message: string;
}

/** What a task produces when its image and mask could be read (some ROIs may have failed). */
export interface TaskOutcome {
  rois: RoiResult[];
  roiErrors: RoiError[];
}

export type TaskStatus = 'ok' | 'error' | 'cached';

/** A finished task as the outputs record it. */
export interface TaskRecord {
  subject: string;
  sequence: string;
  status: TaskStatus;
  /** One line: the error, or the ROIs that could not be extracted; '' when all went well. */
  message: string;
  seconds: number;
  /** Content-addressed cache key (null when the inputs could not even be hashed). */
  cacheKey: string | null;
  outcome: TaskOutcome | null;
}

/** Subject ids compare by UTF-16 code units: the same order on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Files a normalisation names, read by every task of the sequence. */
function settingsFiles(settings: ExtractionSettings): string[] {
  const n = settings.preprocessing.normalisation;
  if ((n.method === 'zscore' || n.method === 'percentile') && n.reference !== 'roi') return [n.reference.mask];
  return [];
}

/** The tasks of `subjects` (already sorted and sharded), subject-major, sequences in study order. */
export function buildTasks(study: Study, subjects: readonly SubjectRow[]): RunTask[] {
  const tasks: RunTask[] = [];
  for (const s of subjects) {
    study.sequences.forEach((seq, sequenceIndex) => {
      tasks.push({
        subject: s.id,
        sequence: seq.name,
        sequenceIndex,
        imagePath: s.images[seq.name],
        maskPath: s.mask,
        settings: seq.settings,
        rois: study.rois.map((r) => ({ name: r.name, labels: [...r.labels] })),
        extraFiles: settingsFiles(seq.settings),
      });
    });
  }
  return tasks;
}

/** Turn a message into one line (status.csv cells and progress events are line-based). */
export function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/**
 * The status message of a task whose image and mask were read: the ROIs that failed, if any.
 * Up to two are spelt out; past that (typically a settings problem every ROI hits) the first
 * reason stands for all and provenance.json has each ROI's own message.
 */
export function roiErrorsMessage(errors: readonly RoiError[]): string {
  if (errors.length <= 2) return errors.map((e) => `ROI ${e.roi}: ${oneLine(e.message)}`).join('; ');
  const others = errors.slice(1).map((e) => e.roi);
  return `ROI ${errors[0].roi}: ${oneLine(errors[0].message)}; ROIs ${others.join(', ')} failed too (each reason in provenance.json)`;
}
