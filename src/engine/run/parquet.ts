/**
 * features.parquet: the feature table as Apache Parquet, for pandas / R arrow / DuckDB users.
 *
 * Built with arquero (table -> Arrow IPC stream; the Arrow types are given explicitly, so a
 * column's type never depends on its values: `subject_id` utf8, every feature float64, nullable)
 * and written by parquet-wasm (the Rust `parquet` crate compiled to WebAssembly): one row group,
 * plain-encoded Snappy pages, min/max statistics per column chunk. The writer stores no timestamp, so equal tables give equal
 * bytes. parquet-wasm compiles a 5 MB WebAssembly module when first loaded, so it is loaded on
 * first use only (not by every `rgs` command); the esbuild bundle needs
 * parquet_wasm_bg.wasm next to it (scripts/build.mjs copies it into dist/).
 */
import * as aq from 'arquero';
import { float64, utf8, type DataType } from '@uwdata/flechette';
import { tableColumns, type CohortTable } from './outputs';

type ParquetWasm = typeof import('parquet-wasm/node');

let loaded: ParquetWasm | null = null;

async function parquetWasm(): Promise<ParquetWasm> {
  if (loaded === null) {
    const mod = (await import('parquet-wasm/node')) as ParquetWasm & { default?: ParquetWasm };
    loaded = typeof mod.writeParquet === 'function' ? mod : (mod.default as ParquetWasm);
  }
  return loaded;
}

/** The cohort table as an Arrow IPC stream (typed columns, nulls for missing values). */
export function featuresArrowIpc(t: CohortTable): Uint8Array {
  const columns = tableColumns(t);
  const data: Record<string, (string | number | null)[]> = { subject_id: [...t.subjects] };
  const types: Record<string, DataType> = { subject_id: utf8() };
  columns.forEach((c, i) => {
    data[c] = t.rows.map((row) => (Number.isFinite(row[i]) ? row[i] : null));
    types[c] = float64();
  });
  return aq.toArrowIPC(aq.table(data), { format: 'stream', types });
}

export async function featuresParquet(t: CohortTable): Promise<Uint8Array> {
  const pw = await parquetWasm();
  const table = pw.Table.fromIPCStream(featuresArrowIpc(t));
  // No dictionary pages: feature values are nearly all distinct, and with thousands of columns
  // dictionary encoding makes the writer ~100x slower (7 s instead of 60 ms for 4,300 columns).
  // Statistics per column chunk (min/max, null count) let readers skip columns they filter on.
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(pw.Compression.SNAPPY)
    .setDictionaryEnabled(false)
    .setStatisticsEnabled(pw.EnabledStatistics.Chunk)
    .build();
  // writeParquet consumes (frees) the table and the properties.
  return pw.writeParquet(table, props);
}

/** A Parquet file read back as columns (name -> values, null for nulls); for tests and checks. */
export async function readParquetColumns(bytes: Uint8Array): Promise<{ names: string[]; columns: Map<string, (string | number | null)[]> }> {
  const pw = await parquetWasm();
  const table = pw.readParquet(bytes);
  const ipc = table.intoIPCStream();
  const t = aq.fromArrow(ipc);
  const names = t.columnNames();
  const columns = new Map<string, (string | number | null)[]>();
  for (const n of names) columns.set(n, t.array(n) as unknown as (string | number | null)[]);
  return { names, columns };
}
