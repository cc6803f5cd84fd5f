/**
 * The enrichment step of the analysis (`analysis.enrichment`): preranked GSEA (gsea/) of a
 * gene-expression table between two groups of subjects, with gene sets from a GMT file.
 *
 * Groups:
 * - `risk_groups`: high versus low radiomic risk group of a survival outcome. Each subject is
 *   grouped by a model that was NOT fitted on it: the groups of predictions.csv, i.e. the
 *   out-of-fold groups of repetition 1 (cross-validation; each fold cut at its own training
 *   median), the hold-out test set (holdout) or the external cohort (external): the same
 *   subjects and groups as the Kaplan–Meier curves of the report. Grouping subjects by a model
 *   fitted on them would carry the model's overfit into the gene ranking.
 * - `outcome`: the positive class versus the other class of a binary outcome, as recorded in
 *   the clinical table (every subject of the study with a known class).
 *
 * Expression table (a decision, documented in the schema): one gene per row, the layout of
 * GSEA's expression files and of most expression matrices. Header `gene,<subject id>,…` (the
 * first header cell is free), first column the gene identifier (matched exactly, case-sensitive,
 * against the GMT's genes), then one numeric column per subject. Empty or NA cells are missing:
 * a gene with a missing value among the compared subjects is left out of the ranking. Subjects
 * of the table that are not compared are ignored.
 *
 * Class 1 of the ranking is the high-risk group / positive class, so a positive NES means the
 * set is higher there. The inputs are read and checked before any model is fitted (a typo in a
 * path should not cost a whole nested cross-validation); the GSEA runs after the models, on its
 * own generator (the enrichment seed, default the analysis seed), so adding the step changes no
 * other result.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sha256Hex } from '../../run/hashing';
import { isMissingValue } from '../../study/references';
import type { OutcomeSpec, Study } from '../../study/types';
import { RgsError } from '../../util/errors';
import { parseGmt, type GeneSet } from '../gsea/gmt';
import { gseaPreranked } from '../gsea/preranked';
import { rankGenes, type ExpressionMatrix } from '../gsea/ranking';
import { Rng } from '../random';
import { compareIds } from '../validation/subjects';
import type { PredictionRow } from './outputs';
import type { EnrichmentResult } from './results';
import type { EnrichmentSpec, ValidationMethod } from './spec';

/** The enrichment table written beside results.json. */
export const ENRICHMENT_FILE = 'enrichment.csv';

/** A gene-expression table, gene-major: value (g, s) at values[g * subjects.length + s]; NaN = missing. */
export interface ExpressionTable {
  file: string;
  sha256: string;
  genes: string[];
  subjects: string[];
  values: Float64Array;
}

/**
 * The fields of one CSV record on one line (RFC 4180 quoting within the line). Expression
 * tables have no line breaks inside fields; a quote left open is an error, not a guess.
 */
function splitCsvLine(line: string, fail: (problem: string) => never): string[] {
  if (!line.includes('"')) return line.split(',').map((c) => c.trim());
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] === '"') {
      let text = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) fail('unterminated quoted field (line breaks inside fields are not supported)');
        text += line.slice(i, q);
        if (line[q + 1] === '"') {
          text += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      while (line[i] === ' ' || line[i] === '\t') i++;
      if (i < line.length && line[i] !== ',') fail('text after a closing quote');
      out.push(text);
    } else {
      const comma = line.indexOf(',', i);
      const cell = line.slice(i, comma < 0 ? line.length : comma);
      if (cell.includes('"')) fail('a quote inside an unquoted field');
      out.push(cell.trim());
      i = comma < 0 ? line.length : comma;
    }
    if (i >= line.length) return out;
    i++; // the comma
  }
}

