/**
 * "Open subject in viewer": the study is loaded (the editor's current text, with the files it
 * names), the user picks one of its subjects, and `radiogenomics.openSubject` opens the subject
 * view with that subject's sequences, its mask and the names of `cohort.labels`.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { analyseStudyText, type FileFactsCache } from '../../engine/study/load';
import { OPEN_SUBJECT_COMMAND } from '../commands';
import { plural } from './run-events';
import { cohortLabels, openSubjectArgsFor, subjectPicks } from './subject-choice';
import { studyDocument } from './study-document';

/**
 * Opens a subject of the study in `arg` (else the active editor's). `subjectId` skips the quick
 * pick. Resolves with the subject opened, or undefined.
 */
export async function openSubjectFromStudy(arg: unknown, subjectId: unknown, cache: FileFactsCache): Promise<string | undefined> {
  const doc = await studyDocument(arg, 'open one of its subjects');
  if (doc === undefined) return undefined;
  const file = doc.uri.fsPath;
  const name = basename(file);
  // One subject's missing image must not hide the others: it is a warning here (as in `rgs run`),
  // and the subject view says which file it could not read.
  const analysis = analyseStudyText(doc.getText(), file, { fileCache: cache, subjectFileSeverity: 'warning' });
  const study = analysis.study;
  if (study === null) {
    const errors = analysis.problems.filter((p) => p.severity === 'error');
    const first = errors[0];
    const detail = first !== undefined ? ` First: ${first.line}:${first.column} ${first.message}` : '';
    void vscode.window.showErrorMessage(`${name} has ${plural(errors.length, 'error')}; fix them to open a subject.${detail}`);
    return undefined;
  }
  if (study.subjects.length === 0) {
    void vscode.window.showInformationMessage(`${name}: the manifest lists no subjects.`);
    return undefined;
  }
  let id: string | undefined = typeof subjectId === 'string' ? subjectId : undefined;
  if (id === undefined) {
    const pick = await vscode.window.showQuickPick(subjectPicks(study), {
      title: `Open a subject of ${study.info.title || name}`,
      placeHolder: `${plural(study.subjects.length, 'subject')}: type to filter by id or site`,
      matchOnDescription: true,
    });
    id = pick?.label;
  }
  if (id === undefined) return undefined;
  const args = openSubjectArgsFor(study, id, cohortLabels(analysis.parsed.doc));
  await vscode.commands.executeCommand(OPEN_SUBJECT_COMMAND, args);
  return id;
}
