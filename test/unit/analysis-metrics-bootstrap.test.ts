/**
 * Percentile bootstrap: quantile rule, determinism, stratified and cluster resampling, skipped
 * replicates, and coverage of a known sampling distribution.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapCi, bootstrapConcordance, pick, quantileType7 } from '../../src/engine/analysis/metrics/bootstrap';
import { aucMannWhitney } from '../../src/engine/analysis/metrics/roc';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s / values.length;
}

describe('bootstrap CI', () => {
  it('uses R type-7 quantiles', () => {
    // h = (n - 1) q: q = 0.25 on 1..4 -> h = 0.75 -> 1.75; q = 0.975 on 1..5 -> h = 3.9 -> 4.9.
    expect(quantileType7([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 15);
    expect(quantileType7([1, 2, 3, 4, 5], 0.975)).toBeCloseTo(4.9, 15);
    expect(quantileType7([7], 0.3)).toBe(7);
  });

  it('is deterministic given the seed and defaults to 2000 replicates', () => {
    const x = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
    const stat = (rows: Int32Array): number => mean(pick(x, rows));
    const a = bootstrapCi(x.length, stat, { seed: 4 });
    const b = bootstrapCi(x.length, stat, { seed: 4 });
    const c = bootstrapCi(x.length, stat, { seed: 5 });
    expect(a.replicates).toBe(2000);
    expect(a.values.length).toBe(2000);
    expect([a.lower, a.upper]).toEqual([b.lower, b.upper]);
    expect([a.lower, a.upper]).not.toEqual([c.lower, c.upper]);
    expect(a.estimate).toBeCloseTo(mean(x), 15);
    expect(a.lower).toBeLessThan(a.estimate);
    expect(a.upper).toBeGreaterThan(a.estimate);
  });

  it('approximates the normal-theory CI of a mean (sampling distribution known)', () => {
    const rng = new Rng(31);
    const x = Array.from({ length: 400 }, () => 2 + rng.normal());
    const m = mean(x);
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
    const half = (1.959963984540054 * sd) / Math.sqrt(x.length);
    const ci = bootstrapCi(x.length, (rows) => mean(pick(x, rows)), { seed: 8, replicates: 4000 });
    // Monte Carlo error of a 2.5 % quantile with B = 4000 is about 4 % of the half-width.
    expect(Math.abs(ci.lower - (m - half)) / half).toBeLessThan(0.12);
    expect(Math.abs(ci.upper - (m + half)) / half).toBeLessThan(0.12);
  });

  it('keeps the number of rows per stratum fixed when stratified', () => {
    const y = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const counts = new Set<number>();
    bootstrapCi(
      y.length,
      (rows) => {
        const cases = pick(y, rows).reduce((s, v) => s + v, 0);
        counts.add(cases);
        return cases;
      },
      { seed: 1, replicates: 300, strata: y },
    );
    expect([...counts]).toEqual([3]);
  });

  it('resamples whole clusters when given subject ids', () => {
    const clusters = ['a', 'a', 'b', 'c', 'c', 'c', 'd'];
    bootstrapCi(
      clusters.length,
      (rows) => {
        const n = new Map<number, number>();
        for (const r of rows) n.set(r, (n.get(r) ?? 0) + 1);
        // Every row of a drawn subject appears as often as the subject was drawn.
        for (const [r, k] of n) for (let s = 0; s < clusters.length; s++) if (clusters[s] === clusters[r]) expect(n.get(s)).toBe(k);
        return rows.length;
      },
      { seed: 2, replicates: 200, clusters },
    );
    expect(() => bootstrapCi(3, () => 0, { seed: 1, clusters: ['a', 'a', 'b'], strata: [1, 0, 0] })).toThrow(/cluster a has rows in two strata/);
  });

  it('leaves out replicates where the statistic is undefined and counts them', () => {
    // AUC of an unstratified resample is NaN when it draws no case (1 case in 8 rows:
    // P = (7/8)^8 = 34 %).
    const y = [1, 0, 0, 0, 0, 0, 0, 0];
    const s = [0.9, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7];
    const ci = bootstrapCi(y.length, (rows) => aucMannWhitney(pick(y, rows), pick(s, rows)), { seed: 3, replicates: 1000 });
    expect(ci.invalid).toBeGreaterThan(250);
    expect(ci.invalid).toBeLessThan(430);
    expect(ci.values.length + ci.invalid).toBe(1000);
    expect(ci.upper).toBe(1);
  });

  it('bootstraps a C-index passed in as a function', () => {
    const time = [5, 8, 2, 9, 4, 7];
    const event = [1, 0, 1, 1, 0, 1];
    const risk = [0.3, 0.1, 0.9, 0.2, 0.5, 0.4];
    const seen: number[] = [];
    const ci = bootstrapConcordance(
      time,
      event,
      risk,
      (t, e, r) => {
        expect(t.length).toBe(6);
        // The three arrays are resampled together: each (t, e, r) triple is an original row.
        for (let i = 0; i < t.length; i++) {
          const row = time.indexOf(t[i]);
          expect([e[i], r[i]]).toEqual([event[row], risk[row]]);
        }
        seen.push(1);
        return mean(r);
      },
      { seed: 6, replicates: 50 },
    );
    expect(seen.length).toBe(51); // estimate + 50 replicates
    expect(ci.estimate).toBeCloseTo(mean(risk), 15);
    expect(() => bootstrapConcordance([1], [2], [0.5], () => 0, { seed: 1 })).toThrow(RgsError);
  });

  it('validates options', () => {
    expect(() => bootstrapCi(3, () => 0, { seed: 1, replicates: 0 })).toThrow(RgsError);
    expect(() => bootstrapCi(3, () => 0, { seed: 1, level: 1 })).toThrow(RgsError);
    expect(() => bootstrapCi(3, () => 0, { seed: 1, strata: [1, 0] })).toThrow(RgsError);
  });
});
