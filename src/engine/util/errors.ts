/**
 * Errors a user can act on. The CLI prints `message` on one line, without a stack trace, and
 * exits non-zero; anything else that escapes is a bug and is reported as one.
 */
export class RgsError extends Error {
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
