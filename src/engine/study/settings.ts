/**
 * The study's extraction settings: the `preprocessing` and `features` sections read by the
 * settings machinery (settings/load.ts, one schema and one set of checks for settings files and
 * study files), and each sequence's settings: the study's with that sequence's `preprocessing`
 * overrides merged over them by the settings merge rule (settings/resolve.ts: a block written
 * replaces the study's block as a whole, other keys replace one by one).
 */
import { isMap, isScalar, Pair, YAMLMap, type Node } from 'yaml';
import { dirname } from 'node:path';
import { nodeAt, type PathSegment } from '../schema/validate-yaml';
import { checkSettings } from '../settings/check';
import { settingsFromNode } from '../settings/load';
import { settingsFromJson } from '../settings/resolve';
import type { PreprocessingJson } from '../settings/settings-json';
import type { ExtractionSettings, PreprocessingSettings } from '../settings/types';
import type { ProblemSink } from './problems';
import type { StudyView } from './view';
import { isRecord } from './view';

export interface SequenceSettings {
  name: string;
  column: string;
  settings: ExtractionSettings;
  overrides: Partial<PreprocessingSettings>;
  /** The YAML keys this sequence's `preprocessing` writes (slice_wise, resampling, …). */
  written: Set<string>;
}

/** The study-wide settings (null when they have errors), reported into `sink`. */
export function studySettings(view: StudyView, sink: ProblemSink, file: string): ExtractionSettings | null {
  // The settings machinery reads a node holding `preprocessing` and `features` (and `preset`,
  // which a study file does not have): a mapping of the study's own pairs, so ranges are kept.
  let node: YAMLMap | null = null;
  if (isMap(view.root)) {
    node = new YAMLMap();
    for (const pair of view.root.items) {
      if (isScalar(pair.key) && (pair.key.value === 'preprocessing' || pair.key.value === 'features')) node.items.push(pair as Pair<unknown, unknown>);
    }
  }
  const { settings, problems } = settingsFromNode(node, { doc: view.doc, file, anchor: view.start() });
  for (const p of problems) sink.schema(p, 'settings');
  return settings;
}

/**
 * Every sequence's settings. `valid(name)` says whether the sequence passed the schema (its
 * overrides are then safe to convert). Problems the overrides cause that the study-wide
 * settings do not have are reported at the sequence.
 */
export function sequenceSettings(
  view: StudyView,
  sink: ProblemSink,
  file: string,
  base: ExtractionSettings,
  valid: (name: string) => boolean,
): SequenceSettings[] {
  const out: SequenceSettings[] = [];
  const sequences = view.record(['cohort', 'sequences']);
  if (sequences === undefined) return out;
  const baseDir = dirname(file);
  const studyWritesAggregations = view.get(['features', 'aggregations']) !== undefined;
  // The messages of the study-wide checks, without their path: the same finding again for a
  // sequence that merely inherits the setting is not news.
  const studyMessages = new Set(checkSettings(base, { root: view.root, prefix: [] }).map((p) => bare(p.message, p.path)));

  for (const [name, spec] of Object.entries(sequences)) {
    if (!isRecord(spec) || typeof spec.column !== 'string' || !valid(name)) continue;
    const pre = spec.preprocessing;
    if (!isRecord(pre)) {
      out.push({ name, column: spec.column, settings: structuredClone(base), overrides: {}, written: new Set() });
      continue;
    }
    const json = pre as PreprocessingJson;
    // A sequence processed slice-wise while the study is not (or the reverse) gets the default
    // aggregations of its own mode, unless the study lists aggregations explicitly.
    const changesMode = json.slice_wise !== undefined && json.slice_wise !== base.preprocessing.sliceWise;
    const settings = settingsFromJson({ preprocessing: json }, { base, presetNamed: studyWritesAggregations || !changesMode, baseDir });
    const written = new Set(Object.keys(pre));
    const overrides: Partial<PreprocessingSettings> = {};
    const p = settings.preprocessing;
    if (written.has('slice_wise')) overrides.sliceWise = p.sliceWise;
    if (written.has('resampling')) overrides.resampling = structuredClone(p.resampling);
    if (written.has('normalisation')) overrides.normalisation = structuredClone(p.normalisation);
    if (written.has('resegmentation')) overrides.resegmentation = structuredClone(p.resegmentation);

    const prefix: PathSegment[] = ['cohort', 'sequences', name];
    const seqNode: Node | undefined = nodeAt(view.root, prefix);
    const own = `${prefix.join('.')}.preprocessing`;
    for (const problem of checkSettings(settings, { root: seqNode, prefix, fallback: view.keyRange(prefix) })) {
      const text = bare(problem.message, problem.path);
      if (studyMessages.has(text)) continue;
      // A features problem the override causes is named by the study's setting and the sequence.
      const message = problem.path.startsWith(own) ? problem.message : `${problem.path.slice(prefix.join('.').length + 1)} (sequence ${name}): ${text}`;
      sink.schema({ ...problem, message }, 'settings');
    }
    out.push({ name, column: spec.column, settings, overrides, written });
  }
  return out;
}

/** "preprocessing.x: message" -> "message". */
function bare(message: string, path: string): string {
  return path !== '' && message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message;
}
