/**
 * The checks of what a study file refers to: label, union and ROI names within the file, and the
 * files it names: the manifest (columns, subjects, image and mask files, their grids), the
 * clinical tables and the outcome columns in them. A problem inside another file is reported at
 * that file's line and cell; a summary is reported at the study file's key that names the file.
 */
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { assertSameGrid } from '../image/same-grid';
import type { Grid, Vec3 } from '../image/volume';
import { formatPath, type PathSegment } from '../schema/validate-yaml';
import { suggest } from '../schema/suggest';
import { RgsError } from '../util/errors';
import { cellPosition, columnIndex, type CsvRow, type CsvTable } from './csv';
import type { FileFactsCache } from './file-facts';
import type { ProblemSink } from './problems';
import type { ClinicalTable, OutcomeSpec, RoiSpec, SubjectRow } from './types';
import { isRecord, plural, quoted, shortList, type StudyView } from './view';

/** "cohort.sequences.T1.column", "cohort.rois[2]". */
const pathOf = formatPath;

/** The name that means "every non-zero label" in ROI selectors (roi/selector.ts). */
const RESERVED_ROI_NAME = 'all';

/**
 * Cells that mean "no value" in clinical tables: empty, or the usual spellings of NA. The
 * analysis treats them as missing too.
 */
export const MISSING_VALUES: ReadonlySet<string> = new Set(['', 'NA', 'N/A', 'na', 'n/a', 'NaN', 'nan']);

export function isMissingValue(cell: string): boolean {
  return MISSING_VALUES.has(cell.trim());
}

// ---------------------------------------------------------------------------------------------
// Labels, unions and ROIs (within the study file)

export interface LabelFacts {
  /** The labels with a valid, unique value: name -> value. */
  labels: Map<string, number>;
  /** The unions whose members are all labels: name -> label values (ascending). */
  unions: Map<string, number[]>;
  /** The ROIs to extract (null when `rois` names something undefined). */
  rois: RoiSpec[] | null;
}

