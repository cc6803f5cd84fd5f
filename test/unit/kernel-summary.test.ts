/**
 * The cohort cell's summary (src/kernel/study-cell.ts): an HTML table, which VS Code shows with
 * its built-in renderer, and the same rows as Markdown, which the saved notebook keeps.
 */
import { describe, expect, it } from 'vitest';
import { summaryHtml, summaryMarkdown } from '../../src/kernel/study-cell';

describe('cohort summary', () => {
  const rows: [string, string][] = [
    ['Study', 'gbm — <IDH> & "MGMT"'],
    ['Sequences', 'T1|T2'],
  ];

  it('writes an HTML table with every value escaped', () => {
    expect(summaryHtml(rows)).toBe(
      '<table>\n<tr><th style="text-align: left">Study</th><td>gbm — &lt;IDH&gt; &amp; &quot;MGMT&quot;</td></tr>\n' +
        '<tr><th style="text-align: left">Sequences</th><td>T1|T2</td></tr>\n</table>',
    );
  });

  it('writes the same rows as a Markdown table, pipes escaped', () => {
    expect(summaryMarkdown(rows)).toBe('| | |\n|---|---|\n| Study | gbm — <IDH> & "MGMT" |\n| Sequences | T1\\|T2 |');
  });
});
