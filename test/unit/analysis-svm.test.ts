import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  coupleTwoClasses,
  fitPlattSigmoid,
  fitSvm,
  predictSvmClasses,
  predictSvmProbability,
  svmDecisionFunction,
} from '../../src/engine/analysis/svm';
import { Rng } from '../../src/engine/analysis/random';
import { RgsError } from '../../src/engine/util/errors';

function blobs(seed: number, n: number): { x: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3 === 0 ? 1 : 0;
    x.push([rng.normal() + 1.2 * c, rng.normal() - 0.6 * c, rng.normal()]);
    y.push(c);
  }
  return { x, y };
}

describe('C-SVC on hand-solved problems', () => {
  it('linear kernel, two points: the maximum-margin line f(x) = x', () => {
    // x = -1 (class 0), x = +1 (class 1), C = 10: w = 1, b = 0 with alpha = 1/2 for both
    // (w = sum alpha_i y_i x_i = 1/2 + 1/2), inside the box [0, C].
    const m = fitSvm([[-1], [1]], [0, 1], { kernel: 'linear', cost: 10 });
    expect(Array.from(m.coefficients).sort()).toEqual([-0.5, 0.5]);
    expect(m.bias).toBeCloseTo(0, 14);
    expect(m.weights?.[0]).toBeCloseTo(1, 14);
    const f = svmDecisionFunction(m, [[-2], [0.3], [1]]);
    expect(f[0]).toBeCloseTo(-2, 13);
    expect(f[1]).toBeCloseTo(0.3, 13);
    expect(f[2]).toBeCloseTo(1, 13);
  });

  it('RBF kernel, two symmetric points: alpha = 1 / (1 - K(-1, 1)) and f(±1) = ±1', () => {
    // The dual max 2a - a^2 (1 - K12) (both alphas equal by symmetry, rho = 0) gives
    // a = 1 / (1 - K12), K12 = exp(-gamma · 4). f(x) = a (exp(-gamma (x-1)^2) - exp(-gamma (x+1)^2)).
    const gamma = 0.5;
    const k12 = Math.exp(-4 * gamma);
    const a = 1 / (1 - k12);
    // LIBSVM caches kernel values as single-precision floats (Qfloat) while solving, so alpha
    // carries a relative error of order 1e-8; predictions use double-precision kernels.
    const m = fitSvm([[-1], [1]], [0, 1], { kernel: 'rbf', gamma, cost: 10 });
    const f = svmDecisionFunction(m, [[1], [-1], [0.5], [0]]);
    expect(f[0]).toBeCloseTo(1, 7);
    expect(f[1]).toBeCloseTo(-1, 7);
    expect(f[2]).toBeCloseTo(a * (Math.exp(-gamma * 0.25) - Math.exp(-gamma * 2.25)), 7);
    expect(f[3]).toBeCloseTo(0, 14);
    for (const c of m.coefficients) expect(Math.abs(c)).toBeCloseTo(a, 7);
  });

  it('caps the dual coefficients at C', () => {
    const { x, y } = blobs(1, 90);
    const m = fitSvm(x, y, { kernel: 'rbf', gamma: 0.3, cost: 0.5 });
    for (const c of m.coefficients) expect(Math.abs(c)).toBeLessThanOrEqual(0.5 + 1e-12);
    // Positive coefficients belong to class-1 support vectors.
    m.supportIndices.forEach((i, k) => expect(m.coefficients[k] > 0).toBe(y[i] === 1));
    // Class weights scale the box per class: class-1 coefficients may now reach 2 · 0.5.
    const w = fitSvm(x, y, { kernel: 'rbf', gamma: 0.3, cost: 0.5, classWeights: [1, 2] });
    const maxPos = Math.max(...Array.from(w.coefficients));
    expect(maxPos).toBeGreaterThan(0.5);
    expect(maxPos).toBeLessThanOrEqual(1 + 1e-12);
  });
});

