/**
 * SMOTE, the Synthetic Minority Over-sampling TEchnique (Chawla, Bowyer, Hall & Kegelmeyer,
 * JAIR 16:321-357, 2002), on a training set only (see training-set.ts).
 *
 * For each class below the target size: the k nearest neighbours of every member among the
 * members of its own class are found (Euclidean distance on the features as given — scale them
 * first; ties broken by lower row index). Each synthetic point is
 *     x_new = x_i + u · (x_nn - x_i),  u ~ Uniform[0, 1),
 * with x_nn one of the k neighbours of x_i chosen uniformly. As in the paper, the base points
 * are used evenly: every member is the base of floor(G/n) synthetic points and G mod n members,
 * drawn without replacement, of one more (G = points to add, n = class size). Classes are
 * processed in ascending label order, base points in row order, so the output is fixed by the
 * seed.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';
import { TrainingSet, assertTrainingSet, brandTrainingSet, rowsByClass, rowsToAdd } from './training-set';

export interface SmoteOptions {
  /** Neighbours per point (default 5, as in the paper). */
  k?: number;
  /** Size of every smaller class after balancing, relative to the largest class (default 1). */
  targetRatio?: number;
  seed: number | Rng;
}

export interface SmoteResult {
  /** The input rows (unchanged, first) followed by the synthetic rows. */
  set: TrainingSet;
  /** Provenance of each synthetic row (row indices of the input training set). */
  synthetic: { base: Int32Array; neighbour: Int32Array; gap: Float64Array };
}

/**
 * The k nearest neighbours (row indices into `members`' rows) of each member among the others,
 * by brute force: O(n² (d + k)) for a class of n rows — classes to be oversampled are small.
 */
export function nearestNeighbours(data: Float64Array, cols: number, members: readonly number[], k: number): Int32Array[] {
  const n = members.length;
  const out: Int32Array[] = [];
  const bestD = new Float64Array(k);
  const bestI = new Int32Array(k);
  for (let a = 0; a < n; a++) {
    let count = 0;
    const ra = members[a] * cols;
    for (let b = 0; b < n; b++) {
      if (b === a) continue;
      const rb = members[b] * cols;
      let d = 0;
      for (let j = 0; j < cols; j++) {
        const t = data[ra + j] - data[rb + j];
        d += t * t;
      }
      if (count === k && d >= bestD[k - 1]) continue;
      // Insertion into the sorted top-k; strict < keeps the earlier (lower) index on ties.
      let pos = count < k ? count++ : k - 1;
      while (pos > 0 && d < bestD[pos - 1]) {
        bestD[pos] = bestD[pos - 1];
        bestI[pos] = bestI[pos - 1];
        pos--;
      }
      bestD[pos] = d;
      bestI[pos] = members[b];
    }
    out.push(bestI.slice(0, k));
  }
  return out;
}

/** Oversamples every smaller class of a training set with SMOTE (see the module comment). */
export function smote(training: TrainingSet, options: SmoteOptions): SmoteResult {
  assertTrainingSet(training, 'SMOTE');
  const k = options.k ?? 5;
  if (!Number.isInteger(k) || k < 1) throw new RgsError(`SMOTE: k must be a positive integer, got ${k}`, { field: 'k' });
  const rng = toRng(options.seed);
  const { x, labels } = training;
  const byClass = rowsByClass(labels);
  const toAdd = rowsToAdd(byClass, options.targetRatio ?? 1, 'SMOTE');
  let total = 0;
  for (const [c, g] of toAdd) {
    if (g > 0 && byClass.get(c)!.length < k + 1) {
      throw new RgsError(
        `SMOTE: class ${c} has ${byClass.get(c)!.length} training rows; ${k} neighbours need at least ${k + 1} (use a smaller k)`,
        { field: 'k' },
      );
    }
    total += g;
  }
  const cols = x.cols;
  const data = new Float64Array((x.rows + total) * cols);
  data.set(x.data);
  const outLabels = new Int32Array(x.rows + total);
  outLabels.set(labels);
  const sourceRows = new Int32Array(x.rows + total).fill(-1);
  sourceRows.set(training.sourceRows);
  const base = new Int32Array(total);
  const neighbour = new Int32Array(total);
  const gap = new Float64Array(total);
  let s = 0;
  for (const [c, members] of byClass) {
    const g = toAdd.get(c)!;
    if (g === 0) continue;
    const nn = nearestNeighbours(x.data, cols, members, k);
    const n = members.length;
    const perBase = new Int32Array(n).fill(Math.floor(g / n));
    for (const extra of rng.sampleWithoutReplacement(n, g % n)) perBase[extra]++;
    for (let a = 0; a < n; a++) {
      const i = members[a];
      for (let t = 0; t < perBase[a]; t++) {
        const j = nn[a][rng.nextInt(k)];
        const u = rng.nextFloat();
        const row = x.rows + s;
        for (let f = 0; f < cols; f++) {
          const xi = x.data[i * cols + f];
          data[row * cols + f] = xi + u * (x.data[j * cols + f] - xi);
        }
        outLabels[row] = c;
        base[s] = i;
        neighbour[s] = j;
        gap[s] = u;
        s++;
      }
    }
  }
  return {
    set: brandTrainingSet({ rows: x.rows + total, cols, data }, outLabels, sourceRows),
    synthetic: { base, neighbour, gap },
  };
}
