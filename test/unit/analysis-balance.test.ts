/**
 * SMOTE and random oversampling: training rows only, counts, geometry (synthetic points on
 * segments to one of the k nearest minority neighbours), determinism, and the distribution of
 * the synthetic points over many draws.
 */
import { describe, expect, it } from 'vitest';
import { FeatureMatrix, TrainingSet, trainingSet } from '../../src/engine/analysis/balance/training-set';
import { nearestNeighbours, smote } from '../../src/engine/analysis/balance/smote';
import { randomOversample } from '../../src/engine/analysis/balance/random-oversample';
import { Rng } from '../../src/engine/analysis/random';
import type { Fold } from '../../src/engine/analysis/validation/subjects';
import { RgsError } from '../../src/engine/util/errors';

/** Majority class 0 (n0 rows around (0, 0)), minority class 1 (n1 rows around (3, 1), correlated). */
function twoClasses(n0: number, n1: number, seed: number): { x: FeatureMatrix; y: number[] } {
  const rng = new Rng(seed);
  const data: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n0; i++) {
    data.push(rng.normal(), rng.normal());
    y.push(0);
  }
  for (let i = 0; i < n1; i++) {
    const a = rng.normal();
    const b = rng.normal();
    data.push(3 + a, 1 + 0.6 * a + 0.5 * b);
    y.push(1);
  }
  return { x: { rows: n0 + n1, cols: 2, data: Float64Array.from(data) }, y };
}

/** Every row for training (as when the final model is fitted on all data). */
function allRows(n: number): Fold {
  return { train: Int32Array.from({ length: n }, (_, i) => i), test: new Int32Array(0) };
}

function row(x: FeatureMatrix, i: number): number[] {
  return Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols));
}

describe('training set', () => {
  it('holds exactly the training rows of a fold', () => {
    const { x, y } = twoClasses(10, 4, 1);
    const fold = { train: Int32Array.from([0, 2, 3, 10, 12]), test: Int32Array.from([1, 4, 5, 6, 7, 8, 9, 11, 13]) };
    const t = trainingSet(x, y, fold);
    expect(t.x.rows).toBe(5);
    expect(Array.from(t.sourceRows)).toEqual([0, 2, 3, 10, 12]);
    expect(Array.from(t.labels)).toEqual([0, 0, 0, 1, 1]);
    expect(row(t.x, 3)).toEqual(row(x, 10));
    expect(() => trainingSet(x, y, { train: fold.train, test: Int32Array.from([3]) })).toThrow(/row 4 is in both/);
  });

  it('cannot be forged by a cast: balancers refuse objects not made from a fold', () => {
    const { x, y } = twoClasses(10, 6, 1);
    const forged = { x, labels: Int32Array.from(y), sourceRows: new Int32Array(16) } as unknown as TrainingSet;
    expect(() => smote(forged, { seed: 1 })).toThrow(/only a training set made by trainingSet/);
    expect(() => randomOversample(forged, { seed: 1 })).toThrow(RgsError);
  });

  it('rejects missing feature values and non-integer labels', () => {
    const x: FeatureMatrix = { rows: 2, cols: 1, data: Float64Array.from([1, NaN]) };
    expect(() => trainingSet(x, [0, 1], allRows(2))).toThrow(/impute or drop/);
    expect(() => trainingSet({ rows: 2, cols: 1, data: Float64Array.from([1, 2]) }, [0, 0.5], allRows(2))).toThrow(RgsError);
  });
});

describe('nearest neighbours', () => {
  it('finds the k nearest by Euclidean distance, ties to the lower row', () => {
    // Points on a line at 0, 1, 3, 4, 10; rows 5 and 6 (class members) only.
    const data = Float64Array.from([0, 1, 3, 4, 10, 2, 2]);
    const nn = nearestNeighbours(data, 1, [0, 1, 2, 3, 4], 2);
    expect(nn.map((a) => Array.from(a))).toEqual([
      [1, 2], // from 0: 1 (d 1), 3 (d 3)
      [0, 2], // from 1: 0 (d 1) and 3 (d 2)
      [3, 1], // from 3: 4 (d 1), 1 (d 2)
      [2, 1], // from 4: 3 (d 1), 1 (d 3)
      [3, 2], // from 10: 4, 3
    ]);
    // Equal distances: the point at 2 is 1 away from both 1 and 3; the lower row (1) comes first.
    expect(Array.from(nearestNeighbours(Float64Array.from([1, 3, 2]), 1, [0, 1, 2], 1)[2])).toEqual([0]);
  });
});

