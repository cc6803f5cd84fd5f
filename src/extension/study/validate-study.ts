/**
 * "Validate": the loader's analysis of the study (analyseStudyText, what the language server and
 * `rgs validate` run, with the files it names) on the editor's current text, summed up in a
 * message naming the first problem. The problems themselves are already in the Problems view,
 * published by the language server.
 */
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { analyseStudyText, type FileFactsCache } from '../../engine/study/load';
import { studyDocument } from './study-document';
import { summariseValidation, type ValidationSummary } from './validation-summary';

export async function validateStudy(arg: unknown, cache: FileFactsCache): Promise<ValidationSummary | undefined> {
  const doc = await studyDocument(arg, 'validate it');
  if (doc === undefined) return undefined;
  const file = doc.uri.fsPath;
  const analysis = analyseStudyText(doc.getText(), file, { fileCache: cache });
  const summary = summariseValidation(basename(file), file, dirname(file), analysis);
  // Not awaited: the message waits for the user; the command returns the summary at once.
  void announce(summary).catch(() => undefined);
  return summary;
}

async function announce(s: ValidationSummary): Promise<void> {
  if (s.level === 'info') {
    void vscode.window.showInformationMessage(s.message);
    return;
  }
  const goTo = s.level === 'error' ? 'Go to Error' : 'Go to Warning';
  const problems = 'Show Problems';
  const show = s.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
  const choice = await show(s.message, goTo, problems);
  if (choice === problems) {
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  } else if (choice === goTo && s.first !== null) {
    const p = s.first;
    const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, p.endColumn - 1);
    await vscode.window.showTextDocument(vscode.Uri.file(p.file), { selection: range });
  }
}
