/**
 * results.json: the analysis results as indented JSON. Deterministic by construction: keys in
 * the order the results were built (fixed by the code, not by timing), numbers as JavaScript's
 * shortest round-trip text, NaN and ±Infinity (undefined measures) as null, typed arrays as
 * arrays. No timestamps: the run's times and versions go to provenance.json.
 */
import type { AnalysisResults } from '../pipeline/results';

/** JSON text of any plain value with the conventions above; `undefined` members are left out. */
export function deterministicJson(value: unknown, indent = 2): string {
  const pad = (depth: number): string => (indent > 0 ? '\n' + ' '.repeat(depth * indent) : '');
  const sep = indent > 0 ? ': ' : ':';
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'number') return Number.isFinite(v) ? (Object.is(v, -0) ? '0' : JSON.stringify(v)) : 'null';
    if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
    if (ArrayBuffer.isView(v)) return write(Array.from(v as unknown as ArrayLike<number>), depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      // Arrays of numbers stay on one line: ROC curves and coefficient vectors are long.
      if (v.every((x) => typeof x === 'number' || x === null)) return `[${v.map((x) => write(x, depth + 1)).join(', ')}]`;
      return `[${v.map((x) => pad(depth + 1) + write(x, depth + 1)).join(',')}${pad(depth)}]`;
    }
    if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return '{}';
      return `{${entries.map(([k, x]) => `${pad(depth + 1)}${JSON.stringify(k)}${sep}${write(x, depth + 1)}`).join(',')}${pad(depth)}}`;
    }
    throw new TypeError(`results JSON: cannot encode a ${typeof v}`);
  };
  return write(value, 0) + '\n';
}

export function resultsJson(results: AnalysisResults): string {
  return deterministicJson(results);
}
