/**
 * The generic YAML-against-JSON-Schema validator: every kind of problem with its exact message
 * and exact line:column, on a small schema unrelated to the settings (so the validator is shown
 * to be generic), plus the helpers the language server uses (locate, nodeAt, schemaAt).
 */
import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import type { JsonSchema } from '../../src/engine/schema/json-schema';
import {
  describeExpected,
  formatPath,
  locate,
  nodeAt,
  parseYamlText,
  schemaAt,
  validateYamlNode,
  type SchemaProblem,
} from '../../src/engine/schema/validate-yaml';
import { editDistance, suggest } from '../../src/engine/schema/suggest';

const SHAPE: JsonSchema = {
  oneOf: [
    {
      type: 'object',
      properties: { kind: { const: 'circle' }, radius: { type: 'number', exclusiveMinimum: 0 } },
      required: ['kind', 'radius'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: { kind: { const: 'square' }, side: { type: 'number' } },
      required: ['kind', 'side'],
      additionalProperties: false,
    },
  ],
};

const SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', pattern: '^[a-z]+$' },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    ratio: { type: ['number', 'null'], exclusiveMinimum: 0, exclusiveMaximum: 1 },
    mode: { type: 'string', enum: ['fast', 'exact'] },
    tags: { type: 'array', items: { type: 'string' }, uniqueItems: true, maxItems: 3 },
    point: { type: 'array', items: { type: 'number' }, minItems: 2, maxItems: 2 },
    flag: { type: 'boolean' },
    shape: SHAPE,
    source: {
      oneOf: [
        { const: 'auto' },
        { type: 'object', properties: { file: { type: 'string' } }, required: ['file'], additionalProperties: false },
      ],
    },
    nested: {
      type: 'object',
      properties: { inner: { type: 'object', properties: { depth: { type: 'integer' } }, additionalProperties: false } },
      additionalProperties: false,
    },
  },
  required: ['name'],
  additionalProperties: false,
};

/** All problems of `text` as "line:col message" (1-based), syntax problems included. */
function problems(text: string, path: string[] = []): string[] {
  return raw(text, path).map(({ p, line, col }) => `${line}:${col} ${p.message}`);
}

function raw(text: string, path: string[] = []): { p: SchemaProblem; line: number; col: number }[] {
  const parsed = parseYamlText(text);
  const all = [...parsed.problems, ...validateYamlNode(parsed.doc.contents, SCHEMA, path, { doc: parsed.doc })];
  all.sort((a, b) => a.range[0] - b.range[0]);
  return all.map((p) => {
    const { line, col } = parsed.lineCounter.linePos(p.range[0]);
    return { p, line, col };
  });
}

