/**
 * The study file's schema through the loader, with the files it names left unread
 * (checkFiles: false): every kind of schema problem with its message, line and column, the
 * settings sections (one schema with settings files), the names within the file (labels,
 * unions, ROIs), hover schemas, and the exported JSON Schema files (never stale).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { settingsJsonSchema } from '../../src/engine/settings/json-schema-export';
import { FEATURES_SCHEMA } from '../../src/engine/settings/schema';
import { analyseStudyText } from '../../src/engine/study/load';
import { keysAt, STUDY_SCHEMA, studyJsonSchema, studySchemaAt } from '../../src/engine/study/schema';
import { at } from './study-fixtures';

const FILE = 'demo.study.yaml';

const BASE = [
  'study:',
  '  id: demo-gbm',
  '  title: Demo',
  'cohort:',
  '  manifest: manifest.csv',
  '  sequences:',
  '    T1: { column: t1 }',
  '  labels: { necrosis: 1, enhancing: 4 }',
  '',
].join('\n');

function analyse(text: string) {
  return analyseStudyText(text, FILE, { checkFiles: false });
}

/** "line:col severity message" of every problem. */
function problems(text: string): string[] {
  return analyse(text).problems.map((p) => `${p.line}:${p.column} ${p.severity} ${p.message}`);
}