/** Parses an expression table (layout in the module comment); `file` names it in messages. */
export function parseExpressionCsv(text: string, file: string): ExpressionTable {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let l = 0;
  while (l < lines.length && lines[l].trim() === '') l++;
  if (l === lines.length) throw new RgsError(`${file}: the expression table is empty`, { file });
  const at = (line: number) => (problem: string): never => {
    throw new RgsError(`${file}:${line + 1}: ${problem}`, { file });
  };
  const header = splitCsvLine(lines[l], at(l));
  const subjects = header.slice(1);
  if (subjects.length === 0) at(l)('expected a header `gene,<subject id>,<subject id>,…` (one gene per row, one column per subject)');
  const seenSubject = new Set<string>();
  subjects.forEach((s, k) => {
    if (s === '') at(l)(`column ${k + 2} of the header has no subject id`);
    if (seenSubject.has(s)) at(l)(`subject ${s} appears twice in the header`);
    seenSubject.add(s);
  });
  const width = header.length;
  const genes: string[] = [];
  const lineOfGene = new Map<string, number>();
  const chunks: Float64Array[] = [];
  for (let i = l + 1; i < lines.length; i++) {
    const raw = lines[i];
    if (raw.trim() === '') continue;
    const fail = at(i);
    const cells = splitCsvLine(raw, fail);
    if (cells.length !== width) fail(`${cells.length} fields, but the header has ${width}`);
    const gene = cells[0];
    if (gene === '') fail('a row without a gene identifier in the first column');
    const first = lineOfGene.get(gene);
    if (first !== undefined) fail(`gene ${gene} appears twice (first on line ${first})`);
    lineOfGene.set(gene, i + 1);
    const row = new Float64Array(subjects.length);
    for (let k = 1; k < width; k++) {
      const cell = cells[k];
      if (isMissingValue(cell)) {
        row[k - 1] = NaN;
        continue;
      }
      const v = Number(cell);
      if (!Number.isFinite(v)) fail(`subject ${subjects[k - 1]}, gene ${gene}: \`${cell}\` is not a number`);
      row[k - 1] = v;
    }
    genes.push(gene);
    chunks.push(row);
  }
  if (genes.length === 0) throw new RgsError(`${file}: the expression table has a header but no gene rows`, { file });
  const values = new Float64Array(genes.length * subjects.length);
  chunks.forEach((row, g) => values.set(row, g * subjects.length));
  return { file, sha256: sha256Hex(text), genes, subjects, values };
}

function readText(path: string, what: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RgsError(`analysis.enrichment.${field}: cannot read the ${what} ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? String(e))})`, {
      file: path,
      field: `analysis.enrichment.${field}`,
      cause: e,
    });
  }
}

/** Reads an expression table (layout in the module comment). */
export function readExpressionTable(path: string): ExpressionTable {
  return parseExpressionCsv(readText(path, 'expression table', 'expression'), path);
}

export interface EnrichmentInputs {
  spec: EnrichmentSpec;
  expression: ExpressionTable;
  geneSets: GeneSet[];
  gmtSha256: string;
}

/** A path of the study file, resolved against its folder. */
export function studyPath(studyFile: string, path: string): string {
  return resolve(dirname(studyFile), path);
}

/**
 * Reads and checks the enrichment inputs before any model is fitted: both files readable and
 * well-formed, the table's columns are subjects of the study (with a hint when the table looks
 * transposed), and some gene set has at least min_size genes of the table.
 */
export function loadEnrichmentInputs(study: Study, spec: EnrichmentSpec): EnrichmentInputs {
  const exprPath = studyPath(study.file, spec.expression);
  const gmtPath = studyPath(study.file, spec.geneSets);
  const expression = readExpressionTable(exprPath);
  const gmtText = readText(gmtPath, 'gene set file', 'gene_sets');
  const geneSets = parseGmt(gmtText, gmtPath);

  const ids = new Set(study.subjects.map((s) => s.id));
  const matched = expression.subjects.filter((s) => ids.has(s)).length;
  if (matched === 0) {
    const transposed = expression.genes.filter((g) => ids.has(g)).length;
    throw new RgsError(
      transposed > 0
        ? `${exprPath}: no column is a subject of the study, but ${transposed} row(s) are: the table looks transposed; write one gene per row and one column per subject (header \`gene,<subject id>,…\`)`
        : `${exprPath}: no column of the header is a subject id of the study (e.g. ${expression.subjects.slice(0, 3).join(', ')}); the header must be \`gene,<subject id>,…\``,
      { file: exprPath, field: 'analysis.enrichment.expression' },
    );
  }
  const genes = new Set(expression.genes);
  let largest = 0;
  for (const set of geneSets) {
    let n = 0;
    for (const g of set.genes) if (genes.has(g)) n++;
    largest = Math.max(largest, n);
    if (n >= spec.minSize && n <= spec.maxSize) return { spec, expression, geneSets, gmtSha256: sha256Hex(gmtText) };
  }
  throw new RgsError(
    `${gmtPath}: no gene set has between ${spec.minSize} and ${spec.maxSize} genes of ${exprPath} (the largest overlap is ${largest}); ` +
      'are the gene identifiers of the same kind (e.g. symbols) in both files, or should analysis.enrichment.min_size be lower?',
    { file: gmtPath, field: 'analysis.enrichment.gene_sets' },
  );
}