describe('validateYamlNode: one message per kind of problem, at the exact position', () => {
  it('accepts a valid document', () => {
    const text = [
      'name: abc',
      'size: 10',
      'ratio: null',
      'mode: exact',
      'tags: [a, b]',
      'point: [1, 2.5]',
      'flag: false',
      'shape: {kind: circle, radius: 2}',
      'source: auto',
      'nested: {inner: {depth: 3}}',
    ].join('\n');
    expect(problems(text)).toEqual([]);
    expect(problems('name: x\nsource: {file: a.nii}\n')).toEqual([]);
  });

  it('wrong type: says what was expected and what was found', () => {
    // "size: " is 6 characters, so the value starts in column 7.
    expect(problems('name: abc\nsize: big\n')).toEqual(['2:7 size: expected an integer from 1 to 10, got "big"']);
    expect(problems('name: abc\nflag: 1\n')).toEqual(['2:7 flag: expected true or false, got 1']);
    expect(problems('name: abc\nnested: [1]\n')).toEqual(['2:9 nested: expected a mapping, got a list']);
    expect(problems('name: abc\npoint: {x: 1}\n')).toEqual(['2:8 point: expected a list of 2 items, got a mapping']);
  });

  it('YAML 1.1 booleans get a hint, because YAML 1.2 reads them as text', () => {
    expect(problems('name: abc\nflag: yes\n')).toEqual([
      '2:7 flag: expected true or false, got "yes" (YAML 1.2 reads `yes` as text; write true or false)',
    ]);
  });

  it('empty value: reported at its key, as "nothing"', () => {
    expect(problems('name: abc\nsize:\n')).toEqual(['2:1 size: expected an integer from 1 to 10, got nothing']);
  });

  it('numbers out of range: the bounds in words', () => {
    expect(problems('name: abc\nsize: 0\n')).toEqual(['2:7 size: expected an integer from 1 to 10, got 0']);
    expect(problems('name: abc\nsize: 2.5\n')).toEqual(['2:7 size: expected an integer from 1 to 10, got 2.5']);
    // ratio admits null too, but a number that is out of range is described as a number only.
    expect(problems('name: abc\nratio: 1\n')).toEqual(['2:8 ratio: expected a number > 0 and < 1, got 1']);
    expect(problems('name: abc\nratio: "x"\n')).toEqual(['2:8 ratio: expected a number > 0 and < 1 or null, got "x"']);
    expect(problems('name: abc\nratio: .nan\n')).toEqual(['2:8 ratio: expected a number > 0 and < 1 or null, got NaN']);
  });

  it('not in the allowed set: lists the allowed values and suggests the nearest', () => {
    expect(problems('name: abc\nmode: fats\n')).toEqual([
      '2:7 mode: expected one of `fast`, `exact`, got "fats"; did you mean `fast`?',
    ]);
    expect(problems('name: abc\nmode: slow\n')).toEqual(['2:7 mode: expected one of `fast`, `exact`, got "slow"']);
  });

  it('pattern', () => {
    expect(problems('name: ABC\n')).toEqual(['1:7 name: expected a string matching ^[a-z]+$, got "ABC"']);
  });

  it('unknown key: suggestion with a replace-key fix, or where the key belongs, or the allowed keys', () => {
    const r = raw('name: abc\nsiez: 3\n');
    expect(r.map(({ p, line, col }) => `${line}:${col} ${p.message}`)).toEqual([
      '2:1 unknown key `siez` at the top level; did you mean `size`?',
    ]);
    expect(r[0].p.fix).toEqual({ kind: 'replace-key', replacement: 'size' });
    expect(r[0].p.range).toEqual([10, 14]);
    // A key one level too high.
    expect(problems('name: abc\ninner: {}\n')).toEqual(['2:1 unknown key `inner` at the top level; it belongs in nested']);
    expect(problems('name: abc\nnested:\n  zzz: 1\n')).toEqual(['3:3 unknown key `zzz` in nested; keys: inner']);
    expect(problems('name: abc\nnested:\n  inner:\n    dpeth: 1\n')).toEqual([
      '4:5 unknown key `dpeth` in nested.inner; did you mean `depth`?',
    ]);
  });

  it('a misspelt required key is reported once, as the misspelling', () => {
    expect(problems('nmae: abc\n')).toEqual(['1:1 unknown key `nmae` at the top level; did you mean `name`?']);
  });

  it('missing required key: at the key of the parent mapping', () => {
    // The root has no key: the start of the document.
    expect(problems('size: 3\n')).toEqual(['1:1 missing required key `name` at the top level']);
    // Inside a branch: at `source`, the key whose value lacks `file`.
    expect(problems('name: abc\nsource: {}\n')).toEqual(['2:1 missing required key `file` in source']);
  });

  it('lists: length, items, duplicates', () => {
    expect(problems('name: abc\npoint: [1, 2, 3]\n')).toEqual(['2:8 point: expected exactly 2 items, got 3']);
    expect(problems('name: abc\npoint: [1, x]\n')).toEqual(['2:12 point[1]: expected a number, got "x"']);
    expect(problems('name: abc\ntags: [a, b, c, d]\n')).toEqual(['2:7 tags: expected at most 3 items, got 4']);
    expect(problems('name: abc\ntags: [a, b, a]\n')).toEqual(['2:14 tags[2]: `a` is listed more than once']);
  });

  it('discriminated oneOf: reports against the branch selected by the discriminator', () => {
    expect(problems('name: abc\nshape: {kind: circle, radius: -1}\n')).toEqual([
      '2:31 shape.radius: expected a number > 0, got -1',
    ]);
    expect(problems('name: abc\nshape: {kind: square, radius: 1}\n')).toEqual([
      '2:1 missing required key `side` in shape',
      '2:23 unknown key `radius` in shape; keys: kind, side',
    ]);
    expect(problems('name: abc\nshape: {kind: triangle}\n')).toEqual([
      '2:15 shape.kind: unknown kind `triangle`; kinds: circle, square',
    ]);
    expect(problems('name: abc\nshape: {kind: sqare}\n')).toEqual([
      '2:15 shape.kind: unknown kind `sqare`; kinds: circle, square; did you mean `square`?',
    ]);
    expect(problems('name: abc\nshape: {radius: 1}\n')).toEqual([
      '2:1 missing required key `kind` in shape (one of `circle`, `square`)',
    ]);
    expect(problems('name: abc\nshape: circle\n')).toEqual([
      '2:8 shape: expected a mapping with `kind` (`circle`, `square`), got "circle"',
    ]);
  });

  it('oneOf of different kinds: a scalar that fits no branch lists every alternative', () => {
    expect(problems('name: abc\nsource: aut\n')).toEqual([
      '2:9 source: expected `auto` or a mapping with `file`, got "aut"; did you mean `auto`?',
    ]);
    expect(problems('name: abc\nsource: [a]\n')).toEqual(['2:9 source: expected `auto` or a mapping with `file`, got a list']);
  });

  it('tags other than the core ones are refused: the file is plain data', () => {
    expect(problems('name: !shell abc\n')).toEqual([
      '1:14 name: the tag `!shell` is not allowed; settings are plain YAML data without tags',
    ]);
    expect(problems('name: abc\ntags: !!set {a, b}\n')).toEqual([
      '2:13 tags: the tag `!!set` is not allowed; settings are plain YAML data without tags',
    ]);
    expect(problems('name: !!binary aGVsbG8=\n')).toEqual([
      '1:16 name: the tag `!!binary` is not allowed; settings are plain YAML data without tags',
    ]);
    // Core tags are fine.
    expect(problems('name: !!str abc\nsize: !!int 3\n')).toEqual([]);
  });

  it('aliases: resolved (a scalar is reported where the alias is), unknown ones reported', () => {
    expect(problems('name: &n abc\nmode: *n\n')).toEqual(['2:7 mode: expected one of `fast`, `exact`, got "abc"']);
    expect(problems('name: abc\nmode: *nope\n')).toEqual(['2:7 mode: unknown alias `*nope` (no anchor `&nope` before it)']);
    const parsed = parseYamlText('name: &n abc\nmode: *n\n');
    expect(validateYamlNode(parsed.doc.contents, SCHEMA).map((p) => p.message)).toEqual([
      'mode: aliases (`*n`) are not supported here; write the value out',
    ]);
  });

  it('nested aliases cannot multiply the work ("billion laughs")', () => {
    // A recursive schema (lists of lists) would follow 10^8 alias copies without a limit.
    const nested: JsonSchema = { type: ['array', 'integer'] };
    nested.items = nested;
    const lines = ['- &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i < 9; i++) lines.push(`- &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const parsed = parseYamlText(lines.join('\n') + '\n');
    const found = validateYamlNode(parsed.doc.contents, nested, [], { doc: parsed.doc });
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.message.endsWith('too many aliases (at most 100); write the values out'))).toBe(true);
  });

  it('merge keys and complex keys are refused', () => {
    expect(problems('name: abc\n<<: {size: 1}\n')).toEqual([
      '2:1 unknown key `<<` at the top level: merge keys are not supported; write the keys out',
    ]);
    expect(problems('name: abc\n? [a]\n: 1\n')).toEqual(['2:3 top level: keys must be plain names, got a list']);
  });

  it('a path prefix is part of every message (a section inside a larger file)', () => {
    expect(problems('name: abc\nsize: 0\n', ['study', 'settings'])).toEqual([
      '2:7 study.settings.size: expected an integer from 1 to 10, got 0',
    ]);
  });
});