describe('schema problems, each at its key or value', () => {
  it('a valid minimal study has none', () => {
    expect(problems(BASE)).toEqual([]);
  });

  it('an unknown top-level key, with did-you-mean and a quick-fix replacement', () => {
    const text = `${BASE}reprot: {}\n`;
    expect(problems(text)).toEqual([`${at(text, 'reprot')} error unknown key \`reprot\` at the top level; did you mean \`report\`?`]);
    const p = analyse(text).problems[0];
    expect(p).toMatchObject({ code: 'unknown-key', data: { replacement: 'report' }, endLine: 9, endColumn: 7, path: '' });
  });

  it('an unknown key inside a section; the key it was meant to be is then not also "missing"', () => {
    const text = BASE.replace('  manifest:', '  maifest:');
    expect(problems(text)).toEqual([`${at(text, 'maifest')} error unknown key \`maifest\` in cohort; did you mean \`manifest\`?`]);
  });

  it('an unknown key with nothing close lists the keys', () => {
    const text = BASE.replace('  title: Demo', '  title: Demo\n  authors: [me]');
    expect(problems(text)).toEqual([`${at(text, 'authors')} error unknown key \`authors\` in study; keys: id, title, question`]);
  });

  it('a missing required key, at the key of its section', () => {
    const text = BASE.replace('  title: Demo\n', '');
    expect(problems(text)).toEqual([`${at(text, 'study')} error missing required key \`title\` in study`]);
    expect(problems('study: { id: a, title: b }\n')).toEqual(['1:1 error missing required key `cohort` at the top level']);
  });

  it('a wrong type', () => {
    const text = BASE.replace('necrosis: 1', 'necrosis: one');
    expect(problems(text)).toEqual([`${at(text, 'one')} error cohort.labels.necrosis: expected an integer >= 1, got "one"`]);
    const seq = BASE.replace('T1: { column: t1 }', 'T1: t1');
    expect(problems(seq)).toEqual([`${at(seq, 't1')} error cohort.sequences.T1: expected a mapping with \`column\`, got "t1"`]);
  });

  it('out of range: label 0 is the background', () => {
    const text = BASE.replace('necrosis: 1', 'necrosis: 0');
    expect(problems(text)).toEqual([`${at(text, '0,')} error cohort.labels.necrosis: expected an integer >= 1, got 0`]);
  });

  it('not in the allowed set, with the accepted spelling suggested', () => {
    const pet = BASE.replace('  manifest: manifest.csv', '  manifest: manifest.csv\n  modality: PET');
    expect(problems(pet)).toEqual([`${at(pet, 'PET')} error cohort.modality: expected one of \`MR\`, \`CT\`, got "PET"; did you mean \`CT\`?`]);
    const mri = BASE.replace('  manifest: manifest.csv', '  manifest: manifest.csv\n  modality: mri');
    expect(problems(mri)).toEqual([`${at(mri, 'mri')} error cohort.modality: expected one of \`MR\`, \`CT\`, got "mri"; did you mean \`MR\`?`]);
  });

  it('a study id that does not match its pattern', () => {
    const text = BASE.replace('demo-gbm', 'Demo_GBM');
    expect(problems(text)).toEqual([
      `${at(text, 'Demo_GBM')} error study.id: expected lower-case letters, digits and hyphens, e.g. \`demo-gbm\`, got "Demo_GBM"`,
    ]);
  });

  it('names chosen by the user (sequences, labels, unions, outcomes) must be valid names', () => {
    const text = BASE.replace('    T1: { column: t1 }', '    T1: { column: t1 }\n    2nd-T1: { column: t1b }');
    expect(problems(text)).toEqual([
      `${at(text, '2nd-T1')} error cohort.sequences: \`2nd-T1\` is not a valid name (expected a name of letters, digits, _ and -, starting with a letter)`,
    ]);
  });

  it('unknown keys inside a sequence, and a sequence without its column', () => {
    const text = BASE.replace('T1: { column: t1 }', 'T1: { colum: t1 }');
    expect(problems(text)).toEqual([`${at(text, 'colum')} error unknown key \`colum\` in cohort.sequences.T1; did you mean \`column\`?`]);
    const none = BASE.replace('T1: { column: t1 }', 'T1: { }');
    expect(problems(none)).toEqual([`${at(none, 'T1')} error missing required key \`column\` in cohort.sequences.T1`]);
  });

  it('no sequences, no labels', () => {
    const text = BASE.replace('    T1: { column: t1 }\n', '').replace('  sequences:', '  sequences: {}');
    expect(problems(text)).toEqual([`${at(text, '{}')} error cohort.sequences: expected at least one entry, got an empty mapping`]);
  });

  it('outcomes: an unknown type (did you mean), a missing key, a wrong unit, a positive class that is not a value', () => {
    const text = [
      BASE + 'outcomes:',
      '  idh1: { type: binar, column: idh1, positive: mutant }',
      '  os: { type: survival, time: t, event: e }',
      '  pfs: { type: survival, time: t, event: e, unit: month }',
      '  mgmt: { type: binary, column: mgmt, positive: [methylated] }',
      '',
    ].join('\n');
    expect(problems(text)).toEqual([
      `${at(text, 'binar')} error outcomes.idh1.type: unknown type \`binar\`; types: binary, survival; did you mean \`binary\`?`,
      `${at(text, 'os:')} error missing required key \`unit\` in outcomes.os`,
      `${at(text, 'month ')} error outcomes.pfs.unit: expected one of \`days\`, \`months\`, \`years\`, got "month"; did you mean \`months\`?`,
      `${at(text, '[methylated]')} error outcomes.mgmt.positive: expected a value of the column, got a list`,
    ]);
  });

  it('duplicate ROIs in `rois`', () => {
    const text = `${BASE}  rois: [necrosis, necrosis]\n`;
    expect(problems(text)).toEqual([`${at(text, 'necrosis', 3)} error cohort.rois[1]: \`necrosis\` is listed more than once`]);
  });

  it('analysis and report: the analysis schema applies (empty means features only)', () => {
    expect(problems(`${BASE}analysis: {}\nreport: {}\n`)).toEqual([]);
    expect(problems(`${BASE}analysis:\n`)).toEqual([]);
    const misspelt = `${BASE}analysis: { modles: [] }\n`;
    expect(problems(misspelt)[0]).toMatch(new RegExp(`^${at(misspelt, 'modles')} error unknown key \`modles\` in analysis; did you mean \`models\`\\?`));
    const text = `${BASE}analysis: 3\n`;
    expect(problems(text)[0]).toMatch(new RegExp(`^${at(text, '3')} error analysis: expected a mapping`));
  });

  it('a YAML syntax error and a duplicate key, at their place', () => {
    // The parser notices the unclosed flow sequence where the next key starts; the schema
    // problems of the half-read document are still reported with it.
    const broken = 'study:\n  id: [demo\ncohort: {}\n';
    expect(problems(broken)).toContain('3:1 error YAML syntax: flow sequence in block collection must be sufficiently indented and end with a ]');
    expect(analyse(broken).study).toBeNull();
    const tab = 'study: { id: a, title: b }\ncohort:\n\t- x\n';
    expect(problems(tab)).toEqual([
      '3:1 error YAML syntax: tabs are not allowed as indentation',
      '3:2 error cohort: expected a mapping with `manifest`, `sequences`, `labels`, got a list',
    ]);
    expect(problems('study: {}\n---\ncohort: {}\n')).toContain('2:1 error only one YAML document is allowed here (remove the second `---` and what follows)');
    const dup = BASE.replace('  title: Demo', '  title: Demo\n  title: Again');
    expect(problems(dup)).toEqual([`${at(dup, 'title', 2)} error duplicate key \`title\``]);
  });

  it('tags are refused: the file is data, nothing in it is constructed or run', () => {
    const text = BASE.replace('manifest.csv', '!!binary bWFuaWZlc3QuY3N2');
    expect(problems(text)).toEqual([
      `${at(text, 'bWFu')} error cohort.manifest: the tag \`!!binary\` is not allowed; settings are plain YAML data without tags`,
    ]);
    const custom = BASE.replace('manifest.csv', '!shell "rm -rf /"');
    expect(analyse(custom).problems.map((p) => p.message)).toEqual([
      'cohort.manifest: the tag `!shell` is not allowed; settings are plain YAML data without tags',
    ]);
  });

  it('an empty file', () => {
    expect(problems('')).toEqual(['1:1 error top level: expected a mapping with `study`, `cohort`, got nothing']);
    expect(problems('# only a comment\n')).toEqual(['1:1 error top level: expected a mapping with `study`, `cohort`, got nothing']);
  });
});

