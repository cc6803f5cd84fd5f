/**
 * Integration tests inside VS Code's extension host (code-server 4.100.3): the real workbench
 * opens the custom editor for a .nii.gz, the subject-view command opens its panel, and each
 * webview reports that NiiVue loaded its volumes; the runner's probes confirm the pixels (the
 * volume and the label colours are on screen) and the legend's ROI volumes.
 */
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { RadiogenomicsStudioApi } from '../../../src/extension/extension';
import type { WebviewReport } from '../../../src/extension/webview-tracker';
import type { E2eConfig, PixelCounts } from '../protocol';
import { onScreen, waitFor } from './config';

const VIEWER = 'radiogenomics.niftiViewer';
const SUBJECT = 'radiogenomics.subjectView';
const DONE: WebviewReport['status'][] = ['loaded', 'error', 'refused'];

function activeTabInput(): unknown {
  return vscode.window.tabGroups.activeTabGroup.activeTab?.input;
}

function subjectTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(SUBJECT));
}

async function settled(api: RadiogenomicsStudioApi, kind: WebviewReport['kind'], resource: string): Promise<WebviewReport> {
  const r = await waitFor(`the ${kind} webview for ${resource} to load`, () =>
    api.webviews().find((w) => w.kind === kind && w.resource === resource && DONE.includes(w.status)),
  );
  // The page's strict CSP holds inside the real workbench too (its cspSource differs from the
  // standalone tests').
  assert.deepEqual(r.cspViolations, [], 'CSP violations in the webview');
  return r;
}

function coloured(c: PixelCounts | null | undefined): PixelCounts {
  assert.ok(c, 'the runner found no such canvas in the visible webview');
  return c;
}

