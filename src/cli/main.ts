/**
 * `rgs`: the command-line engine. Each subcommand lives in src/cli/commands/. Errors a user can
 * act on (RgsError, UsageError) print one line and exit non-zero without a stack trace; anything
 * else is a bug and says so (set RGS_DEBUG=1 for the stack).
 */
import { RgsError } from '../engine/util/errors';
import { UsageError } from './usage-error';
import { ENGINE_VERSION } from '../engine/version';
import { runExtract, EXTRACT_HELP } from './commands/extract';
import type { CliCommand } from './command';
import { join } from 'node:path';
import { createRequire } from 'node:module';

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

const STUDY_COMMAND_NAMES = ['run', 'merge', 'plan', 'validate', 'demo', 'analyse'] as const;
const COMMAND_NAMES = ['extract', ...STUDY_COMMAND_NAMES];

/**
 * The study commands live in their own bundle, dist/cli-study.js (src/cli/study-commands.ts),
 * loaded only when one of them runs: `rgs extract` then starts without parsing the study
 * loader, the runner, Parquet and the analysis (about 2 MB of JavaScript, ~100 ms).
 */
function studyCommand(name: string): CliCommand {
  // Node's own require at run time: esbuild must not inline the module into this bundle.
  const mod = createRequire(__filename)(join(__dirname, 'cli-study.js')) as typeof import('./study-commands');
  return mod.STUDY_COMMANDS[name];
}

function commandNamed(name: string): CliCommand | undefined {
  if (name === 'extract') return { run: runExtract, help: EXTRACT_HELP };
  return (STUDY_COMMAND_NAMES as readonly string[]).includes(name) ? studyCommand(name) : undefined;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    const topic = cmd === 'help' ? rest[0] : undefined;
    if (topic !== undefined) {
      const c = commandNamed(topic);
      if (!c) throw new UsageError(`unknown command \`${topic}\`; commands: ${COMMAND_NAMES.join(', ')}`);
      process.stdout.write(c.help);
    } else process.stdout.write(HELP);
    return 0;
  }
  if (cmd === 'version' || cmd === '--version' || cmd === '-v') {
    process.stdout.write(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const command = commandNamed(cmd);
  if (!command) throw new UsageError(`unknown command \`${cmd}\`; commands: ${COMMAND_NAMES.join(', ')} (see rgs --help)`);
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