describe('SVM conventions', () => {
  it('does not depend on how the classes are interleaved (LIBSVM sees rows grouped by class)', () => {
    const { x, y } = blobs(2, 60);
    // Same within-class order, different interleaving: class-1 rows moved to the front.
    const order = [...y.keys()].filter((i) => y[i] === 1).concat([...y.keys()].filter((i) => y[i] === 0));
    const a = fitSvm(x, y, { gamma: 0.4 });
    const b = fitSvm(
      order.map((i) => x[i]),
      order.map((i) => y[i]),
      { gamma: 0.4 },
    );
    const probe = blobs(3, 20).x;
    expect(Array.from(svmDecisionFunction(b, probe))).toEqual(Array.from(svmDecisionFunction(a, probe)));
  });

  it('orients decisions towards class 1 and flips sign when the labels flip', () => {
    const { x, y } = blobs(4, 90);
    const m = fitSvm(x, y, { kernel: 'linear', cost: 1 });
    const pred = predictSvmClasses(m, x);
    let agree = 0;
    for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) agree++;
    expect(agree / y.length).toBeGreaterThan(0.75);
    expect(m.weights?.[0]).toBeGreaterThan(0);
    const flipped = fitSvm(
      x,
      y.map((c) => 1 - c),
      { kernel: 'linear', cost: 1 },
    );
    const f = svmDecisionFunction(m, x);
    const g = svmDecisionFunction(flipped, x);
    // The same dual problem solved from another starting order: equal up to the solver tolerance.
    for (let i = 0; i < f.length; i++) expect(g[i]).toBeCloseTo(-f[i], 2);
  });

  it('rejects bad input with RgsError', () => {
    const { x, y } = blobs(5, 30);
    expect(() => fitSvm(x, y, { cost: 0 })).toThrow(RgsError);
    expect(() => fitSvm(x, y, { gamma: -1 })).toThrow(RgsError);
    expect(() => fitSvm(x, y.map(() => 1))).toThrow(/class 0 has no rows/);
    expect(() => fitSvm(x, y, { probability: true })).toThrow(/seed/);
    const m = fitSvm(x, y);
    expect(() => svmDecisionFunction(m, [[1, 2]])).toThrow(/trained on 3/);
    expect(() => predictSvmProbability(m, x)).toThrow(/probability/);
  });
});

