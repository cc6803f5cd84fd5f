/**
 * `rgs` runs its study commands from a second bundle (dist/cli-study.js) with its own copies of
 * the error classes; the dispatcher must still recognise their errors as user errors (one line,
 * exit 1 or 2) and not as bugs. A fresh module instance stands in for the second bundle.
 */
import { describe, expect, it, vi } from 'vitest';
import { RgsError } from '../../src/engine/util/errors';
import { UsageError } from '../../src/cli/usage-error';
import { CsvSyntaxError } from '../../src/engine/study/csv';

async function freshCopies() {
  vi.resetModules();
  const errors = await import('../../src/engine/util/errors');
  const usage = await import('../../src/cli/usage-error');
  return { OtherRgsError: errors.RgsError, OtherUsageError: usage.UsageError };
}

describe('error classes across bundles', () => {
  it('an RgsError of another copy of the module is an RgsError, and a plain Error is not', async () => {
    const { OtherRgsError } = await freshCopies();
    expect(OtherRgsError).not.toBe(RgsError);
    const e = new OtherRgsError('study.yaml: bad', { file: 'study.yaml' });
    expect(e instanceof RgsError).toBe(true);
    expect(new Error('x') instanceof RgsError).toBe(false);
    expect(new UsageError('x') instanceof RgsError).toBe(false);
  });

  it('a UsageError of another copy is a UsageError; an RgsError is not', async () => {
    const { OtherUsageError } = await freshCopies();
    expect(new OtherUsageError('bad flag') instanceof UsageError).toBe(true);
    expect(new RgsError('x') instanceof UsageError).toBe(false);
  });

  it('subclasses keep the prototype check: an RgsError is not a CsvSyntaxError', () => {
    expect(new RgsError('x') instanceof CsvSyntaxError).toBe(false);
    const csv = new CsvSyntaxError('clinical.csv', 3, 7, 'unterminated quoted field');
    expect(csv instanceof CsvSyntaxError).toBe(true);
    expect(csv instanceof RgsError).toBe(true);
  });
});
