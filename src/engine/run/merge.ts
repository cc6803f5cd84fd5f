/**
 * `rgs merge`: joins the outputs of shard runs into the outputs of one whole run, byte for byte
 * (features.csv and features.parquet; status.csv up to its `seconds` column, which is a
 * measurement). Refuses shards that do not belong together: another study file (SHA-256),
 * other settings, ROIs or engine version, a subject in two shards, a shard missing or given
 * twice, or a shard whose subjects are not its round-robin share of the union.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RgsError } from '../util/errors';
import { canonicalJson } from './hashing';
import { FEATURES_CSV, readFeaturesCsv, sortGroups, tableColumns, type CohortTable, type ColumnGroup, type StatusRow } from './outputs';
import { PROVENANCE_FORMAT, readProvenance, type MergedPart, type ProvenanceTask, type RunProvenance } from './provenance';
import { formatShard, selectShare } from './shard';
import { compareIds } from './tasks';
import { writeRunOutputs } from './runner';

export interface MergeSummary {
  outDir: string;
  subjects: number;
  parts: number;
}

interface Part {
  dir: string;
  prov: RunProvenance;
  columns: string[];
  rows: Float64Array[];
}

function readPart(dir: string): Part {
  const prov = readProvenance(dir);
  const file = join(dir, FEATURES_CSV);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new RgsError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { file, cause: err });
  }
  const { columns, subjects, rows } = readFeaturesCsv(text, file);
  const expected = tableColumns({ groups: prov.columns });
  if (columns.length !== expected.length || columns.some((c, i) => c !== expected[i])) {
    throw new RgsError(`${file}: its columns do not match ${join(dir, 'provenance.json')} (edited by hand?)`, { file });
  }
  if (subjects.length !== prov.subjects.length || subjects.some((s, i) => s !== prov.subjects[i])) {
    throw new RgsError(`${file}: its subjects do not match ${join(dir, 'provenance.json')} (edited by hand?)`, { file });
  }
  return { dir, prov, columns, rows };
}

function checkSameRun(parts: readonly Part[]): void {
  const [first, ...rest] = parts;
  for (const p of rest) {
    const differ = (what: string, a: string, b: string) =>
      new RgsError(`${p.dir} and ${first.dir} come from different ${what} (${b} vs ${a}); only shards of one run can be merged`);
    if (p.prov.study.sha256 !== first.prov.study.sha256) throw differ('study files', first.prov.study.sha256.slice(0, 12), p.prov.study.sha256.slice(0, 12));
    if (p.prov.engine.version !== first.prov.engine.version) throw differ('engine versions', first.prov.engine.version, p.prov.engine.version);
    if (canonicalJson(p.prov.sequences) !== canonicalJson(first.prov.sequences)) throw differ('settings', 'see the sequences in provenance.json', 'they differ');
    if (canonicalJson(p.prov.rois) !== canonicalJson(first.prov.rois)) throw differ('ROI definitions', 'see the rois in provenance.json', 'they differ');
  }
}

function checkShards(parts: readonly Part[], union: readonly string[]): void {
  const sharded = parts.filter((p) => p.prov.shard !== null);
  if (sharded.length === 0) return;
  if (sharded.length !== parts.length) {
    const whole = parts.find((p) => p.prov.shard === null) as Part;
    throw new RgsError(`${whole.dir} is a whole run, the others are shards; merge the shards of one run only`);
  }
  const count = (parts[0].prov.shard as { count: number }).count;
  const seen = new Map<number, string>();
  for (const p of parts) {
    const s = p.prov.shard as { index: number; count: number };
    if (s.count !== count) throw new RgsError(`${p.dir} is shard ${formatShard(s)} but ${parts[0].dir} is one of ${count} shards`);
    const other = seen.get(s.index);
    if (other !== undefined) throw new RgsError(`shard ${formatShard(s)} is given twice (${other} and ${p.dir})`);
    seen.set(s.index, p.dir);
  }
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!seen.has(i)) missing.push(i);
  if (missing.length > 0) {
    throw new RgsError(`shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: all ${count} shards are needed`);
  }
  // Each shard must hold exactly its round-robin share of the union (same manifest everywhere).
  const ids = union.map((id) => ({ id }));
  for (const p of parts) {
    const share = selectShare(ids, p.prov.shard).map((x) => x.id);
    const got = p.prov.subjects;
    if (share.length !== got.length || share.some((s, i) => s !== got[i])) {
      throw new RgsError(`${p.dir}: shard ${formatShard(p.prov.shard as { index: number; count: number })} does not hold its share of the merged subjects (were the shards run on different manifests?)`);
    }
  }
}

function mergeGroups(parts: readonly Part[]): ColumnGroup[] {
  const groups = new Map<string, { group: ColumnGroup; dir: string }>();
  for (const p of parts) {
    for (const g of p.prov.columns) {
      const id = `${g.sequence}\u0000${g.roi}`;
      const have = groups.get(id);
      if (!have) groups.set(id, { group: { sequence: g.sequence, roi: g.roi, features: [...g.features] }, dir: p.dir });
      else if (canonicalJson(have.group.features) !== canonicalJson(g.features)) {
        throw new RgsError(`${p.dir} and ${have.dir} have different feature columns for ${g.sequence} ${g.roi}`);
      }
    }
  }
  const first = parts[0].prov;
  return sortGroups(
    [...groups.values()].map((x) => x.group),
    first.sequences.map((s) => s.name),
    first.rois.map((r) => r.name),
  );
}

export async function mergeRuns(dirs: readonly string[], outDir: string): Promise<MergeSummary> {
  if (dirs.length === 0) throw new RgsError('merge needs at least one output folder of `rgs run`');
  const abs = dirs.map((d) => resolve(d));
  const dup = abs.find((d, i) => abs.indexOf(d) !== i);
  if (dup !== undefined) throw new RgsError(`${dup} is given twice`);
  const parts = abs.map(readPart);
  checkSameRun(parts);

  const owner = new Map<string, string>();
  for (const p of parts) {
    for (const s of p.prov.subjects) {
      const other = owner.get(s);
      if (other !== undefined) throw new RgsError(`subject ${s} is in both ${other} and ${p.dir}`);
      owner.set(s, p.dir);
    }
  }
  const subjects = [...owner.keys()].sort(compareIds);
  checkShards(parts, subjects);

  // Each shard's columns are a subset of the merged ones (a group no subject of a shard has is
  // absent from it): copy each row's values to their merged positions.
  const groups = mergeGroups(parts);
  const merged = tableColumns({ groups });
  const index = new Map(merged.map((c, i) => [c, i]));
  const rowOf = new Map<string, Float64Array>();
  for (const p of parts) {
    const to = p.columns.map((c) => index.get(c) as number);
    p.prov.subjects.forEach((s, r) => {
      const src = p.rows[r];
      const row = new Float64Array(merged.length).fill(Number.NaN);
      for (let i = 0; i < to.length; i++) row[to[i]] = src[i];
      rowOf.set(s, row);
    });
  }
  const table: CohortTable = { subjects, groups, rows: subjects.map((s) => rowOf.get(s) as Float64Array) };

  const first = parts[0].prov;
  const tasks: ProvenanceTask[] = parts.flatMap((p) => p.prov.tasks);
  const sequences = first.sequences.map((s) => s.name);
  const seqIndex = (name: string) => sequences.indexOf(name);
  tasks.sort((a, b) => compareIds(a.subject, b.subject) || seqIndex(a.sequence) - seqIndex(b.sequence));
  const status: StatusRow[] = tasks.map((t) => ({ subject: t.subject, sequence: t.sequence, status: t.status, message: t.message, seconds: t.seconds }));

  const inputs: Record<string, string> = {};
  const allInputs = parts.flatMap((p) => Object.entries(p.prov.inputs)).sort(([a], [b]) => compareIds(a, b));
  for (const [path, sha] of allInputs) inputs[path] = sha;
  const byStart = [...parts].sort((a, b) => compareIds(a.prov.started, b.prov.started));
  const mergedFrom: MergedPart[] = parts.map((p) => ({
    dir: p.dir,
    shard: p.prov.shard,
    started: p.prov.started,
    ended: p.prov.ended,
    jobs: p.prov.jobs,
    subjects: p.prov.subjects.length,
  }));
  const provenance: RunProvenance = {
    format: PROVENANCE_FORMAT,
    engine: first.engine,
    node: first.node,
    study: first.study,
    sequences: first.sequences,
    rois: first.rois,
    subjects,
    shard: null,
    jobs: Math.max(...parts.map((p) => p.prov.jobs)),
    cache: first.cache,
    started: byStart[0].prov.started,
    ended: [...parts].map((p) => p.prov.ended).sort(compareIds)[parts.length - 1],
    columns: table.groups,
    inputs,
    tasks,
    merged_from: mergedFrom,
  };
  await writeRunOutputs(resolve(outDir), table, status, sequences, provenance);
  return { outDir: resolve(outDir), subjects: subjects.length, parts: parts.length };
}
