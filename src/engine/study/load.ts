/**
 * Reading a study file (`*.study.yaml`): the one loader behind `rgs validate`, the runner, the
 * language server and the notebook. It reports every problem it can find, each with the file,
 * line and column of the offending value or key (or the line of a manifest or clinical table),
 * instead of stopping at the first, and it never executes anything: the file is YAML data (tags
 * refused), and the only files touched are those the study names, which are read, not run.
 *
 * Order: YAML syntax; the schema (schema.ts); the extraction settings (settings machinery);
 * label, union and ROI names; the files (manifest, images and masks, clinical tables, outcome
 * columns); the IBSI consistency warnings. Each check runs on whatever parts are well-formed, so
 * a typo in one section does not hide the problems of another.
 */
import { analysisDesignChecks } from '../analysis/design-checks';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import { discriminatorOf, type JsonSchema } from '../schema/json-schema';
import {
  formatPath,
  parseYamlText,
  rangeOf,
  validateYamlNode,
  type ParsedYaml,
  type PathSegment,
  type SchemaProblem,
} from '../schema/validate-yaml';
import { RgsError } from '../util/errors';
import { FileFactsCache } from './file-facts';
import { ibsiChecks, type Modality } from './ibsi-checks';
import { ProblemSink } from './problems';
import { checkCohort, checkLabels, checkOutcomes, type CohortFacts } from './references';
import { freeKeysOf, STUDY_SCHEMA } from './schema';
import { sequenceSettings, studySettings } from './settings';
import type { Study, StudyProblem } from './types';
import { isRecord, StudyView } from './view';

export { FileFactsCache } from './file-facts';
export { formatProblem } from './problems';

/** Whether a study's `analysis` section asks for an analysis (absent, null or `{}` do not). */
export function hasAnalysis(section: unknown): boolean {
  return section !== null && typeof section === 'object' && Object.keys(section).length > 0;
}

export interface AnalyseStudyOptions {
  /**
   * Read the files the study names (manifest and clinical CSVs, NIfTI headers) and check them.
   * Default true. Without it only the study file itself is checked, and `study` (when there is
   * no error) has no subjects and no clinical tables.
   */
  checkFiles?: boolean;
  /** Facts about those files, cached by path + mtime + size; keep one across calls (e.g. keystrokes). */
  fileCache?: FileFactsCache;
  /**
   * Severity of one subject's missing, unreadable or off-grid image or mask (default 'error').
   * `rgs run` uses 'warning': that subject's tasks fail in the status table and the cohort
   * carries on, as a cohort run should.
   */
  subjectFileSeverity?: 'error' | 'warning';
}

export interface StudyAnalysis {
  /** The resolved study; null when there is any error. */
  study: Study | null;
  /** Every problem: the study file's in source order, then those in the files it names. */
  problems: StudyProblem[];
  parsed: ParsedYaml;
}

/**
 * The schema the loader validates against: the study schema with `preprocessing` and `features`
 * left to the settings machinery (settingsFromNode), which validates them with the same schemas
 * and adds its cross-field checks, so each problem is found once.
 */
const VALIDATION_SCHEMA: JsonSchema = {
  ...STUDY_SCHEMA,
  properties: { ...STUDY_SCHEMA.properties, preprocessing: {}, features: {} },
};

/**
 * Everything known about a study text. `file` is the study file's path (relative files are
 * resolved against its directory; problems in it are reported under this name as given).
 */
