/**
 * The hover texts of language-server/src/ibsi-docs.ts agree with the single sources of truth:
 * every family of the engine has one, with the IBSI section and identifier the settings schema
 * gives it, and every processing step cites the section and identifier of its schema entry.
 */
import { describe, expect, it } from 'vitest';
import { FEATURE_CATALOG } from '../../src/engine/features/catalog';
import { FAMILIES } from '../../src/engine/features/types';
import { FEATURES_SCHEMA, PREPROCESSING_SCHEMA } from '../../src/engine/settings/schema';
import { FAMILY_DOCS, SETTING_DOCS, settingDoc } from '../../language-server/src/ibsi-docs';

describe('IBSI hover texts', () => {
  it('every family, with the section and identifier of the settings schema', () => {
    const items = FEATURES_SCHEMA.properties?.families?.items;
    expect(Object.keys(FAMILY_DOCS).sort()).toEqual([...FAMILIES].sort());
    FAMILIES.forEach((family, i) => {
      const doc = FAMILY_DOCS[family];
      expect(doc.abbreviation).toBe(family);
      // The schema's description of the family ends with "(IBSI 3.6, LFYI)." or similar.
      expect(items?.enumDescriptions?.[i]).toContain(`(IBSI ${doc.section}, ${doc.identifier})`);
      // Every family of the catalogue computes something.
      expect(FEATURE_CATALOG.some((e) => e.family === family)).toBe(true);
    });
  });

  it('processing steps cite their schema entry', () => {
    const cases: [string, { identifier?: string; section?: string } | undefined][] = [
      ['preprocessing.resampling', PREPROCESSING_SCHEMA.properties?.resampling?.['x-ibsi']],
      ['preprocessing.resegmentation', PREPROCESSING_SCHEMA.properties?.resegmentation?.['x-ibsi']],
      ['features.discretisation', FEATURES_SCHEMA.properties?.discretisation?.['x-ibsi']],
      ['features.glcm', FEATURES_SCHEMA.properties?.glcm?.['x-ibsi']],
      ['features.ngtdm', FEATURES_SCHEMA.properties?.ngtdm?.['x-ibsi']],
      ['features.ngldm', FEATURES_SCHEMA.properties?.ngldm?.['x-ibsi']],
    ];
    for (const [key, ibsi] of cases) {
      expect(ibsi).toBeDefined();
      expect(SETTING_DOCS[key].section).toBe(ibsi?.section);
      expect(SETTING_DOCS[key].identifier).toBe(ibsi?.identifier);
    }
  });

  it("a sequence's own preprocessing finds the study-wide step's text", () => {
    expect(settingDoc(['cohort', 'sequences', 'T2', 'preprocessing', 'resampling'])).toBe(SETTING_DOCS['preprocessing.resampling']);
    expect(settingDoc(['features', 'discretisation'])).toBe(SETTING_DOCS['features.discretisation']);
    expect(settingDoc(['cohort', 'labels'])).toBeUndefined();
  });
});
