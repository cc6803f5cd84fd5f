/**
 * The subject-level view of a data set that every split works on. Rows are samples (e.g. one
 * per tumour, per time point or per sequence); a subject may own several rows. Splits are drawn
 * over subjects, never rows, so all rows of a subject land on the same side of every split —
 * the basic guard against leakage between training and test data.
 */
import { RgsError } from '../../util/errors';

/** What a split needs to know about each row. All arrays are indexed by row. */
export interface SplitInput {
  /** The subject (patient) each row belongs to. */
  subjects: readonly string[];
  /**
   * The stratum of each row: the class label for a classification outcome, the event status for
   * a survival outcome (see `eventStrata`). Must be the same for all rows of a subject.
   */
  strata: readonly (string | number | boolean)[];
  /**
   * Rows of an external test cohort. They are never placed in a training, tuning or internal
   * test fold; only `externalTestSplit` uses them. A subject cannot be both internal and external.
   */
  external?: readonly boolean[];
}

/** One split into row indices (ascending); the two sides never share a subject. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** Survival outcomes stratify by event status (1/true = event, 0/false = censored). */
export function eventStrata(events: ArrayLike<number | boolean>): string[] {
  const out: string[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e === true || e === 1) out.push('event');
    else if (e === false || e === 0) out.push('censored');
    else throw new RgsError(`event status of row ${i + 1} is ${String(e)}; expected 0/1 or true/false`, { field: 'event' });
  }
  return out;
}

/** The subjects of a data set, grouped with their rows and stratum. */
export interface SubjectIndex {
  /** Subject ids, sorted (so splits do not depend on row order). */
  ids: string[];
  /** Rows of each subject, ascending. */
  rows: Int32Array[];
  /** Stratum key of each subject. */
  stratum: string[];
  /** Whether each subject belongs to the external cohort. */
  external: boolean[];
}

/**
 * Groups rows by subject, checking that the input is consistent: one subject id, stratum and
 * cohort per row; a subject's rows all in one stratum and one cohort. `onlyRows`, when given,
 * restricts the index to those rows (all rows of a subject must then be included or excluded).
 */
export function indexSubjects(input: SplitInput, onlyRows?: ArrayLike<number>): SubjectIndex {
  const n = input.subjects.length;
  if (input.strata.length !== n) {
    throw new RgsError(`split input: ${n} subject ids but ${input.strata.length} strata`, { field: 'strata' });
  }
  if (input.external !== undefined && input.external.length !== n) {
    throw new RgsError(`split input: ${n} subject ids but ${input.external.length} external flags`, { field: 'external' });
  }
  let rowList: ArrayLike<number>;
  if (onlyRows === undefined) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    rowList = all;
  } else {
    rowList = onlyRows;
  }
  const byId = new Map<string, { rows: number[]; stratum: string; external: boolean }>();
  for (let k = 0; k < rowList.length; k++) {
    const r = rowList[k];
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`row index ${r} outside 0..${n - 1}`);
    const id = input.subjects[r];
    if (typeof id !== 'string' || id.length === 0) {
      throw new RgsError(`split input: row ${r + 1} has no subject id`, { field: 'subject' });
    }
    const s = input.strata[r];
    if (s === null || s === undefined || (typeof s === 'number' && !Number.isFinite(s))) {
      throw new RgsError(`split input: row ${r + 1} (subject ${id}) has no stratum (outcome missing?)`, { field: 'strata' });
    }
    const stratum = String(s);
    const ext = input.external?.[r] === true;
    const entry = byId.get(id);
    if (entry === undefined) {
      byId.set(id, { rows: [r], stratum, external: ext });
      continue;
    }
    if (entry.stratum !== stratum) {
      throw new RgsError(
        `split input: subject ${id} has rows in two strata (${entry.stratum} and ${stratum}); a subject's outcome must be the same on all its rows`,
        { field: 'strata' },
      );
    }
    if (entry.external !== ext) {
      throw new RgsError(`split input: subject ${id} has rows in both the internal and the external cohort`, { field: 'external' });
    }
    entry.rows.push(r);
  }
  if (onlyRows !== undefined) {
    // A partial subject would let its other rows leak into the other side of a later split.
    const counts = new Map<string, number>();
    for (let r = 0; r < n; r++) counts.set(input.subjects[r], (counts.get(input.subjects[r]) ?? 0) + 1);
    for (const [id, entry] of byId) {
      if (entry.rows.length !== counts.get(id)) {
        throw new RgsError(`split input: the selected rows include only some rows of subject ${id}`, { field: 'subject' });
      }
    }
  }
  const ids = [...byId.keys()].sort(compareIds);
  return {
    ids,
    rows: ids.map((id) => Int32Array.from(byId.get(id)!.rows).sort()),
    stratum: ids.map((id) => byId.get(id)!.stratum),
    external: ids.map((id) => byId.get(id)!.external),
  };
}

/** Code-unit order, independent of the locale, so folds are identical on every machine. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Positions (into `index.ids`) of the internal subjects of each stratum, strata in sorted order. */
export function internalSubjectsByStratum(index: SubjectIndex): Map<string, number[]> {
  const keys = [...new Set(index.stratum)].sort(compareIds);
  const out = new Map<string, number[]>(keys.map((k) => [k, []]));
  for (let s = 0; s < index.ids.length; s++) {
    if (!index.external[s]) out.get(index.stratum[s])!.push(s);
  }
  for (const [k, v] of out) if (v.length === 0) out.delete(k);
  return out;
}

/** The rows of the given subjects, ascending. */
export function rowsOfSubjects(index: SubjectIndex, subjects: Iterable<number>): Int32Array {
  let total = 0;
  const list = [...subjects];
  for (const s of list) total += index.rows[s].length;
  const out = new Int32Array(total);
  let k = 0;
  for (const s of list) {
    out.set(index.rows[s], k);
    k += index.rows[s].length;
  }
  return out.sort();
}
