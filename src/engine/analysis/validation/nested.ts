/**
 * Nested cross-validation: outer folds estimate performance, inner folds (for tuning, feature
 * selection …) are built only from each outer training part, so no outer-test subject can
 * influence the model that is tested on it.
 */
import { Rng, toRng } from '../random';
import { CvFold, repeatedStratifiedKFold } from './kfold';
import { SplitInput } from './subjects';

export interface NestedCvOptions {
  outerFolds: number;
  innerFolds: number;
  /** Repetitions of the outer CV (default 1). */
  outerRepeats?: number;
  /** Repetitions of each inner CV (default 1). */
  innerRepeats?: number;
  seed: number | Rng;
  /** Restrict everything to these rows (e.g. a hold-out training part). */
  within?: ArrayLike<number>;
}

export interface NestedFold {
  /** The outer split (row indices into the full data). */
  outer: CvFold;
  /** Inner splits of `outer.train`; row indices into the full data, train ∪ test = outer.train. */
  inner: CvFold[];
}

/**
 * Builds the outer folds, then for each outer fold a stratified subject-level k-fold of its
 * training rows. Each outer fold's inner split draws from its own generator, forked from the
 * main one in fold order, so the whole structure is fixed by the seed.
 */
export function nestedCrossValidation(input: SplitInput, options: NestedCvOptions): NestedFold[] {
  const rng = toRng(options.seed);
  const outer = repeatedStratifiedKFold(input, {
    folds: options.outerFolds,
    repeats: options.outerRepeats,
    seed: rng,
    within: options.within,
    label: 'nested cross-validation, outer folds',
  });
  return outer.map((o) => ({
    outer: o,
    inner: repeatedStratifiedKFold(input, {
      folds: options.innerFolds,
      repeats: options.innerRepeats,
      seed: rng.fork(),
      within: o.train,
      label: `nested cross-validation, inner folds of outer fold ${o.fold + 1} (repeat ${o.repeat + 1})`,
    }),
  }));
}
