/**
 * VS Code's side of the `.rgnb` format (rgnb-format.ts): notebook bytes <-> NotebookData.
 * Outputs are saved with the notebook (they hold the results a reader wants to see without
 * re-running a cohort extraction); execution order and success are kept, timings are not.
 */
import * as vscode from 'vscode';
import { RgsError } from '../../engine/util/errors';
import {
  itemFromBytes,
  itemToBytes,
  parseRgnb,
  serialiseRgnb,
  type JsonObject,
  type JsonValue,
  type RgnbCell,
  type RgnbNotebook,
} from './rgnb-format';

export const RGNB_NOTEBOOK_TYPE = 'radiogenomics-notebook';

/** Plain JSON of a metadata value (VS Code's metadata is `any`): drops what JSON cannot hold. */
export function toJsonValue(v: unknown): JsonValue | undefined {
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x) ?? null);
  if (typeof v === 'object') {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const j = toJsonValue(x);
      if (j !== undefined) out[k] = j;
    }
    return out;
  }
  return undefined;
}

function toJsonObject(v: unknown): JsonObject {
  const j = toJsonValue(v ?? {});
  return j !== null && typeof j === 'object' && !Array.isArray(j) ? j : {};
}

export function notebookDataOf(nb: RgnbNotebook): vscode.NotebookData {
  const cells = nb.cells.map((c) => {
    const kind = c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code;
    const cell = new vscode.NotebookCellData(kind, c.source, c.language);
    cell.metadata = c.metadata;
    cell.outputs = c.outputs.map((o) => new vscode.NotebookCellOutput(o.items.map((it) => new vscode.NotebookCellOutputItem(itemToBytes(it), it.mime)), o.metadata));
    if (c.execution !== undefined) cell.executionSummary = { executionOrder: c.execution.order, success: c.execution.success };
    return cell;
  });
  const data = new vscode.NotebookData(cells);
  data.metadata = nb.metadata;
  return data;
}

export function rgnbOf(data: vscode.NotebookData): RgnbNotebook {
  return {
    metadata: toJsonObject(data.metadata),
    cells: data.cells.map((c): RgnbCell => {
      const markdown = c.kind === vscode.NotebookCellKind.Markup;
      const cell: RgnbCell = {
        kind: markdown ? 'markdown' : 'code',
        language: c.languageId,
        source: c.value,
        metadata: toJsonObject(c.metadata),
        outputs: markdown ? [] : (c.outputs ?? []).map((o) => ({ metadata: toJsonObject(o.metadata), items: o.items.map((it) => itemFromBytes(it.mime, it.data)) })),
      };
      const s = c.executionSummary;
      if (!markdown && s !== undefined && (s.executionOrder !== undefined || s.success !== undefined)) {
        cell.execution = { ...(s.executionOrder !== undefined ? { order: s.executionOrder } : {}), ...(s.success !== undefined ? { success: s.success } : {}) };
      }
      return cell;
    }),
  };
}

export class RgnbSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    try {
      return notebookDataOf(parseRgnb(new TextDecoder().decode(content)));
    } catch (e) {
      // VS Code shows the message in the editor that failed to open.
      if (e instanceof RgsError) throw new Error(`Cannot open this Radiogenomics notebook: ${e.message}`);
      throw e;
    }
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    return new TextEncoder().encode(serialiseRgnb(rgnbOf(data)));
  }
}
