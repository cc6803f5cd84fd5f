/**
 * What the kernel keeps between cells: the study as last checked, the feature table of its
 * results folder, the last analysis results and the JavaScript cells' own `state` object. A
 * fresh kernel (after an interrupt or a restart) starts empty and reloads the feature table from
 * the results folder the first time a cell needs it.
 */
import { dirname, join } from 'node:path';
import { FileFactsCache } from '../engine/study/load';
import type { Study } from '../engine/study/types';
import { isCurrent, loadFeatures, type LoadedFeatures } from './feature-table';
import type { KernelItem, KernelOptions, KernelOutput } from './protocol';

export interface Emitter {
  /** Append an output, or replace the earlier output sent with the same key. */
  output(output: KernelOutput, key?: string): void;
}

export class KernelState {
  study: Study | null = null;
  /** Study id -> results folder last used. */
  resultsDir: string | null = null;
  features: LoadedFeatures | null = null;
  /** The last analysis results (as the analysis step returned them). */
  analysis: unknown = null;
  /** The JavaScript cells' persistent object (`state` in a cell). */
  readonly user: Record<string, unknown> = {};
  /** File facts (manifest, NIfTI headers) cached across cells, keyed by path + mtime + size. */
  readonly fileCache = new FileFactsCache();
  executionCount = 0;

  constructor(readonly options: KernelOptions) {}

  /** The results folder of a study id checked under `studyFile`: <its folder>/results/<id>. */
  static resultsDirOf(studyFile: string, studyId: string): string {
    return join(dirname(studyFile), 'results', studyId);
  }

  static cacheDirOf(studyFile: string): string {
    return join(dirname(studyFile), '.rgs-cache');
  }

  /** The feature table of `resultsDir`, reloaded when the file changed on disk; null when none. */
  featuresOf(resultsDir: string): LoadedFeatures | null {
    if (this.resultsDir === resultsDir && this.features !== null && isCurrent(this.features)) return this.features;
    this.resultsDir = resultsDir;
    this.features = loadFeatures(resultsDir);
    return this.features;
  }
}

/** One output from items. */
export function output(...items: KernelItem[]): KernelOutput {
  return { items };
}
