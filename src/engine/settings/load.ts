/**
 * Reading settings files (`rgs extract --settings FILE.yaml`): parse (YAML syntax problems with
 * positions), validate against the schema, resolve to typed settings with defaults and the
 * named preset, then the cross-field checks. The file is data: it is never evaluated, and tags
 * other than the YAML core ones are refused.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Document, LineCounter, Node } from 'yaml';
import { RgsError } from '../util/errors';
import {
  formatPath,
  nodeAt,
  parseYamlText,
  rangeOf,
  validateYamlNode,
  type ParsedYaml,
  type PathSegment,
  type SchemaProblem,
  type SourceRange,
} from '../schema/validate-yaml';
import { checkSettings } from './check';
import { isPresetName, presetByName } from './presets';
import { settingsFromJson } from './resolve';
import { SETTINGS_FILE_SCHEMA } from './schema';
import type { SettingsFileJson } from './settings-json';
import type { ExtractionSettings } from './types';

/** A problem in a settings file, positioned for people (1-based line and column). */
export interface SettingsProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  message: string;
  /** Dotted path of the setting ('' for YAML syntax problems). */
  path: string;
}

export interface SettingsAnalysis {
  /** Null when there is any error. */
  settings: ExtractionSettings | null;
  /** Every problem, in source order, with offset ranges (what the language server shows). */
  problems: SchemaProblem[];
  parsed: ParsedYaml;
}

export interface SettingsFromNodeOptions {
  /** The document the node is in (resolves aliases). */
  doc: Document;
  /** Where the node sits in its document, for the messages (e.g. ['settings'] in a study file). */
  prefix?: PathSegment[];
  /** The file the node is in: relative reference-mask paths are resolved against its directory. */
  file?: string;
  /** Range for problems about the node as a whole (e.g. a missing key): usually its key. */
  anchor?: SourceRange;
}

/**
 * Settings from a YAML node holding `preset`, `preprocessing` and `features` (a settings file's
 * root, or a section of a study file): schema validation, defaults and preset, then the
 * cross-field checks. `settings` is null when there is any error. A null node means "defaults".
 */
export function settingsFromNode(
  node: Node | null,
  options: SettingsFromNodeOptions,
): { settings: ExtractionSettings | null; problems: SchemaProblem[] } {
  const prefix = options.prefix ?? [];
  const problems = node === null ? [] : validateYamlNode(node, SETTINGS_FILE_SCHEMA, prefix, { doc: options.doc, anchor: options.anchor });
  if (problems.some((p) => p.severity === 'error')) return { settings: null, problems };
  let json: SettingsFileJson;
  try {
    // Validated above, so the data has the shape SettingsFileJson describes.
    json = (node === null ? {} : node.toJS(options.doc)) as SettingsFileJson;
  } catch (e) {
    // The yaml package's own alias limit (resource exhaustion); the validator has the same one.
    const range = options.anchor ?? rangeOf(node) ?? [0, 0];
    problems.push({ path: formatPath(prefix), message: `cannot read the settings: ${(e as Error).message}`, range, severity: 'error' });
    return { settings: null, problems };
  }
  const presetNamed = json.preset !== undefined && isPresetName(json.preset);
  const base = presetByName(presetNamed ? (json.preset as string) : 'default');
  const settings = settingsFromJson(json, {
    base,
    presetNamed,
    baseDir: options.file === undefined ? undefined : dirname(options.file),
  });
  const presetRange = rangeOf(nodeAt(node, ['preset']));
  problems.push(...checkSettings(settings, { root: node, prefix, preset: presetRange ?? undefined, fallback: options.anchor }));
  return { settings: problems.some((p) => p.severity === 'error') ? null : settings, problems };
}

/**
 * Everything known about a settings text. `file` (when given) is the settings file's path:
 * relative reference-mask paths are resolved against its directory.
 */
export function analyseSettingsText(text: string, file?: string): SettingsAnalysis {
  const parsed = parseYamlText(text);
  // An empty file (or only comments) means "all defaults".
  const fromNode = settingsFromNode(parsed.doc.contents, { doc: parsed.doc, file });
  const problems = [...parsed.problems, ...fromNode.problems];
  problems.sort((a, b) => a.range[0] - b.range[0] || a.range[1] - b.range[1]);
  const settings = parsed.problems.some((p) => p.severity === 'error') ? null : fromNode.settings;
  return { settings, problems, parsed };
}

export function toSettingsProblem(p: SchemaProblem, file: string, lineCounter: LineCounter): SettingsProblem {
  const start = position(lineCounter, p.range[0]);
  const end = position(lineCounter, p.range[1]);
  return {
    file,
    line: start.line,
    column: start.col,
    endLine: end.line,
    endColumn: end.col,
    severity: p.severity,
    message: p.message,
    path: p.path,
  };
}

function position(lc: LineCounter, offset: number): { line: number; col: number } {
  const pos = lc.linePos(offset);
  // linePos reports line 0 before the first recorded line start; offsets here are always in the text.
  return pos.line === 0 ? { line: 1, col: offset + 1 } : pos;
}

/** "settings.yaml:3:14 preprocessing.resampling.spacing[0]: expected a number > 0, got -2". */
export function formatSettingsProblem(p: SettingsProblem): string {
  return `${p.file}:${p.line}:${p.column} ${p.message}`;
}

/** Parses settings YAML; `settings` is null when there is any error. */
export function parseSettingsYaml(text: string, file: string): { settings: ExtractionSettings | null; problems: SettingsProblem[] } {
  const analysis = analyseSettingsText(text, file);
  return {
    settings: analysis.settings,
    problems: analysis.problems.map((p) => toSettingsProblem(p, file, analysis.parsed.lineCounter)),
  };
}

export interface LoadSettingsOptions {
  /** Receives the warnings (settings that are valid but probably not what was meant). */
  onWarning?: (problem: SettingsProblem) => void;
}

/** Reads a settings file; throws an RgsError naming the first error as "file:line:col message". */
export function loadSettingsFile(path: string, options: LoadSettingsOptions = {}): ExtractionSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new RgsError(`cannot read settings file ${path}: ${reason}`, { file: path, cause: e });
  }
  const { settings, problems } = parseSettingsYaml(text, path);
  const errors = problems.filter((p) => p.severity === 'error');
  for (const w of problems) if (w.severity === 'warning') options.onWarning?.(w);
  if (settings === null || errors.length > 0) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    throw new RgsError(`${formatSettingsProblem(first)}${more}`, { file: path, field: first.path === '' ? undefined : first.path });
  }
  return settings;
}
