/**
 * The three scanners of the demo cohort. They differ the way real sites do, so that the cohort
 * is a harmonisation target (ComBat, intensity normalisation): receiver gain (arbitrary-unit
 * scale), thermal noise (SNR), strength of the receive-coil bias field, and small differences of
 * sequence parameters that change tissue contrast, not just scale (docs/demo-cohort.md,
 * "Scanners and sites").
 */
import type { SiteName } from './genotype';

export interface SiteProfile {
  name: SiteName;
  /** Multiplier on every stored intensity (receiver gain / scaling of the vendor's DICOM). */
  gain: number;
  /** Noise sd of each complex channel, relative to the white-matter signal of that sequence. */
  noiseFraction: number;
  /** Sd of the coefficients of the log bias-field polynomial (see noise.ts). */
  biasSd: number;
  /** T1 and T1CE: spoiled gradient echo, TR 20 ms, flip angle (degrees). */
  t1FlipDeg: number;
  /** T2: fast spin echo, TR 4000 ms, effective echo time (ms). */
  t2TeMs: number;
  /** FLAIR: inversion recovery, TE 120 ms, this TR (ms); TI is chosen to null CSF. */
  flairTrMs: number;
}

export const SITE_PROFILES: Record<SiteName, SiteProfile> = {
  'site-A': { name: 'site-A', gain: 1, noiseFraction: 0.03, biasSd: 0.1, t1FlipDeg: 25, t2TeMs: 100, flairTrMs: 9000 },
  'site-B': { name: 'site-B', gain: 1.3, noiseFraction: 0.04, biasSd: 0.18, t1FlipDeg: 20, t2TeMs: 90, flairTrMs: 10000 },
  'site-C': { name: 'site-C', gain: 0.8, noiseFraction: 0.05, biasSd: 0.14, t1FlipDeg: 30, t2TeMs: 110, flairTrMs: 8000 },
};
