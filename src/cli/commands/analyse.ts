/**
 * `rgs analyse <study>`: the study's `analysis` over its feature table (normally run by
 * `rgs run` right after extraction; on its own after `rgs merge`, or to re-run the models only).
 */
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { hasAnalysis, loadStudy } from '../../engine/study/load';
import { runAnalysis, type AnalysisRun } from '../../engine/analysis/pipeline/run-analysis';
import type { Study } from '../../engine/study/types';
import { RgsError } from '../../engine/util/errors';

export const ANALYSE_HELP = `Usage: rgs analyse <study.yaml> [options]

Runs the study's \`analysis\` (models, validation, survival) over its feature table and writes
results.json, report.html, predictions, folds, selected features and the final model into
analysis/ beside the table. Every step fitted from data is refit inside each training fold.

Options:
  --features FILE   the feature table (default: results/<study id>/features.csv beside the study)
  --out DIR         where to write (default: analysis/ beside the feature table)
`;

const fmt = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

/** One line per outcome and model: the validated figure with its interval. */
export function analysisSummary(run: AnalysisRun): string[] {
  const lines: string[] = [];
  for (const o of run.results.outcomes) {
    for (const m of o.models) {
      const b = m.evaluation.binary;
      const s = m.evaluation.survival;
      const cv = m.cv ? `, CV mean ${fmt(m.cv.mean)} [${fmt(m.cv.lower)}, ${fmt(m.cv.upper)}]` : '';
      if (b) lines.push(`  ${o.name} · ${m.name}: AUC ${fmt(b.auc.estimate)} (95% CI ${fmt(b.auc.lower)}–${fmt(b.auc.upper)}, ${b.auc.method}, n=${b.n})${cv}`);
      if (s) {
        const lr = s.logRank ? `, risk groups log-rank p=${s.logRank.p.toPrecision(3)}` : '';
        lines.push(`  ${o.name} · ${m.name}: C-index ${fmt(s.cIndex.estimate)} (95% CI ${fmt(s.cIndex.lower)}–${fmt(s.cIndex.upper)}, n=${s.n}, events=${s.events})${lr}${cv}`);
      }
    }
  }
  return lines;
}

/** Runs the analysis of a loaded study over a feature table and reports where it wrote. */
export function analyseStudy(study: Study, featureTable: string, outDir?: string): AnalysisRun {
  if (!hasAnalysis(study.analysis)) throw new RgsError(`${study.file}: the study has no \`analysis\` section`, { file: study.file, field: 'analysis' });
  if (!existsSync(featureTable)) throw new RgsError(`${featureTable}: no feature table (run \`rgs run ${study.file}\` first)`, { file: featureTable });
  const run = runAnalysis(study, featureTable, { outDir });
  const where = outDir ?? join(dirname(featureTable), 'analysis');
  process.stdout.write(`rgs: analysis of ${study.info.id}\n${analysisSummary(run).join('\n')}\n  report: ${join(where, 'report.html')}\n`);
  return run;
}

export async function runAnalyse(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('analyse', argv, { features: { type: 'string' }, out: { type: 'string' } });
  if (parsed.positionals.length !== 1) throw new UsageError('analyse needs one study file (see rgs help analyse)');
  const study = loadStudy(resolve(parsed.positionals[0]));
  const table = resolve(parsed.values.features ?? join(dirname(study.file), 'results', study.info.id, 'features.csv'));
  analyseStudy(study, table, parsed.values.out === undefined ? undefined : resolve(parsed.values.out));
}
