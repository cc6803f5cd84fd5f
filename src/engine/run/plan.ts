/**
 * `rgs plan`: a cluster plan for a study split into N shards (shard.ts), each run by
 * `rgs run --shard i/N --out <results>/shard-i`, then one `rgs merge` of all shards into
 * <results> (byte-identical to a whole run).
 *
 * - Slurm: one bash script. Submitted with `bash plan.sh` it submits itself as a job array
 *   (#SBATCH --array=1-N) and then the merge job with --dependency=afterok:<array job>; run by
 *   Slurm as an array task (SLURM_ARRAY_TASK_ID set) it runs its shard.
 * - Kubernetes: two Jobs in one YAML stream: an Indexed Job (completionMode: Indexed,
 *   completions N) whose pod i runs shard JOB_COMPLETION_INDEX + 1, and the merge Job. Kubernetes
 *   has no dependency between Jobs, so the merge Job is labelled apart and applied once the
 *   shards are complete (the header comment gives the three kubectl commands).
 *
 * Paths in the plan are relative to the folder the plan is written to (Slurm: the submit
 * folder) or to the mounted volume (Kubernetes), so a plan works on a cluster whose file system
 * differs from the machine that wrote it. The cache folder is shared by all shards.
 */
import { posix } from 'node:path';
import { stringify } from 'yaml';
import { RgsError } from '../util/errors';
import { ENGINE_VERSION } from '../version';

export interface PlanOptions {
  /** Study file path as the cluster sees it (relative to the plan's folder / the volume). */
  study: string;
  /** Study id (job names). */
  studyId: string;
  shards: number;
  /** Results folder (relative, as `study`); shard i writes <results>/shard-i. */
  results: string;
  /** Worker threads per shard (Slurm: --cpus-per-task; Kubernetes: the CPU request). */
  jobsPerShard: number;
  /** Memory per shard, e.g. "8G". */
  memory: string;
  /** Wall-time limit per shard (Slurm), e.g. "04:00:00". */
  time: string;
  /** The rgs command on the cluster (e.g. "rgs" or "npx rgs"). */
  rgs: string;
  /** Kubernetes: container image and the PersistentVolumeClaim holding the data. */
  image: string;
  pvc: string;
  /** Kubernetes: where the volume is mounted; paths are relative to it. */
  mountPath: string;
  /** Kubernetes: at most this many shard pods at once (default: all). */
  parallelism?: number;
}

export function defaultPlanOptions(study: string, studyId: string): PlanOptions {
  return {
    study,
    studyId,
    shards: 4,
    results: posix.join('results', studyId),
    jobsPerShard: 4,
    memory: '8G',
    time: '04:00:00',
    rgs: 'rgs',
    image: `radiogenomics-studio:${ENGINE_VERSION}`,
    pvc: 'rgs-data',
    mountPath: '/data',
  };
}

/** A DNS-1123 name for Kubernetes objects and Slurm job names. */
export function jobName(studyId: string): string {
  const s = studyId
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `rgs-${s === '' ? 'study' : s}`;
}

