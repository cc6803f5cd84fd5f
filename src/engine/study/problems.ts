/**
 * Collecting the problems of a study: those in the study file come with offset ranges (from
 * the YAML nodes) and are turned into 1-based lines and columns here; those in the files it
 * names (a manifest line, a clinical cell) come with their positions already.
 */
import type { LineCounter } from 'yaml';
import type { SchemaProblem, SourceRange } from '../schema/validate-yaml';
import type { CellPosition } from './csv';
import type { StudyProblem } from './types';

export type Severity = StudyProblem['severity'];

export class ProblemSink {
  readonly problems: StudyProblem[] = [];
  private readonly seen = new Set<string>();

  constructor(
    /** The study file, as given (problems in it are reported under this name). */
    readonly file: string,
    private readonly lineCounter: LineCounter,
  ) {}

  /** A problem in the study file at `range` (offsets). */
  study(range: SourceRange, severity: Severity, message: string, path: string, code?: string, data?: unknown): void {
    const start = this.position(range[0]);
    const end = this.position(Math.max(range[0], range[1]));
    this.add({
      file: this.file,
      line: start.line,
      column: start.col,
      endLine: end.line,
      endColumn: end.col,
      severity,
      message,
      path,
      ...(code === undefined ? {} : { code }),
      ...(data === undefined ? {} : { data }),
    });
  }

  /** A problem reported by the schema validator or the settings checks. */
  schema(p: SchemaProblem, code: string): void {
    const fix = p.fix;
    if (fix !== undefined) this.study(p.range, p.severity, p.message, p.path, 'unknown-key', { replacement: fix.replacement });
    else this.study(p.range, p.severity, p.message, p.path, code);
  }

  /** A problem in another file (a manifest or clinical table) at a cell or line. */
  other(file: string, at: CellPosition, severity: Severity, message: string, code: string, data?: unknown): void {
    this.add({
      file,
      line: at.line,
      column: at.column,
      endLine: at.endLine,
      endColumn: at.endColumn,
      severity,
      message,
      path: '',
      code,
      ...(data === undefined ? {} : { data }),
    });
  }

  get errorCount(): number {
    let n = 0;
    for (const p of this.problems) if (p.severity === 'error') n++;
    return n;
  }

  /** The problems: the study file's first, in source order, then each other file's by line. */
  sorted(): StudyProblem[] {
    return [...this.problems].sort((a, b) => {
      const fa = a.file === this.file ? 0 : 1;
      const fb = b.file === this.file ? 0 : 1;
      if (fa !== fb) return fa - fb;
      if (a.file !== b.file) return a.file < b.file ? -1 : 1;
      return a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn;
    });
  }

  private add(p: StudyProblem): void {
    // The same problem found twice (e.g. by two checks of one node) is reported once.
    const key = `${p.file}\0${p.line}:${p.column}:${p.endLine}:${p.endColumn}\0${p.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push(p);
  }

  private position(offset: number): { line: number; col: number } {
    const pos = this.lineCounter.linePos(offset);
    // linePos reports line 0 before the first recorded line start.
    return pos.line === 0 ? { line: 1, col: offset + 1 } : pos;
  }
}

/** "study.yaml:3:5 error cohort.sequences.T1.column: …" */
export function formatProblem(p: StudyProblem, displayPath: (file: string) => string = (f) => f): string {
  return `${displayPath(p.file)}:${p.line}:${p.column} ${p.severity} ${p.message}`;
}
