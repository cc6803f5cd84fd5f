/** `rgs merge <dir>... --out DIR`: join shard outputs of `rgs run --shard` into one run's outputs. */
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { mergeRuns } from '../../engine/run/merge';

export const MERGE_HELP = `Usage: rgs merge <dir1> <dir2> ... --out DIR

Joins the output folders of \`rgs run --shard i/N\` into the outputs of one whole run:
features.csv and features.parquet byte for byte as a whole run writes them, status.csv (its
seconds column is a measurement), and a provenance.json listing the shards. Refuses folders
from another study file or other settings, a subject in two shards, and a missing or
repeated shard. Writes atomically.

Options:
  --out DIR          output folder (required)
`;

export async function runMerge(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('merge', argv, { out: { type: 'string' } });
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError('merge needs the output folders of the shards (see rgs help merge)');
  if (values.out === undefined) throw new UsageError('merge: --out DIR is required');
  const r = await mergeRuns(positionals, values.out);
  process.stderr.write(`rgs: merged ${r.parts} folder${r.parts === 1 ? '' : 's'} (${r.subjects} subjects) into ${r.outDir}\n`);
}