/** Two groups of subjects: class 1 (`up`) and class 0, subjects sorted by id. */
export interface EnrichmentGroups {
  subjects: string[];
  classes: Uint8Array;
  up: string;
  down: string;
  source: string;
}

/**
 * The out-of-sample risk groups of a survival model, from its validated predictions: the
 * out-of-fold groups of repetition 1 (cross-validation), the hold-out test set, or the external
 * cohort. Every one of these was grouped by a model fitted without the subject.
 */
export function riskGroupsOf(predictions: readonly PredictionRow[], outcome: string, model: string, method: ValidationMethod): EnrichmentGroups {
  const cv = method === 'nested_cv' || method === 'repeated_cv';
  const pick = (p: PredictionRow): boolean =>
    cv ? p.set === 'out-of-fold' && p.repeat === 0 : method === 'holdout' ? p.set === 'test' : p.set === 'external' && p.fold === null;
  const rows = predictions.filter((p) => p.outcome === outcome && p.model === model && p.group !== null && pick(p));
  rows.sort((a, b) => compareIds(a.subject, b.subject));
  const source = cv
    ? `out-of-fold risk groups of ${model}, repetition 1 (each fold cut at its own training median; predictions.csv rows with set out-of-fold, repeat 1)`
    : method === 'holdout'
      ? `risk groups of ${model} in the hold-out test set (cut at the training median; predictions.csv rows with set test)`
      : `risk groups of ${model} in the external cohort (cut at the training median; predictions.csv rows with set external)`;
  return {
    subjects: rows.map((r) => r.subject),
    classes: Uint8Array.from(rows, (r) => (r.group === 'high' ? 1 : 0)),
    up: 'high risk',
    down: 'low risk',
    source,
  };
}

/** The classes of a binary outcome as recorded in the clinical tables (subjects with a known class). */
export function outcomeClassesOf(study: Study, outcome: Extract<OutcomeSpec, { type: 'binary' }>): EnrichmentGroups {
  const subjects: string[] = [];
  const classes: number[] = [];
  const ids = study.subjects.map((s) => s.id).sort(compareIds);
  for (const id of ids) {
    let value: string | null = null;
    for (const t of study.clinical) {
      if (!t.columns.includes(outcome.column)) continue;
      const v = t.rows.get(id)?.[outcome.column];
      value = v === undefined || isMissingValue(v) ? null : v.trim();
      break;
    }
    if (value === null) continue;
    subjects.push(id);
    classes.push(value === outcome.positive ? 1 : 0);
  }
  return {
    subjects,
    classes: Uint8Array.from(classes),
    up: outcome.positive,
    down: `not ${outcome.positive}`,
    source: `classes of the binary outcome ${outcome.name} (column ${outcome.column} of the clinical table)`,
  };
}

/**
 * The corners of the running sum of a set with ascending hit positions `hits` in a ranked list
 * of `scores` (weight p = 1, as in gseaPreranked): between hits the sum falls linearly, so the
 * values just before and just after each hit give the whole curve. x = genes passed.
 */
export function runningSumCorners(scores: Float64Array, hits: readonly number[]): { x: number[]; y: number[] } {
  const n = scores.length;
  const nh = hits.length;
  let nr = 0;
  for (const h of hits) nr += Math.abs(scores[h]);
  const miss = 1 / (n - nh);
  const x = [0];
  const y = [0];
  let cum = 0;
  hits.forEach((h, t) => {
    const before = cum / nr - (h - t) * miss;
    // After a hit at h - 1 the corner at x = h is already there.
    if (h > 0 && x[x.length - 1] !== h) {
      x.push(h);
      y.push(before);
    }
    cum += Math.abs(scores[h]);
    x.push(h + 1);
    y.push(cum / nr - (h - t) * miss);
  });
  if (x[x.length - 1] !== n) {
    x.push(n);
    y.push(0);
  }
  return { x, y };
}

/** |NES| descending, undefined NES last, ties by name. */
function byAbsNes(a: { name: string; nes: number }, b: { name: string; nes: number }): number {
  const fa = Number.isFinite(a.nes);
  const fb = Number.isFinite(b.nes);
  if (fa !== fb) return fa ? -1 : 1;
  if (fa && Math.abs(a.nes) !== Math.abs(b.nes)) return Math.abs(b.nes) - Math.abs(a.nes);
  return compareIds(a.name, b.name);
}

