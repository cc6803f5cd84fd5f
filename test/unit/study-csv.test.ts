/**
 * The RFC 4180 CSV reader of the study loader: values, cell positions (line and column, for
 * problems shown at a manifest or clinical cell) and the syntax errors, each naming the file,
 * line and column.
 */
import { describe, expect, it } from 'vitest';
import { cellPosition, CsvSyntaxError, parseCsv, rowPosition } from '../../src/engine/study/csv';

function errorOf(text: string): CsvSyntaxError {
  try {
    parseCsv(text, 'tables/m.csv');
  } catch (e) {
    if (e instanceof CsvSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a CsvSyntaxError');
}

describe('parseCsv: values', () => {
  it('reads the header and the rows, with 1-based line numbers', () => {
    const t = parseCsv('id,age\nS1,61\nS2,38\n', 'm.csv');
    expect(t.columns).toEqual(['id', 'age']);
    expect(t.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, 'S1', '61'],
      [3, 'S2', '38'],
    ]);
  });

  it('quoted fields hold commas, doubled quotes and line breaks (RFC 4180 rules 5-7)', () => {
    const t = parseCsv('id,note\r\nS1,"a, b"\r\nS2,"say ""hi"""\r\nS3,"two\r\nlines"\r\nS4,x\r\n', 'm.csv');
    expect(t.rows.map((r) => r.cells[1])).toEqual(['a, b', 'say "hi"', 'two\r\nlines', 'x']);
    // The record after a two-line field starts on line 7 (header 1, S1 2, S2 3, S3 4-5, S4 6).
    expect(t.rows.map((r) => r.line)).toEqual([2, 3, 4, 6]);
  });

  it('accepts LF, CRLF and a missing final line break; skips a BOM and blank lines; trims unquoted cells', () => {
    const t = parseCsv('\uFEFFid , age\n\nS1,  61 \n   \r\nS2," 38 "', 'm.csv');
    expect(t.columns).toEqual(['id', 'age']);
    expect(t.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [3, 'S1', '61'],
      [5, 'S2', ' 38 '],
    ]);
  });

  it('keeps empty cells', () => {
    const t = parseCsv('a,b,c\n,,\nx,,z\n', 'm.csv');
    expect(t.rows.map((r) => r.cells)).toEqual([
      ['', '', ''],
      ['x', '', 'z'],
    ]);
  });
});

describe('parseCsv: positions', () => {
  it('every cell has its line and column span', () => {
    // Line 2 is `S1,  61 ,"q"`: S1 at columns 1-2, the comma at 3, two spaces, 61 at 6-7 (trimmed),
    // a space and a comma at 8-9, "q" from the quote at 10 to the closing quote at 12.
    const t = parseCsv('id,age,n\nS1,  61 ,"q"\n', 'm.csv');
    const row = t.rows[0];
    expect(cellPosition(row, 0)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 3 });
    expect(cellPosition(row, 1)).toEqual({ line: 2, column: 6, endLine: 2, endColumn: 8 });
    expect(cellPosition(row, 2)).toEqual({ line: 2, column: 10, endLine: 2, endColumn: 13 });
    expect(rowPosition(row)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 13 });
  });

  it('a cell after a multi-line field is on the right line and column', () => {
    // Line 2: `S1,"a` ; line 3: `b",c`: the quoted cell ends after `b"` (column 3), c is at column 4.
    const t = parseCsv('id,n,m\nS1,"a\nb",c\n', 'm.csv');
    const row = t.rows[0];
    expect(cellPosition(row, 1)).toEqual({ line: 2, column: 4, endLine: 3, endColumn: 3 });
    expect(cellPosition(row, 2)).toEqual({ line: 3, column: 4, endLine: 3, endColumn: 5 });
  });

  it('columns are counted from the line start, not from the BOM', () => {
    const t = parseCsv('\uFEFFid\nS1\n', 'm.csv');
    expect(cellPosition(t.rows[0], 0)).toEqual({ line: 2, column: 1, endLine: 2, endColumn: 3 });
  });
});

describe('parseCsv: errors name the file, line and column', () => {
  it('an unterminated quote, at the quote that opens it', () => {
    const e = errorOf('id,n\nS1,ok\nS2,"never closed\nS3,x\n');
    expect(e.message).toBe('tables/m.csv:3:4: unterminated quoted field (a `"` opens it here and none closes it)');
    expect([e.line, e.column]).toEqual([3, 4]);
    expect(e.what).toBe('unterminated quoted field (a `"` opens it here and none closes it)');
  });

  it('a quote inside an unquoted field', () => {
    expect(errorOf('id,n\nS1,ab"c\n').message).toBe(
      'tables/m.csv:2:6: a `"` inside an unquoted field; quote the whole field and double the quote inside ("a ""b"" c")',
    );
  });

  it('text after a closing quote', () => {
    expect(errorOf('id,n\nS1,"ab"c\n').message).toBe('tables/m.csv:2:8: unexpected text after a closing quote (a quoted field must end at the `"`)');
  });

  it('a record with a different number of fields than the header', () => {
    expect(errorOf('id,a,b\nS1,1,2\nS2,1\n').message).toBe('tables/m.csv:3:1: 2 fields, but the header has 3 columns');
    expect(errorOf('id,a\nS1,1,2\n').message).toBe('tables/m.csv:2:1: 3 fields, but the header has 2 columns');
  });

  it('header problems: empty, unnamed column, duplicate column, semicolons', () => {
    expect(errorOf('').message).toBe('tables/m.csv:1:1: empty file: expected a header row naming the columns');
    expect(errorOf('\n\n').message).toBe('tables/m.csv:1:1: empty file: expected a header row naming the columns');
    expect(errorOf('id,,b\n').message).toBe('tables/m.csv:1:4: column 2 of the header has no name');
    expect(errorOf('id,age,id\n').message).toBe('tables/m.csv:1:8: column `id` appears twice in the header (columns 1 and 3)');
    expect(errorOf('id;age\nS1;3\n').message).toBe(
      'tables/m.csv:1:1: the header has no commas but semicolons: save the table as comma-separated values (CSV, RFC 4180)',
    );
  });

  it('is an RgsError (a user error, printed on one line)', () => {
    const e = errorOf('id,n\nS1,"x\n');
    expect(e.name).toBe('CsvSyntaxError');
    expect(e.file).toBe('tables/m.csv');
  });
});
