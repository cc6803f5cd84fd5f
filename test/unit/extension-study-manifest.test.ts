/**
 * The study-file contributions of package.json agree with the code and with what ships: the
 * language id and file pattern, the grammar (VS Code's YAML grammar included whole, a scope that
 * code-server's built-in yaml extension provides), the language configuration, the commands and
 * activation events, the workspace-trust capability, and the files are inside media/, which the
 * .vsix keeps (.vscodeignore).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPEN_SUBJECT_FROM_STUDY_COMMAND, RUN_STUDY_COMMAND, STUDY_LANGUAGE_ID, VALIDATE_STUDY_COMMAND } from '../../src/extension/study/ids';

const ROOT = join(__dirname, '..', '..');

interface Manifest {
  activationEvents: string[];
  capabilities?: { untrustedWorkspaces?: { supported: unknown; description?: string } };
  contributes: {
    languages?: { id: string; filenamePatterns?: string[]; aliases?: string[]; configuration?: string }[];
    grammars?: { language?: string; scopeName: string; path: string }[];
    commands: { command: string; title: string }[];
  };
}

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
const readJson = (rel: string): unknown => JSON.parse(readFileSync(join(ROOT, rel), 'utf8'));

describe('package.json: the study-file contributions', () => {
  const language = pkg.contributes.languages?.find((l) => l.id === STUDY_LANGUAGE_ID);
  const grammar = pkg.contributes.grammars?.find((g) => g.language === STUDY_LANGUAGE_ID);

  it('declares the language for *.study.yaml, activated on it', () => {
    expect(language?.filenamePatterns).toEqual(['*.study.yaml']);
    expect(language?.aliases?.[0]).toBe('Radiogenomics Study');
    expect(pkg.activationEvents).toContain(`onLanguage:${STUDY_LANGUAGE_ID}`);
  });

  it('has a language configuration with # comments, brackets and auto-closing pairs', () => {
    expect(language?.configuration).toMatch(/^\.\/media\//);
    const conf = readJson(language?.configuration ?? '') as { comments: { lineComment: string }; brackets: string[][]; autoClosingPairs: { open: string; close: string }[] };
    expect(conf.comments.lineComment).toBe('#');
    expect(conf.brackets).toEqual([
      ['{', '}'],
      ['[', ']'],
    ]);
    expect(conf.autoClosingPairs.map((p) => p.open + p.close)).toEqual(['{}', '[]', '""', "''"]);
  });

  it('highlights with a grammar that includes the YAML grammar', () => {
    expect(grammar?.path).toMatch(/^\.\/media\//);
    const g = readJson(grammar?.path ?? '') as { scopeName: string; patterns: { include: string }[] };
    expect(g.scopeName).toBe(grammar?.scopeName);
    expect(g.patterns).toEqual([{ include: 'source.yaml' }]);
  });

  const codeServerYaml = join(ROOT, '.e2e', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'yaml', 'package.json');
  it.skipIf(!existsSync(codeServerYaml))('source.yaml is a grammar of the yaml extension built into code-server (VS Code 1.100)', () => {
    const yaml = JSON.parse(readFileSync(codeServerYaml, 'utf8')) as Manifest;
    expect(yaml.contributes.grammars?.some((g) => g.scopeName === 'source.yaml' && (g as { language?: string }).language === 'yaml')).toBe(true);
  });

  it('contributes the commands the code lenses run', () => {
    const ids = pkg.contributes.commands.map((c) => c.command);
    for (const id of [RUN_STUDY_COMMAND, VALIDATE_STUDY_COMMAND, OPEN_SUBJECT_FROM_STUDY_COMMAND]) {
      expect(ids).toContain(id);
      expect(pkg.activationEvents).toContain(`onCommand:${id}`);
    }
  });

  it('declares limited support for untrusted workspaces and says that Run Study needs trust', () => {
    expect(pkg.capabilities?.untrustedWorkspaces?.supported).toBe('limited');
    expect(pkg.capabilities?.untrustedWorkspaces?.description).toMatch(/Run Study does not start/);
  });

  it('ships the media files in the .vsix (.vscodeignore keeps media/**)', () => {
    const ignore = readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n');
    expect(ignore).toContain('!media/**');
    for (const p of [language?.configuration, grammar?.path]) expect(existsSync(join(ROOT, p ?? 'missing'))).toBe(true);
  });
});
