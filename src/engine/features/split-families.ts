/**
 * Sharing one ROI's feature families between threads. The families are independent given the
 * preprocessed ROI, so `rgs extract` on a machine with a second core gives some of them to a
 * helper thread (helper-thread.ts). The split is longest-processing-time-first over rough
 * relative costs measured on the IBSI CT phantom (`npm run bench`): the morphology family with
 * Moran's I and Geary's C (an FFT over the ROI box) costs as much as all texture families of a
 * 25-bin discretisation together, while the GLCM of raw CT levels (~1,700 grey levels) costs
 * about as much as the mesh and hull. A poor estimate only costs balance, never correctness.
 */
import type { FeatureSettings } from '../settings/types';
import type { Family, FeatureInput } from './types';

function wantsAny(settings: FeatureSettings, codes: readonly string[]): boolean {
  return settings.ibsiCodes.length === 0 || codes.some((c) => settings.ibsiCodes.includes(c));
}

/** Rough cost of a family on this ROI, in units of "the mesh, hull and PCA of the morphology family". */
export function estimatedFamilyCost(family: Family, input: FeatureInput, settings: FeatureSettings): number {
  const manyLevels = input.discretised.binCount > 256;
  const inPlane = settings.directionalAggregations.some((a) => !a.startsWith('3D'));
  switch (family) {
    case 'morph':
      // Moran's I / Geary's C (N365, NPT7) and the MVEE / oriented box (SWZ1, BRI8, ZH1A, IQYR).
      return 1 + (wantsAny(settings, ['N365', 'NPT7']) ? 1.5 : 0) + (wantsAny(settings, ['SWZ1', 'BRI8', 'ZH1A', 'IQYR']) ? 0.3 : 0);
    case 'cm':
      return (manyLevels ? 1 : 0.25) * (inPlane ? 1.6 : 1);
    case 'rlm':
      return 0.35 * (inPlane ? 1.3 : 1);
    case 'szm':
      return 0.35;
    case 'dzm':
      return 0.2;
    case 'ngt':
      return 0.25;
    case 'ngl':
      return 0.15;
    case 'loc':
      return 0.25;
    case 'stat':
      return 0.1;
    case 'ih':
    case 'ivh':
      return 0.05;
  }
}

/**
 * The families split into `threads` shares of about equal estimated cost (longest first, each to
 * the least loaded share). Share 0 is the caller's own; empty shares are dropped.
 */
export function splitFamilies(families: readonly Family[], input: FeatureInput, settings: FeatureSettings, threads: number): Family[][] {
  const n = Math.max(1, Math.floor(threads));
  const shares: Family[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const byCost = families.map((f) => ({ f, cost: estimatedFamilyCost(f, input, settings) })).sort((a, b) => b.cost - a.cost);
  for (const { f, cost } of byCost) {
    let least = 0;
    for (let s = 1; s < n; s++) if (load[s] < load[least]) least = s;
    shares[least].push(f);
    load[least] += cost;
  }
  return shares.filter((s, i) => i === 0 || s.length > 0);
}
