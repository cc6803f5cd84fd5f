/**
 * Typed settings back to their snake_case YAML form: for preset files users start from
 * (`presetYaml`) and for recording the effective settings next to the features extracted
 * with them. Every key is written, so the output does not depend on our defaults.
 */
import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { DiscretisationSettings, ExtractionSettings, NormalisationSettings } from './types';
import type { DiscretisationJson, NormalisationJson, ReferenceJson, SettingsFileJson } from './settings-json';

function discretisationJson(d: DiscretisationSettings): DiscretisationJson {
  switch (d.method) {
    case 'none':
      return { method: 'none' };
    case 'fbs':
      return { method: 'fbs', bin_width: d.binWidth };
    case 'fbn':
      return { method: 'fbn', bin_count: d.binCount };
  }
}

function referenceJson(r: 'roi' | { mask: string; label?: number }): ReferenceJson {
  if (r === 'roi') return 'roi';
  return r.label === undefined ? { mask: r.mask } : { mask: r.mask, label: r.label };
}

function normalisationJson(n: NormalisationSettings): NormalisationJson {
  switch (n.method) {
    case 'none':
      return { method: 'none' };
    case 'zscore':
      return { method: 'zscore', reference: referenceJson(n.reference) };
    case 'percentile':
      return { method: 'percentile', lower: n.lower, upper: n.upper, reference: referenceJson(n.reference) };
    case 'range':
      return { method: 'range', min: n.min, max: n.max };
  }
}

/** The settings as the plain data a settings file holds (all keys explicit, no preset). */
export function settingsToJson(s: ExtractionSettings): Required<Pick<SettingsFileJson, 'preprocessing' | 'features'>> {
  const p = s.preprocessing;
  const f = s.features;
  const r = p.resampling;
  return {
    preprocessing: {
      slice_wise: p.sliceWise,
      resampling:
        r === null
          ? null
          : {
              spacing: [r.spacing[0], r.spacing[1], r.spacing[2]],
              interpolation: r.interpolation,
              round_intensities: r.roundIntensities,
              mask_interpolation: r.maskInterpolation,
              mask_threshold: r.maskThreshold,
            },
      normalisation: normalisationJson(p.normalisation),
      resegmentation: {
        range: p.resegmentation.range === null ? null : [p.resegmentation.range.lower, p.resegmentation.range.upper],
        outlier_sigma: p.resegmentation.outlierSigma,
      },
    },
    features: {
      families: [...f.families],
      aggregations: [...f.directionalAggregations, ...f.zoneAggregations],
      discretisation: discretisationJson(f.discretisation),
      ivh_discretisation: discretisationJson(f.ivhDiscretisation),
      glcm: { distance: f.glcm.distance, symmetric: f.glcm.symmetric },
      ngtdm: { distance: f.ngtdm.distance },
      ngldm: { distance: f.ngldm.distance, alpha: f.ngldm.alpha },
      ibsi_codes: [...f.ibsiCodes],
    },
  };
}

/** Lists of numbers or short words read best on one line: `spacing: [2, 2, null]`. */
const FLOW_LISTS = new Set(['spacing', 'range', 'families', 'ibsi_codes']);

/** The settings as a YAML settings file, with `header` as a leading comment. */
export function settingsToYaml(s: ExtractionSettings, header?: string): string {
  const doc = new Document(settingsToJson(s));
  const visit = (node: unknown, key: string | null): void => {
    if (isSeq(node)) {
      if (key !== null && FLOW_LISTS.has(key)) node.flow = true;
    } else if (isMap(node)) {
      for (const pair of node.items) visit(pair.value, isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : null);
    }
  };
  visit(doc.contents, null);
  if (header !== undefined) doc.commentBefore = header.split('\n').map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}
