/**
 * ComBat harmonisation of features across acquisition sites (Johnson, Li & Rabinovic,
 * Biostatistics 8:118-127, 2007), parametric empirical Bayes, as R's sva::ComBat without
 * covariates (`mod = NULL`). Fitted on training rows only; the fitted site parameters are then
 * applied to any row (e.g. a test fold) of a known site.
 *
 * With feature g, site b, row i in b (estimation rows only):
 *   α_g  = mean of the site means weighted by site size (= the grand mean),
 *   σ²_g = (1/n) Σ_i (x_ig − mean_{b(i) g})²                      (pooled, divides by n as sva),
 *   s_ig = (x_ig − α_g) / σ_g,
 *   γ̂_bg = mean_{i∈b} s_ig,   δ̂²_bg = sample variance (n_b − 1) of s_ig over i ∈ b;
 * priors per site over the features: γ_bg ~ N(γ̄_b, τ̄²_b) (mean and sample variance of γ̂_b·),
 * δ²_bg ~ InvGamma(a_b, b_b) by the method of moments of δ̂²_b· (m, s²): a = (2s² + m²)/s²,
 * b = (m s² + m³)/s²; posterior means by sva's it.sol iteration until the largest relative
 * change is below 1e-4:
 *   γ* = (τ̄² n_b γ̂ + δ*² γ̄) / (τ̄² n_b + δ*²),
 *   δ*² = (½ Σ_{i∈b} (s_ig − γ*)² + b) / (n_b/2 + a − 1);
 * adjusted value x*_ig = (s_ig − γ*_bg) / δ*_bg · σ_g + α_g.
 *
 * Not estimable, and left unadjusted (with a warning): rows whose site is unknown, sites with
 * fewer than 2 training rows (no variance), features with zero pooled variance. When the priors
 * cannot be estimated (a single feature, or no spread of the site estimates), the site's own
 * estimates γ̂, δ̂² are used without shrinkage (location/scale adjustment), also with a warning.
 */
import type { JsonValue } from '../../schema/json-schema';

export interface CombatSite {
  site: string;
  rows: number;
  /** γ*_b· and δ*²_b· per feature. */
  gamma: Float64Array;
  delta2: Float64Array;
  /** Whether the empirical-Bayes shrinkage was used (false: the site's own estimates). */
  shrunk: boolean;
}

export interface CombatFit {
  /** α_g and σ_g per feature (σ = 0: the feature is left as it is). */
  mean: Float64Array;
  sd: Float64Array;
  sites: CombatSite[];
  /** Sites seen in training but not estimable (fewer than 2 rows). */
  skipped: string[];
  warnings: string[];
}

const CONVERGENCE = 1e-4;
const MAX_ITERATIONS = 1000;