describe('the settings sections are the settings file\'s, checked by the same machinery', () => {
  it('a preprocessing error names the setting, once', () => {
    const text = `${BASE}preprocessing:\n  resampling: { spacing: [-2, 2, 2], interpolation: linear }\n`;
    expect(problems(text)).toEqual([`${at(text, '-2')} error preprocessing.resampling.spacing[0]: expected a number > 0, got -2`]);
  });

  it('features: an unknown family, with the name it has in this schema suggested', () => {
    const text = `${BASE}features:\n  families: [glcm]\n`;
    expect(problems(text)).toEqual([
      `${at(text, 'glcm')} error features.families[0]: expected one of \`morph\`, \`loc\`, \`stat\`, \`ih\`, \`ivh\`, \`cm\`, \`rlm\`, \`szm\`, \`dzm\`, \`ngt\`, \`ngl\`, got "glcm"; did you mean \`cm\`?`,
    ]);
  });

  it('the cross-field checks of the settings', () => {
    const text = `${BASE}preprocessing:\n  resegmentation: { range: [400, -500] }\n`;
    expect(problems(text)).toEqual([`${at(text, '[400')} error preprocessing.resegmentation.range: lower bound 400 is not below upper bound -500`]);
  });

  it('a sequence\'s preprocessing override: schema errors and cross-field errors at the override', () => {
    const text = BASE.replace(
      '    T1: { column: t1 }',
      '    T1: { column: t1 }\n    T2: { column: t2, preprocessing: { normalisation: { method: zscor } } }\n    FLAIR: { column: flair, preprocessing: { resegmentation: { range: [5, 1] } } }',
    );
    expect(problems(text)).toEqual([
      `${at(text, 'zscor')} error cohort.sequences.T2.preprocessing.normalisation.method: unknown method \`zscor\`; methods: none, zscore, percentile, range; did you mean \`zscore\`?`,
      `${at(text, '[5, 1]')} error cohort.sequences.FLAIR.preprocessing.resegmentation.range: lower bound 5 is not below upper bound 1`,
    ]);
  });

  it('a problem the study-wide settings have is not repeated for each sequence that inherits them', () => {
    const text = `${BASE.replace('    T1: { column: t1 }', '    T1: { column: t1 }\n    T2: { column: t2, preprocessing: { slice_wise: false } }')}features:\n  discretisation: { method: fbs, bin_width: 25 }\ncohort_note: 1\n`.replace(
      'cohort_note: 1\n',
      'preprocessing:\n  normalisation: { method: zscore }\n',
    );
    const found = problems(text).filter((p) => p.includes('without a lower re-segmentation bound'));
    expect(found).toEqual([
      `${at(text, '{ method: fbs')} warning features.discretisation: fixed bin size without a lower re-segmentation bound: the bins start at each ROI's minimum intensity, so bin numbers are not comparable between images (IBSI Q3RU); set preprocessing.resegmentation.range`,
    ]);
  });
});

