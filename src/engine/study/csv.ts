/**
 * An RFC 4180 CSV reader that keeps where every cell is (line and column), so that a problem in
 * a manifest or clinical table can be shown at the offending cell.
 *
 * RFC 4180: comma-separated fields, records ended by CRLF (LF and CR alone are accepted too), a
 * header record first, fields in double quotes may hold commas, line breaks and doubled quotes
 * (""). Deliberate leniencies, common in hand-edited tables: a UTF-8 byte order mark is skipped,
 * blank lines are skipped, and spaces around unquoted fields are trimmed. Anything else that is
 * not RFC 4180 (a quote inside an unquoted field, text after a closing quote, a record with a
 * different number of fields than the header) is an error naming the file and line: guessing
 * would silently shift columns.
 */
import { RgsError } from '../util/errors';

/** A syntax error in a CSV file; `message` is "file:line:column: what". */
export class CsvSyntaxError extends RgsError {
  constructor(
    readonly csvFile: string,
    readonly line: number,
    readonly column: number,
    /** The problem without the position, e.g. "unterminated quoted field". */
    readonly what: string,
  ) {
    super(`${csvFile}:${line}:${column}: ${what}`, { file: csvFile });
    this.name = 'CsvSyntaxError';
  }
}

/** Where a cell is in its file: 1-based line and column of its first character, end exclusive. */
export interface CellPosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface CsvRow {
  /** 1-based line the record starts on. */
  line: number;
  /** Cell texts, one per header column (unquoted, trimmed when they were not quoted). */
  cells: string[];
  /** Per cell: line, column, end line, end column (4 numbers per cell, flat). */
  positions: Int32Array;
}

export interface CsvTable {
  file: string;
  /** Header names, trimmed. */
  columns: string[];
  /** Data records, in file order. */
  rows: CsvRow[];
}

/** The index of `name` among the table's columns, or -1. */
export function columnIndex(table: CsvTable, name: string): number {
  return table.columns.indexOf(name);
}

export function cellPosition(row: CsvRow, cell: number): CellPosition {
  const p = row.positions;
  return { line: p[4 * cell], column: p[4 * cell + 1], endLine: p[4 * cell + 2], endColumn: p[4 * cell + 3] };
}

/** The position of a whole record: from its first cell to its last. */
export function rowPosition(row: CsvRow): CellPosition {
  const p = row.positions;
  const last = p.length / 4 - 1;
  return { line: p[0], column: p[1], endLine: p[4 * last + 2], endColumn: p[4 * last + 3] };
}

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** Parses CSV text; throws CsvSyntaxError. `file` names it in messages. */
export function parseCsv(text: string, file: string): CsvTable {
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  // Offset of the current line's first character (columns are counted from it, BOM excluded).
  let lineStart = pos;
  const records: { line: number; cells: string[]; positions: number[] }[] = [];
  const fail = (l: number, c: number, what: string): never => {
    throw new CsvSyntaxError(file, l, c, what);
  };

  while (pos < n) {
    // A blank line (only spaces or tabs) is skipped.
    let q = pos;
    while (q < n && isBlank(text.charCodeAt(q))) q++;
    if (q >= n || text.charCodeAt(q) === LF || text.charCodeAt(q) === CR) {
      if (q >= n) break;
      pos = q + (text.charCodeAt(q) === CR && text.charCodeAt(q + 1) === LF ? 2 : 1);
      line++;
      lineStart = pos;
      continue;
    }
    const record = { line, cells: [] as string[], positions: [] as number[] };
    for (;;) {
      // One field, starting at pos.
      let s = pos;
      while (s < n && isBlank(text.charCodeAt(s))) s++;
      if (s < n && text.charCodeAt(s) === QUOTE) {
        const startLine = line;
        const startColumn = s - lineStart + 1;
        let value = '';
        let p = s + 1;
        for (;;) {
          const close = text.indexOf('"', p);
          if (close < 0) fail(startLine, startColumn, 'unterminated quoted field (a `"` opens it here and none closes it)');
          // Count the line breaks inside the quotes, for the positions of what follows.
          for (let i = p; i < close; i++) {
            const c = text.charCodeAt(i);
            if (c === LF || (c === CR && text.charCodeAt(i + 1) !== LF)) {
              line++;
              lineStart = i + 1;
            }
          }
          value += text.slice(p, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            p = close + 2;
            continue;
          }
          p = close + 1;
          break;
        }
        const endLine = line;
        const endColumn = p - lineStart + 1;
        while (p < n && isBlank(text.charCodeAt(p))) p++;
        const c = p < n ? text.charCodeAt(p) : -1;
        if (c !== -1 && c !== COMMA && c !== LF && c !== CR) {
          fail(line, p - lineStart + 1, 'unexpected text after a closing quote (a quoted field must end at the `"`)');
        }
        record.cells.push(value);
        record.positions.push(startLine, startColumn, endLine, endColumn);
        pos = p;
      } else {
        let p = s;
        while (p < n) {
          const c = text.charCodeAt(p);
          if (c === COMMA || c === LF || c === CR) break;
          if (c === QUOTE) {
            fail(line, p - lineStart + 1, 'a `"` inside an unquoted field; quote the whole field and double the quote inside ("a ""b"" c")');
          }
          p++;
        }
        let e = p;
        while (e > s && isBlank(text.charCodeAt(e - 1))) e--;
        record.cells.push(text.slice(s, e));
        record.positions.push(line, s - lineStart + 1, line, e - lineStart + 1);
        pos = p;
      }
      if (pos < n && text.charCodeAt(pos) === COMMA) {
        pos++;
        continue;
      }
      // End of the record.
      if (pos < n) {
        pos += text.charCodeAt(pos) === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
        line++;
        lineStart = pos;
      }
      break;
    }
    records.push(record);
  }

  if (records.length === 0) fail(1, 1, 'empty file: expected a header row naming the columns');
  const header = records[0];
  if (header.cells.length === 1 && /[;\t]/.test(header.cells[0])) {
    const sep = header.cells[0].includes(';') ? 'semicolons' : 'tabs';
    fail(1, 1, `the header has no commas but ${sep}: save the table as comma-separated values (CSV, RFC 4180)`);
  }
  const columns = header.cells.map((c) => c.trim());
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    if (name === '') fail(header.positions[4 * i], header.positions[4 * i + 1], `column ${i + 1} of the header has no name`);
    const first = seen.get(name);
    if (first !== undefined) fail(header.positions[4 * i], header.positions[4 * i + 1], `column \`${name}\` appears twice in the header (columns ${first + 1} and ${i + 1})`);
    seen.set(name, i);
  });
  const rows: CsvRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const rec = records[r];
    if (rec.cells.length !== columns.length) {
      fail(
        rec.line,
        1,
        `${rec.cells.length} field${rec.cells.length === 1 ? '' : 's'}, but the header has ${columns.length} column${columns.length === 1 ? '' : 's'}`,
      );
    }
    rows.push({ line: rec.line, cells: rec.cells, positions: Int32Array.from(rec.positions) });
  }
  return { file, columns, rows };
}
