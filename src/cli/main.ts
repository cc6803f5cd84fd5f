/**
 * `rgs`: the command-line engine. Each subcommand lives in src/cli/commands/. Errors a user can
 * act on (RgsError, UsageError) print one line and exit non-zero without a stack trace; anything
 * else is a bug and says so (set RGS_DEBUG=1 for the stack).
 */
import { RgsError } from '../engine/util/errors';
import { UsageError } from './usage-error';
import { ENGINE_VERSION } from '../engine/version';
import { runExtract, EXTRACT_HELP } from './commands/extract';
import { runDemo, DEMO_HELP } from './commands/demo';
import { runAnalyse, ANALYSE_HELP } from './commands/analyse';
import { runRun, RUN_HELP } from './commands/run';
import { runMerge, MERGE_HELP } from './commands/merge';
import { runPlan, PLAN_HELP } from './commands/plan';
import { runValidate, VALIDATE_HELP } from './commands/validate';

const HELP = `rgs ${ENGINE_VERSION}: Radiogenomics Studio's command-line engine (IBSI radiomics)

Usage: rgs <command> [options]

Commands:
  extract <image> <mask>   IBSI features of one or more ROIs of an image (NIfTI)
  validate <study.yaml>    check a study file and the files it names (file:line:col problems)
  run <study.yaml>         the features of a whole cohort: parallel, cached, shardable
  analyse <study.yaml>     the study's models, validation and report over its feature table
  merge <dir>... --out D   join the outputs of \`rgs run --shard\` into one run's outputs
  plan <study.yaml>        a Slurm or Kubernetes plan running a study as shards, then a merge
  demo [dir]               write the synthetic glioblastoma demo cohort and its study file
  help [command]           this help, or a command's
  version                  the engine version

Run \`rgs help extract\` for the options of a command.
Exit codes: 0 success, 1 bad input or a failed step, 2 wrong usage, 70 internal error.
`;

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<void> | void; help: string }> = {
  extract: { run: runExtract, help: EXTRACT_HELP },
  run: { run: runRun, help: RUN_HELP },
  merge: { run: runMerge, help: MERGE_HELP },
  plan: { run: runPlan, help: PLAN_HELP },
  validate: { run: runValidate, help: VALIDATE_HELP },
  demo: { run: runDemo, help: DEMO_HELP },
  analyse: { run: runAnalyse, help: ANALYSE_HELP },
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = cmd === 'help' ? rest[0] : undefined;
    if (topic !== undefined) {
      const c = COMMANDS[topic];
      if (!c) throw new UsageError(`unknown command \`${topic}\`; commands: ${Object.keys(COMMANDS).join(', ')}`);
      process.stdout.write(c.help);
    } else process.stdout.write(HELP);
    return 0;
  }
  if (cmd === 'version' || cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = COMMANDS[cmd];
  if (!command) throw new UsageError(`unknown command \`${cmd}\`; commands: ${Object.keys(COMMANDS).join(', ')} (see rgs --help)`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  await command.run(rest);
  return 0;
}

// For `npm run bench`: the process's own peak memory, measured by the kernel (getrusage).
if (process.env.RGS_REPORT_RUSAGE) {
  process.on('exit', () => process.stderr.write(`rgs-rusage: ${JSON.stringify({ maxRSS_kB: process.resourceUsage().maxRSS })}\n`));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      process.stderr.write(`rgs: ${err.message}\n`);
      process.exitCode = 2;
    } else if (err instanceof RgsError) {
      process.stderr.write(`rgs: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      const msg = err instanceof Error ? err.message : String(err);
      process.stderr.write(`rgs: internal error: ${msg.split('\n')[0]} (a bug: please report it; RGS_DEBUG=1 shows the stack)\n`);
      if (process.env.RGS_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
      process.exitCode = 70;
    }
  },
);
