/**
 * The study-file side of the extension, as one ExtensionFeature (FEATURES in extension.ts): the
 * language client, the code lenses and the commands Run study, Validate and Open subject in
 * viewer (package.json contributes.languages / grammars / commands).
 */
import * as vscode from 'vscode';
import { FileFactsCache } from '../../engine/study/load';
import { RgsError } from '../../engine/util/errors';
import type { ExtensionFeature, FeatureContext } from '../extension';
import { StudyCodeLensProvider } from './code-lens';
import { OPEN_SUBJECT_FROM_STUDY_COMMAND, RUN_STUDY_COMMAND, STUDY_LANGUAGE_ID, VALIDATE_STUDY_COMMAND } from './ids';
import { StudyLanguageClient } from './language';
import { StudyRunner } from './run-study';
import { openSubjectFromStudy } from './subject-from-study';
import { validateStudy } from './validate-study';

/** A command whose user errors (RgsError) become a message, and whose bugs are logged too. */
function command<A extends unknown[], R>(id: string, log: vscode.LogOutputChannel, run: (...args: A) => Promise<R>): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    try {
      return await run(...args);
    } catch (e) {
      if (e instanceof RgsError) {
        void vscode.window.showErrorMessage(e.message);
        return undefined;
      }
      log.error(`${id} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw e;
    }
  });
}

export const studyFiles: ExtensionFeature = {
  id: 'study-files',
  activate: (ctx: FeatureContext) => {
    const dist = (file: string) => vscode.Uri.joinPath(ctx.extension.extensionUri, 'dist', file).fsPath;
    // Facts about the manifests, tables and image headers (by path, mtime and size), shared by
    // Validate and Open subject so a second click does not re-read unchanged files.
    const cache = new FileFactsCache();
    const runner = new StudyRunner(dist('cli.js'), ctx.log);
    return [
      new StudyLanguageClient(dist('language-server.js'), ctx.log),
      runner,
      vscode.languages.registerCodeLensProvider({ language: STUDY_LANGUAGE_ID, scheme: 'file' }, new StudyCodeLensProvider()),
      command(RUN_STUDY_COMMAND, ctx.log, (uri?: unknown) => runner.run(uri)),
      command(VALIDATE_STUDY_COMMAND, ctx.log, (uri?: unknown) => validateStudy(uri, cache)),
      command(OPEN_SUBJECT_FROM_STUDY_COMMAND, ctx.log, (uri?: unknown, subject?: unknown) => openSubjectFromStudy(uri, subject, cache)),
    ];
  },
};
