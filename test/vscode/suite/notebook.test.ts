/**
 * Radiogenomics notebooks inside VS Code's extension host (code-server): a `.rgnb` notebook over
 * the workspace's subject opens with the notebook serializer, runs with the Radiogenomics kernel
 * (Run All), and its cells end with outputs of the notebook MIME types: the cohort cell a
 * markdown summary and a volume, the features cell a feature table, the JavaScript cell the
 * answer of its query. Saving writes the outputs into the file; the runner's probe shows the
 * feature-table renderer drew its header with the IBSI identifiers.
 *
 * Mocha style, like extension.tests.ts: the suite's index calls registerNotebookTests(config).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import { parseRgnb, serialiseRgnb, type RgnbNotebook } from '../../../src/extension/notebook/rgnb-format';
import { FEATURE_TABLE_MIME, VOLUME_MIME } from '../../../src/kernel/mime-types';
import type { E2eConfig } from '../protocol';
import { onScreen, waitFor } from './config';

const NOTEBOOK_TYPE = 'radiogenomics-notebook';
const CONTROLLER_ID = 'radiogenomics.kernel';

/** Label names for the mask's values (the fixture's labels, whatever they are). */
function labelsYaml(config: E2eConfig): string {
  return Object.keys(config.expectedVoxels)
    .map((v) => `label_${v}: ${v}`)
    .join(', ');
}

/** manifest.csv beside the notebook, naming the workspace's subject by relative paths. */
function writeManifest(dir: string, config: E2eConfig): void {
  const rel = (p: string) => relative(dir, p);
  writeFileSync(join(dir, 'nb-manifest.csv'), `subject_id,t1,mask\nsub-01,${rel(config.images.T1)},${rel(config.mask)}\n`);
}

function notebookFile(config: E2eConfig): RgnbNotebook {
  const code = (language: string, source: string) => ({ kind: 'code' as const, language, source, metadata: {}, outputs: [] });
  return {
    metadata: {},
    cells: [
      { kind: 'markdown', language: 'markdown', source: '# Notebook end-to-end', metadata: {}, outputs: [] },
      code(
        'yaml',
        [
          'study:',
          '  id: nb-e2e',
          '  title: Notebook end-to-end',
          'cohort:',
          '  manifest: nb-manifest.csv',
          '  subject_column: subject_id',
          '  modality: MR',
          '  sequences:',
          '    T1: { column: t1 }',
          '  mask_column: mask',
          `  labels: { ${labelsYaml(config)} }`,
          '',
        ].join('\n'),
      ),
      code('yaml', 'features:\n  families: [stat]\n  discretisation: { method: fbn, bin_count: 16 }\n'),
      code('javascript', "features.numRows() + ' subject, ' + (features.numCols() - 1) + ' features'"),
    ],
  };
}

function mimesOf(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
}

function textOf(cell: vscode.NotebookCell, mime: string): string {
  const item = cell.outputs.flatMap((o) => o.items).find((i) => i.mime === mime);
  return item ? new TextDecoder().decode(item.data) : '';
}

export function registerNotebookTests(config: E2eConfig): void {
  describe('Radiogenomics notebooks in VS Code', () => {
    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('runs a .rgnb notebook: the cells end with outputs of the notebook MIME types, saved into the file', async () => {
      const dir = dirname(config.images.T1);
      writeManifest(dir, config);
      const file = join(dir, 'e2e.rgnb');
      writeFileSync(file, serialiseRgnb(notebookFile(config)));

      const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      assert.equal(nb.notebookType, NOTEBOOK_TYPE);
      assert.equal(nb.cellCount, 4);
      await vscode.window.showNotebookDocument(nb);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: CONTROLLER_ID, extension: config.extensionId });
      await vscode.commands.executeCommand('notebook.execute');
      const code = nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
      await waitFor('every code cell to finish', () => (code.every((c) => c.executionSummary?.success !== undefined) ? true : undefined), 180_000);
      for (const c of code) {
        const err = textOf(c, 'application/vnd.code.notebook.error');
        assert.equal(c.executionSummary?.success, true, `cell ${c.index + 1} failed: ${err}`);
      }
      const [cohort, features, query] = code;
      assert.ok(mimesOf(cohort).includes('text/markdown'), `cohort cell outputs: ${mimesOf(cohort)}`);
      assert.ok(mimesOf(cohort).includes(VOLUME_MIME), `cohort cell outputs: ${mimesOf(cohort)}`);
      assert.match(textOf(cohort, 'text/markdown'), /\| Subjects \| 1 \|/);
      assert.ok(mimesOf(features).includes(FEATURE_TABLE_MIME), `features cell outputs: ${mimesOf(features)}`);
      assert.match(textOf(features, 'text/plain'), /^Extracted 1\/1 tasks/);
      const table = JSON.parse(textOf(features, FEATURE_TABLE_MIME)) as { rows: string[]; columns: { ibsi?: string }[] };
      assert.deepEqual(table.rows, ['sub-01']);
      assert.ok(table.columns.some((c) => c.ibsi === 'Q4LE'));
      assert.match(textOf(query, 'text/plain'), /^1 subject, \d+ features$/);

      // The feature-table renderer drew in the output webview (header: IBSI identifier).
      await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(features.index, features.index + 1)] });
      await onScreen(config, { name: 'notebook-outputs' }, "the feature-table renderer's header", (p) => {
        assert.match(p.webviewText ?? '', /Q4LE/, `output webview text: ${(p.webviewText ?? '').slice(0, 400)}`);
      });

      // Saved with its outputs.
      await nb.save();
      const saved = parseRgnb(readFileSync(file, 'utf8'));
      const savedMimes = saved.cells.flatMap((c) => c.outputs.flatMap((o) => o.items.map((i) => i.mime)));
      for (const m of [VOLUME_MIME, FEATURE_TABLE_MIME, 'text/markdown']) assert.ok(savedMimes.includes(m), `${basename(file)} lacks ${m}`);
      assert.equal(saved.cells[2].execution?.success, true);
    });

    it('puts a study problem on its cell as an error output and a diagnostic', async () => {
      const dir = dirname(config.images.T1);
      writeManifest(dir, config);
      const file = join(dir, 'e2e-problem.rgnb');
      const doc = notebookFile(config);
      doc.cells[2].source = 'features:\n  families: [stat]\n  discretisation: { method: fbn, bin_count: 0 }\n';
      writeFileSync(file, serialiseRgnb(doc));
      const nb = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
      await vscode.window.showNotebookDocument(nb);
      await vscode.commands.executeCommand('notebook.selectKernel', { id: CONTROLLER_ID, extension: config.extensionId });
      const cell = nb.cellAt(2);
      await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 2, end: 3 }], document: nb.uri });
      await waitFor('the features cell to finish', () => (cell.executionSummary?.success !== undefined ? true : undefined), 120_000);
      assert.equal(cell.executionSummary?.success, false);
      assert.match(textOf(cell, 'application/vnd.code.notebook.error'), /cell 3:3:45 error features\.discretisation\.bin_count/);
      const diags = await waitFor('the diagnostic', () => {
        const d = vscode.languages.getDiagnostics(cell.document.uri);
        return d.length > 0 ? d : undefined;
      });
      assert.equal(diags[0].range.start.line, 2);
      assert.equal(diags[0].range.start.character, 44);
    });
  });
}
