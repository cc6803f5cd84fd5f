/**
 * The part of VS Code's notebook renderer API these renderers use (the `vscode-notebook-renderer`
 * types, written out here rather than added as a dependency). A renderer module exports
 * `activate(ctx)`, which returns the functions VS Code calls for each output item.
 */

export interface OutputItem {
  /** Unique id of the output item (stable across re-renders of the same output). */
  readonly id: string;
  readonly mime: string;
  readonly metadata?: unknown;
  text(): string;
  json(): unknown;
  data(): Uint8Array;
}

export interface RendererContext {
  getState?(): unknown;
  setState?(value: unknown): void;
  readonly workspace?: { readonly isTrusted: boolean };
}

export interface RendererApi {
  renderOutputItem(outputItem: OutputItem, element: HTMLElement, signal?: AbortSignal): void | Promise<void>;
  disposeOutputItem?(id?: string): void;
}

export type ActivationFunction = (context: RendererContext) => RendererApi;
