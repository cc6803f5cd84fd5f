/**
 * `rgs validate` and the language server report the same problems for the same file: the same
 * messages, severities, codes and positions, in the study file and in the files it names. Both
 * call the engine's analyseStudyText; this guards the server's mapping (ranges, the two passes,
 * problems published on other files' URIs) against drifting from the CLI.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { buildServer, LspClient, ROOT, uriOf } from './lsp-client';
import { writeStudyFixture, type StudyFixture } from './study-fixture';

const fx: StudyFixture = writeStudyFixture('rgs-lsp-parity-');
let client: LspClient;

beforeAll(async () => {
  buildServer();
  client = await LspClient.start();
});

afterAll(async () => {
  await client?.stop();
});

/** One problem, as both report it: file relative to the fixture folder, 1-based positions. */
type Row = string;

function row(file: string, line: number, column: number, endLine: number, endColumn: number, severity: string, code: string | undefined, message: string): Row {
  return `${file}:${line}:${column}-${endLine}:${endColumn} ${severity} [${code ?? ''}] ${message}`;
}

function viaCli(file: string): Row[] {
  const r = spawnSync(join(ROOT, 'bin', 'rgs'), ['validate', '--json', relative(fx.dir, file)], { cwd: fx.dir, encoding: 'utf8' });
  expect(r.status === 0 || r.status === 1).toBe(true);
  const out = JSON.parse(r.stdout) as { problems: { file: string; line: number; column: number; endLine: number; endColumn: number; severity: string; code?: string; message: string }[] };
  return out.problems.map((p) => row(relative(fx.dir, resolve(fx.dir, p.file)), p.line, p.column, p.endLine, p.endColumn, p.severity, p.code, p.message)).sort();
}

const SEVERITY = ['', 'error', 'warning', 'info'];

function rowsOf(uri: string, ds: readonly Diagnostic[]): Row[] {
  const file = relative(fx.dir, fileURLToPath(uri));
  return ds.map((d) =>
    row(file, d.range.start.line + 1, d.range.start.character + 1, d.range.end.line + 1, d.range.end.character + 1, SEVERITY[d.severity ?? 1], d.code === undefined ? undefined : String(d.code), typeof d.message === 'string' ? d.message : d.message.value),
  );
}

async function viaServer(file: string): Promise<Row[]> {
  const uri = uriOf(file);
  const ds = await client.openAndCheck(uri, readFileSync(file, 'utf8'));
  const rows = rowsOf(uri, ds);
  // Problems in other files: the latest publication of every other URI.
  const latest = new Map<string, Diagnostic[]>();
  for (const p of client.published) if (p.uri !== uri && !p.uri.endsWith('.study.yaml')) latest.set(p.uri, p.diagnostics);
  for (const [other, list] of latest) rows.push(...rowsOf(other, list));
  await client.close(uri);
  return rows.sort();
}

function variant(name: string, edit: (text: string) => string): string {
  const file = join(fx.dir, name);
  writeFileSync(file, edit(fx.studyText));
  return file;
}

describe('rgs validate and the language server agree', () => {
  const cases: [string, (t: string) => string, number][] = [
    ['valid', (t) => t, 0],
    ['syntax', (t) => t.replace('  title: IDH1 status from MRI texture', '  title: [IDH1 status'), 2],
    ['schema', (t) => t.replace('  manifest: manifest.csv', '  manifets: manifest.csv').replace('interpolation: linear', 'interpolation: trilinear').replace('bin_count: 32', 'bin_count: 0'), 3],
    ['names', (t) => t.replace('[necrosis, enhancing]', '[necrosys, enhancing]').replace('    - tumour_core', '    - tumor_core'), 2],
    ['ibsi', (t) => t.replace('  normalisation:\n    method: zscore\n    reference: roi\n', '').replace('method: fbn\n    bin_count: 32', 'method: fbs\n    bin_width: 25'), 2],
    ['outcomes', (t) => t.replace('positive: mutant', 'positive: mutated').replace('time: os_months', 'time: os_days'), 2],
    ['missing-image', (t) => t.replace('manifest: manifest.csv', 'manifest: broken/manifest.csv'), 2],
  ];

  beforeAll(() => {
    mkdirSync(join(fx.dir, 'broken'), { recursive: true });
    const manifest = readFileSync(join(fx.dir, 'manifest.csv'), 'utf8').replaceAll('images/', '../images/').replace('S02_seg', 'S02_mask');
    writeFileSync(join(fx.dir, 'broken', 'manifest.csv'), manifest);
  });

  for (const [name, edit, count] of cases) {
    it(name, async () => {
      const file = variant(`${name}.study.yaml`, edit);
      const cli = viaCli(file);
      expect(cli).toHaveLength(count);
      expect(await viaServer(file)).toEqual(cli);
    });
  }
});