export function checkLabels(view: StudyView, sink: ProblemSink): LabelFacts {
  const labels = new Map<string, number>();
  const unions = new Map<string, number[]>();
  const labelData = view.record(['cohort', 'labels']) ?? {};
  const unionData = view.record(['cohort', 'unions']) ?? {};
  const byValue = new Map<number, string>();

  for (const [name, value] of Object.entries(labelData)) {
    const at: PathSegment[] = ['cohort', 'labels', name];
    if (name === RESERVED_ROI_NAME) {
      sink.study(view.keyRange(at), 'error', `cohort.labels.${name}: \`${name}\` is reserved (it means every non-zero label); choose another name`, pathOf(at), 'reserved-name');
      continue;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) continue; // the schema reported it
    const other = byValue.get(value);
    if (other !== undefined) {
      sink.study(
        view.range(at),
        'error',
        `cohort.labels.${name}: value ${value} is already the value of \`${other}\`; every label needs its own mask value`,
        pathOf(at),
        'duplicate-label-value',
      );
      continue;
    }
    byValue.set(value, name);
    labels.set(name, value);
  }

  const labelNames = Object.keys(labelData).filter((n) => n !== RESERVED_ROI_NAME);
  for (const [name, members] of Object.entries(unionData)) {
    const at: PathSegment[] = ['cohort', 'unions', name];
    if (name === RESERVED_ROI_NAME || Object.prototype.hasOwnProperty.call(labelData, name)) {
      const why = name === RESERVED_ROI_NAME ? 'is reserved (it means every non-zero label)' : 'is already a label';
      sink.study(view.keyRange(at), 'error', `cohort.unions.${name}: \`${name}\` ${why}; a union needs its own name`, pathOf(at), 'reserved-name');
      continue;
    }
    if (!Array.isArray(members)) continue;
    const values = new Set<number>();
    let ok = members.length > 0;
    members.forEach((member, i) => {
      if (typeof member !== 'string') {
        ok = false;
        return;
      }
      const value = labels.get(member);
      if (value !== undefined) {
        values.add(value);
        return;
      }
      ok = false;
      // A label that exists but is itself in error (a duplicate value) was reported already.
      if (Object.prototype.hasOwnProperty.call(labelData, member)) return;
      const mAt: PathSegment[] = [...at, i];
      let message: string;
      let data: unknown;
      const nested = Object.prototype.hasOwnProperty.call(unionData, member) ? unionData[member] : undefined;
      if (nested !== undefined) {
        const its = Array.isArray(nested) ? ` (${nested.map(String).join(', ')})` : '';
        message = `${pathOf(mAt)}: \`${member}\` is a union, and the members of a union are labels: list its labels${its} instead`;
      } else {
        const hint = suggest(member, labelNames);
        message = `${pathOf(mAt)}: unknown label \`${member}\`${hint !== null ? `; did you mean \`${hint}\`?` : ''} (labels: ${quoted(labelNames)})`;
        if (hint !== null) data = { replacement: hint };
      }
      sink.study(view.range(mAt), 'error', message, pathOf(mAt), 'unknown-label', data);
    });
    if (ok) unions.set(name, [...values].sort((a, b) => a - b));
  }

  const roiList = view.get(['cohort', 'rois']);
  let rois: RoiSpec[] | null;
  if (roiList === undefined || roiList === null) {
    rois = [...[...labels].map(([name, v]) => ({ name, labels: [v] })), ...[...unions].map(([name, ls]) => ({ name, labels: [...ls] }))];
  } else if (!Array.isArray(roiList)) {
    rois = null;
  } else {
    rois = [];
    const known = [...labelNames, ...Object.keys(unionData).filter((n) => n !== RESERVED_ROI_NAME)];
    roiList.forEach((roi, i) => {
      if (typeof roi !== 'string') {
        rois = null;
        return;
      }
      const label = labels.get(roi);
      const union = unions.get(roi);
      if (label !== undefined) rois?.push({ name: roi, labels: [label] });
      else if (union !== undefined) rois?.push({ name: roi, labels: [...union] });
      else {
        rois = null;
        if (known.includes(roi)) return; // defined, but in error: reported there
        const at: PathSegment[] = ['cohort', 'rois', i];
        const hint = suggest(roi, known);
        sink.study(
          view.range(at),
          'error',
          `${pathOf(at)}: unknown ROI \`${roi}\`${hint !== null ? `; did you mean \`${hint}\`?` : ''} (labels and unions: ${quoted(known)})`,
          pathOf(at),
          'unknown-roi',
          hint !== null ? { replacement: hint } : undefined,
        );
      }
    });
  }
  return { labels, unions, rois };
}

// ---------------------------------------------------------------------------------------------
// The cohort's files

export interface SequenceColumn {
  name: string;
  column: string;
}

/** The header grid of the first readable image of a sequence, for the IBSI checks. */
export interface FirstImage {
  subject: string;
  file: string;
  spacing: Vec3;
}

export interface CohortFacts {
  /** Absolute path of the main manifest (null when not given). */
  manifestFile: string | null;
  /** Every subject read (main cohort, then external), including those with problems. */
  subjects: SubjectRow[];
  /** Whether the manifest(s) could be read and have the subject column (subjects are known). */
  subjectsKnown: boolean;
  clinical: ClinicalFacts[];
  /** Sequence name -> the first main-cohort subject's image header. */
  firstImages: Map<string, FirstImage>;
}

export interface ClinicalFacts {
  table: ClinicalTable;
  csv: CsvTable;
  /** subject id -> its row (for cell positions). */
  rowOf: Map<string, CsvRow>;
}

interface CohortContext {
  view: StudyView;
  sink: ProblemSink;
  cache: FileFactsCache;
  /** Directory of the study file (relative manifest and clinical paths start there). */
  studyDir: string;
  sequences: SequenceColumn[];
  subjectColumn: string;
  maskColumn: string;
  siteColumn: string | null;
  /** Severity of one subject's missing, unreadable or off-grid image or mask. */
  subjectFileSeverity: 'error' | 'warning';
}

export function checkCohort(
  view: StudyView,
  sink: ProblemSink,
  cache: FileFactsCache,
  studyFile: string,
  sequences: SequenceColumn[],
  subjectFileSeverity: 'error' | 'warning' = 'error',
): CohortFacts {
  const ctx: CohortContext = {
    subjectFileSeverity,
    view,
    sink,
    cache,
    studyDir: dirname(studyFile),
    sequences,
    subjectColumn: view.string(['cohort', 'subject_column']) ?? 'subject_id',
    maskColumn: view.string(['cohort', 'mask_column']) ?? 'mask',
    siteColumn: view.string(['cohort', 'site_column']) ?? null,
  };
  const firstImages = new Map<string, FirstImage>();
  const main = readManifest(ctx, ['cohort', 'manifest'], false, new Map(), firstImages);
  const external =
    view.string(['cohort', 'external', 'manifest']) !== undefined
      ? readManifest(ctx, ['cohort', 'external', 'manifest'], true, main.ids, firstImages)
      : { subjects: [], known: true, ids: new Map<string, string>() };
  const subjects = [...main.subjects, ...external.subjects];
  const subjectsKnown = main.known && external.known;
  const clinical = readClinical(ctx, subjectsKnown ? subjects : null);
  return {
    manifestFile: main.file,
    subjects,
    subjectsKnown,
    clinical,
    firstImages,
  };
}

function readManifest(
  ctx: CohortContext,
  at: PathSegment[],
  external: boolean,
  /** Subjects of the main manifest: id -> "manifest.csv line N" (an external subject must not be one). */
  mainIds: ReadonlyMap<string, string>,
  firstImages: Map<string, FirstImage>,
): { file: string | null; subjects: SubjectRow[]; known: boolean; ids: Map<string, string> } {
  const { view, sink, cache } = ctx;
  const none = { file: null, subjects: [], known: false, ids: new Map<string, string>() };
  const rel = view.string(at);
  if (rel === undefined) return none;
  const key = pathOf(at);
  const file = resolveFrom(ctx.studyDir, rel);
  const table = readTable(ctx, file, rel, at);
  if (table === null) return { ...none, file };
  const name = rel;

  // Columns: each missing one is reported at the setting that names it.
  const columnProblem = (column: string, setting: PathSegment[], what: string): void => {
    const hint = suggest(column, table.columns);
    const written = view.has(setting);
    // The external manifest is checked against the main settings: report at its `manifest` key.
    const where = external || !written ? at : setting;
    const subject = external || !written ? `${key}: ${name} has no column \`${column}\` (${what}, ${written ? pathOf(setting) : `the default of ${pathOf(setting)}`})` : `${pathOf(setting)}: ${name} has no column \`${column}\``;
    sink.study(
      view.range(where),
      'error',
      `${subject}${hint !== null ? `; did you mean \`${hint}\`?` : ''} (columns: ${quoted(table.columns)})`,
      pathOf(where),
      'unknown-column',
      hint !== null && !external && written ? { replacement: hint } : undefined,
    );
  };
  const subjectIdx = columnIndex(table, ctx.subjectColumn);
  if (subjectIdx < 0) columnProblem(ctx.subjectColumn, ['cohort', 'subject_column'], 'the subject identifiers');
  const seqIdx = ctx.sequences.map((s) => {
    const i = columnIndex(table, s.column);
    if (i < 0) columnProblem(s.column, ['cohort', 'sequences', s.name, 'column'], `the ${s.name} images`);
    return i;
  });
  const maskIdx = columnIndex(table, ctx.maskColumn);
  if (maskIdx < 0) columnProblem(ctx.maskColumn, ['cohort', 'mask_column'], 'the masks');
  let siteIdx = -1;
  if (ctx.siteColumn !== null) {
    siteIdx = columnIndex(table, ctx.siteColumn);
    if (siteIdx < 0) columnProblem(ctx.siteColumn, ['cohort', 'site_column'], 'the sites');
  }
  if (subjectIdx < 0) return { ...none, file };

  const baseDir = dirname(file);
  const ids = new Map<string, string>();
  const firstLine = new Map<string, number>();
  const subjects: SubjectRow[] = [];
  const lines = { missing: [] as number[], unreadable: [] as number[], offGrid: [] as number[], duplicate: [] as number[], empty: [] as number[] };
  const noSite: string[] = [];
  // One header read per file, even when a mask is listed for several images.
  const grids = new Map<string, Grid | string>();
  const gridOf = (path: string): Grid | string => {
    let g = grids.get(path);
    if (g === undefined) {
      const facts = cache.nifti(path);
      g = facts.ok ? facts.grid : facts.error;
      grids.set(path, g);
    }
    return g;
  };

  for (const row of table.rows) {
    const id = row.cells[subjectIdx];
    const idAt = cellPosition(row, subjectIdx);
    if (id === '') {
      sink.other(file, idAt, 'error', `empty subject id (column \`${ctx.subjectColumn}\`)`, 'empty-cell');
      lines.empty.push(row.line);
      continue;
    }
    const seen = firstLine.get(id);
    if (seen !== undefined) {
      sink.other(file, idAt, 'error', `subject \`${id}\` is listed twice, on lines ${seen} and ${row.line}`, 'duplicate-subject');
      lines.duplicate.push(row.line);
      continue;
    }
    firstLine.set(id, row.line);
    ids.set(id, `${name} line ${row.line}`);
    const inMain = mainIds.get(id);
    if (inMain !== undefined) {
      sink.other(
        file,
        idAt,
        'error',
        `subject \`${id}\` is also in the main cohort (${inMain}); an external test subject must not be used for training`,
        'duplicate-subject',
      );
      lines.duplicate.push(row.line);
    }

    // Files: existence, then the header grids of each image against the mask.
    const fileAt = (idx: number, what: string): string | null => {
      const cell = row.cells[idx];
      const pos = cellPosition(row, idx);
      if (cell === '') {
        sink.other(file, pos, 'error', `subject ${id}: no ${what} (column \`${table.columns[idx]}\` is empty)`, 'empty-cell');
        lines.empty.push(row.line);
        return null;
      }
      const path = resolveFrom(baseDir, cell);
      if (!cache.isFile(path)) {
        sink.other(file, pos, ctx.subjectFileSeverity, `subject ${id}: ${what} not found: ${cell}`, 'missing-file', { path });
        lines.missing.push(row.line);
      }
      // A missing file keeps its path in the Study, so a cohort run can say which file it missed.
      return path;
    };
    const mask = maskIdx >= 0 ? fileAt(maskIdx, 'mask') : null;
    const maskGrid = mask === null || !cache.isFile(mask) ? null : gridOf(mask);
    if (typeof maskGrid === 'string') {
      sink.other(file, cellPosition(row, maskIdx), ctx.subjectFileSeverity, `subject ${id}: the mask is not a readable NIfTI file: ${maskGrid}`, 'bad-image');
      lines.unreadable.push(row.line);
    }
    const images: Record<string, string> = {};
    ctx.sequences.forEach((s, k) => {
      const idx = seqIdx[k];
      if (idx < 0) return;
      const image = fileAt(idx, `${s.name} image`);
      if (image === null) return;
      images[s.name] = image;
      if (!cache.isFile(image)) return;
      const grid = gridOf(image);
      const pos = cellPosition(row, idx);
      if (typeof grid === 'string') {
        sink.other(file, pos, ctx.subjectFileSeverity, `subject ${id}: the ${s.name} image is not a readable NIfTI file: ${grid}`, 'bad-image');
        lines.unreadable.push(row.line);
        return;
      }
      if (!external && !firstImages.has(s.name)) firstImages.set(s.name, { subject: id, file: image, spacing: grid.spacing });
      if (maskGrid === null || typeof maskGrid === 'string') return;
      try {
        assertSameGrid(grid, row.cells[idx], maskGrid, row.cells[maskIdx]);
      } catch (e) {
        if (!(e instanceof RgsError)) throw e;
        sink.other(file, pos, ctx.subjectFileSeverity, `subject ${id}: ${e.message}`, 'grid-mismatch');
        lines.offGrid.push(row.line);
      }
    });
    let site: string | null = null;
    if (siteIdx >= 0) {
      site = row.cells[siteIdx] === '' ? null : row.cells[siteIdx];
      if (site === null) noSite.push(id);
    }
    subjects.push({ id, images, mask: mask ?? '', site, line: row.line, external });
  }

  // Summaries at the study file's key naming the manifest, so the editor shows them there too.
  const summary = (ls: number[], what: (n: number) => string, code: string, severity: 'error' | 'warning' = 'error'): void => {
    if (ls.length === 0) return;
    const unique = [...new Set(ls)];
    sink.study(view.range(at), severity, `${key}: ${what(ls.length)} (${unique.length === 1 ? 'line' : 'lines'} ${shortList(unique.map(String), 8)} of ${name})`, key, code);
  };
  summary(
    lines.missing,
    (n) => `${plural(n, 'image or mask file')} named in ${name} ${n === 1 ? 'is' : 'are'} missing (relative paths start at ${baseDir})`,
    'missing-file',
    ctx.subjectFileSeverity,
  );
  summary(lines.unreadable, (n) => `${plural(n, 'image or mask file')} named in ${name} ${n === 1 ? 'is' : 'are'} not readable NIfTI`, 'bad-image', ctx.subjectFileSeverity);
  summary(lines.offGrid, (n) => `${plural(n, 'image')} named in ${name} ${n === 1 ? 'does' : 'do'} not lie on the grid of ${n === 1 ? 'its' : 'their'} subject's mask`, 'grid-mismatch', ctx.subjectFileSeverity);
  summary(lines.duplicate, (n) => `${plural(n, 'duplicate subject id')} in ${name}`, 'duplicate-subject');
  summary(lines.empty, (n) => `${plural(n, 'empty cell')} in ${name}`, 'empty-cell');
  if (noSite.length > 0 && ctx.siteColumn !== null) {
    const siteAt: PathSegment[] = external ? at : ['cohort', 'site_column'];
    sink.study(
      view.range(siteAt),
      'warning',
      `${pathOf(siteAt)}: ${plural(noSite.length, 'subject')} of ${name} ${noSite.length === 1 ? 'has' : 'have'} no site (${shortList(noSite)}); harmonisation and site-stratified splits need one for every subject`,
      pathOf(siteAt),
      'missing-site',
    );
  }
  if (table.rows.length === 0) {
    sink.study(view.range(at), 'error', `${key}: ${name} has no subjects (only a header row)`, key, 'empty-table');
  }
  return { file, subjects, known: true, ids };
}

