/**
 * Getting a volume to a webview: files inside a workspace folder go as `asWebviewUri` URLs (the
 * webview may fetch them, so NiiVue streams and decompresses them itself); files elsewhere are
 * outside the webview's localResourceRoots, so their bytes are posted. Headers are read before
 * either, for the size check.
 */
import { basename } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import * as vscode from 'vscode';
import type { Grid } from '../engine/image/volume';
import { readNiftiHeader, type NiftiHeader } from '../engine/io/nifti';
import { parseNiftiHeader } from '../engine/io/nifti-header';
import { RgsError } from '../engine/util/errors';
import type { VolumeSource } from './messages';

export type HeaderFacts = NiftiHeader & Grid;

/** The display name of a resource: its file name (NiiVue infers the format from it). */
export function resourceName(uri: vscode.Uri): string {
  return basename(uri.path);
}

/** The header of a NIfTI file on disk or on any file system VS Code can read. */
export async function readHeader(uri: vscode.Uri): Promise<HeaderFacts> {
  if (uri.scheme === 'file') return readNiftiHeader(uri.fsPath);
  const bytes = await vscode.workspace.fs.readFile(uri);
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let raw: Uint8Array;
  try {
    // Only the start of the stream is needed; Z_SYNC_FLUSH returns what inflates without the end.
    raw = gz ? gunzipSync(bytes.subarray(0, 65536), { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : bytes;
  } catch (e) {
    throw new RgsError(`${uri.toString()}: corrupt or truncated gzip data`, { file: uri.toString(), cause: e });
  }
  const p = parseNiftiHeader(raw, uri.toString());
  return { ...p.header, dims: p.dims, spacing: p.spacing, affine: p.affine };
}

export function isInWorkspace(uri: vscode.Uri): boolean {
  return vscode.workspace.getWorkspaceFolder(uri) !== undefined;
}

/** The roots a webview may load from: the extension's bundles and styles, and the workspace. */
export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [
    vscode.Uri.joinPath(extensionUri, 'dist'),
    vscode.Uri.joinPath(extensionUri, 'media'),
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => f.uri),
  ];
}

export async function volumeSource(uri: vscode.Uri, webview: vscode.Webview): Promise<VolumeSource> {
  const name = resourceName(uri);
  if (isInWorkspace(uri)) return { kind: 'url', name, url: webview.asWebviewUri(uri).toString() };
  return { kind: 'bytes', name, data: plainArrayBuffer(await vscode.workspace.fs.readFile(uri)) };
}

/**
 * The bytes as an ArrayBuffer of their own. VS Code transfers an ArrayBuffer (or a typed array
 * whose constructor is a standard one) to the webview as binary; the Buffer that readFile returns
 * on Node is neither (constructor "Buffer") and would be sent as JSON.
 */
export function plainArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}
