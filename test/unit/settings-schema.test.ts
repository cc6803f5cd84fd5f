/**
 * The settings schema itself: only keywords of our subset, a description on every setting (the
 * hover shows it), defaults that satisfy their own schema and agree with what the loader fills
 * in, consistent enum annotations, and the standalone JSON Schema export.
 */
import { describe, expect, it } from 'vitest';
import { Document } from 'yaml';
import type { JsonSchema } from '../../src/engine/schema/json-schema';
import { parseYamlText, schemaAt, validateYamlNode } from '../../src/engine/schema/validate-yaml';
import { settingsJsonSchema } from '../../src/engine/settings/json-schema-export';
import { parseSettingsYaml } from '../../src/engine/settings/load';
import { PRESETS } from '../../src/engine/settings/presets';
import { FEATURES_SCHEMA, PREPROCESSING_SCHEMA, SETTINGS_FILE_SCHEMA } from '../../src/engine/settings/schema';
import { settingsToJson } from '../../src/engine/settings/serialise';

const KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'pattern',
  'oneOf',
  'default',
  'x-ibsi',
  'x-expected',
  'x-aliases',
  'enumDescriptions',
]);

/** Every schema node below `s` with its path. */
function walk(s: JsonSchema, path: string, out: [string, JsonSchema][] = []): [string, JsonSchema][] {
  out.push([path, s]);
  for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${path}.${k}`, out);
  if (s.items !== undefined) walk(s.items, `${path}[]`, out);
  (s.oneOf ?? []).forEach((b, i) => walk(b, `${path}|${i}`, out));
  return out;
}

const ALL = walk(SETTINGS_FILE_SCHEMA, '');

describe('settings schema', () => {
  it('uses only the keywords of the supported subset', () => {
    const unknown = ALL.flatMap(([path, s]) => Object.keys(s).filter((k) => !KEYWORDS.has(k)).map((k) => `${path}: ${k}`));
    expect(unknown).toEqual([]);
  });

  it('every setting has a description for the hover', () => {
    const missing = ALL.flatMap(([path, s]) =>
      Object.entries(s.properties ?? {})
        .filter(([, sub]) => !sub.description)
        .map(([k]) => `${path}.${k}`),
    );
    expect(missing).toEqual([]);
  });

  it('enum annotations match their enums', () => {
    for (const [path, s] of ALL) {
      if (s.enumDescriptions !== undefined) expect(s.enumDescriptions.length, path).toBe(s.enum?.length);
      for (const target of Object.values(s['x-aliases'] ?? {})) expect(s.enum, path).toContain(target);
    }
  });

  it('every default satisfies its own schema', () => {
    const withDefault = ALL.filter(([, s]) => s.default !== undefined);
    expect(withDefault.length).toBeGreaterThan(15);
    for (const [path, s] of withDefault) {
      const node = new Document(s.default).contents;
      expect(validateYamlNode(node, s, [path]).map((p) => p.message), path).toEqual([]);
    }
  });

  it('section defaults are what the loader fills in for an empty file', () => {
    const filled = settingsToJson(PRESETS.default) as unknown as Record<string, Record<string, unknown>>;
    for (const [section, schema] of [
      ['preprocessing', PREPROCESSING_SCHEMA],
      ['features', FEATURES_SCHEMA],
    ] as const) {
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        if (key === 'ibsi_codes' || sub.default !== undefined) expect(filled[section][key], `${section}.${key}`).toEqual(sub.default);
      }
    }
  });

  it('nested resampling defaults are what the loader fills in', () => {
    const resampling = PREPROCESSING_SCHEMA.properties?.resampling.properties ?? {};
    const s = parseSettingsYaml('preprocessing:\n  resampling: {spacing: [1, 1, 1], interpolation: linear}\n', 'x.yaml').settings;
    expect(s?.preprocessing.resampling?.roundIntensities).toBe(resampling.round_intensities.default);
    expect(s?.preprocessing.resampling?.maskInterpolation).toBe(resampling.mask_interpolation.default);
    expect(s?.preprocessing.resampling?.maskThreshold).toBe(resampling.mask_threshold.default);
  });

  it('settings carry their IBSI identifiers for the hover', () => {
    const p = PREPROCESSING_SCHEMA.properties ?? {};
    expect(p.resampling['x-ibsi']).toEqual({ identifier: 'VTM2', section: '2.4', name: 'Interpolation' });
    expect(p.resegmentation.properties?.range['x-ibsi']?.identifier).toBe('USB3');
    expect(p.resegmentation.properties?.outlier_sigma['x-ibsi']?.identifier).toBe('7ACA');
    expect(FEATURES_SCHEMA.properties?.discretisation['x-ibsi']?.identifier).toBe('4R0B');
  });
});

describe('schemaAt on settings (what hover and completion will ask)', () => {
  it('follows the method and the kind of reference written', () => {
    const text = 'preprocessing:\n  normalisation:\n    method: percentile\n    reference: {mask: brain.nii.gz}\n';
    const root = parseYamlText(text).doc.contents;
    expect(schemaAt(SETTINGS_FILE_SCHEMA, root, ['preprocessing', 'normalisation', 'lower'])?.description).toBe(
      'Percentile mapped to 0 (0–100, below `upper`).',
    );
    expect(schemaAt(SETTINGS_FILE_SCHEMA, root, ['preprocessing', 'normalisation', 'reference', 'mask'])?.description).toBe(
      'Path of the reference mask image (NIfTI), relative to the settings file or absolute.',
    );
    expect(schemaAt(SETTINGS_FILE_SCHEMA, root, ['preprocessing', 'resampling', 'spacing', 1])?.description).toBe(
      'Voxel size in mm, or null to keep this axis.',
    );
    expect(schemaAt(SETTINGS_FILE_SCHEMA, root, ['features', 'discretisation'])?.['x-ibsi']?.identifier).toBe('4R0B');
  });
});

describe('settingsJsonSchema', () => {
  it('is a standalone draft 2020-12 document of the settings file', () => {
    const doc = settingsJsonSchema();
    expect(doc.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(doc.properties ?? {})).toEqual(['preset', 'preprocessing', 'features']);
    expect(doc.additionalProperties).toBe(false);
    // Plain data: survives JSON unchanged.
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  it('is a copy: changing it does not change the schema the validator uses', () => {
    const doc = settingsJsonSchema();
    (doc.properties as Record<string, JsonSchema>).features.description = 'changed';
    expect(FEATURES_SCHEMA.description).not.toBe('changed');
  });
});