/** Reads a CSV the study names at `at`, reporting a missing file or a syntax error. */
function readTable(ctx: CohortContext, file: string, rel: string, at: PathSegment[]): CsvTable | null {
  const facts = ctx.cache.csv(file);
  if (facts.ok) return facts.table;
  const key = pathOf(at);
  if (facts.missing) {
    ctx.sink.study(ctx.view.range(at), 'error', `${key}: file not found: ${rel}${rel === file ? '' : ` (${file})`}`, key, 'missing-file', { path: file });
  } else if (facts.line !== undefined) {
    const line = facts.line;
    const column = facts.column ?? 1;
    ctx.sink.other(file, { line, column, endLine: line, endColumn: column + 1 }, 'error', facts.error, 'csv-syntax');
    ctx.sink.study(ctx.view.range(at), 'error', `${key}: ${rel} is not valid CSV: line ${line}: ${facts.error}`, key, 'csv-syntax');
  } else {
    ctx.sink.study(ctx.view.range(at), 'error', `${key}: ${rel}: ${facts.error}`, key, 'unreadable-file');
  }
  return null;
}

function readClinical(ctx: CohortContext, subjects: SubjectRow[] | null): ClinicalFacts[] {
  const { view, sink } = ctx;
  const out: ClinicalFacts[] = [];
  const entries = view.get(['cohort', 'clinical']);
  if (!Array.isArray(entries)) return out;
  entries.forEach((entry, i) => {
    if (!isRecord(entry) || typeof entry.file !== 'string') return;
    const at: PathSegment[] = ['cohort', 'clinical', i, 'file'];
    const rel = entry.file;
    const file = resolveFrom(ctx.studyDir, rel);
    const csv = readTable(ctx, file, rel, at);
    if (csv === null) return;
    const ownColumn = typeof entry.subject_column === 'string' ? entry.subject_column : undefined;
    const subjectColumn = ownColumn ?? ctx.subjectColumn;
    const idx = columnIndex(csv, subjectColumn);
    if (idx < 0) {
      const setting: PathSegment[] = ownColumn !== undefined ? ['cohort', 'clinical', i, 'subject_column'] : at;
      const hint = suggest(subjectColumn, csv.columns);
      const what = ownColumn !== undefined ? '' : ` (the subject column; set cohort.clinical[${i}].subject_column if it has another name)`;
      sink.study(
        view.range(setting),
        'error',
        `${pathOf(setting)}: ${rel} has no column \`${subjectColumn}\`${what}${hint !== null ? `; did you mean \`${hint}\`?` : ''} (columns: ${quoted(csv.columns)})`,
        pathOf(setting),
        'unknown-column',
        hint !== null && ownColumn !== undefined ? { replacement: hint } : undefined,
      );
      return;
    }
    const rows = new Map<string, Record<string, string>>();
    const rowOf = new Map<string, CsvRow>();
    const firstLine = new Map<string, number>();
    for (const row of csv.rows) {
      const id = row.cells[idx];
      if (id === '') continue; // a row without a subject matches no one
      const seen = firstLine.get(id);
      if (seen !== undefined) {
        sink.other(file, cellPosition(row, idx), 'error', `subject \`${id}\` has two rows, on lines ${seen} and ${row.line}`, 'duplicate-subject');
        continue;
      }
      firstLine.set(id, row.line);
      const record: Record<string, string> = {};
      csv.columns.forEach((c, k) => {
        record[c] = row.cells[k];
      });
      rows.set(id, record);
      rowOf.set(id, row);
    }
    if (subjects !== null) {
      const without = subjects.filter((s) => !rows.has(s.id)).map((s) => s.id);
      if (without.length > 0) {
        sink.study(
          view.range(at),
          'warning',
          `${pathOf(at)}: ${plural(without.length, 'subject')} of ${subjects.length} ${without.length === 1 ? 'has' : 'have'} no row in ${rel} (${shortList(without)}); ${without.length === 1 ? 'its' : 'their'} outcomes and covariates from it are missing`,
          pathOf(at),
          'missing-clinical-row',
          { subjects: without },
        );
      }
    }
    out.push({ table: { file, subjectColumn, columns: [...csv.columns], rows }, csv, rowOf });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Outcomes

/** Bad cells of one column reported one by one at most; the summary at the study key counts all. */
const MAX_CELL_PROBLEMS = 20;

/**
 * The outcomes, checked against the clinical tables when they were read (`clinical` null: the
 * files were not checked). Returns the well-formed outcome specifications.
 */
export function checkOutcomes(
  view: StudyView,
  sink: ProblemSink,
  clinical: ClinicalFacts[] | null,
  subjects: SubjectRow[] | null,
): OutcomeSpec[] {
  const out: OutcomeSpec[] = [];
  const outcomes = view.record(['outcomes']);
  if (outcomes === undefined) return out;
  const declared = Array.isArray(view.get(['cohort', 'clinical'])) && (view.get(['cohort', 'clinical']) as unknown[]).length > 0;

  /** The table holding `column`, or null after reporting that none does. */
  const tableWith = (column: string, at: PathSegment[]): ClinicalFacts | null | undefined => {
    if (clinical === null) return undefined;
    const found = clinical.find((c) => c.table.columns.includes(column));
    if (found !== undefined) return found;
    if (!declared) {
      sink.study(view.range(at), 'error', `${pathOf(at)}: no clinical table to read \`${column}\` from; add one under cohort.clinical`, pathOf(at), 'unknown-column');
      return null;
    }
    // Tables that could not be read were reported at their entry.
    if (clinical.length === 0) return null;
    const all = [...new Set(clinical.flatMap((c) => c.table.columns))];
    const hint = suggest(column, all);
    const names = clinical.map((c) => fileName(c.table.file)).join(', ');
    sink.study(
      view.range(at),
      'error',
      `${pathOf(at)}: no clinical table has a column \`${column}\`${hint !== null ? `; did you mean \`${hint}\`?` : ''} (columns of ${names}: ${quoted(all)})`,
      pathOf(at),
      'unknown-column',
      hint !== null ? { replacement: hint } : undefined,
    );
    return null;
  };

  /** The rows an outcome is read from: the cohort's subjects when known, else every row. */
  const rowsOf = (c: ClinicalFacts): CsvRow[] => {
    if (subjects === null) return c.csv.rows;
    const rows: CsvRow[] = [];
    for (const s of subjects) {
      const r = c.rowOf.get(s.id);
      if (r !== undefined) rows.push(r);
    }
    return rows.sort((a, b) => a.line - b.line);
  };

  for (const [name, spec] of Object.entries(outcomes)) {
    if (!isRecord(spec)) continue;
    const base: PathSegment[] = ['outcomes', name];
    if (spec.type === 'binary' && typeof spec.column === 'string' && (typeof spec.positive === 'string' || typeof spec.positive === 'number')) {
      const positive = String(spec.positive);
      out.push({ name, type: 'binary', column: spec.column, positive });
      const at = [...base, 'column'];
      const c = tableWith(spec.column, at);
      if (!c) continue;
      const k = columnIndex(c.csv, spec.column);
      const values: string[] = [];
      for (const row of rowsOf(c)) {
        const v = row.cells[k].trim();
        if (!isMissingValue(v) && !values.includes(v)) values.push(v);
      }
      const where = `\`${spec.column}\` in ${fileName(c.table.file)}${subjects !== null ? ' (rows of the cohort\'s subjects)' : ''}`;
      if (values.length !== 2) {
        const found = values.length === 0 ? 'no values' : `${values.length === 1 ? 'only one value' : `${values.length} distinct values`}: ${quoted(values, 10)}`;
        sink.study(
          view.range(at),
          'error',
          `${pathOf(at)}: a binary outcome needs exactly two distinct values, but ${where} has ${found}${values.length > 2 ? '; leave unknown cells empty or write NA' : ''}`,
          pathOf(at),
          'outcome-values',
          { values },
        );
      }
      if (values.length > 0 && !values.includes(positive)) {
        const pAt = [...base, 'positive'];
        const hint = suggest(positive, values);
        sink.study(
          view.range(pAt),
          'error',
          `${pathOf(pAt)}: \`${positive}\` is not a value of ${where}${hint !== null ? `; did you mean \`${hint}\`?` : ''} (values: ${quoted(values, 10)})`,
          pathOf(pAt),
          'positive-not-found',
          { values, ...(hint !== null ? { replacement: hint } : {}) },
        );
      }
    } else if (
      spec.type === 'survival' &&
      typeof spec.time === 'string' &&
      typeof spec.event === 'string' &&
      (spec.unit === 'days' || spec.unit === 'months' || spec.unit === 'years')
    ) {
      out.push({ name, type: 'survival', time: spec.time, event: spec.event, unit: spec.unit });
      checkCells(view, sink, [...base, 'time'], tableWith(spec.time, [...base, 'time']), spec.time, rowsOf, {
        ok: (v) => /^\+?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v) && Number.isFinite(Number(v)),
        bad: (v) => `\`${v}\` is not a survival time (a number >= 0${/^-/.test(v) ? '; it is negative' : ''})`,
        summary: 'not numbers >= 0',
        code: 'bad-survival-time',
      });
      checkCells(view, sink, [...base, 'event'], tableWith(spec.event, [...base, 'event']), spec.event, rowsOf, {
        ok: (v) => v === '0' || v === '1',
        bad: (v) => `\`${v}\` is not an event indicator (1 = event observed, 0 = censored)`,
        summary: 'not 0 or 1',
        code: 'bad-event',
      });
    }
  }
  return out;
}

