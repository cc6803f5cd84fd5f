/**
 * The distribution functions the survival models report p-values and confidence limits with,
 * under the names the survival code uses. One implementation serves the whole analysis: these
 * are thin views of metrics/distributions.ts (tested against scipy to ~1e-13).
 */
import { chiSquareSurvival, normalCdf as phi, normalQuantile as phiInverse, normalSurvival } from '../metrics/distributions';

export function normalCdf(z: number): number {
  return phi(z);
}

/** 1 - Φ(z), accurate in the far upper tail. */
export function normalUpperTail(z: number): number {
  return normalSurvival(z);
}

/** Two-sided p-value of a standard normal statistic: 2 (1 - Φ(|z|)). */
export function normalTwoSidedP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  return Math.min(1, 2 * normalSurvival(Math.abs(z)));
}

export function normalQuantile(p: number): number {
  return phiInverse(p);
}

/** Upper tail P(X > x) of chi-square with df degrees of freedom. */
export function chiSquareUpperTail(x: number, df: number): number {
  return chiSquareSurvival(x, df);
}
