/**
 * The subject view: a webview panel with one subject's sequences side by side and its label mask
 * over them (webview/src/subject-app.ts draws it). The host checks every header against the
 * size limit, reads the mask with the engine to compute each label's ROI volume in mL (so the
 * legend's numbers are the engine's, whatever the webview does), and warns when the mask does not
 * lie on a sequence's grid.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { assertSameGrid } from '../engine/image/same-grid';
import { readNifti } from '../engine/io/nifti';
import { RgsError } from '../engine/util/errors';
import type { LabelInfo, SequenceInfo, VolumeSource } from './messages';
import { labelVolumes } from './roi-volumes';
import { buildLegend, type SubjectRequest } from './subject-args';
import { maxVolumeSizeMB } from './viewer-provider';
import { checkVolumeSize } from './volume-size';
import { type HeaderFacts, readHeader, volumeSource } from './volume-sources';
import { type PreparedInit, startWebviewSession } from './webview-session';
import type { WebviewReport, WebviewTracker } from './webview-tracker';

export const SUBJECT_VIEW_TYPE = 'radiogenomics.subjectView';

interface MaskFacts {
  legend: LabelInfo[];
  header: HeaderFacts;
}

function transportOf(sources: VolumeSource[]): WebviewReport['transport'] {
  const kinds = new Set(sources.map((s) => s.kind));
  return kinds.size > 1 ? 'mixed' : sources[0]?.kind;
}

export class SubjectViewManager implements vscode.Disposable {
  private readonly panels = new Set<vscode.WebviewPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tracker: WebviewTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Open a panel for the subject; the page asks for its volumes once it runs. */
  open(request: SubjectRequest, column: vscode.ViewColumn = vscode.ViewColumn.Active): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel(SUBJECT_VIEW_TYPE, `Subject: ${request.title}`, column, {
      enableScripts: true,
      // Four NiiVue views would reload every volume each time the tab is hidden otherwise.
      retainContextWhenHidden: true,
    });
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'subject-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'subject-dark.svg'),
    };
    this.panels.add(panel);

    // The mask is read (and its label volumes counted) once per panel, not on every page reload.
    let maskFacts: MaskFacts | undefined;
    const readMask = (): MaskFacts => {
      if (!maskFacts) {
        const mask = readNifti(request.maskPath);
        const legend = buildLegend(labelVolumes(mask, request.maskPath), request.labelNames, request.labelColors);
        maskFacts = { legend, header: { ...mask.header, dims: mask.dims, spacing: mask.spacing, affine: mask.affine } };
      }
      return maskFacts;
    };

    const prepare = async (): Promise<PreparedInit> => {
      const limit = maxVolumeSizeMB();
      const all = [...request.sequences, { name: 'mask', path: request.maskPath }];
      const headers: HeaderFacts[] = [];
      const refusals: string[] = [];
      for (const s of all) {
        const h = await readHeader(vscode.Uri.file(s.path));
        const check = checkVolumeSize(h, limit, basename(s.path));
        if (!check.ok) refusals.push(check.message);
        headers.push(h);
      }
      if (refusals.length > 0) return { message: { type: 'show-error', message: refusals.join(' ') } };

      const { legend, header: maskHeader } = readMask();
      const warnings: string[] = [];
      request.sequences.forEach((s, i) => {
        try {
          assertSameGrid(headers[i], s.path, maskHeader, request.maskPath);
        } catch (e) {
          if (!(e instanceof RgsError)) throw e;
          // NiiVue still overlays by world coordinates; features, though, need one grid.
          warnings.push(`${e.message} (the overlay is placed by world coordinates)`);
        }
      });
      const sequences: SequenceInfo[] = [];
      for (const s of request.sequences) {
        sequences.push({ name: s.name, source: await volumeSource(vscode.Uri.file(s.path), panel.webview) });
      }
      const mask = await volumeSource(vscode.Uri.file(request.maskPath), panel.webview);
      return {
        message: { type: 'init-subject', title: request.title, sequences, mask, labels: legend, warnings },
        transport: transportOf([...sequences.map((s) => s.source), mask]),
      };
    };

    const session = startWebviewSession({
      extensionUri: this.extensionUri,
      webview: panel.webview,
      mode: 'subject',
      title: request.title,
      resource: request.title,
      tracker: this.tracker,
      log: this.log,
      prepare,
    });
    panel.onDidDispose(() => {
      session.dispose();
      this.panels.delete(panel);
    });
    return panel;
  }

  dispose(): void {
    for (const p of [...this.panels]) p.dispose();
  }
}
