/**
 * The study a command acts on: the document the code lens or the explorer passed (a Uri), else
 * the active editor's study file. Only files on disk: the study's relative paths start at its
 * folder, and `rgs run` reads it from there.
 */
import * as vscode from 'vscode';
import { STUDY_LANGUAGE_ID } from './ids';

function asUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '') return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  // A Uri that crossed a serialisation boundary ({ scheme, path, ... }).
  if (typeof arg === 'object' && arg !== null && 'scheme' in arg && 'path' in arg) {
    const u = arg as { scheme: unknown; path: unknown; authority?: unknown };
    if (typeof u.scheme === 'string' && typeof u.path === 'string') {
      return vscode.Uri.from({ scheme: u.scheme, path: u.path, authority: typeof u.authority === 'string' ? u.authority : '' });
    }
  }
  return undefined;
}

/** The study document, or undefined after telling the user why there is none. */
export async function studyDocument(arg: unknown, action: string): Promise<vscode.TextDocument | undefined> {
  const uri = asUri(arg);
  let doc: vscode.TextDocument | undefined;
  if (uri !== undefined) {
    doc = await vscode.workspace.openTextDocument(uri);
  } else {
    const active = vscode.window.activeTextEditor?.document;
    if (active !== undefined && active.languageId === STUDY_LANGUAGE_ID) doc = active;
  }
  if (doc === undefined) {
    void vscode.window.showInformationMessage(`Open a study file (*.study.yaml) to ${action}.`);
    return undefined;
  }
  if (doc.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`To ${action}, save the study as a *.study.yaml file first: its paths are relative to its folder.`);
    return undefined;
  }
  return doc;
}