export function analyseStudyText(text: string, file: string, opts: AnalyseStudyOptions = {}): StudyAnalysis {
  const checkFiles = opts.checkFiles ?? true;
  const cache = opts.fileCache ?? new FileFactsCache();
  const absolute = resolve(file);
  const parsed = parseYamlText(text);
  const { doc } = parsed;
  const sink = new ProblemSink(file, parsed.lineCounter);
  for (const p of parsed.problems) sink.schema(p, 'yaml-syntax');

  const root = doc.contents;
  const schemaProblems = validateYamlNode(root, VALIDATION_SCHEMA, [], { doc });
  validateFreeKeys(root, VALIDATION_SCHEMA, [], doc, schemaProblems);
  for (const p of schemaProblems) sink.schema(p, 'schema');
  const invalid = (prefix: string): boolean =>
    schemaProblems.some((p) => p.severity === 'error' && (p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`)));

  const view = new StudyView(root, doc);
  const settings = studySettings(view, sink, absolute);
  const sequences = settings === null ? [] : sequenceSettings(view, sink, absolute, settings, (name) => !invalid(`cohort.sequences.${name}`));
  const labels = checkLabels(view, sink);

  let cohort: CohortFacts | null = null;
  if (checkFiles) {
    const columns = Object.entries(view.record(['cohort', 'sequences']) ?? {}).flatMap(([name, spec]) =>
      isRecord(spec) && typeof spec.column === 'string' ? [{ name, column: spec.column }] : [],
    );
    cohort = checkCohort(view, sink, cache, absolute, columns, opts.subjectFileSeverity);
  }
  const outcomes = checkOutcomes(
    view,
    sink,
    cohort === null ? null : cohort.clinical,
    cohort !== null && cohort.subjectsKnown ? cohort.subjects : null,
  );
  // Design soundness of the analysis (leakage, tuning on the test cohort, events per feature …).
  // An absent or empty `analysis` section means features only: there is no design to check.
  if (hasAnalysis(view.get(['analysis']))) {
    for (const p of analysisDesignChecks(doc, { clinical: cohort?.clinical.map((c) => c.table) ?? null, subjects: cohort?.subjects ?? null, studyFile: checkFiles ? absolute : null })) {
      sink.study(p.range, p.severity, p.message, p.path, p.code, p.data);
    }
  }
  const modality: Modality = view.get(['cohort', 'modality']) === 'CT' ? 'CT' : 'MR';
  if (settings !== null) ibsiChecks(view, sink, modality, settings, sequences, cohort?.firstImages ?? new Map());

  const problems = sink.sorted();
  let study: Study | null = null;
  if (sink.errorCount === 0 && settings !== null && labels.rois !== null) {
    const info = view.record(['study']) ?? {};
    study = {
      file: absolute,
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
      info: {
        id: String(info.id ?? ''),
        title: String(info.title ?? ''),
        question: typeof info.question === 'string' ? info.question : '',
      },
      manifestFile: cohort?.manifestFile ?? resolve(absolute, '..', view.string(['cohort', 'manifest']) ?? ''),
      subjects: cohort?.subjects ?? [],
      sequences: sequences.map((s) => ({ name: s.name, column: s.column, settings: s.settings, overrides: s.overrides })),
      rois: labels.rois,
      clinical: cohort?.clinical.map((c) => c.table) ?? [],
      outcomes,
      settings,
      analysis: view.get(['analysis']) ?? null,
      report: view.get(['report']) ?? null,
    };
  }
  return { study, problems, parsed };
}

/**
 * Validates the values of the mappings with free keys (sequences, labels, unions, outcomes),
 * which the shared validator skips, and their key names; recurses through the schema so that it
 * finds them wherever they are.
 */
function validateFreeKeys(node: unknown, schema: JsonSchema, path: PathSegment[], doc: Document, out: SchemaProblem[]): void {
  const n = isAlias(node) ? node.resolve(doc) : node;
  let s = schema;
  if (s.oneOf !== undefined) {
    const d = discriminatorOf(s.oneOf);
    if (d === null || !isMap(n)) return;
    const value = n.items.find((p) => isScalar(p.key) && p.key.value === d)?.value;
    const branch = s.oneOf.find((b) => isScalar(value) && b.properties?.[d]?.const === value.value);
    if (branch === undefined) return;
    s = branch;
  }
  const free = freeKeysOf(s);
  if (free !== null && isMap(n)) {
    const keyRule = free.keys.pattern !== undefined ? new RegExp(free.keys.pattern, 'u') : null;
    if (n.items.length < free.minProperties) {
      const range = rangeOf(n) ?? [0, 0];
      out.push({ path: formatPath(path), message: `${formatPath(path)}: expected at least ${free.minProperties === 1 ? 'one entry' : `${free.minProperties} entries`}, got an empty mapping`, range, severity: 'error' });
    }
    for (const pair of n.items) {
      if (!isScalar(pair.key) || pair.key.value === null) continue; // reported by the validator
      const name = String(pair.key.value);
      const keyRange = rangeOf(pair.key) ?? rangeOf(n) ?? [0, 0];
      const at = [...path, name];
      if (keyRule !== null && !keyRule.test(name)) {
        out.push({
          path: formatPath(at),
          message: `${formatPath(path)}: \`${name}\` is not a valid name (expected ${free.keys['x-expected'] ?? `a name matching ${free.keys.pattern}`})`,
          range: keyRange,
          severity: 'error',
        });
      }
      out.push(...validateYamlNode(pair.value as Node | null, free.values, at, { doc, anchor: keyRange }));
      validateFreeKeys(pair.value, free.values, at, doc, out);
    }
    return;
  }
  if (s.properties !== undefined && isMap(n)) {
    for (const pair of n.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      const sub = s.properties[name];
      if (sub !== undefined) validateFreeKeys(pair.value, sub, [...path, name], doc, out);
    }
    return;
  }
  if (s.items !== undefined && isSeq(n)) {
    const items = s.items;
    n.items.forEach((item, i) => validateFreeKeys(item, items, [...path, i], doc, out));
  }
}

export interface LoadStudyOptions {
  /** Receives the warnings (the study loads despite them). */
  onWarning?: (problem: StudyProblem) => void;
  fileCache?: FileFactsCache;
  subjectFileSeverity?: 'error' | 'warning';
}

/**
 * Reads and checks a study file. Throws an RgsError "file:line:col message (and N more errors)"
 * naming the first error.
 */
export function loadStudy(path: string, options: LoadStudyOptions = {}): Study {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new RgsError(`cannot read study file ${path}: ${reason}`, { file: path, cause: e });
  }
  const { study, problems } = analyseStudyText(text, path, { fileCache: options.fileCache, subjectFileSeverity: options.subjectFileSeverity });
  for (const p of problems) if (p.severity === 'warning') options.onWarning?.(p);
  const errors = problems.filter((p) => p.severity === 'error');
  if (study === null || errors.length > 0) {
    const first = errors[0];
    if (first === undefined) throw new RgsError(`${path}: the study could not be read`, { file: path });
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    throw new RgsError(`${first.file}:${first.line}:${first.column} ${first.message}${more}`, {
      file: first.file,
      field: first.path === '' ? undefined : first.path,
    });
  }
  return study;
}