export function registerExtensionTests(config: E2eConfig): void {
  describe('Radiogenomics Studio in VS Code', () => {
    let api: RadiogenomicsStudioApi;

    before(async () => {
      const ext = vscode.extensions.getExtension<RadiogenomicsStudioApi>(config.extensionId);
      assert.ok(ext, `extension ${config.extensionId} is not installed`);
      api = await ext.activate();
      assert.equal(typeof api.webviews, 'function');
    });

    afterEach(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('opens a .nii.gz in the workspace with the NIfTI viewer, which streams it by URL', async () => {
      const uri = vscode.Uri.file(config.images.T1);
      await vscode.commands.executeCommand('vscode.open', uri);
      const input = await waitFor('the viewer tab', () => {
        const i = activeTabInput();
        return i instanceof vscode.TabInputCustom && i.uri.toString() === uri.toString() ? i : undefined;
      });
      assert.equal(input.viewType, VIEWER);
      const report = await settled(api, 'viewer', uri.toString());
      assert.equal(report.status, 'loaded', report.message);
      assert.equal(report.transport, 'url');
      assert.deepEqual(report.volumes, [{ name: basename(config.images.T1), dims: [64, 64, 40] }]);

      await onScreen(config, { name: 'viewer-workspace-file', canvases: ['#gl-viewer'] }, "the header line and the volume's pixels", (p) => {
        assert.match(p.webviewText ?? '', /sub-01_t1\.nii\.gz · 64 × 64 × 40 voxels · 1 × 1 × 1 mm · int16/);
        const c = coloured(p.canvases['#gl-viewer']);
        assert.ok(c.grey > 0.02 * c.total, `the volume should show: ${JSON.stringify(c)}`);
      });
    });

    it('sends a file outside the workspace as bytes', async () => {
      const uri = vscode.Uri.file(join(config.outside, 'sphere.nii'));
      await vscode.commands.executeCommand('vscode.openWith', uri, VIEWER);
      const report = await settled(api, 'viewer', uri.toString());
      assert.equal(report.status, 'loaded', report.message);
      assert.equal(report.transport, 'bytes');
      await onScreen(config, { name: 'viewer-outside-file', canvases: ['#gl-viewer'] }, "the volume's pixels", (p) => {
        const c = coloured(p.canvases['#gl-viewer']);
        assert.ok(c.grey > 0.02 * c.total, `the volume should show: ${JSON.stringify(c)}`);
      });
    });

    it('refuses a volume above the size limit, saying how big it is', async () => {
      const settings = vscode.workspace.getConfiguration('radiogenomics.viewer');
      await settings.update('maxVolumeSizeMB', 0.1, vscode.ConfigurationTarget.Global);
      try {
        const uri = vscode.Uri.file(config.images.T2);
        await vscode.commands.executeCommand('vscode.open', uri);
        const report = await settled(api, 'viewer', uri.toString());
        assert.equal(report.status, 'refused');
        // 64 x 64 x 40 int16 = 327,680 bytes = 320 KiB.
        assert.equal(
          report.message,
          "sub-01_t2.nii.gz is 320 KiB (327,680 bytes) uncompressed (64 × 64 × 40 voxels × 2 bytes, int16), above the viewer's limit of 102 KiB; raise radiogenomics.viewer.maxVolumeSizeMB (now 0.1) to open it.",
        );
        await onScreen(config, { name: 'viewer-refused' }, 'the refusal shown in the page', (p) => {
          assert.match(p.webviewText ?? '', /Cannot show this volume[\s\S]*320 KiB \(327,680 bytes\)/);
        });
      } finally {
        await settings.update('maxVolumeSizeMB', undefined, vscode.ConfigurationTarget.Global);
      }
    });

    it('radiogenomics.openSubject opens the subject view: four sequences, the mask in colour, the ROI volumes', async () => {
      const before = subjectTabs().length;
      await vscode.commands.executeCommand('radiogenomics.openSubject', {
        title: 'sub-01',
        // Relative paths: resolved against the workspace folder, as the study file's code lens does.
        images: Object.fromEntries(Object.entries(config.images).map(([k, v]) => [k, basename(v)])),
        mask: basename(config.mask),
        labels: { necrosis: 1, oedema: 2, enhancing: 4, tumour_core: [1, 4] },
      });
      const tabs = await waitFor('the subject panel', () => (subjectTabs().length === before + 1 ? subjectTabs() : undefined));
      assert.equal(tabs[tabs.length - 1].label, 'Subject: sub-01');
      const report = await settled(api, 'subject', 'sub-01');
      assert.equal(report.status, 'loaded', report.message);
      assert.equal(report.transport, 'url');
      assert.deepEqual(
        report.volumes?.map((v) => v.name),
        ['T1', 'T1CE', 'T2', 'FLAIR'],
      );

      const canvases = ['#gl-0', '#gl-1', '#gl-2', '#gl-3'];
      await onScreen(config, { name: 'subject-view', canvases }, "the volumes' and the label colours' pixels, the legend's ROI volumes", (p) => {
        for (const sel of canvases) {
          const c = coloured(p.canvases[sel]);
          assert.ok(c.grey > 0, `${sel}: no volume pixels ${JSON.stringify(c)}`);
          assert.ok(c.red > 20 && c.green > 20 && c.yellow > 20, `${sel}: every label colour should show ${JSON.stringify(c)}`);
        }
        // The legend's volumes are the host's (engine) count: the runner's own voxel count / 1000.
        const text = p.webviewText ?? '';
        for (const [label, name] of [
          ['1', 'necrosis'],
          ['2', 'oedema'],
          ['4', 'enhancing'],
        ]) {
          const ml = (config.expectedVoxels[label] / 1000).toFixed(3);
          assert.match(text, new RegExp(`${name}\\s+${label}\\s+${ml.replace('.', '\\.')}`), `legend row for ${name}`);
        }
      });
    });

    it('reports bad openSubject arguments as a message and opens nothing', async () => {
      const before = subjectTabs().length;
      await vscode.commands.executeCommand('radiogenomics.openSubject', { images: {}, mask: 'seg.nii.gz' });
      assert.equal(subjectTabs().length, before);
    });
  });
}
