/**
 * Study files inside VS Code's extension host (code-server): the synthetic demo cohort (`rgs demo
 * --subjects 3`, real NIfTI files) is written into the workspace; its demo.study.yaml opens as
 * the `radiogenomics-study` language; the language server (over Node IPC) publishes no
 * diagnostics for it, re-checks it when an image it names disappears (its file watchers), and
 * puts an unknown key's diagnostic on exactly that key, with a quick fix; the code lenses are
 * there; Validate sums up; "Open subject in viewer" (its quick pick answered with the first
 * subject) opens the subject view, which loads the four sequences; "Run study" runs the cohort
 * and writes the outputs.
 *
 * Mocha style, like extension.tests.ts: the suite's index calls registerStudyTests(config).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { parseDocument } from 'yaml';
import type { RadiogenomicsStudioApi } from '../../../src/extension/extension';
import {
  DIAGNOSTICS_STATE_COMMAND,
  OPEN_SUBJECT_FROM_STUDY_COMMAND,
  RUN_STUDY_COMMAND,
  STUDY_LANGUAGE_ID,
  VALIDATE_STUDY_COMMAND,
} from '../../../src/extension/study/ids';
import type { DiagnosticsState } from '../../../src/extension/study/language';
import type { RunStudyResult } from '../../../src/extension/study/run-study';
import type { ValidationSummary } from '../../../src/extension/study/validation-summary';
import type { WebviewReport } from '../../../src/extension/webview-tracker';
import type { E2eConfig } from '../protocol';
import { onScreen, probe } from './config';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll an async `get` until it returns a value (not undefined), or fail with `what`. */
async function until<T>(what: string, get: () => T | undefined | Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** The server has finished the pass that reads the files the study names, for this version. */
async function filesChecked(doc: vscode.TextDocument): Promise<void> {
  await until(`the language server's file checks of ${doc.uri.fsPath} v${doc.version}`, async () => {
    const s = await vscode.commands.executeCommand<DiagnosticsState | undefined>(DIAGNOSTICS_STATE_COMMAND, doc.uri);
    return s !== undefined && s.version === doc.version && s.phase === 'files' ? true : undefined;
  });
  // The phase notification is handled at once; the diagnostics it follows are converted
  // asynchronously by the client before they reach the collection: give them a moment.
  await sleep(1000);
}

const diagnosticsOf = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri);

/** 0-based position of the first occurrence of `needle` in `text`. */
function positionOf(text: string, needle: string): vscode.Position {
  const i = text.indexOf(needle);
  assert.ok(i >= 0, `\`${needle}\` is not in the text`);
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return new vscode.Position(line, i - (before.lastIndexOf('\n') + 1));
}

