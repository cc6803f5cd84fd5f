/**
 * Preranked GSEA with gene-set permutation (Subramanian et al., PNAS 2005, and its supplement;
 * the GSEAPreranked procedure, which cannot permute phenotypes because it has only the ranking):
 *
 * 1. Each set is restricted to the genes in the ranked list and kept when its size is within
 *    [minSize, maxSize] (GSEA's defaults 15 and 500).
 * 2. Observed ES with weight p (enrichment-score.ts).
 * 3. Null: for each set, `permutations` random gene sets of the same size drawn uniformly
 *    from the ranked list, ES of each.
 * 4. NES = ES / mean of the same-signed null ES of that set (null ES >= 0 for a positive ES,
 *    < 0 for a negative one); each null ES is normalised the same way, giving the null NES.
 * 5. Nominal p: the share of same-signed null ES at least as extreme as the observed ES (so 0
 *    when none is; its resolution is 1/permutations).
 * 6. FDR q for NES* >= 0: [share of all null NES >= 0 (over all sets and permutations) that are
 *    >= NES*] / [share of observed NES >= 0 that are >= NES*], capped at 1; mirrored for
 *    NES* < 0. As in the paper, no monotone adjustment.
 * A set whose null has no value of the observed ES's sign gets NaN NES, p and q.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';
import { enrichmentScoreAt } from './enrichment-score';
import type { GeneSet } from './gmt';
import type { RankedList } from './ranking';

export interface PrerankedOptions {
  /** Permutations per set (default 1000). */
  permutations?: number;
  seed: number | Rng;
  /** Weight p of the running sum (default 1). */
  weight?: number;
  /** Smallest set size kept after restriction to the ranked genes (default 15). */
  minSize?: number;
  /** Largest set size kept (default 500). */
  maxSize?: number;
}

export interface GeneSetResult {
  name: string;
  /** Genes of the set found in the ranked list. */
  size: number;
  es: number;
  nes: number;
  /** Nominal p-value. */
  p: number;
  /** FDR q-value. */
  q: number;
  /** The leading-edge genes (the hits up to the peak for a positive ES, after it for a negative ES). */
  leadingEdge: string[];
}

export interface PrerankedResult {
  /** Analysed sets, in input order. */
  sets: GeneSetResult[];
  /** Sets left out, with the reason. */
  skipped: { name: string; size: number; reason: string }[];
}

/**
 * A ranked list from genes and scores in any order (e.g. read from a .rnk file): sorted by
 * decreasing score, ties keeping the given order. Scores must be finite; genes unique.
 */
export function rankedList(genes: readonly string[], scores: ArrayLike<number>): RankedList {
  if (genes.length !== scores.length) throw new RgsError(`ranked list: ${genes.length} genes but ${scores.length} scores`);
  const seen = new Set<string>();
  const order: number[] = [];
  for (let i = 0; i < genes.length; i++) {
    if (seen.has(genes[i])) throw new RgsError(`ranked list: gene ${genes[i]} appears twice`);
    if (!Number.isFinite(scores[i])) throw new RgsError(`ranked list: score of gene ${genes[i]} is ${scores[i]}`);
    seen.add(genes[i]);
    order.push(i);
  }
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return { genes: order.map((i) => genes[i]), scores: Float64Array.from(order, (i) => scores[i]) };
}

/** Mean of the values >= 0 and of the values < 0 (NaN when there are none). */
function signedMeans(values: Float64Array): [number, number] {
  let sp = 0;
  let np = 0;
  let sn = 0;
  let nn = 0;
  for (const v of values) {
    if (v >= 0) {
      sp += v;
      np++;
    } else {
      sn += v;
      nn++;
    }
  }
  return [np > 0 ? sp / np : NaN, nn > 0 ? sn / nn : NaN];
}

/** Number of entries of ascending `sorted` that are >= x (binary search). */
function countAtLeast(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return sorted.length - lo;
}