describe('SMOTE', () => {
  const { x, y } = twoClasses(60, 17, 5);
  const train = trainingSet(x, y, allRows(x.rows));

  it('adds the right number of minority rows and keeps the input rows first', () => {
    const r = smote(train, { seed: 3 });
    expect(r.set.x.rows).toBe(120);
    expect(Array.from(r.set.labels.subarray(77)).every((c) => c === 1)).toBe(true);
    expect(Array.from(r.set.x.data.subarray(0, 77 * 2))).toEqual(Array.from(train.x.data));
    expect(Array.from(r.set.sourceRows.subarray(77)).every((s) => s === -1)).toBe(true);
    // Target ratio 0.5: floor(0.5 · 60) = 30 minority rows, 13 synthetic.
    expect(smote(train, { seed: 3, targetRatio: 0.5 }).set.x.rows).toBe(90);
    // Already balanced enough: nothing added.
    expect(smote(train, { seed: 3, targetRatio: 0.2 }).set.x.rows).toBe(77);
  });

  it('uses the base points evenly: each is used floor(G/n) or one more time', () => {
    const r = smote(train, { seed: 3 });
    const uses = new Map<number, number>();
    for (const b of r.synthetic.base) uses.set(b, (uses.get(b) ?? 0) + 1);
    // G = 43 for n = 17: 2 each, 9 of them 3 times.
    expect(uses.size).toBe(17);
    expect([...uses.values()].filter((u) => u === 3).length).toBe(9);
    expect([...uses.values()].every((u) => u === 2 || u === 3)).toBe(true);
  });

  it('puts every synthetic point on a segment from a minority point to one of its k nearest minority neighbours', () => {
    const k = 5;
    const r = smote(train, { seed: 9, k });
    const minority = y.flatMap((c, i) => (c === 1 ? [i] : []));
    // Neighbours computed here independently by sorting all distances.
    const knn = new Map<number, number[]>();
    for (const i of minority) {
      const byDist = minority
        .filter((j) => j !== i)
        .map((j) => ({ j, d: (x.data[2 * i] - x.data[2 * j]) ** 2 + (x.data[2 * i + 1] - x.data[2 * j + 1]) ** 2 }))
        .sort((a, b) => a.d - b.d || a.j - b.j);
      knn.set(i, byDist.slice(0, k).map((e) => e.j));
    }
    for (let s = 0; s < r.synthetic.base.length; s++) {
      const p = row(r.set.x, x.rows + s);
      // Find a (minority point, neighbour) pair whose segment contains p, without the provenance.
      let found = false;
      for (const i of minority) {
        for (const j of knn.get(i)!) {
          const a = row(x, i);
          const b = row(x, j);
          const d = [b[0] - a[0], b[1] - a[1]];
          const len2 = d[0] ** 2 + d[1] ** 2;
          const u = ((p[0] - a[0]) * d[0] + (p[1] - a[1]) * d[1]) / len2;
          const off = Math.hypot(a[0] + u * d[0] - p[0], a[1] + u * d[1] - p[1]);
          if (u >= -1e-12 && u <= 1 + 1e-12 && off < 1e-12) found = true;
        }
      }
      expect(found, `synthetic row ${s}`).toBe(true);
      // And the recorded provenance says the same.
      const i = r.synthetic.base[s];
      const j = r.synthetic.neighbour[s];
      expect(knn.get(i)).toContain(j);
      expect(r.synthetic.gap[s] >= 0 && r.synthetic.gap[s] < 1).toBe(true);
      const u = r.synthetic.gap[s];
      expect(p[0]).toBeCloseTo(x.data[2 * i] + u * (x.data[2 * j] - x.data[2 * i]), 14);
      expect(p[1]).toBeCloseTo(x.data[2 * i + 1] + u * (x.data[2 * j + 1] - x.data[2 * i + 1]), 14);
    }
  });

  it('is deterministic given the seed', () => {
    const a = smote(train, { seed: 21 });
    const b = smote(train, { seed: 21 });
    const c = smote(train, { seed: 22 });
    expect(Array.from(a.set.x.data)).toEqual(Array.from(b.set.x.data));
    expect(Array.from(a.set.x.data)).not.toEqual(Array.from(c.set.x.data));
  });

  it('refuses a class with fewer than k + 1 rows', () => {
    const small = twoClasses(20, 4, 2);
    const t = trainingSet(small.x, small.y, allRows(small.x.rows));
    expect(() => smote(t, { seed: 1 })).toThrow(/class 1 has 4 training rows; 5 neighbours need at least 6/);
    expect(smote(t, { seed: 1, k: 3 }).set.x.rows).toBe(40);
    expect(() => smote(t, { seed: 1, targetRatio: 1.5 })).toThrow(RgsError);
  });

  it('matches the SMOTE distribution over many draws (mean and covariance of synthetic points)', () => {
    // 2000 majority rows and 17 minority rows: each run adds 1983 synthetic points; 10 runs.
    const k = 5;
    const big = twoClasses(2000, 17, 8);
    const bx = big.x;
    const minority = big.y.flatMap((c, i) => (c === 1 ? [i] : []));
    // Exact expectation for this kNN graph: base i uniform over the minority (even use), j uniform
    // over its k neighbours, u ~ U[0, 1): s = x_i + u d with d = x_j - x_i, E[u] = 1/2,
    // E[u²] = 1/3, so E[s] = E[x_i + d/2] and E[s sᵀ] = E[x_i x_iᵀ + (x_i dᵀ + d x_iᵀ)/2 + d dᵀ/3].
    const nn = nearestNeighbours(bx.data, 2, minority, k);
    const em = [0, 0];
    const es = [0, 0, 0]; // E[s0²], E[s0 s1], E[s1²]
    const w = 1 / (minority.length * k);
    minority.forEach((i, a) => {
      for (const j of nn[a]) {
        const xi = row(bx, i);
        const d = [bx.data[2 * j] - xi[0], bx.data[2 * j + 1] - xi[1]];
        em[0] += w * (xi[0] + d[0] / 2);
        em[1] += w * (xi[1] + d[1] / 2);
        es[0] += w * (xi[0] * xi[0] + xi[0] * d[0] + (d[0] * d[0]) / 3);
        es[1] += w * (xi[0] * xi[1] + (xi[0] * d[1] + d[0] * xi[1]) / 2 + (d[0] * d[1]) / 3);
        es[2] += w * (xi[1] * xi[1] + xi[1] * d[1] + (d[1] * d[1]) / 3);
      }
    });
    const expCov = [es[0] - em[0] ** 2, es[1] - em[0] * em[1], es[2] - em[1] ** 2];
    const t = trainingSet(bx, big.y, allRows(bx.rows));
    let n = 0;
    const m = [0, 0];
    const s2 = [0, 0, 0];
    for (let run = 0; run < 10; run++) {
      const r = smote(t, { seed: 1000 + run, k });
      for (let s = bx.rows; s < r.set.x.rows; s++) {
        const p = row(r.set.x, s);
        n++;
        m[0] += p[0];
        m[1] += p[1];
        s2[0] += p[0] * p[0];
        s2[1] += p[0] * p[1];
        s2[2] += p[1] * p[1];
      }
    }
    expect(n).toBe(19830);
    const mean = [m[0] / n, m[1] / n];
    const cov = [s2[0] / n - mean[0] ** 2, s2[1] / n - mean[0] * mean[1], s2[2] / n - mean[1] ** 2];
    // Monte Carlo SE of the mean ≈ sqrt(0.8 / 19830) ≈ 0.0064; of a covariance entry ≈ 1 %.
    expect(Math.abs(mean[0] - em[0])).toBeLessThan(0.03);
    expect(Math.abs(mean[1] - em[1])).toBeLessThan(0.03);
    for (let c = 0; c < 3; c++) expect(Math.abs(cov[c] - expCov[c])).toBeLessThan(0.05 * Math.abs(expCov[c]) + 0.01);

    // Versus the minority class itself: SMOTE keeps the centre and (slightly) shrinks the spread.
    const mm = [0, 0];
    for (const i of minority) {
      mm[0] += bx.data[2 * i] / minority.length;
      mm[1] += bx.data[2 * i + 1] / minority.length;
    }
    let varMinority = 0;
    for (const i of minority) varMinority += ((bx.data[2 * i] - mm[0]) ** 2 + (bx.data[2 * i + 1] - mm[1]) ** 2) / minority.length;
    expect(Math.hypot(mean[0] - mm[0], mean[1] - mm[1])).toBeLessThan(0.15 * Math.sqrt(varMinority));
    const traceSynthetic = cov[0] + cov[2];
    expect(traceSynthetic).toBeLessThan(varMinority);
    expect(traceSynthetic).toBeGreaterThan(0.6 * varMinority);
  });
});

