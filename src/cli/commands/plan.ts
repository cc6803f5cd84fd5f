/** `rgs plan <study.yaml> --slurm|--k8s`: a cluster plan running a study as N shards, then a merge. */
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../usage-error';
import { parseCommandArgs } from '../parse-command-args';
import { loadStudy } from '../../engine/study/load';
import { defaultPlanOptions, kubernetesPlan, slurmPlan, type PlanOptions } from '../../engine/run/plan';
import { writeFileAtomic } from '../../engine/util/atomic-write';

export const PLAN_HELP = `Usage: rgs plan <study.yaml> (--slurm | --k8s) [options]

Writes a plan that runs the study on a cluster as N shards (\`rgs run --shard i/N\`, each into
<results>/shard-i) and then merges them into <results> (\`rgs merge\`).
  --slurm   a bash script: \`bash plan.sh\` submits a job array (#SBATCH --array=1-N) and a
            merge job that depends on it (afterok)
  --k8s     a Kubernetes Indexed Job (completionMode: Indexed; pod i runs shard
            JOB_COMPLETION_INDEX + 1) and a merge Job, with the kubectl commands to run them
Paths in the plan are relative to the plan's folder (Kubernetes: the root of the volume).

Options:
  --shards N         number of shards (default 4)
  --out FILE         write the plan there (default: standard output)
  --results DIR      results folder (default: results/<study id> next to the study file)
  --jobs N           worker threads per shard (default 4)
  --mem SIZE         memory per shard (default 8G)
  --time HH:MM:SS    Slurm time limit per shard (default 04:00:00)
  --rgs CMD          the rgs command on the cluster (default rgs)
  --image IMAGE      Kubernetes container image (default radiogenomics-studio:<version>)
  --pvc NAME         Kubernetes PersistentVolumeClaim with the data (default rgs-data)
  --mount PATH       where the volume is mounted in the pods (default /data)
  --parallelism N    Kubernetes: at most N shard pods at once (default: all)
`;

function wholeNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`plan: --${name} must be a whole number >= 1, got \`${text}\``);
  return n;
}

/** `path` relative to `from`, with / separators (the plan runs on Linux clusters). */
function rel(from: string, path: string): string {
  const r = relative(from, path);
  return (r === '' ? '.' : r).split(sep).join('/');
}

export function runPlan(argv: string[]): void {
  const parsed = parseCommandArgs('plan', argv, {
    slurm: { type: 'boolean' },
    k8s: { type: 'boolean' },
    shards: { type: 'string' },
    out: { type: 'string' },
    results: { type: 'string' },
    jobs: { type: 'string' },
    mem: { type: 'string' },
    time: { type: 'string' },
    rgs: { type: 'string' },
    image: { type: 'string' },
    pvc: { type: 'string' },
    mount: { type: 'string' },
    parallelism: { type: 'string' },
  });
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`plan needs one study file, got ${positionals.length} argument(s) (see rgs help plan)`);
  if (values.slurm === values.k8s) throw new UsageError('plan: give one of --slurm or --k8s');
  if (values.time !== undefined && !/^(\d+-)?\d{1,2}:\d{2}(:\d{2})?$/.test(values.time)) throw new UsageError(`plan: --time must look like 04:00:00 (or 1-00:00:00), got \`${values.time}\``);
  if (values.mem !== undefined && !/^\d+[KMGT]?$/i.test(values.mem)) throw new UsageError(`plan: --mem must look like 8G or 16000M, got \`${values.mem}\``);

  const study = loadStudy(resolve(positionals[0]));
  const planDir = values.out !== undefined ? dirname(resolve(values.out)) : process.cwd();
  const o: PlanOptions = defaultPlanOptions(rel(planDir, study.file), study.info.id);
  o.results = rel(planDir, resolve(values.results ?? join(dirname(study.file), 'results', study.info.id)));
  o.shards = wholeNumber('shards', values.shards) ?? o.shards;
  o.jobsPerShard = wholeNumber('jobs', values.jobs) ?? o.jobsPerShard;
  o.parallelism = wholeNumber('parallelism', values.parallelism);
  o.memory = values.mem ?? o.memory;
  o.time = values.time ?? o.time;
  o.rgs = values.rgs ?? o.rgs;
  o.image = values.image ?? o.image;
  o.pvc = values.pvc ?? o.pvc;
  o.mountPath = values.mount ?? o.mountPath;
  const text = values.slurm ? slurmPlan(o) : kubernetesPlan(o);
  if (values.out !== undefined) {
    writeFileAtomic(resolve(values.out), text);
    process.stderr.write(`rgs: wrote ${values.slurm ? 'the Slurm script' : 'the Kubernetes manifest'} ${values.out} (${o.shards} shards)\n`);
  } else process.stdout.write(text);
}
