/**
 * GMT gene set files (the Broad/MSigDB format): one set per line, tab-separated
 * `name <TAB> description <TAB> gene <TAB> gene …`. Blank lines are skipped; empty fields (e.g.
 * trailing tabs) are ignored; a gene listed twice in a set counts once. Gene identifiers are
 * matched exactly (case-sensitive) against the ranked list.
 */
import { readFileSync } from 'node:fs';
import { RgsError } from '../../util/errors';

export interface GeneSet {
  name: string;
  description: string;
  genes: string[];
}

/** Parses GMT text; `file` names the source in error messages ("file:line: problem"). */
export function parseGmt(text: string, file: string): GeneSet[] {
  const sets: GeneSet[] = [];
  const lineOf = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fields = raw.split('\t');
    const fail = (problem: string): never => {
      throw new RgsError(`${file}:${line}: ${problem}`, { file });
    };
    if (fields.length < 3) fail('expected name<TAB>description<TAB>genes… (is the file tab-separated?)');
    const name = fields[0].trim();
    if (name === '') fail('gene set without a name');
    const previous = lineOf.get(name);
    if (previous !== undefined) fail(`gene set '${name}' is defined twice (first on line ${previous})`);
    const genes = [...new Set(fields.slice(2).map((g) => g.trim()).filter((g) => g !== ''))];
    if (genes.length === 0) fail(`gene set '${name}' has no genes`);
    lineOf.set(name, line);
    sets.push({ name, description: fields[1].trim(), genes });
  });
  if (sets.length === 0) throw new RgsError(`${file}: no gene sets in the file`, { file });
  return sets;
}

/** Reads and parses a GMT file. */
export function readGmt(path: string): GeneSet[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new RgsError(`${path}: cannot read the gene set file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { file: path, cause: e });
  }
  return parseGmt(text, path);
}