describe('labels, unions and ROIs', () => {
  const withNames = (labels: string, unions: string, rois?: string) =>
    BASE.replace('  labels: { necrosis: 1, enhancing: 4 }', `  labels: ${labels}\n  unions: ${unions}${rois !== undefined ? `\n  rois: ${rois}` : ''}`);

  it('unions are expanded to sorted label values; ROIs default to every label, then every union', () => {
    const text = withNames('{ necrosis: 1, oedema: 2, enhancing: 4 }', '{ tumour_core: [enhancing, necrosis], whole_tumour: [necrosis, oedema, enhancing] }');
    const { study, problems: found } = analyse(text);
    expect(found).toEqual([]);
    expect(study?.rois).toEqual([
      { name: 'necrosis', labels: [1] },
      { name: 'oedema', labels: [2] },
      { name: 'enhancing', labels: [4] },
      { name: 'tumour_core', labels: [1, 4] },
      { name: 'whole_tumour', labels: [1, 2, 4] },
    ]);
  });

  it('`rois` selects and orders', () => {
    const text = withNames('{ necrosis: 1, oedema: 2, enhancing: 4 }', '{ tumour_core: [necrosis, enhancing] }', '[tumour_core, oedema]');
    expect(analyse(text).study?.rois).toEqual([
      { name: 'tumour_core', labels: [1, 4] },
      { name: 'oedema', labels: [2] },
    ]);
  });

  it('a union member that is not a label (did you mean), or that is a union', () => {
    const text = withNames('{ necrosis: 1, oedema: 2, enhancing: 4 }', '{ tumour_core: [necrosis, enhancng], whole: [tumour_core, oedema] }');
    expect(problems(text)).toEqual([
      `${at(text, 'enhancng')} error cohort.unions.tumour_core[1]: unknown label \`enhancng\`; did you mean \`enhancing\`? (labels: \`necrosis\`, \`oedema\`, \`enhancing\`)`,
      `${at(text, 'tumour_core', 2)} error cohort.unions.whole[0]: \`tumour_core\` is a union, and the members of a union are labels: list its labels (necrosis, enhancng) instead`,
    ]);
    const p = analyse(text).problems[0];
    expect(p).toMatchObject({ code: 'unknown-label', data: { replacement: 'enhancing' } });
    expect(analyse(text).study).toBeNull();
  });

  it('`rois` naming something undefined', () => {
    const text = withNames('{ necrosis: 1, enhancing: 4 }', '{ tumour_core: [necrosis, enhancing] }', '[necrosis, tumor_core]');
    expect(problems(text)).toEqual([
      `${at(text, 'tumor_core')} error cohort.rois[1]: unknown ROI \`tumor_core\`; did you mean \`tumour_core\`? (labels and unions: \`necrosis\`, \`enhancing\`, \`tumour_core\`)`,
    ]);
  });

  it('label values must be unique; `all` is reserved; a union cannot reuse a label name', () => {
    const text = withNames('{ necrosis: 1, oedema: 2, enhancing: 1, all: 3 }', '{ oedema: [necrosis] }');
    expect(problems(text)).toEqual([
      `${at(text, '1, all')} error cohort.labels.enhancing: value 1 is already the value of \`necrosis\`; every label needs its own mask value`,
      `${at(text, 'all')} error cohort.labels.all: \`all\` is reserved (it means every non-zero label); choose another name`,
      `${at(text, 'oedema', 2)} error cohort.unions.oedema: \`oedema\` is already a label; a union needs its own name`,
    ]);
  });
});

