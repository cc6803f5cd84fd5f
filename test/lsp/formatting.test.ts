/**
 * The study-file formatter (language-server/src/formatting.ts): re-indentation only, never a
 * lost comment. Each case is an input and the exact output worked out by hand; every output is
 * checked to be a fixed point, and to hold the same data and the same comments as its input.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentsOf, formatText } from '../../language-server/src/formatting';

const OPTIONS = { tabSize: 2 };

function fmt(lines: string[], options: Parameters<typeof formatText>[1] = OPTIONS): string | null {
  return formatText(lines.join('\n'), options);
}

function expectFormatted(input: string[], expected: string[], options: Parameters<typeof formatText>[1] = OPTIONS): void {
  const out = fmt(input, options);
  expect(out).toBe(expected.join('\n'));
  const text = input.join('\n');
  expect(parse(out ?? '')).toEqual(parse(text));
  expect(commentsOf(out ?? '')).toEqual(commentsOf(text));
  // A fixed point: formatting the result again changes nothing.
  expect(formatText(out ?? '', options)).toBe(out);
}

describe('formatText', () => {
  it('four-space indentation becomes two, comments move with the key they precede', () => {
    expectFormatted(
      ['cohort:', '    # the manifest', '    manifest: m.csv', '    labels:', '        a: 1  # first', '        # between', '        b: 2', ''],
      ['cohort:', '  # the manifest', '  manifest: m.csv', '  labels:', '    a: 1  # first', '    # between', '    b: 2', ''],
    );
  });

  it('a comment not aligned with the next key stays where it is', () => {
    expectFormatted(['a:', '    b: 1', '# column 0, kept', '    c: 2', ''], ['a:', '  b: 1', '# column 0, kept', '  c: 2', '']);
  });

  it('list items: the space after `-` is normalised and the item mapping follows it', () => {
    expectFormatted(
      ['clinical:', '    -    file: a.csv', '         subject_column: id', '    -    file: b.csv', ''],
      ['clinical:', '  - file: a.csv', '    subject_column: id', '  - file: b.csv', ''],
    );
  });

  it('a list at its key\'s column stays there; nested lists and `- - x`', () => {
    expectFormatted(['rois:', '- a', '- b', 'm:', '    - - x', '      - y', ''], ['rois:', '- a', '- b', 'm:', '  - - x', '    - y', '']);
  });

  it('block scalars keep their content, `#` lines and blank lines inside them included', () => {
    expectFormatted(
      ['study:', '    question: |', '        line one', '          indented', '', '        # not a comment', '    title: t', ''],
      ['study:', '  question: |', '      line one', '        indented', '', '      # not a comment', '  title: t', ''],
    );
  });

  it('multi-line quoted and flow values move with their key', () => {
    expectFormatted(
      ['features:', '    families: [stat,', '        cm, szm]   ', '    note: "a long', '        text"', ''],
      ['features:', '  families: [stat,', '      cm, szm]', '  note: "a long', '      text"', ''],
    );
  });

  it('trailing spaces go, the file ends with one newline', () => {
    expectFormatted(['a: 1   ', 'b: 2', '', '', ''], ['a: 1', 'b: 2', '']);
    expectFormatted(['a: 1'], ['a: 1', '']);
  });

  it('four spaces when asked', () => {
    expectFormatted(['a:', '  b:', '  - c: 1', '    d: 2', ''], ['a:', '    b:', '    -   c: 1', '        d: 2', ''], { tabSize: 4 });
  });

  it('CRLF line ends are kept', () => {
    expect(formatText('a:\r\n    b: 1 # c\r\n', OPTIONS)).toBe('a:\r\n  b: 1 # c\r\n');
  });

  it('a document with YAML errors is left alone', () => {
    expect(fmt(['a:', '    b: [1, 2', 'c: 3'])).toBeNull();
    expect(fmt(['a: 1', 'a: 2'])).not.toBeNull(); // a duplicate key is the loader's error, not a syntax one
  });

  it('the safety net: a block scalar that re-indentation would break is not formatted', () => {
    // `-    |` with its content at column 2: moving the item's content 3 columns left (to `- |`)
    // would put the text at column 0, outside the list; the check finds the changed data.
    expect(fmt(['x:', '-    |', '  text', ''])).toBeNull();
    // With room to move, the content keeps its place relative to the `-`'s content column.
    expectFormatted(['x:', '-    |', '      text', ''], ['x:', '- |', '   text', '']);
  });

  it('every comment of the fixture study survives', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const text = readFileSync(join(__dirname, '..', 'fixtures', 'lsp', 'glioma.study.yaml'), 'utf8');
    const indented = text.replace(/^( +)/gm, (m) => m + m); // double every indentation
    const out = formatText(indented, OPTIONS);
    expect(out).toBe(text);
    expect(commentsOf(out ?? '')).toEqual(commentsOf(text));
    expect(commentsOf(text)).toHaveLength(3);
  });
});
