/** One `rgs` subcommand: what it runs and its help text. */
export interface CliCommand {
  run: (argv: string[]) => Promise<void> | void;
  help: string;
}