/** Quote for POSIX sh when needed. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function checkOptions(o: PlanOptions): void {
  if (!Number.isInteger(o.shards) || o.shards < 1) throw new RgsError(`--shards must be a whole number >= 1, got ${o.shards}`, { field: 'shards' });
  if (!Number.isInteger(o.jobsPerShard) || o.jobsPerShard < 1) throw new RgsError(`--jobs must be a whole number >= 1, got ${o.jobsPerShard}`, { field: 'jobs' });
  if (o.parallelism !== undefined && (!Number.isInteger(o.parallelism) || o.parallelism < 1)) {
    throw new RgsError(`--parallelism must be a whole number >= 1, got ${o.parallelism}`, { field: 'parallelism' });
  }
}

function shardDirs(o: PlanOptions): string[] {
  return Array.from({ length: o.shards }, (_, i) => posix.join(o.results, `shard-${i + 1}`));
}

export function slurmPlan(o: PlanOptions): string {
  checkOptions(o);
  const name = jobName(o.studyId);
  const q = shQuote;
  const merge = `${o.rgs} merge ${shardDirs(o).map(q).join(' ')} --out ${q(o.results)}`;
  return `#!/bin/bash
# Slurm plan for study ${o.studyId}: ${o.shards} shard${o.shards === 1 ? '' : 's'} as a job array, then a merge job.
# Written by rgs ${ENGINE_VERSION} (rgs plan --slurm). Submit from this folder with:
#   bash ${'$'}(basename "$0")      # submits the array, then the merge that waits for it (afterok)
# Outputs: ${o.results}/shard-<i>/ per shard, merged into ${o.results}/.
#SBATCH --job-name=${name}
#SBATCH --array=1-${o.shards}
#SBATCH --cpus-per-task=${o.jobsPerShard}
#SBATCH --mem=${o.memory}
#SBATCH --time=${o.time}
#SBATCH --output=${o.results}/logs/shard-%a.log
set -euo pipefail

SHARDS=${o.shards}

if [ -z "\${SLURM_ARRAY_TASK_ID:-}" ]; then
  # Not inside Slurm: submit the array from this script's folder, then the dependent merge.
  cd "$(dirname "$0")"
  mkdir -p ${q(o.results)}/logs
  array_job=$(sbatch --parsable "$0")
  array_job=\${array_job%%;*}
  merge_job=$(sbatch --parsable --job-name=${name}-merge --dependency=afterok:\${array_job} \\
    --cpus-per-task=1 --mem=${o.memory} --time=01:00:00 --output=${o.results}/logs/merge.log \\
    --wrap=${q(merge)})
  echo "submitted shard array \${array_job} (${o.shards} task${o.shards === 1 ? '' : 's'}) and merge job \${merge_job%%;*}"
  exit 0
fi

# One array task: shard SLURM_ARRAY_TASK_ID of SHARDS.
cd "\${SLURM_SUBMIT_DIR:-.}"
exec ${o.rgs} run ${q(o.study)} --shard "\${SLURM_ARRAY_TASK_ID}/\${SHARDS}" \\
  --out "${o.results}/shard-\${SLURM_ARRAY_TASK_ID}" --jobs "\${SLURM_CPUS_PER_TASK:-${o.jobsPerShard}}" --progress json
`;
}

function k8sMemory(m: string): string {
  // Slurm's 8G is Kubernetes' 8Gi.
  const x = /^(\d+)([KMGT])$/i.exec(m);
  return x ? `${x[1]}${x[2].toUpperCase()}i` : m;
}

export function kubernetesPlan(o: PlanOptions): string {
  checkOptions(o);
  const name = jobName(o.studyId);
  const q = shQuote;
  const shardExpr = '$((JOB_COMPLETION_INDEX + 1))';
  const runCmd = `${o.rgs} run ${q(o.study)} --shard ${shardExpr}/${o.shards} --out ${q(o.results)}/shard-${shardExpr} --jobs ${o.jobsPerShard} --progress json`;
  const mergeCmd = `${o.rgs} merge ${shardDirs(o).map(q).join(' ')} --out ${q(o.results)}`;
  const volume = { name: 'data', persistentVolumeClaim: { claimName: o.pvc } };
  const mount = { name: 'data', mountPath: o.mountPath };
  const resources = (cpu: number) => ({ requests: { cpu: String(cpu), memory: k8sMemory(o.memory) }, limits: { memory: k8sMemory(o.memory) } });
  const container = (cname: string, command: string, cpu: number) => ({
    name: cname,
    image: o.image,
    workingDir: o.mountPath,
    command: ['/bin/sh', '-c', command],
    resources: resources(cpu),
    volumeMounts: [mount],
  });
  const shardsJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${name}-shards`, labels: { app: 'radiogenomics-studio', 'rgs/study': name.slice(4), 'rgs/step': 'shards' } },
    spec: {
      completionMode: 'Indexed',
      completions: o.shards,
      parallelism: Math.min(o.parallelism ?? o.shards, o.shards),
      backoffLimit: 2 * o.shards,
      template: {
        metadata: { labels: { app: 'radiogenomics-studio', 'rgs/step': 'shards' } },
        spec: { restartPolicy: 'Never', containers: [container('shard', runCmd, o.jobsPerShard)], volumes: [volume] },
      },
    },
  };
  const mergeJob = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `${name}-merge`, labels: { app: 'radiogenomics-studio', 'rgs/study': name.slice(4), 'rgs/step': 'merge' } },
    spec: {
      completions: 1,
      backoffLimit: 1,
      template: {
        metadata: { labels: { app: 'radiogenomics-studio', 'rgs/step': 'merge' } },
        spec: { restartPolicy: 'Never', containers: [container('merge', mergeCmd, 1)], volumes: [volume] },
      },
    },
  };
  const header = [
    `# Kubernetes plan for study ${o.studyId}: an Indexed Job of ${o.shards} shard${o.shards === 1 ? '' : 's'}, then a merge Job.`,
    `# Written by rgs ${ENGINE_VERSION} (rgs plan --k8s). Paths are relative to ${o.mountPath}, the volume ${o.pvc}.`,
    `# Kubernetes does not order Jobs, so apply the merge once the shards are complete:`,
    `#   kubectl apply -f PLAN.yaml -l rgs/step=shards`,
    `#   kubectl wait --for=condition=complete --timeout=24h job/${name}-shards`,
    `#   kubectl apply -f PLAN.yaml -l rgs/step=merge`,
  ].join('\n');
  return `${header}\n---\n${stringify(shardsJob, { lineWidth: 0 })}---\n${stringify(mergeJob, { lineWidth: 0 })}`;
}
