/**
 * The options and positionals of one `rgs` subcommand (node:util parseArgs, strict), with a
 * parse error turned into a UsageError prefixed with the command: exit code 2, one line.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message}`);
  }
}