describe('random oversampling', () => {
  it('duplicates minority training rows to the target, deterministically', () => {
    const { x, y } = twoClasses(30, 8, 4);
    const t = trainingSet(x, y, allRows(x.rows));
    const r = randomOversample(t, { seed: 5 });
    expect(r.set.x.rows).toBe(60);
    expect(r.duplicateOf.length).toBe(22);
    for (let s = 0; s < 22; s++) {
      const src = r.duplicateOf[s];
      expect(y[src]).toBe(1);
      expect(row(r.set.x, 38 + s)).toEqual(row(x, src));
      expect(r.set.sourceRows[38 + s]).toBe(src);
    }
    expect(Array.from(randomOversample(t, { seed: 5 }).duplicateOf)).toEqual(Array.from(r.duplicateOf));
  });

  it('never brings in rows outside the fold', () => {
    const { x, y } = twoClasses(30, 8, 4);
    const train = Int32Array.from({ length: 38 }, (_, i) => i).filter((i) => i % 4 !== 0);
    const test = Int32Array.from({ length: 38 }, (_, i) => i).filter((i) => i % 4 === 0);
    const t = trainingSet(x, y, { train, test });
    const allowed = new Set(train);
    for (const s of randomOversample(t, { seed: 2 }).set.sourceRows) expect(allowed.has(s)).toBe(true);
    for (const s of smote(t, { seed: 2, k: 3 }).set.sourceRows) expect(s === -1 || allowed.has(s)).toBe(true);
  });
});
