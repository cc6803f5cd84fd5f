/**
 * IBSI conformance: every reference value with a consensus value, for the digital phantom and
 * the CT phantom's configurations A–E, computed by the whole pipeline from the NIfTI files and
 * compared by the rule in ../shared/ibsi/README.md (3 significant digits, then tolerance).
 */
import { describe, expect, it } from 'vitest';
import { CT_PHANTOM, DIGITAL_PHANTOM, ibsiSkipReason, passesIbsi, readReferenceValues, roundSignificant, type ReferenceRow } from '../helpers/ibsi';
import { extractFromFiles } from '../../src/engine/pipeline/extract-files';
import { presetByName } from '../../src/engine/settings/presets';
import type { ExtractionSettings } from '../../src/engine/settings/types';
import type { FeatureValue } from '../../src/engine/features/types';
import { DIRECTIONAL_AGGREGATIONS, ZONE_AGGREGATIONS } from '../../src/engine/features/types';
import { catalogEntry } from '../../src/engine/features/catalog';

const skip = ibsiSkipReason();

interface Outcome {
  passed: number;
  failures: string[];
}

/** The reference row's code, or the catalogue's where the table leaves it empty (GLSZM 5QRC). */
function codeOf(row: ReferenceRow, features: FeatureValue[]): string {
  if (row.ibsi_code !== '') return row.ibsi_code;
  const match = features.find((f) => f.family === row.family && f.feature === row.feature);
  return match?.ibsi_code ?? '';
}

function compare(data: string, features: FeatureValue[], rows: ReferenceRow[]): Outcome {
  const byKey = new Map(features.map((f) => [`${f.ibsi_code}|${f.aggregation}`, f]));
  const out: Outcome = { passed: 0, failures: [] };
  for (const row of rows) {
    if (row.data !== data || row.value === null) continue;
    const code = codeOf(row, features);
    const f = byKey.get(`${code}|${row.aggregation}`);
    if (!f) {
      out.failures.push(`${row.family} ${row.feature} [${row.aggregation}] (${code}): not computed`);
      continue;
    }
    if (passesIbsi(f.value, row)) out.passed++;
    else {
      out.failures.push(
        `${row.family} ${row.feature} [${row.aggregation}] (${code}): computed ${f.value} (${roundSignificant(f.value)}), reference ${row.value} ± ${row.tolerance}`,
      );
    }
  }
  return out;
}

function allAggregations(s: ExtractionSettings): ExtractionSettings {
  return {
    ...s,
    features: { ...s.features, directionalAggregations: [...DIRECTIONAL_AGGREGATIONS], zoneAggregations: [...ZONE_AGGREGATIONS] },
  };
}

const EXPECTED_COUNTS: Record<string, number> = {
  digital_phantom: 482,
  config_A: 346,
  config_B: 346,
  config_C: 209,
  config_D: 210,
  config_E: 210,
};

describe.skipIf(skip !== null)(`IBSI conformance${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const rows = skip === null ? readReferenceValues() : [];

  it('digital phantom: every consensus value passes', () => {
    const settings = allAggregations(presetByName('default'));
    const { results } = extractFromFiles({ imagePath: DIGITAL_PHANTOM.image, maskPath: DIGITAL_PHANTOM.mask, rois: [], settings });
    const outcome = compare('digital_phantom', results[0].features, rows);
    console.log(`IBSI digital phantom: ${outcome.passed} of ${EXPECTED_COUNTS.digital_phantom} reference values pass`);
    expect(outcome.failures).toEqual([]);
    expect(outcome.passed).toBe(EXPECTED_COUNTS.digital_phantom);
  });

  for (const config of ['A', 'B', 'C', 'D', 'E']) {
    it(`CT phantom config ${config}: every consensus value passes`, () => {
      const settings = presetByName(`ibsi-${config}`);
      const { results } = extractFromFiles({ imagePath: CT_PHANTOM.image, maskPath: CT_PHANTOM.mask, rois: [], settings });
      const data = `config_${config}`;
      const outcome = compare(data, results[0].features, rows);
      console.log(`IBSI CT phantom config ${config}: ${outcome.passed} of ${EXPECTED_COUNTS[data]} reference values pass`);
      expect(outcome.failures).toEqual([]);
      expect(outcome.passed).toBe(EXPECTED_COUNTS[data]);
    });
  }

  it('every reference feature is in the engine catalogue under the same family and name', () => {
    const problems: string[] = [];
    for (const row of rows) {
      if (row.ibsi_code === '') continue;
      const e = catalogEntry(row.ibsi_code);
      if (!e || e.family !== row.family || e.feature !== row.feature) problems.push(`${row.family} ${row.feature} ${row.ibsi_code}`);
    }
    expect(problems).toEqual([]);
  });
});
