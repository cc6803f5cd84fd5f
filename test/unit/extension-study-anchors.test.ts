/**
 * Where the study file's code lenses go (src/extension/study/study-anchors.ts): the top-level
 * `cohort` key and the cohort's `manifest` key, found in the YAML document, as 0-based
 * line/character positions of the key's first character.
 */
import { describe, expect, it } from 'vitest';
import { findStudyAnchors } from '../../src/extension/study/study-anchors';

describe('findStudyAnchors', () => {
  it('finds cohort: and its manifest: in a block-style study', () => {
    const text = [
      '# A study',
      'study:',
      '  id: x',
      'cohort:',
      '  # the table of subjects',
      '  manifest: manifest.csv',
      '  subject_column: subject_id',
    ].join('\n');
    // "cohort" starts line 4 (0-based 3) at column 0; "manifest" line 6 (0-based 5) after 2 spaces.
    expect(findStudyAnchors(text)).toEqual({ cohort: { line: 3, character: 0 }, manifest: { line: 5, character: 2 } });
  });

  it('ignores comments and keys of the same name in other sections', () => {
    const text = [
      '# cohort: not this one',
      'analysis:',
      '  manifest: not-this.csv',
      '  cohort: nor this',
      'cohort:',
      '    subject_column: id',
      '    manifest: m.csv',
    ].join('\n');
    expect(findStudyAnchors(text)).toEqual({ cohort: { line: 4, character: 0 }, manifest: { line: 6, character: 4 } });
  });

  it('reads quoted keys and flow style', () => {
    const text = 'study: { id: x }\n"cohort": { subject_column: id, manifest: m.csv }\n';
    // `"cohort"` starts at the quote; `manifest` is the 33rd character of line 2 (0-based 32).
    const line = text.split('\n')[1];
    expect(findStudyAnchors(text)).toEqual({ cohort: { line: 1, character: 0 }, manifest: { line: 1, character: line.indexOf('manifest') } });
    expect(line.indexOf('manifest')).toBe(32);
  });

  it('gives null for what is not there', () => {
    expect(findStudyAnchors('')).toEqual({ cohort: null, manifest: null });
    expect(findStudyAnchors('study:\n  id: x\n')).toEqual({ cohort: null, manifest: null });
    expect(findStudyAnchors('cohort:\n  subject_column: id\n')).toEqual({ cohort: { line: 0, character: 0 }, manifest: null });
    // A list at the top level is not a study: no lenses, no exception.
    expect(findStudyAnchors('- cohort: x\n')).toEqual({ cohort: null, manifest: null });
  });

  it('still finds them in a document with a syntax error further down', () => {
    const text = 'cohort:\n  manifest: m.csv\n  labels: { necrosis: 1, oedema: 2\nfeatures: [\n';
    expect(findStudyAnchors(text)).toEqual({ cohort: { line: 0, character: 0 }, manifest: { line: 1, character: 2 } });
  });

  it('copes with CRLF line ends', () => {
    expect(findStudyAnchors('study:\r\n  id: x\r\ncohort:\r\n  manifest: m.csv\r\n')).toEqual({ cohort: { line: 2, character: 0 }, manifest: { line: 3, character: 2 } });
  });
});
