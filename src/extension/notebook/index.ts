/**
 * Radiogenomics notebooks in VS Code: the `.rgnb` serializer, the kernel (one controller for
 * `.rgnb` notebooks, one for Jupyter notebooks) and the diagnostics of study cells. The output
 * renderers need no registration here: package.json `contributes.notebookRenderer` points VS Code
 * at dist/renderers/*.js.
 */
import * as vscode from 'vscode';
import { NotebookKernel } from './controller';
import { RGNB_NOTEBOOK_TYPE, RgnbSerializer } from './serializer';

export const JUPYTER_NOTEBOOK_TYPE = 'jupyter-notebook';
export const RGNB_CONTROLLER_ID = 'radiogenomics.kernel';
export const JUPYTER_CONTROLLER_ID = 'radiogenomics.kernel.jupyter';

/**
 * Registers the notebook serializer, the two controllers and the diagnostics collection; returns
 * their disposables (the caller adds them to `context.subscriptions`).
 */
export function registerNotebooks(context: vscode.ExtensionContext): vscode.Disposable[] {
  const workerScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'kernel-worker.js').fsPath;
  const diagnostics = vscode.languages.createDiagnosticCollection('radiogenomics-notebook');
  return [
    vscode.workspace.registerNotebookSerializer(RGNB_NOTEBOOK_TYPE, new RgnbSerializer(), { transientOutputs: false }),
    diagnostics,
    new NotebookKernel(RGNB_CONTROLLER_ID, RGNB_NOTEBOOK_TYPE, workerScript, diagnostics),
    new NotebookKernel(JUPYTER_CONTROLLER_ID, JUPYTER_NOTEBOOK_TYPE, workerScript, diagnostics),
  ];
}
