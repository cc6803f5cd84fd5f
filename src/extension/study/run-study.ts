/**
 * "Run study": `rgs run <study> --progress json` (rgs-process.ts) behind a cancellable progress
 * notification fed by the run's events, then the outputs folder revealed and a summary, or the
 * error. Running reads the images the study names and writes outputs: it needs a trusted
 * workspace (package.json capabilities.untrustedWorkspaces: "limited").
 */
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { describeRun, type RunOutcome } from './run-events';
import { runRgsStudy } from './rgs-process';
import { studyDocument } from './study-document';

/** What the command returns (tests, other extensions); undefined when nothing ran. */
export interface RunStudyResult extends RunOutcome {
  study: string;
  exitCode: number | null;
}

export const UNTRUSTED_RUN_MESSAGE =
  'Running a study reads the images and tables it names and writes its outputs, so it needs a trusted workspace. Trust this workspace to run it.';

export class StudyRunner implements vscode.Disposable {
  /** Study path -> the running process's cancellation. */
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly cli: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async run(arg: unknown): Promise<RunStudyResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      const choice = await vscode.window.showWarningMessage(UNTRUSTED_RUN_MESSAGE, 'Manage Workspace Trust');
      if (choice !== undefined) await vscode.commands.executeCommand('workbench.trust.manage');
      return undefined;
    }
    const doc = await studyDocument(arg, 'run it');
    if (doc === undefined) return undefined;
    const study = doc.uri.fsPath;
    const name = basename(study);
    if (this.running.has(study)) {
      void vscode.window.showInformationMessage(`${name} is already running: see its progress notification.`);
      return undefined;
    }
    // The CLI reads the study from disk: what the user sees is what runs.
    if (doc.isDirty && !(await doc.save())) {
      void vscode.window.showErrorMessage(`${name} could not be saved; it was not run.`);
      return undefined;
    }

    const controller = new AbortController();
    this.running.set(study, controller);
    this.log.info(`rgs run ${study} --progress json (${process.execPath} ${this.cli})`);
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Running ${name}`, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return runRgsStudy({
            node: process.execPath,
            cli: this.cli,
            study,
            signal: controller.signal,
            onEvent: (e, step) => {
              if (step !== null) progress.report(step);
              if (e.event === 'warning') this.log.warn(e.message);
              else if (e.event === 'task-done' && e.status === 'error') this.log.warn(`${e.subject} ${e.sequence}: ${e.message ?? 'failed'}`);
            },
            onOutput: (line) => this.log.info(line),
          });
        },
      );
      const outcome = describeRun(name, report, (p) => vscode.workspace.asRelativePath(p));
      this.log[outcome.level === 'error' ? 'error' : outcome.level === 'warning' ? 'warn' : 'info'](outcome.message);
      this.announce(outcome).catch((e: unknown) => this.log.error(`showing the run's outcome failed: ${e instanceof Error ? e.message : String(e)}`));
      return { ...outcome, study, exitCode: report.exitCode };
    } finally {
      this.running.delete(study);
    }
  }

  /** The final message; the outputs folder is revealed in the Explorer when it is in the workspace. */
  private async announce(o: RunOutcome): Promise<void> {
    if (o.kind !== 'written' || o.outDir === null) {
      const show = o.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      if ((await show(o.message, 'Show Log')) === 'Show Log') this.log.show(true);
      return;
    }
    const out = vscode.Uri.file(o.outDir);
    if (vscode.workspace.getWorkspaceFolder(out) !== undefined) {
      await vscode.commands.executeCommand('revealInExplorer', out).then(undefined, () => undefined);
    }
    const features = 'Open features.csv';
    const status = 'Open status.csv';
    const buttons = o.failedTasks > 0 ? [status, features] : [features];
    const choice = await (o.level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(o.message, ...buttons);
    if (choice !== undefined) {
      await vscode.window.showTextDocument(vscode.Uri.file(join(o.outDir, choice === features ? 'features.csv' : 'status.csv')));
    }
  }

  dispose(): void {
    // Closing the window or disabling the extension stops the runs as Ctrl+C would.
    for (const c of this.running.values()) c.abort();
    this.running.clear();
  }
}
