/**
 * Where the cursor is, from the lines alone (language-server/src/cursor.ts): the kind of thing
 * being typed and the path it goes into, in documents that do not parse. `¦` marks the cursor in
 * each case; the expected paths are read off the indentation by hand.
 */
import { describe, expect, it } from 'vitest';
import { cursorContext, type CursorContext } from '../../language-server/src/cursor';
import { yamlText } from '../../language-server/src/completion';

function at(lines: string[]): CursorContext | null {
  const text = lines.join('\n');
  const offset = text.indexOf('¦');
  return cursorContext(text.replace('¦', ''), offset);
}

function brief(c: CursorContext | null): unknown {
  return c === null ? null : { kind: c.kind, path: c.path, prefix: c.prefix, ...(c.kind === 'item' ? { index: c.index } : {}), siblings: c.siblings };
}

describe('cursorContext', () => {
  it('a key being typed: the mapping its indentation puts it in, the keys already there', () => {
    expect(brief(at(['cohort:', '  manifest: m.csv', '  lab¦', '  rois: [a]']))).toEqual({ kind: 'key', path: ['cohort'], prefix: 'lab', siblings: ['manifest', 'rois'] });
    expect(brief(at(['cohort:', '  labels:', '    a: 1', '¦']))).toEqual({ kind: 'key', path: [], prefix: '', siblings: ['cohort'] });
    expect(brief(at(['cohort:', '  labels:', '    a: 1', '  ¦']))).toEqual({ kind: 'key', path: ['cohort'], prefix: '', siblings: ['labels'] });
  });

  it('a value after `key: `, even when the line is all there is', () => {
    expect(brief(at(['preprocessing:', '  resampling:', '    interpolation: li¦']))).toEqual({ kind: 'value', path: ['preprocessing', 'resampling', 'interpolation'], prefix: 'li', siblings: [] });
    expect(brief(at(['a:', '  b: "x¦"']))).toMatchObject({ kind: 'value', path: ['a', 'b'], prefix: 'x' });
  });

  it('list items: the index among the items above, in an indented and in a compact list', () => {
    expect(brief(at(['cohort:', '  rois:', '    - a', '    - b', '    - ¦']))).toEqual({ kind: 'item', path: ['cohort', 'rois'], prefix: '', index: 2, siblings: ['a', 'b'] });
    expect(brief(at(['cohort:', '  rois:', '  - a', '  - ¦']))).toEqual({ kind: 'item', path: ['cohort', 'rois'], prefix: '', index: 1, siblings: ['a'] });
  });

  it('a key in a mapping inside a list item, on the dash line and below it', () => {
    expect(brief(at(['cohort:', '  clinical:', '    - file: a.csv', '    - subj¦']))).toMatchObject({ kind: 'item', path: ['cohort', 'clinical'], index: 1, prefix: 'subj' });
    expect(brief(at(['cohort:', '  clinical:', '    - file: a.csv', '      subj¦', '    - file: b.csv']))).toEqual({ kind: 'key', path: ['cohort', 'clinical', 0], prefix: 'subj', siblings: ['file'] });
    expect(brief(at(['cohort:', '  clinical:', '    - file: a.csv', '    - file: b.csv', '      subject_column: ¦']))).toMatchObject({
      kind: 'value',
      path: ['cohort', 'clinical', 1, 'subject_column'],
    });
  });

  it('inside flow collections on the cursor line', () => {
    expect(brief(at(['features:', '  families: [stat, cm, ¦']))).toEqual({ kind: 'item', path: ['features', 'families'], prefix: '', index: 2, siblings: ['stat', 'cm'] });
    expect(brief(at(['features:', '  discretisation: { method: fb¦']))).toEqual({ kind: 'value', path: ['features', 'discretisation', 'method'], prefix: 'fb', siblings: [] });
    expect(brief(at(['features:', '  discretisation: { method: fbn, bin¦']))).toEqual({ kind: 'key', path: ['features', 'discretisation'], prefix: 'bin', siblings: ['method'] });
    expect(brief(at(['a:', '  b: [x, y]  ¦']))).toBeNull(); // after a closed list: nothing to complete
  });

  it('nothing in a comment or a block scalar header', () => {
    expect(at(['a: 1  # note ¦'])).toBeNull();
    expect(at(['# ¦'])).toBeNull();
    expect(at(['a: |¦'])).toBeNull();
  });

  it('in the middle of a word: the whole word is replaced, a key\'s `:` and value stay', () => {
    const key = 'cohort:\n  manifest: m.csv';
    expect(cursorContext(key, key.indexOf('nifest'))).toMatchObject({ kind: 'key', prefix: 'ma', replace: [10, 18], colonFollows: true });
    const value = 'a:\n  interpolation: linear  # why';
    expect(cursorContext(value, value.indexOf('near'))).toMatchObject({ kind: 'value', prefix: 'li', replace: [20, 26], colonFollows: false });
    const flow = 'a: { method: fbn, bin_count: 3 }';
    expect(cursorContext(flow, flow.indexOf('bn'))).toMatchObject({ kind: 'value', path: ['a', 'method'], prefix: 'f', replace: [13, 16] });
    expect(cursorContext(flow, flow.indexOf('thod'))).toMatchObject({ kind: 'key', path: ['a'], prefix: 'me', replace: [5, 11], colonFollows: true });
  });

  it('the replace range is the typed word, quote included; CRLF lines are counted right', () => {
    const text = 'cohort:\r\n  rois: ["ne';
    const c = cursorContext(text, text.length);
    expect(c).toMatchObject({ kind: 'item', path: ['cohort', 'rois'], prefix: 'ne', quote: '"', inFlow: true, replace: [text.length - 3, text.length] });
  });
});

describe('yamlText', () => {
  it('plain where the value reads back the same, quoted where it would not', () => {
    expect(yamlText('linear', false, null)).toBe('linear');
    expect(yamlText('2D, averaged', false, null)).toBe('2D, averaged');
    expect(yamlText('2D, averaged', true, null)).toBe('"2D, averaged"');
    expect(yamlText('yes', false, null)).toBe('yes'); // YAML 1.2: text
    expect(yamlText('true', false, null)).toBe('"true"');
    expect(yamlText('1', false, null)).toBe('"1"');
    expect(yamlText('a: b', false, null)).toBe('"a: b"');
    expect(yamlText("it's", false, "'")).toBe("'it''s'");
    expect(yamlText(32, false, null)).toBe('32');
  });
});
