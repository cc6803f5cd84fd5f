/**
 * Errors a user can act on. The CLI prints `message` on one line, without a stack trace, and
 * exits non-zero; anything else that escapes is a bug and is reported as one.
 */
/** Marks RgsErrors across bundles: `rgs` loads its study commands from a second bundle with
 *  its own copy of this class, so `instanceof` checks a registered symbol, not the prototype. */
const RGS_ERROR = Symbol.for('radiogenomics.RgsError');

export class RgsError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    // Subclasses (e.g. CsvSyntaxError) keep the ordinary prototype check.
    if (this !== RgsError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[RGS_ERROR] === true;
  }

  readonly [RGS_ERROR] = true;

  /** The file the problem is in, when there is one. */
  readonly file?: string;
  /** The setting or field the problem is in, when there is one. */
  readonly field?: string;

  constructor(message: string, options: { file?: string; field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RgsError';
    this.file = options.file;
    this.field = options.field;
  }
}
