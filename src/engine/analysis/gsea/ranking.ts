/**
 * Ranking statistics for GSEA between two groups of samples (e.g. high- vs low-risk group, or
 * marker-positive vs marker-negative): class 1 is the group of interest, so a positive score
 * means higher expression in class 1, and genes up in class 1 rank first.
 *
 * - Signal-to-noise (GSEA's default metric, Subramanian et al. 2005):
 *     S2N = (μ₁ - μ₀) / (σ₁ + σ₀),
 *   σ the sample standard deviation (n - 1), raised to at least 0.2·|μ| and, when that is 0, to
 *   0.2 (GSEA's "small sigma" fix from GeneCluster, so near-constant genes do not dominate).
 * - Welch's t statistic: t = (μ₁ - μ₀) / √(σ₁²/n₁ + σ₀²/n₀), no variance floor; a gene with
 *   zero variance in both groups has no finite t and is left out (listed in `dropped`).
 */
import { RgsError } from '../../util/errors';

export type RankingStatistic = 'signal-to-noise' | 't';

/** Expression values of genes × samples, gene-major: value (g, s) at values[g * samples + s]. */
export interface ExpressionMatrix {
  genes: readonly string[];
  samples: number;
  values: Float64Array;
}

/** Genes ordered by decreasing score (ties keep the input order). */
export interface RankedList {
  genes: string[];
  scores: Float64Array;
}

export interface Ranking extends RankedList {
  /** Genes without a finite statistic (left out of the ranking). */
  dropped: string[];
}

/** Mean and sample SD of one gene's values in the samples with `group[s] === g`. */
function moments(values: Float64Array, offset: number, group: Uint8Array, g: number, n: number): [number, number] {
  let sum = 0;
  for (let s = 0; s < group.length; s++) if (group[s] === g) sum += values[offset + s];
  const mean = sum / n;
  let ss = 0;
  for (let s = 0; s < group.length; s++) {
    if (group[s] === g) {
      const d = values[offset + s] - mean;
      ss += d * d;
    }
  }
  return [mean, Math.sqrt(ss / (n - 1))];
}

/** GSEA's floor on σ for the signal-to-noise ratio. */
function floorSigma(sigma: number, mean: number): number {
  const floored = Math.max(sigma, 0.2 * Math.abs(mean));
  return floored === 0 ? 0.2 : floored;
}

/**
 * Scores every gene between class 1 and class 0 (`classes`, one per sample: 1/true or 0/false)
 * and returns the genes ranked by decreasing score. Each class needs at least 2 samples.
 */
export function rankGenes(
  expression: ExpressionMatrix,
  classes: ArrayLike<number | boolean>,
  statistic: RankingStatistic = 'signal-to-noise',
): Ranking {
  const { genes, samples, values } = expression;
  if (values.length !== genes.length * samples) {
    throw new RgsError(`expression matrix: ${values.length} values for ${genes.length} genes x ${samples} samples`);
  }
  if (classes.length !== samples) throw new RgsError(`GSEA ranking: ${classes.length} class labels for ${samples} samples`, { field: 'classes' });
  const group = new Uint8Array(samples);
  let n1 = 0;
  for (let s = 0; s < samples; s++) {
    const c = classes[s];
    if (c === 1 || c === true) {
      group[s] = 1;
      n1++;
    } else if (c !== 0 && c !== false) {
      throw new RgsError(`GSEA ranking: class of sample ${s + 1} is ${String(c)}; expected 0/1 or true/false`, { field: 'classes' });
    }
  }
  const n0 = samples - n1;
  if (n1 < 2 || n0 < 2) throw new RgsError(`GSEA ranking: each class needs at least 2 samples, got ${n1} and ${n0}`, { field: 'classes' });
  const kept: { gene: string; score: number; index: number }[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (let g = 0; g < genes.length; g++) {
    if (seen.has(genes[g])) throw new RgsError(`expression matrix: gene ${genes[g]} appears twice`, { field: 'genes' });
    seen.add(genes[g]);
    const offset = g * samples;
    const [m1, s1] = moments(values, offset, group, 1, n1);
    const [m0, s0] = moments(values, offset, group, 0, n0);
    const score =
      statistic === 'signal-to-noise'
        ? (m1 - m0) / (floorSigma(s1, m1) + floorSigma(s0, m0))
        : (m1 - m0) / Math.sqrt((s1 * s1) / n1 + (s0 * s0) / n0);
    if (Number.isFinite(score)) kept.push({ gene: genes[g], score, index: g });
    else dropped.push(genes[g]);
  }
  kept.sort((a, b) => b.score - a.score || a.index - b.index);
  return { genes: kept.map((k) => k.gene), scores: Float64Array.from(kept, (k) => k.score), dropped };
}
