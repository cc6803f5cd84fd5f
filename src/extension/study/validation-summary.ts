/**
 * The message of the "Validate" code lens: the loader's analysis of a study (the analysis the
 * language server and `rgs validate` run) summed up in one line, naming the first error. The
 * problems themselves are in the Problems view, from the language server. No `vscode` import
 * (unit-tested).
 */
import { isAbsolute, relative } from 'node:path';
import type { StudyAnalysis } from '../../engine/study/load';
import type { StudyProblem } from '../../engine/study/types';
import { plural } from './run-events';

export interface ValidationSummary {
  level: 'info' | 'warning' | 'error';
  message: string;
  errors: number;
  warnings: number;
  /** The first error (else the first warning), for "go to". */
  first: StudyProblem | null;
}

/**
 * `name` is how the study file is shown (its base name); `studyDir` its folder, against which
 * problems in other files (a manifest cell) are named.
 */
export function summariseValidation(name: string, studyFile: string, studyDir: string, analysis: Pick<StudyAnalysis, 'study' | 'problems'>): ValidationSummary {
  const errors = analysis.problems.filter((p) => p.severity === 'error');
  const warnings = analysis.problems.filter((p) => p.severity === 'warning');
  const where = (p: StudyProblem): string => {
    const file = p.file === studyFile ? name : isAbsolute(p.file) ? relative(studyDir, p.file) : p.file;
    return `${file}:${p.line}:${p.column}`;
  };
  const w = warnings.length > 0 ? `, ${plural(warnings.length, 'warning')}` : '';
  if (errors.length > 0) {
    const first = errors[0];
    return {
      level: 'error',
      message: `${name}: ${plural(errors.length, 'error')}${w}. First: ${where(first)} ${first.message}`,
      errors: errors.length,
      warnings: warnings.length,
      first,
    };
  }
  const s = analysis.study;
  let what = '';
  if (s !== null) {
    const external = s.subjects.filter((x) => x.external).length;
    const subjects = plural(s.subjects.length - external, 'subject') + (external > 0 ? ` + ${external} external` : '');
    what = `: ${[subjects, plural(s.sequences.length, 'sequence'), plural(s.rois.length, 'ROI'), plural(s.outcomes.length, 'outcome')].join(', ')}`;
  }
  if (warnings.length > 0) {
    const first = warnings[0];
    return {
      level: 'warning',
      message: `${name} is valid${what}; ${plural(warnings.length, 'warning')}. First: ${where(first)} ${first.message}`,
      errors: 0,
      warnings: warnings.length,
      first,
    };
  }
  return { level: 'info', message: `${name} is valid${what}.`, errors: 0, warnings: 0, first: null };
}
