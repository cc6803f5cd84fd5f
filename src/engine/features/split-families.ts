/**
 * Sharing one ROI's feature families between threads. The families are independent given the
 * preprocessed ROI, so `rgs extract` on a machine with a second core gives some of them to a
 * helper thread (helper-thread.ts). The split is longest-processing-time-first over rough
 * relative costs measured on the IBSI CT phantom (`npm run bench`): Moran's I and Geary's C (an
 * FFT over the ROI box) cost about as much as the rest of the morphology family, so they are a
 * work unit of their own that can go to the other thread; together the two cost as much as all
 * texture families of a 25-bin discretisation, while the GLCM of raw CT levels (~1,700 grey
 * levels) costs about as much as the mesh and hull. A poor estimate only costs balance, never
 * correctness.
 */
import type { FeatureSettings } from '../settings/types';
import { wantsAnyOf, type WorkUnit } from './extract';
import { AUTOCORRELATION_CODES } from './morphology';
import type { FeatureInput } from './types';

/**
 * Rough cost of a work unit (a family, or Moran/Geary alone) on this ROI, in units of "the mesh,
 * hull and PCA of the morphology family". 'morph' includes Moran's I / Geary's C (N365, NPT7)
 * when they are wanted unless `autocorrelationApart` (then they are the unit 'morph:autocorrelation').
 */
export function estimatedFamilyCost(unit: WorkUnit, input: FeatureInput, settings: FeatureSettings, autocorrelationApart = false): number {
  return unitCost(unit, input.discretised.binCount > 256, settings, autocorrelationApart);
}

function unitCost(unit: WorkUnit, manyLevels: boolean, settings: FeatureSettings, autocorrelationApart: boolean): number {
  const inPlane = settings.directionalAggregations.some((a) => !a.startsWith('3D'));
  // Moran's I / Geary's C: an FFT over the ROI box (measured on the CT phantom: about the mesh,
  // hull and PCA together).
  const autocorrelation = wantsAnyOf(settings, AUTOCORRELATION_CODES) ? 1 : 0;
  switch (unit) {
    case 'morph:autocorrelation':
      return autocorrelation;
    case 'morph':
      // With the MVEE / oriented box (SWZ1, BRI8, ZH1A, IQYR).
      return 1 + (autocorrelationApart ? 0 : autocorrelation) + (wantsAnyOf(settings, ['SWZ1', 'BRI8', 'ZH1A', 'IQYR']) ? 0.3 : 0);
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
export function splitFamilies(units: readonly WorkUnit[], input: FeatureInput, settings: FeatureSettings, threads: number): WorkUnit[][] {
  const n = Math.max(1, Math.floor(threads));
  const shares: WorkUnit[][] = Array.from({ length: n }, () => []);
  const load = new Array<number>(n).fill(0);
  const apart = units.includes('morph:autocorrelation');
  const byCost = units.map((f) => ({ f, cost: estimatedFamilyCost(f, input, settings, apart) })).sort((a, b) => b.cost - a.cost);
  for (const { f, cost } of byCost) {
    let least = 0;
    for (let s = 1; s < n; s++) if (load[s] < load[least]) least = s;
    shares[least].push(f);
    load[least] += cost;
  }
  return shares.filter((s, i) => i === 0 || s.length > 0);
}

/**
 * The estimated work of one ROI under these settings, known before any file is read (so that
 * `rgs extract` can decide whether to start a helper thread while it reads): the grey levels are
 * taken as many (> 256) when nothing discretises them to fewer, as for raw CT or MR intensities.
 */
export function estimatedWorkPerRoi(settings: FeatureSettings, units: readonly WorkUnit[]): number {
  const d = settings.discretisation;
  const manyLevels = d.method === 'none' || (d.method === 'fbn' && d.binCount > 256);
  const apart = units.includes('morph:autocorrelation');
  return units.reduce((sum, u) => sum + unitCost(u, manyLevels, settings, apart), 0);
}

/**
 * The least estimated work (units of estimatedFamilyCost, all ROIs together) for which a helper
 * thread pays off. Measured with `rgs extract` on the IBSI CT phantom on the 2-core machines
 * here: the helper costs ~40 ms (its start-up competes with the file reading, the ROI is copied
 * to it) and two busy threads each run ~1.5x slower than one alone, so the PyRadiomics-comparable
 * subset (3.25 units) ran faster on one thread (459 vs 481 ms, median of 9) and configuration C
 * (4.3) the same (521 vs 529 ms), while the whole set without preprocessing (5.05 units) gained
 * (724 vs 781 ms).
 */
export const HELPER_THREAD_MIN_WORK = 4.5;