function checkCells(
  view: StudyView,
  sink: ProblemSink,
  at: PathSegment[],
  c: ClinicalFacts | null | undefined,
  column: string,
  rowsOf: (c: ClinicalFacts) => CsvRow[],
  rule: { ok: (v: string) => boolean; bad: (v: string) => string; summary: string; code: string },
): void {
  if (!c) return;
  const k = columnIndex(c.csv, column);
  const badLines: number[] = [];
  for (const row of rowsOf(c)) {
    const v = row.cells[k].trim();
    if (isMissingValue(v) || rule.ok(v)) continue;
    if (badLines.length < MAX_CELL_PROBLEMS) sink.other(c.table.file, cellPosition(row, k), 'error', `${column}: ${rule.bad(v)}`, rule.code);
    badLines.push(row.line);
  }
  if (badLines.length > 0) {
    sink.study(
      view.range(at),
      'error',
      `${pathOf(at)}: ${plural(badLines.length, 'value')} of \`${column}\` in ${fileName(c.table.file)} ${badLines.length === 1 ? 'is' : 'are'} ${rule.summary} (${badLines.length === 1 ? 'line' : 'lines'} ${shortList(badLines.map(String), 8)})`,
      pathOf(at),
      rule.code,
    );
  }
}

// ---------------------------------------------------------------------------------------------


function resolveFrom(dir: string, p: string): string {
  return isAbsolute(p) ? p : resolve(dir, p);
}

function fileName(file: string): string {
  return basename(file);
}
