/**
 * The messages between the extension host and its webviews (the NIfTI viewer and the subject
 * view), with the type guards both sides run before using one. A webview is a web page: whatever
 * it posts is untrusted input to the host, so the host never reads a field it has not checked.
 *
 * This module imports nothing from `vscode` or Node: the webview bundle imports it too.
 */

/** Where a webview gets a volume from: a webview URL it fetches (files inside the workspace,
 *  NiiVue streams them) or the file's bytes posted by the host (files outside it). */
export type VolumeSource =
  | { kind: 'url'; name: string; url: string }
  | { kind: 'bytes'; name: string; data: ArrayBuffer | Uint8Array };

/** What the host read from a volume's header, shown in the viewer's status line. */
export interface VolumeInfo {
  dims: number[];
  spacing: number[];
  datatype: string;
  /** Uncompressed size of the voxel data in bytes. */
  bytes: number;
}

/** One label of a mask as the subject view shows it. */
export interface LabelInfo {
  value: number;
  name: string;
  /** sRGB 0..255. */
  color: [number, number, number];
  voxels: number;
  /** ROI volume in millilitres, computed by the host from the mask (voxel count x voxel volume). */
  volumeMl: number;
}

export interface SequenceInfo {
  /** The sequence's name as the study calls it (T1, T1CE, T2, FLAIR, ...). */
  name: string;
  source: VolumeSource;
}

// ---- host -> webview --------------------------------------------------------------------------

export interface InitViewerMessage {
  type: 'init-viewer';
  volume: VolumeSource;
  info: VolumeInfo;
}

export interface InitSubjectMessage {
  type: 'init-subject';
  title: string;
  sequences: SequenceInfo[];
  mask: VolumeSource;
  labels: LabelInfo[];
  /** Problems worth showing that do not stop the view (e.g. mask grid differs from an image's). */
  warnings: string[];
}

/** Shown in place of the viewer (e.g. the volume is above the size limit). */
export interface ShowErrorMessage {
  type: 'show-error';
  message: string;
}

export type HostToWebviewMessage = InitViewerMessage | InitSubjectMessage | ShowErrorMessage;

// ---- webview -> host --------------------------------------------------------------------------

/** The webview's script is running and listening: the host may send `init-*` now. */
export interface ReadyMessage {
  type: 'ready';
}

/** The volumes are on screen. */
export interface LoadedMessage {
  type: 'loaded';
  volumes: { name: string; dims: number[] }[];
}

export type WebviewErrorCode = 'webgl2-unavailable' | 'load-failed' | 'bad-message';

export interface WebviewErrorMessage {
  type: 'error';
  code: WebviewErrorCode;
  message: string;
}

/** The page's Content-Security-Policy blocked something: a defect of the extension (the policy
 *  and the bundle disagree), reported so it is logged and caught by the tests. */
export interface CspViolationMessage {
  type: 'csp-violation';
  directive: string;
  blocked: string;
}

export type WebviewToHostMessage = ReadyMessage | LoadedMessage | WebviewErrorMessage | CspViolationMessage;

// ---- guards -----------------------------------------------------------------------------------

/** Bounds that keep a misbehaving page from making the host log or show megabytes of text. */
export const MAX_TEXT_LENGTH = 4000;
export const MAX_LIST_LENGTH = 64;
const ERROR_CODES: readonly WebviewErrorCode[] = ['webgl2-unavailable', 'load-failed', 'bad-message'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isText(x: unknown, max = MAX_TEXT_LENGTH): x is string {
  return typeof x === 'string' && x.length <= max;
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function isNumberList(x: unknown, max = 8): x is number[] {
  return Array.isArray(x) && x.length <= max && x.every(isFiniteNumber);
}

function isColor(x: unknown): x is [number, number, number] {
  return Array.isArray(x) && x.length === 3 && x.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
}

function isVolumeSource(x: unknown): x is VolumeSource {
  if (!isRecord(x) || !isText(x.name) || x.name.length === 0) return false;
  if (x.kind === 'url') return isText(x.url, 8192) && x.url.length > 0;
  if (x.kind === 'bytes') return x.data instanceof ArrayBuffer || x.data instanceof Uint8Array;
  return false;
}

function isVolumeInfo(x: unknown): x is VolumeInfo {
  return isRecord(x) && isNumberList(x.dims) && isNumberList(x.spacing) && isText(x.datatype) && isFiniteNumber(x.bytes);
}

function isLabelInfo(x: unknown): x is LabelInfo {
  return (
    isRecord(x) &&
    Number.isInteger(x.value) &&
    isText(x.name, 200) &&
    isColor(x.color) &&
    isFiniteNumber(x.voxels) &&
    isFiniteNumber(x.volumeMl)
  );
}

function isSequenceInfo(x: unknown): x is SequenceInfo {
  return isRecord(x) && isText(x.name, 200) && isVolumeSource(x.source);
}

function isListOf<T>(x: unknown, guard: (y: unknown) => y is T): x is T[] {
  return Array.isArray(x) && x.length <= MAX_LIST_LENGTH && x.every(guard);
}

/** A message the webview posted, or null when it is not one the host understands. */
export function parseWebviewMessage(x: unknown): WebviewToHostMessage | null {
  if (!isRecord(x)) return null;
  switch (x.type) {
    case 'ready':
      return { type: 'ready' };
    case 'loaded':
      if (!isListOf(x.volumes, (v): v is { name: string; dims: number[] } => isRecord(v) && isText(v.name, 1000) && isNumberList(v.dims))) {
        return null;
      }
      return { type: 'loaded', volumes: x.volumes.map((v) => ({ name: v.name, dims: [...v.dims] })) };
    case 'error':
      if (!isText(x.message) || !ERROR_CODES.includes(x.code as WebviewErrorCode)) return null;
      return { type: 'error', code: x.code as WebviewErrorCode, message: x.message };
    case 'csp-violation':
      if (!isText(x.directive, 200) || !isText(x.blocked, 2000)) return null;
      return { type: 'csp-violation', directive: x.directive, blocked: x.blocked };
    default:
      return null;
  }
}

/** A message the host posted, or null when it is malformed (checked in the webview). */
export function parseHostMessage(x: unknown): HostToWebviewMessage | null {
  if (!isRecord(x)) return null;
  switch (x.type) {
    case 'init-viewer':
      return isVolumeSource(x.volume) && isVolumeInfo(x.info)
        ? { type: 'init-viewer', volume: x.volume, info: x.info }
        : null;
    case 'init-subject':
      if (
        !isText(x.title, 500) ||
        !isListOf(x.sequences, isSequenceInfo) ||
        x.sequences.length === 0 ||
        !isVolumeSource(x.mask) ||
        !isListOf(x.labels, isLabelInfo) ||
        !isListOf(x.warnings, (w): w is string => isText(w))
      ) {
        return null;
      }
      return {
        type: 'init-subject',
        title: x.title,
        sequences: x.sequences,
        mask: x.mask,
        labels: x.labels,
        warnings: x.warnings,
      };
    case 'show-error':
      return isText(x.message) ? { type: 'show-error', message: x.message } : null;
    default:
      return null;
  }
}

/** The URLs of the volumes an init message makes the page fetch (what the page may preload). */
export function urlsToPreload(message: HostToWebviewMessage): string[] {
  const sources = message.type === 'init-subject' ? [...message.sequences.map((s) => s.source), message.mask] : message.type === 'init-viewer' ? [message.volume] : [];
  return sources.flatMap((s) => (s.kind === 'url' ? [s.url] : []));
}