export function registerStudyTests(config: E2eConfig): void {
  describe('Study files in VS Code', () => {
    let api: RadiogenomicsStudioApi;
    let dir = '';
    let studyUri: vscode.Uri;
    const outsideImage = () => join(config.workspace, 'study-e2e-GBM-003-t2.nii.gz');

    before(async () => {
      const ext = vscode.extensions.getExtension<RadiogenomicsStudioApi>(config.extensionId);
      assert.ok(ext, `extension ${config.extensionId} is not installed`);
      api = await ext.activate();
      // The demo cohort, written by the CLI that ships with the extension under test.
      dir = join(config.workspace, 'study-e2e');
      rmSync(dir, { recursive: true, force: true });
      const demo = spawnSync(process.execPath, [join(ext.extensionPath, 'dist', 'cli.js'), 'demo', dir, '--subjects', '3'], {
        encoding: 'utf8',
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        timeout: 120_000,
      });
      assert.equal(demo.status, 0, `rgs demo failed: ${demo.stdout}${demo.stderr}`);
      studyUri = vscode.Uri.file(join(dir, 'demo.study.yaml'));
      // The extraction part of the study is what these tests are about: the demo's `analysis`
      // (nested cross-validation) and `report` sections ask for more subjects than three.
      const doc = parseDocument(readFileSync(studyUri.fsPath, 'utf8'));
      doc.delete('analysis');
      doc.delete('report');
      writeFileSync(studyUri.fsPath, doc.toString());
      // VS Code 1.100's recursive watcher (parcel, inotify) does not watch the subfolders of a
      // folder created after it started (study-e2e/subjects/... here), so the image the watcher
      // test moves lives in the workspace folder itself, which existed when code-server started.
      const image = outsideImage();
      rmSync(image, { force: true });
      rmSync(`${image}.moved`, { force: true });
      renameSync(join(dir, 'subjects', 'GBM-003', 't2.nii.gz'), image);
      const manifest = join(dir, 'manifest.csv');
      writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('subjects/GBM-003/t2.nii.gz', `../${basename(image)}`));
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('opens *.study.yaml as the radiogenomics-study language', async () => {
      const doc = await vscode.workspace.openTextDocument(studyUri);
      assert.equal(doc.languageId, STUDY_LANGUAGE_ID);
      // A plain .yaml stays YAML.
      const other = join(dir, 'labels.yaml');
      assert.ok(existsSync(other));
      assert.equal((await vscode.workspace.openTextDocument(vscode.Uri.file(other))).languageId, 'yaml');
    });

    it('provides the code lenses: Run study and Validate above cohort:, Open subject in viewer above manifest:', async () => {
      const doc = await vscode.workspace.openTextDocument(studyUri);
      await vscode.window.showTextDocument(doc);
      const text = doc.getText();
      const lenses = await until('the code lenses', async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', studyUri);
        return l.length > 0 ? l : undefined;
      });
      const byTitle = (t: string) => lenses.filter((l) => l.command?.title.endsWith(t));
      const cohortLine = positionOf(text, '\ncohort:').line + 1;
      const manifestLine = positionOf(text, '  manifest:').line;
      for (const [title, line, command] of [
        ['Run study', cohortLine, RUN_STUDY_COMMAND],
        ['Validate', cohortLine, VALIDATE_STUDY_COMMAND],
        ['Open subject in viewer', manifestLine, OPEN_SUBJECT_FROM_STUDY_COMMAND],
      ] as const) {
        const found = byTitle(title);
        assert.equal(found.length, 1, `one "${title}" lens: ${lenses.map((l) => l.command?.title).join(', ')}`);
        assert.equal(found[0].range.start.line, line, `"${title}" lens line`);
        assert.equal(found[0].command?.command, command);
        assert.equal(String(found[0].command?.arguments?.[0]), studyUri.toString());
      }
      assert.equal(lenses.length, 3);
      // For people: the editor with its YAML highlighting and lenses (test-results/vscode/*/study-editor.png).
      await probe(config, { name: 'study-editor' });
    });

    it('the language server publishes no diagnostics for the valid demo study once it has checked its files', async () => {
      const doc = await vscode.workspace.openTextDocument(studyUri);
      await vscode.window.showTextDocument(doc);
      await filesChecked(doc);
      assert.deepEqual(diagnosticsOf(studyUri), []);
    });

    it('re-checks the study when an image it names disappears and comes back (its file watchers)', async () => {
      const doc = await vscode.workspace.openTextDocument(studyUri);
      await vscode.window.showTextDocument(doc);
      await filesChecked(doc);
      assert.deepEqual(diagnosticsOf(studyUri), []);
      const image = outsideImage();
      renameSync(image, `${image}.moved`);
      try {
        const d = await until('the missing-file diagnostic', () => {
          const ds = diagnosticsOf(studyUri);
          return ds.length > 0 ? ds : undefined;
        });
        assert.equal(d.length, 1, d.map((x) => x.message).join('\n'));
        assert.match(d[0].message, /^cohort\.manifest: 1 image or mask file named in manifest\.csv is missing/);
        assert.equal(d[0].range.start.line, positionOf(doc.getText(), '  manifest:').line);
        const cell = await until('the diagnostic on the manifest cell', () => {
          const ds = diagnosticsOf(vscode.Uri.file(join(dir, 'manifest.csv')));
          return ds.length > 0 ? ds : undefined;
        });
        assert.equal(cell[0].message, `subject GBM-003: T2 image not found: ../${basename(image)}`);
      } finally {
        renameSync(`${image}.moved`, image);
      }
      await until('the diagnostics to clear once the image is back', () => (diagnosticsOf(studyUri).length === 0 ? true : undefined));
    });

    it('puts an unknown key\'s diagnostic on exactly that key, and its quick fix makes the study valid', async () => {
      const valid = readFileSync(studyUri.fsPath, 'utf8');
      const broken = valid.replace('\n    interpolation: linear', '\n    interpolaton: linear');
      assert.notEqual(broken, valid);
      const brokenUri = vscode.Uri.file(join(dir, 'broken.study.yaml'));
      writeFileSync(brokenUri.fsPath, broken);
      const doc = await vscode.workspace.openTextDocument(brokenUri);
      assert.equal(doc.languageId, STUDY_LANGUAGE_ID);
      await vscode.window.showTextDocument(doc);
      await until('the unknown-key diagnostic', () => (diagnosticsOf(brokenUri).length > 0 ? true : undefined));
      await filesChecked(doc);
      const diags = diagnosticsOf(brokenUri);
      assert.equal(diags.length, 1, diags.map((d) => d.message).join('\n'));
      const d = diags[0];
      assert.equal(d.message, 'unknown key `interpolaton` in preprocessing.resampling; did you mean `interpolation`?');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.source, 'rgs');
      const start = positionOf(broken, 'interpolaton');
      assert.deepEqual(
        [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
        [start.line, start.character, start.line, start.character + 'interpolaton'.length],
      );

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', brokenUri, d.range);
      const fix = actions.find((a) => a.edit !== undefined && a.edit.get(brokenUri).some((e) => e.newText === 'interpolation'));
      assert.ok(fix?.edit, `a quick fix replacing the key: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.equal(doc.getText(), valid);
      await until('the diagnostic to go', () => (diagnosticsOf(brokenUri).length === 0 ? true : undefined));
      await filesChecked(doc);
      assert.deepEqual(diagnosticsOf(brokenUri), []);
      await doc.save();
    });

    it('Validate sums up the study (the loader\'s analysis, as the server and rgs validate)', async () => {
      const summary = await vscode.commands.executeCommand<ValidationSummary | undefined>(VALIDATE_STUDY_COMMAND, studyUri);
      assert.ok(summary);
      assert.equal(summary.level, 'info');
      assert.equal(summary.message, 'demo.study.yaml is valid: 3 subjects, 4 sequences, 5 ROIs, 3 outcomes.');
    });

    it('"Open subject in viewer" offers the subjects and opens the first one in the subject view', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', studyUri);
      const lens = lenses.find((l) => l.command?.command === OPEN_SUBJECT_FROM_STUDY_COMMAND);
      assert.ok(lens?.command);
      const subjectReport = (): WebviewReport | undefined => api.webviews().find((w) => w.kind === 'subject' && w.resource === 'GBM-001');
      // What a click on the lens does; the quick pick is answered as a user pressing Enter on the
      // first entry (the subjects are in id order).
      let opened: string | undefined | null = null;
      const running = vscode.commands.executeCommand<string | undefined>(lens.command.command, ...(lens.command.arguments ?? [])).then((v) => {
        opened = v;
      });
      await until('the quick pick, answered', async () => {
        if (opened !== null || subjectReport() !== undefined) return true;
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        return undefined;
      }, 60_000);
      await running;
      assert.equal(opened, 'GBM-001');
      const report = await until('the subject view to load', () => {
        const r = subjectReport();
        return r !== undefined && ['loaded', 'error', 'refused'].includes(r.status) ? r : undefined;
      });
      assert.equal(report.status, 'loaded', report.message);
      assert.deepEqual(
        report.volumes?.map((v) => v.name),
        ['T1', 'T1CE', 'T2', 'FLAIR'],
      );
      assert.deepEqual(report.cspViolations, []);
      const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === 'Subject: GBM-001');
      assert.ok(tab, 'the subject view tab');
      await onScreen(config, { name: 'study-subject-view' }, "the legend's label names", (p) => {
        assert.match(p.webviewText ?? '', /necrosis[\s\S]*oedema[\s\S]*enhancing/, 'the legend names cohort.labels');
      });
    });

    it('"Run study" runs rgs run with progress and writes the outputs', async () => {
      const result = await vscode.commands.executeCommand<RunStudyResult | undefined>(RUN_STUDY_COMMAND, studyUri);
      assert.ok(result);
      const out = join(dir, 'results', 'demo-gbm');
      assert.equal(result.kind, 'written', result.message);
      assert.equal(result.exitCode, 0);
      assert.equal(result.outDir, out);
      assert.equal(result.failedTasks, 0);
      // The outputs folder as the workspace shows it (the workspace folder is the run's workspace).
      assert.match(result.message, /^demo\.study\.yaml: 12 tasks \(12 ok\) in (\d+(\.\d)? s|\d+ min \d\d s); outputs in study-e2e\/results\/demo-gbm$/);
      const rows = readFileSync(join(out, 'features.csv'), 'utf8').trim().split('\n');
      assert.deepEqual(
        rows.slice(1).map((r) => r.split(',')[0]),
        ['GBM-001', 'GBM-002', 'GBM-003'],
      );
      // For people: the outputs folder revealed in the Explorer, the summary notification.
      await probe(config, { name: 'study-run-done' });
      const status = readFileSync(join(out, 'status.csv'), 'utf8').trim().split('\n').slice(1);
      assert.equal(status.length, 12);
      assert.ok(status.every((l) => l.split(',')[2] === 'ok'), status.join('\n'));
    });
  });
}
