/** `rgs validate <study>`: every problem of a study file and of the files it names. */
import { readFileSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { analyseStudyText } from '../../engine/study/load';
import { formatProblem } from '../../engine/study/problems';
import type { Study } from '../../engine/study/types';
import { RgsError } from '../../engine/util/errors';
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';

export const VALIDATE_HELP = `Usage: rgs validate <study.yaml> [options]

Checks a study file (docs/study-file.md) and the files it names, without computing anything:
the YAML and its schema, the label, union and ROI names, the manifest (columns, duplicate
subjects, every image and mask file, image and mask on the same grid), the clinical tables
and outcome columns, and the IBSI consistency of the settings (warnings).

Prints each problem as \`file:line:col severity message\`, then a summary line. Exit code 0
when there is no error (warnings allowed), 1 when there is one.

Options:
  --no-files   check the study file alone: do not read the manifest, clinical tables or
               image headers
  --json       print the problems and the summary as JSON
`;

export async function runValidate(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('validate', argv, { 'no-files': { type: 'boolean' }, json: { type: 'boolean' } });
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new UsageError(`validate needs one study file, got ${positionals.length} argument(s) (see rgs help validate)`);
  }
  const file = positionals[0];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new RgsError(`cannot read study file ${file}: ${reason}`, { file });
  }
  const checkFiles = values['no-files'] !== true;
  const { study, problems } = analyseStudyText(text, file, { checkFiles });
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  const summary = errors > 0 ? `${file}: ${count(errors, 'error')}${warnings > 0 ? `, ${count(warnings, 'warning')}` : ''}` : validSummary(file, study, warnings, checkFiles);

  if (values.json === true) {
    const out = { file, valid: errors === 0, errors, warnings, problems: problems.map((p) => ({ ...p, file: displayPath(p.file) })) };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    let text = '';
    for (const p of problems) text += `${formatProblem(p, displayPath)}\n`;
    if (errors === 0) text += `${summary}\n`;
    process.stdout.write(text);
  }
  // The CLI prints an RgsError as one line on standard error and exits with 1: the summary.
  if (errors > 0) throw new RgsError(summary, { file });
}

function validSummary(file: string, study: Study | null, warnings: number, checkFiles: boolean): string {
  const w = warnings > 0 ? `, ${count(warnings, 'warning')}` : '';
  if (study === null) return `${file}: valid${w}`;
  const parts: string[] = [];
  if (checkFiles) {
    const external = study.subjects.filter((s) => s.external).length;
    parts.push(count(study.subjects.length - external, 'subject') + (external > 0 ? ` + ${external} external` : ''));
  }
  parts.push(count(study.sequences.length, 'sequence'), count(study.rois.length, 'ROI'), count(study.outcomes.length, 'outcome'));
  return `${file}: valid (${parts.join(', ')}${checkFiles ? '' : '; files not checked'})${w}`;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Files under the working directory are shown relative to it, as a user would type them. */
function displayPath(file: string): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