describe('syntax errors: reported with ranges, and the rest is still validated', () => {
  it('duplicate keys name the key and underline all of it', () => {
    const r = raw('name: abc\nsize: 1\nsize: 2\n');
    expect(r.map(({ p, line, col }) => `${line}:${col} ${p.message}`)).toEqual(['3:1 duplicate key `size`']);
    expect(r[0].p.range).toEqual([18, 22]);
  });

  it('an unclosed flow list is a syntax error; the size problem below it is still found', () => {
    expect(problems('name: abc\npoint: [1, 2\nsize: 0\n')).toEqual([
      '3:1 YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]',
      '3:7 size: expected an integer from 1 to 10, got 0',
    ]);
  });

  it('tabs, unterminated quotes and a second document', () => {
    expect(problems('name: abc\nnested:\n\tinner: {}\n')).toContain('3:1 YAML syntax: tabs are not allowed as indentation');
    expect(problems('name: "abc\nsize: 1\n')).toContain('3:1 YAML syntax: missing closing "quote');
    expect(problems('name: abc\n---\nname: def\n')).toEqual([
      '2:1 only one YAML document is allowed here (remove the second `---` and what follows)',
    ]);
  });
});

describe('helpers', () => {
  it('formatPath', () => {
    expect(formatPath(['preprocessing', 'resampling', 'spacing', 2])).toBe('preprocessing.resampling.spacing[2]');
    expect(formatPath([])).toBe('');
  });

  it('describeExpected', () => {
    expect(describeExpected({ type: ['number', 'null'], exclusiveMinimum: 0 })).toBe('a number > 0 or null');
    expect(describeExpected({ type: 'integer', minimum: 1 })).toBe('an integer >= 1');
    expect(describeExpected({ type: 'number', minimum: 0, maximum: 100 })).toBe('a number from 0 to 100');
    expect(describeExpected(SHAPE)).toBe('a mapping with `kind` (`circle`, `square`)');
  });

  it('nodeAt and locate find values, else the nearest key in the file', () => {
    const text = 'name: abc\nnested:\n  inner: {depth: 3}\n';
    const { doc } = parseYamlText(text);
    expect(nodeAt(doc.contents, ['nested', 'inner', 'depth'])?.toJSON()).toBe(3);
    expect(nodeAt(doc.contents, ['nested', 'missing'])).toBeUndefined();
    // The value 3 is at offset 35.
    expect(locate(doc.contents, ['nested', 'inner', 'depth'])).toEqual([35, 36]);
    // `other` is not in the file: the key of the deepest setting that is.
    expect(text.slice(...locate(doc.contents, ['nested', 'inner', 'other']))).toBe('inner');
    expect(text.slice(...locate(doc.contents, ['nested', 'inner']))).toBe('{depth: 3}');
    expect(locate(doc.contents, ['elsewhere'], [3, 4])).toEqual([3, 4]);
  });

  it('schemaAt follows properties, items and the selected oneOf branch', () => {
    const { doc } = parseYamlText('name: abc\nshape: {kind: square, side: 2}\n');
    expect(schemaAt(SCHEMA, doc.contents, ['shape', 'side'])).toEqual({ type: 'number' });
    expect(schemaAt(SCHEMA, doc.contents, ['shape'])).toBe(SHAPE.oneOf?.[1]);
    expect(schemaAt(SCHEMA, doc.contents, ['point', 0])).toEqual({ type: 'number' });
    expect(schemaAt(SCHEMA, doc.contents, ['nope'])).toBeUndefined();
    // No discriminator written yet: a key of any branch still resolves (completion while typing).
    const partial = parseYamlText('name: abc\nshape: {radius: 1}\n');
    expect(schemaAt(SCHEMA, partial.doc.contents, ['shape', 'radius'])).toEqual({ type: 'number', exclusiveMinimum: 0 });
  });

  it('validates nodes built in code, without source ranges', () => {
    const doc = new Document({ name: 'abc', size: 20 });
    const p = validateYamlNode(doc.contents, SCHEMA);
    expect(p.map((x) => x.message)).toEqual(['size: expected an integer from 1 to 10, got 20']);
    expect(p[0].range).toEqual([0, 0]);
  });

  it('a 2,000-line document: every bad item is found, each at its own line', () => {
    const lines = ['name: abc', 'tags:'];
    for (let i = 0; i < 2000; i++) lines.push(i % 500 === 7 ? `  - ${i}` : `  - t${i}`);
    const found = problems(lines.join('\n') + '\n');
    // Items 7, 507, 1007, 1507 are numbers; item i is on line i + 3; the list itself starts at 3:3.
    expect(found).toEqual([
      '3:3 tags: expected at most 3 items, got 2000',
      '10:5 tags[7]: expected a string, got 7',
      '510:5 tags[507]: expected a string, got 507',
      '1010:5 tags[1007]: expected a string, got 1007',
      '1510:5 tags[1507]: expected a string, got 1507',
    ]);
  });
});

describe('suggestions', () => {
  it('editDistance counts adjacent transpositions as one edit', () => {
    expect(editDistance('spacng', 'spacing')).toBe(1);
    expect(editDistance('sapcing', 'spacing')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    // Bounded: anything above the bound is reported as bound + 1.
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });

  it('suggest: same after normalising case and separators, distance <= 2, a unique prefix, no ties', () => {
    expect(suggest('sliceWise', ['slice_wise', 'resampling'])).toBe('slice_wise');
    expect(suggest('Slice-Wise', ['slice_wise'])).toBe('slice_wise');
    expect(suggest('spacng', ['spacing', 'interpolation'])).toBe('spacing');
    expect(suggest('interp', ['spacing', 'interpolation'])).toBe('interpolation');
    expect(suggest('spacing_mm', ['spacing', 'interpolation'])).toBe('spacing');
    expect(suggest('ibsi-F', ['ibsi-A', 'ibsi-B'])).toBeNull();
    expect(suggest('zzzzzz', ['spacing'])).toBeNull();
  });
});