/** Fits ComBat on row-major x (n x p) with a site per row (null = unknown). */
export function fitCombat(x: Float64Array, n: number, p: number, sites: readonly (string | null)[]): CombatFit {
  const warnings: string[] = [];
  const byRows = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const s = sites[i];
    if (s === null) continue;
    const list = byRows.get(s);
    if (list === undefined) byRows.set(s, [i]);
    else list.push(i);
  }
  const names = [...byRows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const skipped = names.filter((s) => byRows.get(s)!.length < 2);
  const used = names.filter((s) => byRows.get(s)!.length >= 2);
  if (skipped.length > 0) warnings.push(`ComBat: site(s) ${skipped.join(', ')} have fewer than 2 training rows and are not harmonised`);
  const unknown = sites.slice(0, n).filter((s) => s === null).length;
  if (unknown > 0) warnings.push(`ComBat: ${unknown} training row(s) without a site are not used or harmonised`);

  const mean = new Float64Array(p);
  const sd = new Float64Array(p);
  let total = 0;
  for (const s of used) total += byRows.get(s)!.length;
  if (used.length === 0 || total === 0) {
    warnings.push('ComBat: no site has 2 or more training rows; nothing is harmonised');
    return { mean, sd, sites: [], skipped, warnings };
  }
  // Site means, grand mean and pooled variance about the site means.
  const siteMeans = used.map((s) => {
    const rows = byRows.get(s)!;
    const m = new Float64Array(p);
    for (const i of rows) for (let g = 0; g < p; g++) m[g] += x[i * p + g];
    for (let g = 0; g < p; g++) m[g] /= rows.length;
    return m;
  });
  for (let b = 0; b < used.length; b++) {
    const w = byRows.get(used[b])!.length / total;
    for (let g = 0; g < p; g++) mean[g] += w * siteMeans[b][g];
  }
  for (let b = 0; b < used.length; b++) {
    for (const i of byRows.get(used[b])!) {
      for (let g = 0; g < p; g++) {
        const d = x[i * p + g] - siteMeans[b][g];
        sd[g] += d * d;
      }
    }
  }
  let flat = 0;
  for (let g = 0; g < p; g++) {
    sd[g] = Math.sqrt(sd[g] / total);
    if (!(sd[g] > 0)) {
      sd[g] = 0;
      flat++;
    }
  }
  if (flat > 0) warnings.push(`ComBat: ${flat} feature(s) without within-site variance are not harmonised`);

  const fitted: CombatSite[] = [];
  for (let b = 0; b < used.length; b++) {
    const rows = byRows.get(used[b])!;
    const nb = rows.length;
    // Standardised data of the site, feature-major for the iteration.
    const z = new Float64Array(p * nb);
    const gHat = new Float64Array(p);
    const dHat = new Float64Array(p);
    for (let g = 0; g < p; g++) {
      if (sd[g] === 0) continue;
      let s = 0;
      for (let k = 0; k < nb; k++) {
        const v = (x[rows[k] * p + g] - mean[g]) / sd[g];
        z[g * nb + k] = v;
        s += v;
      }
      gHat[g] = s / nb;
      let ss = 0;
      for (let k = 0; k < nb; k++) ss += (z[g * nb + k] - gHat[g]) ** 2;
      dHat[g] = ss / (nb - 1);
    }
    const live: number[] = [];
    for (let g = 0; g < p; g++) if (sd[g] > 0) live.push(g);
    const gBar = meanOf(live.map((g) => gHat[g]));
    const t2 = varianceOf(live.map((g) => gHat[g]), gBar);
    const m = meanOf(live.map((g) => dHat[g]));
    const s2 = varianceOf(live.map((g) => dHat[g]), m);
    const aPrior = (2 * s2 + m * m) / s2;
    const bPrior = (m * s2 + m * m * m) / s2;
    const gamma = Float64Array.from(gHat);
    const delta2 = Float64Array.from(dHat);
    const priorsOk = live.length >= 2 && Number.isFinite(t2) && t2 > 0 && Number.isFinite(aPrior) && Number.isFinite(bPrior) && s2 > 0;
    if (priorsOk) {
      for (const g of live) {
        let gOld = gHat[g];
        let dOld = dHat[g];
        for (let it = 0; it < MAX_ITERATIONS; it++) {
          const gNew = (t2 * nb * gHat[g] + dOld * gBar) / (t2 * nb + dOld);
          let sum2 = 0;
          for (let k = 0; k < nb; k++) sum2 += (z[g * nb + k] - gNew) ** 2;
          const dNew = (0.5 * sum2 + bPrior) / (nb / 2 + aPrior - 1);
          const change = Math.max(Math.abs(gNew - gOld) / Math.abs(gOld), Math.abs(dNew - dOld) / dOld);
          gOld = gNew;
          dOld = dNew;
          if (!(change >= CONVERGENCE)) break;
        }
        gamma[g] = gOld;
        delta2[g] = dOld;
      }
    } else {
      warnings.push(`ComBat: the empirical-Bayes priors of site ${used[b]} cannot be estimated; its own location and scale are used`);
    }
    for (const g of live) if (!(delta2[g] > 0)) delta2[g] = 1;
    fitted.push({ site: used[b], rows: nb, gamma, delta2, shrunk: priorsOk });
  }
  return { mean, sd, sites: fitted, skipped, warnings };
}

/**
 * Applies a fit to row-major x (n x p, the fitted features in the fitted order). Returns the
 * adjusted copy and the sites of rows left as they were.
 */
export function applyCombat(fit: CombatFit, x: Float64Array, n: number, p: number, sites: readonly (string | null)[]): { x: Float64Array; unharmonised: string[] } {
  const out = Float64Array.from(x);
  const bySite = new Map(fit.sites.map((s) => [s.site, s]));
  const missed = new Set<string>();
  for (let i = 0; i < n; i++) {
    const s = sites[i];
    const site = s === null ? undefined : bySite.get(s);
    if (site === undefined) {
      missed.add(s ?? '(unknown)');
      continue;
    }
    for (let g = 0; g < p; g++) {
      const sg = fit.sd[g];
      if (sg === 0) continue;
      const z = (x[i * p + g] - fit.mean[g]) / sg;
      out[i * p + g] = ((z - site.gamma[g]) / Math.sqrt(site.delta2[g])) * sg + fit.mean[g];
    }
  }
  return { x: out, unharmonised: [...missed].sort() };
}

export function combatState(fit: CombatFit, features: readonly string[]): JsonValue {
  return {
    features: [...features],
    mean: Array.from(fit.mean),
    sd: Array.from(fit.sd),
    sites: fit.sites.map((s) => ({ site: s.site, rows: s.rows, shrunk: s.shrunk, gamma: Array.from(s.gamma), delta2: Array.from(s.delta2) })),
    not_harmonised: fit.skipped,
  };
}

function meanOf(v: readonly number[]): number {
  let s = 0;
  for (const x of v) s += x;
  return v.length > 0 ? s / v.length : NaN;
}

function varianceOf(v: readonly number[], m: number): number {
  if (v.length < 2) return NaN;
  let s = 0;
  for (const x of v) s += (x - m) ** 2;
  return s / (v.length - 1);
}
