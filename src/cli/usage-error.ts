/** A command line that cannot be understood: exit code 2, one line, no stack trace. */
const USAGE_ERROR = Symbol.for('radiogenomics.UsageError');

/** `instanceof` checks a registered symbol: the study commands' bundle has its own copy of this class. */
export class UsageError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[USAGE_ERROR] === true;
  }

  readonly [USAGE_ERROR] = true;

  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
