/**
 * Subject-level, stratified, seeded splits: hold-out, repeated k-fold, nested CV, external cohort.
 */
import { describe, expect, it } from 'vitest';
import { allocateTestCounts, externalTestSplit, holdOutSplit } from '../../src/engine/analysis/validation/holdout';
import { repeatedStratifiedKFold } from '../../src/engine/analysis/validation/kfold';
import { nestedCrossValidation } from '../../src/engine/analysis/validation/nested';
import { SplitInput, eventStrata } from '../../src/engine/analysis/validation/subjects';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

/**
 * 60 internal subjects in three strata (A 31, B 17, C 12) with 1-3 rows each, plus 8 external
 * subjects. Rows of a subject are scattered through the table (not adjacent).
 */
function dataSet(): SplitInput & { external: boolean[] } {
  const rows: { subject: string; stratum: string; external: boolean }[] = [];
  const rng = new Rng(2024);
  const sizes: [string, number][] = [
    ['A', 31],
    ['B', 17],
    ['C', 12],
  ];
  let id = 0;
  for (const [stratum, n] of sizes) {
    for (let i = 0; i < n; i++, id++) {
      const copies = 1 + (id % 3);
      for (let c = 0; c < copies; c++) rows.push({ subject: `P${id}`, stratum, external: false });
    }
  }
  for (let i = 0; i < 8; i++) rows.push({ subject: `X${i}`, stratum: i % 2 === 0 ? 'A' : 'B', external: true });
  rng.shuffle(rows);
  return {
    subjects: rows.map((r) => r.subject),
    strata: rows.map((r) => r.stratum),
    external: rows.map((r) => r.external),
  };
}

const DATA = dataSet();
const STRATUM_SIZE: Record<string, number> = { A: 31, B: 17, C: 12 };

function subjectsOf(rows: Int32Array, data: SplitInput = DATA): Set<string> {
  return new Set(Array.from(rows, (r) => data.subjects[r]));
}

