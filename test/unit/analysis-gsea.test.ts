/**
 * Preranked GSEA: the enrichment score on hand-worked lists, the ranking statistics, the GMT
 * parser, and end to end on a synthetic expression matrix with a planted enriched set.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrichmentScoreAt, runningSum } from '../../src/engine/analysis/gsea/enrichment-score';
import { GeneSet, parseGmt, readGmt } from '../../src/engine/analysis/gsea/gmt';
import { rankGenes } from '../../src/engine/analysis/gsea/ranking';
import { gseaPreranked, rankedList } from '../../src/engine/analysis/gsea/preranked';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

const SCORES = Float64Array.from([3, 2, 1, -1, -2, -3]);

describe('enrichment score', () => {
  it('matches the hand-worked running sum for a set at the top', () => {
    // Set {0, 2}: N_R = 3 + 1 = 4; each of the 4 misses -1/4.
    // Running sum: +3/4 = 0.75, 0.5, +1/4 = 0.75, 0.5, 0.25, 0. ES = 0.75 (first at position 0).
    const rs = runningSum(SCORES, [true, false, true, false, false, false]);
    expect(Array.from(rs)).toEqual([0.75, 0.5, 0.75, 0.5, 0.25, 0]);
    const es = enrichmentScoreAt(SCORES, [0, 2]);
    expect(es.es).toBeCloseTo(0.75, 15);
    expect(es.peak).toBe(0);
  });

  it('matches the hand-worked running sum for a set at the bottom (negative ES)', () => {
    // Set {3, 5}: weights 1 and 3, N_R = 4. Running sum: -0.25, -0.5, -0.75, +0.25 -> -0.5,
    // -0.75, +0.75 -> 0. ES = -0.75, first reached at position 2, before the leading edge {3, 5}.
    const rs = runningSum(SCORES, [false, false, false, true, false, true]);
    expect(Array.from(rs)).toEqual([-0.25, -0.5, -0.75, -0.5, -0.75, 0]);
    const es = enrichmentScoreAt(SCORES, [3, 5]);
    expect(es.es).toBeCloseTo(-0.75, 15);
    expect(es.peak).toBe(2);
  });

  it('gives the Kolmogorov–Smirnov statistic with weight 0', () => {
    // Set {1, 2} unweighted: steps +1/2 at hits, -1/4 at misses: -0.25, 0.25, 0.75, 0.5, 0.25, 0.
    expect(enrichmentScoreAt(SCORES, [1, 2], 0).es).toBeCloseTo(0.75, 15);
    // Weight 2: N_R = 4 + 1 = 5: -0.25, +0.8 -> 0.55, +0.2 -> 0.75 …
    expect(enrichmentScoreAt(SCORES, [1, 2], 2).es).toBeCloseTo(0.75, 15);
  });

  it('agrees with the maximum deviation of the full running sum on random sets', () => {
    const rng = new Rng(4);
    const n = 200;
    const scores = Float64Array.from({ length: n }, () => rng.normal()).sort().reverse();
    for (let t = 0; t < 50; t++) {
      const size = 1 + rng.nextInt(40);
      const hits = rng.sampleWithoutReplacement(n, size).sort();
      const inSet = new Array<boolean>(n).fill(false);
      for (const h of hits) inSet[h] = true;
      const rs = runningSum(scores, inSet);
      let max = 0;
      let min = 0;
      for (const v of rs) {
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
      expect(enrichmentScoreAt(scores, hits).es).toBeCloseTo(max > -min ? max : min, 12);
    }
  });

  it('is NaN for an empty set or all weights 0', () => {
    expect(enrichmentScoreAt(SCORES, []).es).toBeNaN();
    expect(enrichmentScoreAt(Float64Array.from([1, 0, 0]), [1, 2]).es).toBeNaN();
  });
});

describe('ranking statistics', () => {
  const expression = {
    genes: ['G1', 'G2', 'G3'],
    samples: 6,
    // Samples 0-2 class 1, 3-5 class 0.
    values: Float64Array.from([1, 2, 3, 4, 6, 8, 10, 10, 10, 0, 0, 0, 5, 1, 3, 2, 2, 2]),
  };
  const classes = [1, 1, 1, 0, 0, 0];

  it('computes signal-to-noise with GSEA’s sigma floor', () => {
    const r = rankGenes(expression, classes, 'signal-to-noise');
    const s = Object.fromEntries(r.genes.map((g, i) => [g, r.scores[i]]));
    // G1: μ1 = 2, σ1 = 1; μ0 = 6, σ0 = 2: (2 - 6)/(1 + 2).
    expect(s.G1).toBeCloseTo(-4 / 3, 14);
    // G2: σ1 = 0 -> 0.2·10 = 2; σ0 = 0 with μ0 = 0 -> 0.2: 10/2.2.
    expect(s.G2).toBeCloseTo(10 / 2.2, 14);
    // G3: μ1 = 3, σ1 = 2; μ0 = 2, σ0 = 0 -> 0.4: 1/2.4.
    expect(s.G3).toBeCloseTo(1 / 2.4, 14);
    expect(r.genes).toEqual(['G2', 'G3', 'G1']);
  });

  it('computes Welch t and drops genes without a finite value', () => {
    const r = rankGenes(expression, classes, 't');
    // G1: (2 - 6)/√(1/3 + 4/3).
    expect(r.scores[r.genes.indexOf('G1')]).toBeCloseTo(-4 / Math.sqrt(5 / 3), 14);
    // G2 has zero variance in both groups: infinite t, left out.
    expect(r.dropped).toEqual(['G2']);
    expect(r.genes).toEqual(['G3', 'G1']);
  });

  it('validates the classes', () => {
    expect(() => rankGenes(expression, [1, 0, 0, 0, 0, 0])).toThrow(/at least 2 samples/);
    expect(() => rankGenes(expression, [1, 1, 2, 0, 0, 0])).toThrow(RgsError);
  });
});

describe('GMT files', () => {
  it('parses sets, skipping blank lines and empty fields and deduplicating genes', () => {
    const sets = parseGmt('A\tdesc a\tG1\tG2\tG1\t\r\n\nB\thttp://x\tG3\n', 'sets.gmt');
    expect(sets).toEqual([
      { name: 'A', description: 'desc a', genes: ['G1', 'G2'] },
      { name: 'B', description: 'http://x', genes: ['G3'] },
    ]);
  });

  it('names the file and line of a problem', () => {
    expect(() => parseGmt('A\td\tG1\nB d G2\n', 'my.gmt')).toThrow('my.gmt:2: expected name<TAB>description<TAB>genes');
    expect(() => parseGmt('A\td\tG1\n\nA\td\tG2\n', 'my.gmt')).toThrow("my.gmt:3: gene set 'A' is defined twice (first on line 1)");
    expect(() => parseGmt('A\td\t\t\n', 'my.gmt')).toThrow("my.gmt:1: gene set 'A' has no genes");
    expect(() => parseGmt('\n\n', 'my.gmt')).toThrow('my.gmt: no gene sets');
  });

  it('reads a file and reports an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rgs-gmt-'));
    try {
      const path = join(dir, 'x.gmt');
      writeFileSync(path, 'S\td\tG1\tG2\n');
      expect(readGmt(path)[0].genes).toEqual(['G1', 'G2']);
      expect(() => readGmt(join(dir, 'missing.gmt'))).toThrow(/missing\.gmt: cannot read the gene set file \(ENOENT\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('preranked GSEA end to end', () => {
  // 1000 genes x 40 samples (20 per class), standard normal noise; the 30 genes of PLANTED are
  // 0.9 SD higher in class 1. 20 further sets of 30 random genes.
  const rng = new Rng(2005);
  const nGenes = 1000;
  const nSamples = 40;
  const genes = Array.from({ length: nGenes }, (_, g) => `GENE${g}`);
  const classes = Array.from({ length: nSamples }, (_, s) => (s < 20 ? 1 : 0));
  const order = rng.permutation(nGenes);
  const planted = Array.from(order.subarray(0, 30));
  const isPlanted = new Set(planted);
  const values = new Float64Array(nGenes * nSamples);
  for (let g = 0; g < nGenes; g++) {
    for (let s = 0; s < nSamples; s++) values[g * nSamples + s] = rng.normal() + (isPlanted.has(g) && classes[s] === 1 ? 0.9 : 0);
  }
  const sets: GeneSet[] = [{ name: 'PLANTED', description: '', genes: planted.map((g) => genes[g]) }];
  for (let r = 0; r < 20; r++) {
    sets.push({ name: `RANDOM_${r}`, description: '', genes: Array.from(rng.sampleWithoutReplacement(nGenes, 30), (g) => genes[g]) });
  }
  sets.push({ name: 'TOO_SMALL', description: '', genes: ['GENE1', 'GENE2', 'NOT_MEASURED'] });
  const ranking = rankGenes({ genes, samples: nSamples, values }, classes, 'signal-to-noise');
  const result = gseaPreranked(ranking, sets, { seed: 11, permutations: 1000 });

  it('finds the planted set with q < 0.05 and a positive NES', () => {
    const p = result.sets.find((s) => s.name === 'PLANTED')!;
    expect(p.size).toBe(30);
    expect(p.es).toBeGreaterThan(0.5);
    expect(p.nes).toBeGreaterThan(2);
    expect(p.p).toBeLessThan(0.01);
    expect(p.q).toBeLessThan(0.05);
    // Most of the planted genes are in the leading edge, which holds only set members.
    expect(p.leadingEdge.length).toBeGreaterThan(15);
    for (const g of p.leadingEdge) expect(isPlanted.has(genes.indexOf(g))).toBe(true);
  });

  it('does not call the random sets', () => {
    const random = result.sets.filter((s) => s.name.startsWith('RANDOM_'));
    expect(random.length).toBe(20);
    for (const s of random) expect(s.q, s.name).toBeGreaterThan(0.05);
    // Nominal p-values of null sets are roughly uniform: few are small.
    expect(random.filter((s) => s.p < 0.05).length).toBeLessThanOrEqual(3);
  });

  it('skips sets outside the size limits, with the reason', () => {
    expect(result.skipped).toEqual([{ name: 'TOO_SMALL', size: 2, reason: 'fewer than 15 genes in the ranked list' }]);
  });

  it('finds a set planted at the bottom with a negative NES', () => {
    const down = Array.from(order.subarray(500, 530));
    const isDown = new Set(down);
    const v2 = Float64Array.from(values);
    for (const g of down) for (let s = 0; s < 20; s++) v2[g * nSamples + s] -= 0.9;
    const r2 = rankGenes({ genes, samples: nSamples, values: v2 }, classes);
    const res = gseaPreranked(r2, [{ name: 'DOWN', description: '', genes: down.map((g) => genes[g]) }, ...sets.slice(1, 21)], {
      seed: 3,
      permutations: 500,
    });
    const d = res.sets[0];
    expect(d.es).toBeLessThan(-0.5);
    expect(d.nes).toBeLessThan(-2);
    expect(d.q).toBeLessThan(0.05);
    for (const g of d.leadingEdge) expect(isDown.has(genes.indexOf(g))).toBe(true);
  });

  it('is deterministic given the seed', () => {
    const again = gseaPreranked(ranking, sets, { seed: 11, permutations: 1000 });
    expect(again.sets.map((s) => [s.nes, s.p, s.q])).toEqual(result.sets.map((s) => [s.nes, s.p, s.q]));
    const other = gseaPreranked(ranking, sets, { seed: 12, permutations: 1000 });
    expect(other.sets.map((s) => s.nes)).not.toEqual(result.sets.map((s) => s.nes));
    // The ES does not depend on the permutations.
    expect(other.sets.map((s) => s.es)).toEqual(result.sets.map((s) => s.es));
  });

  it('sorts a user ranking and rejects unsorted or duplicate input', () => {
    const r = rankedList(['a', 'b', 'c'], [0.5, 2, -1]);
    expect(r.genes).toEqual(['b', 'a', 'c']);
    expect(() => rankedList(['a', 'a'], [1, 2])).toThrow(/appears twice/);
    expect(() => gseaPreranked({ genes: ['a', 'b'], scores: Float64Array.from([1, 2]) }, sets, { seed: 1 })).toThrow(/sorted/);
  });
});