/** Number of entries of ascending `sorted` that are <= x. */
function countAtMost(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs preranked GSEA (see the module comment). Deterministic given the seed. */
export function gseaPreranked(ranked: RankedList, geneSets: readonly GeneSet[], options: PrerankedOptions): PrerankedResult {
  const permutations = options.permutations ?? 1000;
  const weight = options.weight ?? 1;
  const minSize = options.minSize ?? 15;
  const maxSize = options.maxSize ?? 500;
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RgsError(`GSEA: permutations must be a positive integer, got ${permutations}`, { field: 'permutations' });
  }
  if (!(weight >= 0)) throw new RgsError(`GSEA: weight must be >= 0, got ${weight}`, { field: 'weight' });
  if (!(minSize >= 1 && maxSize >= minSize)) throw new RgsError(`GSEA: need 1 <= minSize <= maxSize, got ${minSize} and ${maxSize}`);
  const n = ranked.genes.length;
  const scores = ranked.scores;
  for (let j = 1; j < n; j++) {
    if (!(scores[j] <= scores[j - 1])) throw new RgsError('GSEA: the ranked list must be sorted by decreasing score (use rankedList())');
  }
  const position = new Map<string, number>();
  ranked.genes.forEach((g, j) => position.set(g, j));

  const rng = toRng(options.seed);
  // One pool, permuted in place: k steps of a partial Fisher–Yates from any current order give
  // a uniform random k-subset, in O(k) per draw instead of O(N).
  const pool = new Int32Array(n);
  for (let j = 0; j < n; j++) pool[j] = j;

  const analysed: { name: string; hits: Int32Array; es: number; peak: number; nullEs: Float64Array }[] = [];
  const skipped: PrerankedResult['skipped'] = [];
  for (const set of geneSets) {
    const found: number[] = [];
    for (const g of set.genes) {
      const p = position.get(g);
      if (p !== undefined) found.push(p);
    }
    const size = found.length;
    if (size < minSize || size > maxSize || size >= n) {
      const reason = size < minSize ? `fewer than ${minSize} genes in the ranked list` : size >= n ? 'contains every ranked gene' : `more than ${maxSize} genes`;
      skipped.push({ name: set.name, size, reason });
      continue;
    }
    const hits = Int32Array.from(found).sort();
    const observed = enrichmentScoreAt(scores, hits, weight);
    const nullEs = new Float64Array(permutations);
    const draw = new Int32Array(size);
    for (let b = 0; b < permutations; b++) {
      for (let i = 0; i < size; i++) {
        const j = i + rng.nextInt(n - i);
        const tmp = pool[i];
        pool[i] = pool[j];
        pool[j] = tmp;
        draw[i] = pool[i];
      }
      draw.sort();
      nullEs[b] = enrichmentScoreAt(scores, draw, weight).es;
    }
    analysed.push({ name: set.name, hits, es: observed.es, peak: observed.peak, nullEs });
  }

  // Normalisation, nominal p, and the pooled null NES for the FDR.
  const nes = new Float64Array(analysed.length);
  const pValues = new Float64Array(analysed.length);
  const nullPositive: number[] = [];
  const nullNegative: number[] = [];
  analysed.forEach((a, s) => {
    const [meanPos, meanNeg] = signedMeans(a.nullEs);
    let nPos = 0;
    let nNeg = 0;
    let extremePos = 0;
    let extremeNeg = 0;
    for (const v of a.nullEs) {
      if (v >= 0) {
        nPos++;
        if (v >= a.es) extremePos++;
        nullPositive.push(v / meanPos);
      } else {
        nNeg++;
        if (v <= a.es) extremeNeg++;
        nullNegative.push(v / -meanNeg);
      }
    }
    if (Number.isNaN(a.es)) {
      nes[s] = NaN;
      pValues[s] = NaN;
    } else if (a.es >= 0) {
      nes[s] = a.es / meanPos;
      pValues[s] = nPos > 0 ? extremePos / nPos : NaN;
    } else {
      nes[s] = a.es / -meanNeg;
      pValues[s] = nNeg > 0 ? extremeNeg / nNeg : NaN;
    }
  });
  const sortedNullPos = Float64Array.from(nullPositive.filter((v) => Number.isFinite(v))).sort();
  const sortedNullNeg = Float64Array.from(nullNegative.filter((v) => Number.isFinite(v))).sort();
  const obsPos = Float64Array.from(Array.from(nes).filter((v) => v >= 0)).sort();
  const obsNeg = Float64Array.from(Array.from(nes).filter((v) => v < 0)).sort();

  const sets: GeneSetResult[] = analysed.map((a, s) => {
    const v = nes[s];
    let q = NaN;
    if (Number.isFinite(v) && v >= 0 && sortedNullPos.length > 0) {
      q = countAtLeast(sortedNullPos, v) / sortedNullPos.length / (countAtLeast(obsPos, v) / obsPos.length);
    } else if (Number.isFinite(v) && v < 0 && sortedNullNeg.length > 0) {
      q = countAtMost(sortedNullNeg, v) / sortedNullNeg.length / (countAtMost(obsNeg, v) / obsNeg.length);
    }
    const leading = Array.from(a.hits).filter((h) => (a.es >= 0 ? h <= a.peak : h > a.peak));
    return {
      name: a.name,
      size: a.hits.length,
      es: a.es,
      nes: v,
      p: pValues[s],
      q: Math.min(1, q),
      leadingEdge: leading.map((h) => ranked.genes[h]),
    };
  });
  return { sets, skipped };
}
