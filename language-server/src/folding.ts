/**
 * Folding ranges from indentation, so that they work while the document does not parse: a key
 * or list item folds the more indented lines below it (a list written at its key's column,
 * `key:` then `- item`, folds with its key), and runs of two or more comment lines fold as
 * comments. Blank and comment lines inside a block do not end it; the fold ends at the block's
 * last content line.
 */
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import type { Lines } from './cursor';

export function foldingRanges(lines: Lines): FoldingRange[] {
  const out: FoldingRange[] = [];
  // Open blocks: their first line and effective indentation.
  const stack: { line: number; indent: number }[] = [];
  let lastContent = -1;
  let commentStart = -1;
  let commentEnd = -1;
  const closeComments = (): void => {
    if (commentStart >= 0 && commentEnd > commentStart) out.push({ startLine: commentStart, endLine: commentEnd, kind: FoldingRangeKind.Comment });
    commentStart = -1;
  };
  const closeBlocks = (indent: number): void => {
    while (stack.length > 0 && stack[stack.length - 1].indent >= indent) {
      const open = stack.pop();
      if (open !== undefined && lastContent > open.line) out.push({ startLine: open.line, endLine: lastContent });
    }
  };
  for (let i = 0; i < lines.lines.length; i++) {
    const text = lines.lines[i];
    const indent = text.length - text.trimStart().length;
    const rest = text.slice(indent);
    if (rest === '') continue;
    if (rest.startsWith('#')) {
      if (commentStart < 0) commentStart = i;
      commentEnd = i;
      continue;
    }
    closeComments();
    // A list item sits half a level inside the key at its own column.
    const effective = rest.startsWith('- ') || rest === '-' ? indent + 0.5 : indent;
    closeBlocks(effective);
    stack.push({ line: i, indent: effective });
    lastContent = i;
  }
  closeComments();
  closeBlocks(-1);
  return out.sort((a, b) => a.startLine - b.startLine);
}
