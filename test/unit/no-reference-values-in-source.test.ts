/**
 * The engine must compute the IBSI reference values, not contain them. This scans every
 * numeric literal in src/ for a reference value (or its 3-significant-digit rounding) that is
 * specific enough to be a copied result: at least 3 significant digits and not a round
 * number a formula could legitimately contain (powers of ten, 0.5, HU bounds …).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ibsiSkipReason, readReferenceValues } from '../helpers/ibsi';

const NOT_FEATURE_CODE = new Set(['demo', 'analysis']);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    // The demo generator and the statistics of the analysis have constants of their own
    // (hazard ratios, quantiles) that are not IBSI features and can collide by chance.
    if (statSync(p).isDirectory()) {
      if (!NOT_FEATURE_CODE.has(name)) out.push(...sourceFiles(p));
    }
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

function significantDigits(s: string): number {
  const digits = s.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length;
}

/** The code without comments and string literals (section numbers such as "IBSI 3.11" in prose are not values). */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''");
}

const skip = ibsiSkipReason();

describe.skipIf(skip !== null)('no IBSI reference value in the engine source', () => {
  it('finds none of the specific reference values among the numeric literals of src/', () => {
    const specific = new Set<number>();
    for (const r of readReferenceValues()) {
      if (r.value === null) continue;
      const s = String(r.value);
      if (significantDigits(s) >= 3 && !Number.isInteger(r.value)) specific.add(r.value);
    }
    const hits: string[] = [];
    const root = join(__dirname, '..', '..', 'src');
    for (const file of sourceFiles(root)) {
      const text = codeOnly(readFileSync(file, 'utf8'));
      for (const m of text.matchAll(/(?<![\w.])-?\d+\.\d+(?:e-?\d+)?(?![\w.])/gi)) {
        const v = Number(m[0]);
        if (specific.has(v) || specific.has(-v)) hits.push(`${file}: ${m[0]}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
