import { describe, expect, test } from 'vitest';
import { formatRoiSelector, parseRoiSelector } from '../../src/engine/roi/selector';

describe('parseRoiSelector', () => {
  test('a label, a union, a name', () => {
    expect(parseRoiSelector('4')).toEqual({ kind: 'label', value: 4 });
    expect(parseRoiSelector(' 12 ')).toEqual({ kind: 'label', value: 12 });
    expect(parseRoiSelector('1+4')).toEqual({ kind: 'labels', values: [1, 4] });
    expect(parseRoiSelector('1, 4,2')).toEqual({ kind: 'labels', values: [1, 4, 2] });
    expect(parseRoiSelector('1+1+4')).toEqual({ kind: 'labels', values: [1, 4] });
    expect(parseRoiSelector('whole_tumour')).toEqual({ kind: 'name', name: 'whole_tumour' });
    expect(parseRoiSelector('GTV-1')).toEqual({ kind: 'name', name: 'GTV-1' });
    expect(parseRoiSelector('all')).toEqual({ kind: 'name', name: 'all' });
  });

  test('round trip through formatRoiSelector', () => {
    for (const t of ['4', '1+4', 'tumour_core']) expect(formatRoiSelector(parseRoiSelector(t))).toBe(t);
  });

  test('errors say what is accepted', () => {
    expect(() => parseRoiSelector('', 'study.yaml: roi')).toThrow(
      'study.yaml: roi: empty ROI selector (expected a label such as 4, a union such as 1+4, or a name)',
    );
    expect(() => parseRoiSelector('_x')).toThrow(
      'ROI "_x" is not a label (e.g. 4), a union of labels (1+4 or 1,4) or a name (letters, digits, _ and -, starting with a letter)',
    );
    expect(() => parseRoiSelector('1.5')).toThrow('ROI "1.5" is not a label');
    expect(() => parseRoiSelector('-3')).toThrow('ROI "-3" is not a label');
    expect(() => parseRoiSelector('1+x')).toThrow('ROI "1+x": "x" is not a label (a positive integer)');
    expect(() => parseRoiSelector('1+')).toThrow('ROI "1+": "" is not a label (a positive integer)');
    expect(() => parseRoiSelector('0')).toThrow('ROI "0": label 0 is the background and cannot be an ROI');
    expect(() => parseRoiSelector('0+1')).toThrow('ROI "0+1": label 0 is the background');
  });
});
