/**
 * The NIfTI viewer: a read-only custom editor for *.nii and *.nii.gz (package.json
 * contributes.customEditors). The header is read first and the volume refused, with the
 * numbers, when it is above the size limit; otherwise the page gets a URL (inside the workspace)
 * or the bytes (outside it) and NiiVue draws it.
 */
import * as vscode from 'vscode';
import type { VolumeInfo } from './messages';
import { checkVolumeSize, MAX_VOLUME_SETTING, volumeLimitFromSetting } from './volume-size';
import { readHeader, resourceName, volumeSource } from './volume-sources';
import { startWebviewSession } from './webview-session';
import type { WebviewTracker } from './webview-tracker';

export const VIEWER_VIEW_TYPE = 'radiogenomics.niftiViewer';

/** The viewer's settings, read each time a volume opens so changes apply without a reload. */
export function maxVolumeSizeMB(): number {
  return volumeLimitFromSetting(vscode.workspace.getConfiguration().get<unknown>(MAX_VOLUME_SETTING));
}

class NiftiDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {
    // Nothing held: the file is read when a page asks for it.
  }
}

export class NiftiViewerProvider implements vscode.CustomReadonlyEditorProvider<NiftiDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly tracker: WebviewTracker,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  static register(extensionUri: vscode.Uri, tracker: WebviewTracker, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerCustomEditorProvider(VIEWER_VIEW_TYPE, new NiftiViewerProvider(extensionUri, tracker, log), {
      // NiiVue's state (slices, window) would be lost, and the volume reloaded, each time the tab
      // is hidden otherwise.
      webviewOptions: { retainContextWhenHidden: true },
      supportsMultipleEditorsPerDocument: false,
    });
  }

  openCustomDocument(uri: vscode.Uri): NiftiDocument {
    return new NiftiDocument(uri);
  }

  resolveCustomEditor(document: NiftiDocument, panel: vscode.WebviewPanel): void {
    const uri = document.uri;
    const name = resourceName(uri);
    const session = startWebviewSession({
      extensionUri: this.extensionUri,
      webview: panel.webview,
      mode: 'viewer',
      title: name,
      resource: uri.toString(),
      tracker: this.tracker,
      log: this.log,
      prepare: async () => {
        const header = await readHeader(uri);
        const check = checkVolumeSize(header, maxVolumeSizeMB(), name);
        if (!check.ok) return { message: { type: 'show-error', message: check.message } };
        const info: VolumeInfo = {
          dims: header.dims,
          spacing: header.spacing,
          datatype: header.datatypeName,
          bytes: check.size.bytes,
        };
        const volume = await volumeSource(uri, panel.webview);
        return { message: { type: 'init-viewer', volume, info }, transport: volume.kind };
      },
    });
    panel.onDidDispose(() => session.dispose());
  }
}