function countByStratum(rows: Int32Array, data: SplitInput = DATA): Record<string, number> {
  const seen = new Map<string, string>();
  for (const r of rows) seen.set(data.subjects[r], String(data.strata[r]));
  const out: Record<string, number> = {};
  for (const s of seen.values()) out[s] = (out[s] ?? 0) + 1;
  return out;
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function externalRows(): Set<number> {
  return new Set(DATA.external.flatMap((e, r) => (e ? [r] : [])));
}

describe('repeated stratified k-fold', () => {
  const folds = repeatedStratifiedKFold(DATA, { folds: 5, repeats: 3, seed: 17 });

  it('keeps every subject on one side and each subject in exactly one test fold per repeat', () => {
    expect(folds.length).toBe(15);
    for (const f of folds) {
      expect(intersects(subjectsOf(f.train), subjectsOf(f.test))).toBe(false);
      // All rows of a subject travel together.
      const trainSet = new Set(f.train);
      const testSet = new Set(f.test);
      for (let r = 0; r < DATA.subjects.length; r++) {
        if (DATA.external[r]) continue;
        expect(trainSet.has(r) !== testSet.has(r)).toBe(true);
      }
    }
    for (let rep = 0; rep < 3; rep++) {
      const seen = new Map<string, number>();
      for (const f of folds.filter((g) => g.repeat === rep)) {
        for (const s of subjectsOf(f.test)) seen.set(s, (seen.get(s) ?? 0) + 1);
      }
      expect(seen.size).toBe(60);
      expect([...seen.values()].every((c) => c === 1)).toBe(true);
    }
  });

  it('puts within 1 of the ideal number of each stratum in every test fold', () => {
    for (const f of folds) {
      const counts = countByStratum(f.test);
      for (const [s, n] of Object.entries(STRATUM_SIZE)) {
        const ideal = n / 5;
        expect(Math.abs((counts[s] ?? 0) - ideal)).toBeLessThan(1);
      }
      const size = subjectsOf(f.test).size;
      expect(size === 12).toBe(true); // 60 subjects / 5 folds, continued dealing balances sizes
    }
  });

  it('never uses external rows', () => {
    const ext = externalRows();
    for (const f of folds) for (const r of [...f.train, ...f.test]) expect(ext.has(r)).toBe(false);
  });

  it('is deterministic given the seed, differs for another seed, and ignores row order', () => {
    const again = repeatedStratifiedKFold(DATA, { folds: 5, repeats: 3, seed: 17 });
    expect(again.map((f) => Array.from(f.test))).toEqual(folds.map((f) => Array.from(f.test)));
    const other = repeatedStratifiedKFold(DATA, { folds: 5, repeats: 3, seed: 18 });
    expect(other.map((f) => Array.from(f.test))).not.toEqual(folds.map((f) => Array.from(f.test)));
    // Reverse the rows: the same subjects must end up together in the same folds.
    const n = DATA.subjects.length;
    const reversed: SplitInput = {
      subjects: [...DATA.subjects].reverse(),
      strata: [...DATA.strata].reverse(),
      external: [...DATA.external].reverse(),
    };
    const rev = repeatedStratifiedKFold(reversed, { folds: 5, repeats: 3, seed: 17 });
    for (let i = 0; i < folds.length; i++) {
      expect(subjectsOf(rev[i].test, reversed)).toEqual(subjectsOf(folds[i].test));
      expect(Array.from(rev[i].test, (r) => n - 1 - r).sort((a, b) => a - b)).toEqual(Array.from(folds[i].test));
    }
  });

  it('repeats use fresh shuffles', () => {
    const r0 = folds.filter((f) => f.repeat === 0).map((f) => [...subjectsOf(f.test)].sort());
    const r1 = folds.filter((f) => f.repeat === 1).map((f) => [...subjectsOf(f.test)].sort());
    expect(r1).not.toEqual(r0);
  });

  it('refuses more folds than the smallest stratum has subjects, and bad fold counts', () => {
    expect(() => repeatedStratifiedKFold(DATA, { folds: 13, seed: 1 })).toThrow(/stratum 'C' has 12 subjects/);
    expect(() => repeatedStratifiedKFold(DATA, { folds: 1, seed: 1 })).toThrow(RgsError);
    expect(() => repeatedStratifiedKFold(DATA, { folds: 5, repeats: 0, seed: 1 })).toThrow(RgsError);
  });
});

describe('input checks', () => {
  it('rejects a subject with rows in two strata or in both cohorts', () => {
    expect(() =>
      repeatedStratifiedKFold({ subjects: ['a', 'a', 'b', 'c'], strata: [0, 1, 0, 1] }, { folds: 2, seed: 1 }),
    ).toThrow(/subject a has rows in two strata/);
    expect(() =>
      holdOutSplit(
        { subjects: ['a', 'a', 'b', 'c'], strata: [0, 0, 1, 1], external: [false, true, false, false] },
        { testFraction: 0.5, seed: 1 },
      ),
    ).toThrow(/both the internal and the external cohort/);
    expect(() => holdOutSplit({ subjects: ['a', 'b'], strata: [0] }, { testFraction: 0.5, seed: 1 })).toThrow(RgsError);
    expect(() => holdOutSplit({ subjects: ['a', 'b'], strata: [0, NaN] }, { testFraction: 0.5, seed: 1 })).toThrow(/no stratum/);
  });

  it('rejects a row selection that cuts through a subject', () => {
    const data: SplitInput = { subjects: ['a', 'a', 'b', 'c', 'd', 'e'], strata: [0, 0, 0, 1, 1, 0] };
    expect(() => repeatedStratifiedKFold(data, { folds: 2, seed: 1, within: [0, 2, 3, 4] })).toThrow(/only some rows of subject a/);
  });

  it('turns survival event status into strata', () => {
    expect(eventStrata([1, 0, true, false])).toEqual(['event', 'censored', 'event', 'censored']);
    expect(() => eventStrata([2])).toThrow(RgsError);
  });
});

describe('hold-out', () => {
  it('allocates test counts by largest remainder, each stratum within 1 of its share', () => {
    // f = 0.25 of (31, 17, 12): ideal 7.75, 4.25, 3; total round(15) = 15: floors 7, 4, 3 = 14,
    // the largest remainder (0.75, stratum A) gets the 15th.
    expect(allocateTestCounts([31, 17, 12], 0.25)).toEqual([8, 4, 3]);
    expect(allocateTestCounts([5, 5], 0.5)).toEqual([3, 2]); // ties go to the first stratum
  });

  it('is stratified, subject-level, deterministic and leaves external rows out', () => {
    const split = holdOutSplit(DATA, { testFraction: 0.25, seed: 3 });
    expect(intersects(subjectsOf(split.train), subjectsOf(split.test))).toBe(false);
    const counts = countByStratum(split.test);
    for (const [s, n] of Object.entries(STRATUM_SIZE)) expect(Math.abs(counts[s] - 0.25 * n)).toBeLessThan(1);
    expect(subjectsOf(split.test).size).toBe(15);
    expect(subjectsOf(split.train).size).toBe(45);
    const ext = externalRows();
    for (const r of [...split.train, ...split.test]) expect(ext.has(r)).toBe(false);
    expect(Array.from(holdOutSplit(DATA, { testFraction: 0.25, seed: 3 }).test)).toEqual(Array.from(split.test));
    expect(Array.from(holdOutSplit(DATA, { testFraction: 0.25, seed: 4 }).test)).not.toEqual(Array.from(split.test));
  });

  it('composes with CV on the training part', () => {
    const split = holdOutSplit(DATA, { testFraction: 0.2, seed: 9 });
    const testSubjects = subjectsOf(split.test);
    for (const f of repeatedStratifiedKFold(DATA, { folds: 4, seed: 9, within: split.train })) {
      expect(intersects(subjectsOf(f.train), testSubjects)).toBe(false);
      expect(intersects(subjectsOf(f.test), testSubjects)).toBe(false);
    }
  });

  it('rejects fractions that empty a side', () => {
    expect(() => holdOutSplit(DATA, { testFraction: 0, seed: 1 })).toThrow(RgsError);
    expect(() => holdOutSplit(DATA, { testFraction: 1, seed: 1 })).toThrow(RgsError);
    expect(() => holdOutSplit({ subjects: ['a', 'b'], strata: [0, 1] }, { testFraction: 0.1, seed: 1 })).toThrow(/empty/);
  });
});

describe('nested cross-validation', () => {
  const nested = nestedCrossValidation(DATA, { outerFolds: 4, innerFolds: 3, outerRepeats: 2, seed: 5 });

  it('builds inner folds only from the outer training part', () => {
    expect(nested.length).toBe(8);
    for (const { outer, inner } of nested) {
      expect(inner.length).toBe(3);
      const outerTest = subjectsOf(outer.test);
      const outerTrainRows = Array.from(outer.train);
      for (const f of inner) {
        expect(intersects(subjectsOf(f.train), outerTest)).toBe(false);
        expect(intersects(subjectsOf(f.test), outerTest)).toBe(false);
        expect(intersects(subjectsOf(f.train), subjectsOf(f.test))).toBe(false);
        expect([...f.train, ...f.test].sort((a, b) => a - b)).toEqual(outerTrainRows);
      }
    }
  });

  it('stratifies the inner folds too', () => {
    for (const { outer, inner } of nested) {
      const outerCounts = countByStratum(outer.train);
      for (const f of inner) {
        const counts = countByStratum(f.test);
        for (const s of Object.keys(outerCounts)) expect(Math.abs((counts[s] ?? 0) - outerCounts[s] / 3)).toBeLessThan(1);
      }
    }
  });

  it('is deterministic given the seed', () => {
    const again = nestedCrossValidation(DATA, { outerFolds: 4, innerFolds: 3, outerRepeats: 2, seed: 5 });
    const flat = (n: typeof nested) => n.map((x) => [Array.from(x.outer.test), ...x.inner.map((f) => Array.from(f.test))]);
    expect(flat(again)).toEqual(flat(nested));
  });

  it('names the inner split when a stratum is too small for the inner folds', () => {
    expect(() => nestedCrossValidation(DATA, { outerFolds: 5, innerFolds: 10, seed: 1 })).toThrow(/inner folds of outer fold \d+ \(repeat 1\): stratum .C. has 9 subjects/);
  });
});

describe('external cohort', () => {
  it('trains on all internal rows and tests on the external rows only', () => {
    const split = externalTestSplit(DATA);
    const ext = externalRows();
    expect(Array.from(split.test)).toEqual([...ext].sort((a, b) => a - b));
    expect(split.train.length + split.test.length).toBe(DATA.subjects.length);
    for (const r of split.train) expect(ext.has(r)).toBe(false);
  });

  it('needs both cohorts', () => {
    expect(() => externalTestSplit({ subjects: ['a', 'b'], strata: [0, 1] })).toThrow(/no row is flagged/);
    expect(() => externalTestSplit({ subjects: ['a'], strata: [0], external: [true] })).toThrow(/nothing to train on/);
  });
});
