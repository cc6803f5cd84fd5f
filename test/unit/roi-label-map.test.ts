import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseLabelMap, readLabelMap } from '../../src/engine/roi/label-map';

const dir = mkdtempSync(join(tmpdir(), 'rgs-labelmap-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('readLabelMap', () => {
  test('YAML with unions by label and by name, in any order of definition', () => {
    const p = write(
      'brats.yaml',
      [
        'whole_tumour: [tumour_core, oedema]', // refers to names defined later
        'necrosis: 1',
        'oedema: 2',
        'enhancing: 4',
        'tumour_core: [necrosis, enhancing]',
        'mixed: [necrosis, 2]',
        'alias: enhancing',
      ].join('\n'),
    );
    const m = readLabelMap(p);
    expect(m.source).toBe(p);
    expect([...m.keys()]).toEqual(['whole_tumour', 'necrosis', 'oedema', 'enhancing', 'tumour_core', 'mixed', 'alias']);
    expect(m.get('whole_tumour')).toEqual([1, 2, 4]);
    expect(m.get('tumour_core')).toEqual([1, 4]);
    expect(m.get('necrosis')).toEqual([1]);
    expect(m.get('mixed')).toEqual([1, 2]);
    expect(m.get('alias')).toEqual([4]);
  });

  test('JSON', () => {
    const m = readLabelMap(write('map.json', '{ "necrosis": 1, "tumour_core": [1, 4] }'));
    expect(m.get('tumour_core')).toEqual([1, 4]);
  });

  test('YAML tags do not construct objects (data only)', () => {
    // The unknown tag leaves a plain string, which is then rejected as neither label nor name.
    expect(() => parseLabelMap('a: !!js/function "function () { return 1 }"', 'evil.yaml')).toThrow(
      'evil.yaml: entry "a" (line 1): "function () { return 1 }" is neither an integer label nor the name of another entry',
    );
  });

  test('errors name the file, the entry and the problem', () => {
    expect(() => parseLabelMap('a: 1\nb: [a, nope]\n', 'm.yaml')).toThrow(
      'm.yaml: entry "b" (line 2): unknown name "nope" in the union (defined: a, b)',
    );
    expect(() => parseLabelMap('a: 1.5\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): 1.5 is not an integer label');
    expect(() => parseLabelMap('a: [1, 2.5]\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): 2.5 is not an integer label');
    expect(() => parseLabelMap('a: 1\nb: 2\na: 3\n', 'm.yaml')).toThrow('m.yaml: duplicate name "a" (line 3)');
    expect(() => parseLabelMap('{"a": 1, "a": 2}', 'm.json')).toThrow('m.json: duplicate name "a" (line 1)');
    expect(() => parseLabelMap('a: [b]\nb: [c, 1]\nc: [a]\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): cycle a -> b -> c -> a');
    expect(() => parseLabelMap('a: [a]\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): cycle a -> a');
    expect(() => parseLabelMap('a: 0\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): label 0 is not allowed');
    expect(() => parseLabelMap('a: []\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): an empty union');
    expect(() => parseLabelMap('a:\n', 'm.yaml')).toThrow('m.yaml: entry "a" (line 1): null is neither an integer label nor the name of another entry');
    expect(() => parseLabelMap('1bad: 1\n', 'm.yaml')).toThrow('m.yaml: entry "1bad" (line 1): not a valid name');
    expect(() => parseLabelMap('all: [1, 2]\n', 'm.yaml')).toThrow('m.yaml: entry "all" (line 1): "all" is reserved');
    expect(() => parseLabelMap('- 1\n- 2\n', 'm.yaml')).toThrow('m.yaml: expected a mapping of ROI names to labels');
    expect(() => parseLabelMap('a: [1,\n', 'm.yaml')).toThrow(/^m\.yaml: not valid YAML or JSON \(line \d+\)/);
    const missing = join(dir, 'missing.yaml');
    expect(() => readLabelMap(missing)).toThrow(`${missing}: file not found`);
  });
});
