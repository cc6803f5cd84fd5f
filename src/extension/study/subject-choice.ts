/**
 * "Open subject in viewer" from a study file: the quick pick's entries (the loaded study's
 * subjects) and the `radiogenomics.openSubject` arguments for the chosen one (its sequences in
 * the study's order, its mask, the names of `cohort.labels`). No `vscode` import (unit-tested).
 */
import { dirname } from 'node:path';
import type { Document } from 'yaml';
import { RgsError } from '../../engine/util/errors';
import type { Study } from '../../engine/study/types';
import type { OpenSubjectArgs } from '../subject-args';

export interface SubjectPick {
  /** The subject id (the quick pick item's label). */
  label: string;
  description: string;
  detail: string;
}

export function subjectPicks(study: Study): SubjectPick[] {
  return study.subjects.map((s) => ({
    label: s.id,
    description: [s.site ?? '', s.external ? 'external test cohort' : ''].filter((x) => x !== '').join(' · '),
    detail: `manifest line ${s.line}: ${study.sequences.map((q) => q.name).join(', ')} and mask`,
  }));
}

/**
 * `cohort.labels` as written (`{ necrosis: 1, ... }`): the single labels the loader checked. The
 * Study keeps only the ROIs to extract (`cohort.rois` may leave some labels out), so the names
 * come from the document.
 */
export function cohortLabels(doc: Document): Record<string, number> {
  const labels: Record<string, number> = {};
  let node: unknown;
  try {
    node = doc.getIn(['cohort', 'labels']);
  } catch {
    return labels;
  }
  const js: unknown = node !== null && typeof node === 'object' && 'toJSON' in node ? (node as { toJSON(): unknown }).toJSON() : node;
  if (js === null || typeof js !== 'object' || Array.isArray(js)) return labels;
  for (const [name, value] of Object.entries(js as Record<string, unknown>)) {
    if (typeof value === 'number' && Number.isInteger(value) && value !== 0) labels[name] = value;
  }
  return labels;
}

/** The arguments of `radiogenomics.openSubject` for one subject of a loaded study. */
export function openSubjectArgsFor(study: Study, subjectId: string, labels: Record<string, number>): OpenSubjectArgs {
  const subject = study.subjects.find((s) => s.id === subjectId);
  if (subject === undefined) throw new RgsError(`${study.file}: no subject \`${subjectId}\` in ${study.manifestFile}`, { file: study.file });
  const images = study.sequences.flatMap((q) => {
    const path = subject.images[q.name];
    return path === undefined ? [] : [{ name: q.name, path }];
  });
  return { title: subject.id, images, mask: subject.mask, labels, baseDir: dirname(study.file) };
}
