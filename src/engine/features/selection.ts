/**
 * `--features` selections: families, IBSI identifiers, `pyradiomics` (the subset PyRadiomics'
 * default feature classes also compute, for like-for-like comparisons) or `all`.
 */
import { RgsError } from '../util/errors';
import type { ExtractionSettings } from '../settings/types';
import { FEATURE_CATALOG, catalogEntry } from './catalog';
import { FAMILIES, type Family } from './types';

export function applyFeatureSelection(settings: ExtractionSettings, list: string): ExtractionSettings {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new RgsError('--features: empty selection', { field: 'features' });
  const families = new Set<Family>();
  const codes = new Set<string>();
  let all = false;
  let pyradiomics = false;
  for (const item of items) {
    if (item === 'all') all = true;
    else if (item === 'pyradiomics') {
      pyradiomics = true;
      for (const e of FEATURE_CATALOG) if (e.inPyRadiomics) codes.add(e.ibsiCode);
    } else if ((FAMILIES as readonly string[]).includes(item)) families.add(item as Family);
    else if (catalogEntry(item.toUpperCase())) codes.add(item.toUpperCase());
    else {
      throw new RgsError(
        `--features: \`${item}\` is neither a family (${FAMILIES.join(', ')}), an IBSI identifier, \`pyradiomics\` nor \`all\``,
        { field: 'features' },
      );
    }
  }
  const f = settings.features;
  if (all) return { ...settings, features: { ...f, ibsiCodes: [] } };
  // A family named in full keeps all of its features; identifiers add single features.
  for (const fam of families) for (const e of FEATURE_CATALOG) if (e.family === fam) codes.add(e.ibsiCode);
  const neededFamilies = new Set<Family>();
  for (const c of codes) neededFamilies.add(catalogEntry(c)!.family);
  // PyRadiomics (its default, force2D off) computes the texture matrices in 3D: GLCM and GLRLM
  // per 3D direction with the features averaged over the 13 directions (IBSI "3D, averaged"),
  // GLSZM, GLDM and NGTDM over the volume (IBSI "3D"). Alone, the selection keeps only those
  // aggregations (of the ones the settings ask for), for a like-for-like comparison.
  const like = pyradiomics && families.size === 0 && items.length === 1;
  const directionalAggregations = like ? f.directionalAggregations.filter((a) => a === '3D, averaged') : f.directionalAggregations;
  const zoneAggregations = like ? f.zoneAggregations.filter((a) => a === '3D') : f.zoneAggregations;
  return {
    ...settings,
    features: { ...f, families: FAMILIES.filter((fam) => neededFamilies.has(fam)), ibsiCodes: [...codes], directionalAggregations, zoneAggregations },
  };
}