describe('studySchemaAt (hover and completion)', () => {
  const text = [
    BASE + 'outcomes:',
    '  idh1: { type: binary, column: idh1, positive: mutant }',
    '  os: { type: survival, time: t, event: e, unit: months }',
    '',
  ].join('\n');
  const root = analyse(text).parsed.doc.contents;

  it('follows the names the user chose and the outcome type written', () => {
    expect(studySchemaAt(root, ['cohort', 'sequences', 'T1', 'column'])?.description).toMatch(/^Manifest column holding this sequence's image path/);
    expect(studySchemaAt(root, ['cohort', 'labels', 'necrosis'])?.type).toBe('integer');
    expect(studySchemaAt(root, ['cohort', 'unions', 'anything', 0])?.['x-expected']).toBe('a label name');
    expect(studySchemaAt(root, ['outcomes', 'idh1', 'positive'])?.description).toMatch(/positive class/);
    expect(studySchemaAt(root, ['outcomes', 'os', 'unit'])?.enum).toEqual(['days', 'months', 'years']);
    expect(studySchemaAt(root, ['outcomes', 'os'])?.properties?.type?.const).toBe('survival');
  });

  it('reaches the settings schema, also inside a sequence override', () => {
    expect(studySchemaAt(root, ['features'])).toBe(FEATURES_SCHEMA);
    expect(studySchemaAt(root, ['features', 'discretisation'])?.['x-ibsi']?.identifier).toBe('4R0B');
    expect(studySchemaAt(root, ['cohort', 'sequences', 'T2', 'preprocessing', 'resampling', 'spacing'])?.['x-ibsi']?.identifier).toBe('VTM2');
    expect(studySchemaAt(root, ['cohort', 'nothing'])).toBeUndefined();
  });

  it('keysAt lists the names written (e.g. the labels a `rois` entry can name)', () => {
    expect(keysAt(root, ['cohort', 'labels'])).toEqual(['necrosis', 'enhancing']);
    expect(keysAt(root, ['outcomes'])).toEqual(['idh1', 'os']);
    expect(keysAt(root, ['cohort', 'manifest'])).toEqual([]);
  });
});

describe('the exported JSON Schema', () => {
  it('is a standalone draft 2020-12 document with the mappings of free names in standard form', () => {
    const doc = studyJsonSchema();
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(doc.properties ?? {})).toEqual(['study', 'cohort', 'preprocessing', 'features', 'outcomes', 'analysis', 'report']);
    const sequences = (doc.properties?.cohort?.properties?.sequences ?? {}) as Record<string, unknown>;
    expect(sequences.additionalProperties).toMatchObject({ type: 'object', required: ['column'] });
    expect(sequences.propertyNames).toMatchObject({ pattern: '^[A-Za-z][A-Za-z0-9_-]*$' });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    // A copy: changing it leaves the loader's schema alone.
    (doc.properties as Record<string, { description?: string }>).study.description = 'changed';
    expect(STUDY_SCHEMA.properties?.study?.description).not.toBe('changed');
  });

  it('the committed schemas/*.schema.json are what scripts/export-schema.mjs generates now', () => {
    const root = join(__dirname, '..', '..');
    const generated = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;
    // If this fails, run `node scripts/export-schema.mjs` and commit the result.
    expect(readFileSync(join(root, 'schemas', 'study.schema.json'), 'utf8')).toBe(generated(studyJsonSchema()));
    expect(readFileSync(join(root, 'schemas', 'settings.schema.json'), 'utf8')).toBe(generated(settingsJsonSchema()));
  });
});