describe('Platt probabilities', () => {
  it('fits the sigmoid to a stationary point of the regularised likelihood', () => {
    const rng = new Rng(6);
    const f: number[] = [];
    const pos: boolean[] = [];
    for (let i = 0; i < 300; i++) {
      const v = 2 * rng.normal();
      f.push(v);
      pos.push(rng.nextFloat() < 1 / (1 + Math.exp(-1.7 * v + 0.4)));
    }
    const { probA, probB } = fitPlattSigmoid(f, pos);
    const n1 = pos.filter(Boolean).length;
    const n0 = pos.length - n1;
    let g1 = 0;
    let g2 = 0;
    for (let i = 0; i < f.length; i++) {
      const t = pos[i] ? (n1 + 1) / (n1 + 2) : 1 / (n0 + 2);
      const p = 1 / (1 + Math.exp(probA * f[i] + probB));
      g1 += f[i] * (t - p);
      g2 += t - p;
    }
    expect(Math.abs(g1)).toBeLessThan(1e-5);
    expect(Math.abs(g2)).toBeLessThan(1e-5);
    // P(+1 | f) = 1 / (1 + exp(A f + B)) with the generating slope -1.7 and offset 0.4.
    expect(probA).toBeGreaterThan(-2.3);
    expect(probA).toBeLessThan(-1.2);
  });

  it('couples two classes as scikit-learn\'s LIBSVM fork does (within 0.0025 of 0.5 becomes 0.5)', () => {
    expect(coupleTwoClasses(0.5)).toEqual([0.5, 0.5]);
    expect(coupleTwoClasses(0.502)).toEqual([0.5, 0.5]);
    const [p0, p1] = coupleTwoClasses(0.9);
    expect(p0 + p1).toBeCloseTo(1, 14);
    expect(Math.abs(p0 - 0.9)).toBeLessThan(0.005);
  });

  it('reproduces LIBSVM -b 1 exactly when given LIBSVM\'s own fold permutation', () => {
    // A fresh instance of the Emscripten module: its C library rand() is musl's 64-bit LCG
    // (seed = 6364136223846793005 · seed + 1, output seed >> 33) starting from seed 0, so the
    // permutation LIBSVM's svm_binary_svc_probability draws can be replayed here.
    const req = createRequire(import.meta.url);
    const path = req.resolve('libsvm-js/out/asm/libsvm');
    const saved = req.cache[path];
    delete req.cache[path];
    const runtime = req(path) as { HEAP32: Int32Array; HEAPF64: Float64Array };
    if (saved) req.cache[path] = saved;
    interface Trained {
      model: number;
      train(x: number[][], y: number[]): void;
      predictOneProbability(x: number[]): { estimates: { label: number; probability: number }[] };
      free(): void;
    }
    type Ctor = { new (o: Record<string, unknown>): Trained; SVM_TYPES: { C_SVC: string }; KERNEL_TYPES: { RBF: string } };
    const SVM = (req('libsvm-js/src/loadSVM') as (m: unknown) => Ctor)(runtime);

    const { x, y } = blobs(7, 75);
    const order = [...y.keys()].filter((i) => y[i] === 0).concat([...y.keys()].filter((i) => y[i] === 1));
    const reference = new SVM({ type: SVM.SVM_TYPES.C_SVC, kernel: SVM.KERNEL_TYPES.RBF, gamma: 0.25, cost: 2, probabilityEstimates: true, quiet: true });
    reference.train(
      order.map((i) => x[i]),
      order.map((i) => y[i]),
    );
    // probA / probB pointers at byte offsets 116 / 120 of LIBSVM 3.22's svm_model.
    const H32 = runtime.HEAP32;
    const probA = runtime.HEAPF64[H32[(reference.model + 116) >> 2] >> 3];
    const probB = runtime.HEAPF64[H32[(reference.model + 120) >> 2] >> 3];

    let state = 0n;
    const mask = (1n << 64n) - 1n;
    const rand = (): number => {
      state = (6364136223846793005n * state + 1n) & mask;
      return Number(state >> 33n);
    };
    const l = x.length;
    const perm = Array.from({ length: l }, (_, i) => i);
    for (let i = 0; i < l; i++) {
      const j = i + (rand() % (l - i));
      [perm[i], perm[j]] = [perm[j], perm[i]];
    }
    const mine = fitSvm(x, y, { kernel: 'rbf', gamma: 0.25, cost: 2, probability: true, plattPermutation: perm });
    expect(mine.platt?.probA).toBe(probA);
    expect(mine.platt?.probB).toBe(probB);

    const probe = blobs(8, 10).x;
    const ours = predictSvmProbability(mine, probe);
    probe.forEach((row, i) => {
      const est = reference.predictOneProbability(row).estimates.find((e) => e.label === 1);
      expect(ours[i]).toBeCloseTo(est?.probability ?? NaN, 12);
    });
    reference.free();
  });

  it('is reproducible from the seed', () => {
    const { x, y } = blobs(9, 80);
    const a = fitSvm(x, y, { probability: true, seed: 5 });
    const b = fitSvm(x, y, { probability: true, seed: 5 });
    const c = fitSvm(x, y, { probability: true, seed: 6 });
    expect(a.platt).toEqual(b.platt);
    expect(a.platt).not.toEqual(c.platt);
    const p = predictSvmProbability(a, x);
    for (const v of p) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
  });
});
