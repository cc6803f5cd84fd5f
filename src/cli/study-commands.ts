/**
 * The study commands of `rgs` (everything but `extract`), bundled apart from the dispatcher
 * (dist/cli-study.js): they bring the YAML study loader, the cohort runner, Parquet and the
 * analysis, which `rgs extract` never needs and should not spend start-up time loading.
 */
import type { CliCommand } from './command';
import { runDemo, DEMO_HELP } from './commands/demo';
import { runAnalyse, ANALYSE_HELP } from './commands/analyse';
import { runRun, RUN_HELP } from './commands/run';
import { runMerge, MERGE_HELP } from './commands/merge';
import { runPlan, PLAN_HELP } from './commands/plan';
import { runValidate, VALIDATE_HELP } from './commands/validate';

export const STUDY_COMMANDS: Record<string, CliCommand> = {
  run: { run: runRun, help: RUN_HELP },
  merge: { run: runMerge, help: MERGE_HELP },
  plan: { run: runPlan, help: PLAN_HELP },
  validate: { run: runValidate, help: VALIDATE_HELP },
  demo: { run: runDemo, help: DEMO_HELP },
  analyse: { run: runAnalyse, help: ANALYSE_HELP },
};
