/**
 * The study file's code lenses: "Run study" and "Validate" above `cohort:`, "Open subject in
 * viewer" above its `manifest:` (study-anchors.ts finds the keys in the YAML).
 */
import * as vscode from 'vscode';
import { OPEN_SUBJECT_FROM_STUDY_COMMAND, RUN_STUDY_COMMAND, VALIDATE_STUDY_COMMAND } from './ids';
import { findStudyAnchors, type Anchor } from './study-anchors';

export const RUN_STUDY_TITLE = '$(play) Run study';
export const VALIDATE_STUDY_TITLE = '$(check) Validate';
export const OPEN_SUBJECT_TITLE = '$(layout) Open subject in viewer';

export class StudyCodeLensProvider implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const anchors = findStudyAnchors(document.getText());
    const range = (a: Anchor) => new vscode.Range(a.line, a.character, a.line, a.character);
    const lens = (a: Anchor, title: string, command: string, tooltip: string) =>
      new vscode.CodeLens(range(a), { title, command, tooltip, arguments: [document.uri] });
    const lenses: vscode.CodeLens[] = [];
    if (anchors.cohort !== null) {
      lenses.push(
        lens(anchors.cohort, RUN_STUDY_TITLE, RUN_STUDY_COMMAND, 'Extract the features of every subject × sequence (rgs run), with progress; cancellable'),
        lens(anchors.cohort, VALIDATE_STUDY_TITLE, VALIDATE_STUDY_COMMAND, 'Check the study and the files it names (as rgs validate) and sum up'),
      );
    }
    if (anchors.manifest !== null) {
      lenses.push(lens(anchors.manifest, OPEN_SUBJECT_TITLE, OPEN_SUBJECT_FROM_STUDY_COMMAND, "Choose a subject of the manifest and open its sequences and mask in the subject view"));
    }
    return lenses;
  }
}
