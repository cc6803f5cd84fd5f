/**
 * What each open webview of the extension is doing (waiting for its page, loaded, refused, ...),
 * exposed through the extension's API so tests and other extensions can wait for a view to be
 * really on screen rather than sleeping.
 */
import * as vscode from 'vscode';

export type WebviewKind = 'viewer' | 'subject';
export type WebviewStatus = 'waiting' | 'ready' | 'loaded' | 'refused' | 'error' | 'closed';

export interface WebviewReport {
  id: number;
  kind: WebviewKind;
  /** The volume (viewer) or the subject's title (subject view). */
  resource: string;
  status: WebviewStatus;
  /** How the volumes reached the page: 'url' (asWebviewUri, streamed) or 'bytes' (posted). */
  transport?: 'url' | 'bytes' | 'mixed';
  /** The refusal or error, when there is one. */
  message?: string;
  volumes?: { name: string; dims: number[] }[];
  /** When the host gave VS Code the page's HTML (epoch ms): it waits for its first answer, so
   *  that the page can preload the volumes (webview-session.ts). */
  pageWrittenAt?: number;
  /** What the page's CSP blocked ("directive: URI"); empty unless the policy and the bundle
   *  disagree. */
  cspViolations: string[];
}

export class WebviewTracker implements vscode.Disposable {
  private readonly reports = new Map<number, WebviewReport>();
  private nextId = 1;
  private readonly emitter = new vscode.EventEmitter<WebviewReport>();
  readonly onDidChange = this.emitter.event;

  add(kind: WebviewKind, resource: string): WebviewReport {
    const r: WebviewReport = { id: this.nextId++, kind, resource, status: 'waiting', cspViolations: [] };
    this.reports.set(r.id, r);
    this.emitter.fire({ ...r, cspViolations: [] });
    return r;
  }

  update(id: number, change: Partial<Omit<WebviewReport, 'id' | 'kind' | 'cspViolations'>>): void {
    const r = this.reports.get(id);
    if (!r) return;
    Object.assign(r, change);
    this.emitter.fire({ ...r, cspViolations: [...r.cspViolations] });
    if (r.status === 'closed') this.reports.delete(id);
  }

  /** Record a CSP violation the page reported (kept to the first 20). */
  addCspViolation(id: number, what: string): void {
    const r = this.reports.get(id);
    if (!r || r.cspViolations.length >= 20) return;
    r.cspViolations.push(what);
    this.emitter.fire({ ...r, cspViolations: [...r.cspViolations] });
  }

  /** Snapshots of the open webviews. */
  list(): WebviewReport[] {
    return [...this.reports.values()].map((r) => ({ ...r, cspViolations: [...r.cspViolations] }));
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
