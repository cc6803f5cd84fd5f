/**
 * Repeated stratified k-fold cross-validation over subjects.
 *
 * Assignment: within each stratum (strata in sorted order) the subjects, sorted by id, are
 * shuffled with the seeded generator and dealt round-robin to the folds, the dealing continuing
 * from the fold where the previous stratum stopped. Each fold therefore holds floor(n_c/k) or
 * ceil(n_c/k) subjects of every stratum c (within 1 of the ideal n_c/k), and fold sizes differ by
 * at most one subject. Balance is in subjects; a subject's rows follow it.
 */
import { RgsError } from '../../util/errors';
import { Rng, toRng } from '../random';
import { Fold, SplitInput, SubjectIndex, indexSubjects, internalSubjectsByStratum, rowsOfSubjects } from './subjects';

export interface KFoldOptions {
  /** Number of folds k (>= 2). */
  folds: number;
  /** Number of repetitions with fresh shuffles (default 1). */
  repeats?: number;
  /** Seed (or generator) of the shuffles. */
  seed: number | Rng;
  /**
   * Restrict the split to these rows (e.g. the training part of a hold-out split). Must contain
   * all rows of each subject it touches. External rows are always left out.
   */
  within?: ArrayLike<number>;
  /** How errors name this split (default "cross-validation"). */
  label?: string;
}

export interface CvFold extends Fold {
  /** 0-based repetition. */
  repeat: number;
  /** 0-based fold within the repetition. */
  fold: number;
}

/** Checks k against the smallest stratum, so that every test fold sees every stratum. */
function checkFoldCount(byStratum: Map<string, number[]>, k: number, what: string): void {
  if (!Number.isInteger(k) || k < 2) throw new RgsError(`${what}: folds must be an integer >= 2, got ${k}`, { field: 'folds' });
  for (const [stratum, subjects] of byStratum) {
    if (subjects.length < k) {
      throw new RgsError(
        `${what}: stratum '${stratum}' has ${subjects.length} subjects, fewer than the ${k} folds; use fewer folds`,
        { field: 'folds' },
      );
    }
  }
}

/**
 * Deals the subjects of each stratum to k folds (see the module comment). Returns, per fold, the
 * positions in `index.ids` of its test subjects.
 */
export function dealToFolds(byStratum: Map<string, number[]>, k: number, rng: Rng): number[][] {
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const subjects of byStratum.values()) {
    const order = rng.shuffle(subjects.slice());
    for (const s of order) {
      folds[next].push(s);
      next = (next + 1) % k;
    }
  }
  return folds;
}

/** The fold list of one index: test = one fold's subjects, train = the rest (external excluded). */
function foldsOf(index: SubjectIndex, byStratum: Map<string, number[]>, k: number, rng: Rng): Fold[] {
  const assignment = dealToFolds(byStratum, k, rng);
  return assignment.map((testSubjects, f) => {
    const trainSubjects: number[] = [];
    for (let g = 0; g < k; g++) if (g !== f) trainSubjects.push(...assignment[g]);
    return { train: rowsOfSubjects(index, trainSubjects), test: rowsOfSubjects(index, testSubjects) };
  });
}

/**
 * Repeated stratified k-fold CV at the subject level. Folds come repetition by repetition;
 * deterministic given the seed and independent of the row order of the input.
 */
export function repeatedStratifiedKFold(input: SplitInput, options: KFoldOptions): CvFold[] {
  const label = options.label ?? 'cross-validation';
  const repeats = options.repeats ?? 1;
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new RgsError(`${label}: repeats must be an integer >= 1, got ${repeats}`, { field: 'repeats' });
  }
  const index = indexSubjects(input, options.within);
  const byStratum = internalSubjectsByStratum(index);
  checkFoldCount(byStratum, options.folds, label);
  const rng = toRng(options.seed);
  const out: CvFold[] = [];
  for (let r = 0; r < repeats; r++) {
    foldsOf(index, byStratum, options.folds, rng).forEach((f, fold) => out.push({ ...f, repeat: r, fold }));
  }
  return out;
}
