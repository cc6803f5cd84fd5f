/**
 * The extension's commands (package.json contributes.commands):
 * - radiogenomics.openSubject(args?): the subject view. With arguments (OpenSubjectArgs, e.g. from
 *   the study file's code lens) it opens at once; without, it asks for the images and the mask.
 * - radiogenomics.openInViewer(uri?): a .nii / .nii.gz in the NIfTI viewer (explorer menu).
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { RgsError } from '../engine/util/errors';
import { guessSequenceName, type OpenSubjectArgs, parseOpenSubjectArgs } from './subject-args';
import type { SubjectViewManager } from './subject-view';
import { VIEWER_VIEW_TYPE } from './viewer-provider';

export const OPEN_SUBJECT_COMMAND = 'radiogenomics.openSubject';
export const OPEN_IN_VIEWER_COMMAND = 'radiogenomics.openInViewer';

const NIFTI_FILTER = { 'NIfTI images': ['nii', 'gz'] };

/** Ask for a subject's images and mask; undefined when the user cancels. */
async function pickSubject(): Promise<OpenSubjectArgs | undefined> {
  const images = await vscode.window.showOpenDialog({
    canSelectMany: true,
    filters: NIFTI_FILTER,
    openLabel: 'Use as sequences',
    title: "Choose the subject's image sequences (e.g. T1, T1CE, T2, FLAIR)",
  });
  if (!images || images.length === 0) return undefined;
  const mask = await vscode.window.showOpenDialog({
    canSelectMany: false,
    filters: NIFTI_FILTER,
    openLabel: 'Use as mask',
    title: 'Choose the label mask (segmentation)',
  });
  if (!mask || mask.length === 0) return undefined;
  const used = new Map<string, number>();
  const named = images.map((u) => {
    const guess = guessSequenceName(basename(u.fsPath));
    const n = (used.get(guess) ?? 0) + 1;
    used.set(guess, n);
    return { name: n === 1 ? guess : `${guess} (${n})`, path: u.fsPath };
  });
  return { images: named, mask: mask[0].fsPath };
}

function reportError(e: unknown): void {
  if (e instanceof RgsError) {
    void vscode.window.showErrorMessage(e.message);
    return;
  }
  throw e;
}

export function registerCommands(subjects: SubjectViewManager): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(OPEN_SUBJECT_COMMAND, async (args?: unknown) => {
      try {
        const given = args ?? (await pickSubject());
        if (given === undefined) return;
        const base = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
        subjects.open(parseOpenSubjectArgs(given, base));
      } catch (e) {
        reportError(e);
      }
    }),
    vscode.commands.registerCommand(OPEN_IN_VIEWER_COMMAND, async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Choose a .nii or .nii.gz file in the explorer to open it in the NIfTI viewer.');
        return;
      }
      await vscode.commands.executeCommand('vscode.openWith', target, VIEWER_VIEW_TYPE);
    }),
  ];
}