export interface EnrichmentOptions {
  /** The enrichment seed (the spec's, else the analysis seed). */
  seed: number;
  warn: (message: string) => void;
}

/** Ranks the genes between the two groups and runs preranked GSEA (see the module comment). */
export function runEnrichment(inputs: EnrichmentInputs, groups: EnrichmentGroups, options: EnrichmentOptions): EnrichmentResult {
  const { spec, expression } = inputs;
  const column = new Map<string, number>();
  expression.subjects.forEach((s, k) => column.set(s, k));
  const used: number[] = [];
  const classes: number[] = [];
  let without = 0;
  groups.subjects.forEach((s, i) => {
    const k = column.get(s);
    if (k === undefined) without++;
    else {
      used.push(k);
      classes.push(groups.classes[i]);
    }
  });
  if (without > 0) options.warn(`enrichment: ${without} of the ${groups.subjects.length} compared subjects have no column in ${spec.expression} and were left out`);
  const nUp = classes.reduce((a, c) => a + c, 0);
  const nDown = classes.length - nUp;
  if (nUp < 2 || nDown < 2) {
    throw new RgsError(
      `analysis.enrichment: ${nUp} subject(s) in ${groups.up} and ${nDown} in ${groups.down} have expression values in ${spec.expression}; the ranking needs at least 2 in each group`,
      { field: 'analysis.enrichment' },
    );
  }

  // The compared subjects' columns; genes with a missing value among them are left out.
  const m = used.length;
  const width = expression.subjects.length;
  const keptGenes: string[] = [];
  const kept: number[] = [];
  for (let g = 0; g < expression.genes.length; g++) {
    let ok = true;
    for (let j = 0; j < m && ok; j++) ok = Number.isFinite(expression.values[g * width + used[j]]);
    if (ok) {
      keptGenes.push(expression.genes[g]);
      kept.push(g);
    }
  }
  const values = new Float64Array(kept.length * m);
  kept.forEach((g, r) => {
    for (let j = 0; j < m; j++) values[r * m + j] = expression.values[g * width + used[j]];
  });
  const missing = expression.genes.length - kept.length;
  if (missing > 0) options.warn(`enrichment: ${missing} gene(s) of ${spec.expression} have a missing value among the compared subjects and were left out`);
  const matrix: ExpressionMatrix = { genes: keptGenes, samples: m, values };
  const ranking = rankGenes(matrix, classes, spec.statistic === 't' ? 't' : 'signal-to-noise');
  if (ranking.dropped.length > 0) options.warn(`enrichment: ${ranking.dropped.length} gene(s) without a finite ${spec.statistic} statistic (constant in both groups) were left out`);

  const gsea = gseaPreranked(ranking, inputs.geneSets, {
    permutations: spec.permutations,
    seed: new Rng(options.seed),
    minSize: spec.minSize,
    maxSize: spec.maxSize,
  });
  const sets = [...gsea.sets].sort(byAbsNes);
  let top: EnrichmentResult['top'] = null;
  const best = sets.find((s) => Number.isFinite(s.nes));
  if (best !== undefined) {
    const position = new Map<string, number>();
    ranking.genes.forEach((g, j) => position.set(g, j));
    const genes = inputs.geneSets.find((s) => s.name === best.name)!.genes;
    const hits = genes.flatMap((g) => {
      const p = position.get(g);
      return p === undefined ? [] : [p];
    });
    hits.sort((a, b) => a - b);
    top = { name: best.name, ...runningSumCorners(ranking.scores, hits), hits };
  }
  return {
    outcome: spec.outcome,
    groups: spec.groups,
    model: spec.groups === 'risk_groups' ? spec.model : null,
    source: groups.source,
    up: groups.up,
    down: groups.down,
    nUp,
    nDown,
    subjectsWithoutExpression: without,
    expression: { file: spec.expression, sha256: expression.sha256, genes: expression.genes.length, subjects: expression.subjects.length },
    geneSets: { file: spec.geneSets, sha256: inputs.gmtSha256, sets: inputs.geneSets.length },
    statistic: spec.statistic,
    permutations: spec.permutations,
    minSize: spec.minSize,
    maxSize: spec.maxSize,
    seed: options.seed,
    rankedGenes: ranking.genes.length,
    droppedGenes: expression.genes.length - ranking.genes.length,
    sets,
    skipped: gsea.skipped,
    top,
  };
}
