/**
 * Study fragments: a notebook's YAML cells merged in order into one study document, and the
 * loader's problems in that document mapped back to the cell and line they come from.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { analyseStudyText } from '../../src/engine/study/load';
import { formatLocatedProblem, locateProblem, mergeFragments, type StudyFragment } from '../../src/kernel/study-fragments';

const FILE = '/nowhere/notebook.study.yaml';

function frags(...texts: string[]): StudyFragment[] {
  return texts.map((text, i) => ({ id: String(i), label: `cell ${i + 1}`, text }));
}

/** The merged study's problems (files not checked), located. */
function located(fragments: StudyFragment[], current = fragments.length - 1) {
  const merged = mergeFragments(fragments);
  const { problems } = analyseStudyText(merged.text, FILE, { checkFiles: false });
  return { merged, problems: [...merged.problems, ...problems.map((p) => locateProblem(merged, p, FILE, current))] };
}

const COHORT = `study:
  id: gbm
  title: Glioblastoma
cohort:
  manifest: manifest.csv
  sequences:
    T1: { column: t1 }
    FLAIR: { column: flair }
  labels: { necrosis: 1, oedema: 2 }
  rois: [necrosis, oedema]
`;

describe('merging study fragments', () => {
  it('merges mappings key by key in cell order; later scalars and lists replace earlier ones', () => {
    const later = `cohort:
  sequences:
    T1: { column: t1_bias_corrected }
    T2: { column: t2 }
  rois: [oedema]
features:
  discretisation: { method: fbn, bin_count: 16 }
`;
    const last = 'features:\n  discretisation:\n    bin_count: 32\n';
    const m = mergeFragments(frags(COHORT, later, last));
    expect(m.problems).toEqual([]);
    expect(m.sections).toEqual([['study', 'cohort'], ['cohort', 'features'], ['features']]);
    const doc = parse(m.text) as Record<string, Record<string, unknown>>;
    expect(doc).toEqual({
      study: { id: 'gbm', title: 'Glioblastoma' },
      cohort: {
        manifest: 'manifest.csv',
        // T1 merged (its column overridden), FLAIR kept, T2 added at the end.
        sequences: { T1: { column: 't1_bias_corrected' }, FLAIR: { column: 'flair' }, T2: { column: 't2' } },
        labels: { necrosis: 1, oedema: 2 },
        // A list is replaced, not concatenated.
        rois: ['oedema'],
      },
      features: { discretisation: { method: 'fbn', bin_count: 32 } },
    });
    // Keys keep the place where they first appeared.
    expect(Object.keys(doc)).toEqual(['study', 'cohort', 'features']);
    expect(Object.keys(doc.cohort)).toEqual(['manifest', 'sequences', 'labels', 'rois']);
  });

  it('keeps every scalar type through the merged text', () => {
    const text = `study:
  id: x
  title: "yes"
  question: 'null'
cohort:
  a: [1, -2.5, 1e-3, true, null, .inf, "01", "a: b", "#c", ""]
`;
    const doc = parse(mergeFragments(frags(text)).text) as { study: unknown; cohort: { a: unknown[] } };
    expect(doc.study).toEqual({ id: 'x', title: 'yes', question: 'null' });
    expect(doc.cohort.a).toEqual([1, -2.5, 0.001, true, null, Infinity, '01', 'a: b', '#c', '']);
  });

  it('a later mapping replaces a scalar and a later scalar replaces a mapping', () => {
    const m = mergeFragments(frags('a: 1\nb: { c: 2 }\n', 'a: { x: 1 }\nb: 3\n'));
    expect(parse(m.text)).toEqual({ a: { x: 1 }, b: 3 });
  });

  it('empty cells contribute nothing; broken cells report their problems and are left out', () => {
    const m = mergeFragments(frags('', 'a: [1, 2\n', '# only a comment\n', '- 1\n- 2\n', 'x: !!binary aGk=\n', 'b: 2\n'));
    expect(parse(m.text)).toEqual({ b: 2 });
    expect(m.problems.map((p) => [p.fragment, p.line, p.severity])).toEqual([
      [1, 2, 'error'],
      [3, 1, 'error'],
      [4, 1, 'error'],
    ]);
    expect(m.problems[1].message).toMatch(/must be a YAML mapping/);
    expect(m.problems[2].message).toMatch(/tags .* not allowed/);
    expect([m.problems[2].column, m.problems[2].endColumn]).toEqual([13, 17]);
  });
});

describe('locating the loader problems of a merged study', () => {
  it('puts a problem in the cell and on the line and column of its token', () => {
    const features = 'features:\n  families: [stat]\n  discretisation: { method: fbn, bin_cnt: 8 }\n';
    const { problems } = located(frags(COHORT, features));
    const unknown = problems.find((p) => p.code === 'unknown-key');
    // `bin_cnt` starts at column 34 of line 3 of cell 2 ("  discretisation: { method: fbn, " is 33 characters).
    expect(unknown).toMatchObject({ fragment: 1, line: 3, column: 34, endLine: 3, endColumn: 41 });
  });

  it('points at the cell that set the value last', () => {
    const first = 'features:\n  discretisation: { method: fbn, bin_count: 16 }\n';
    const second = '# lower the bins\nfeatures:\n  discretisation:\n    bin_count: -4\n';
    const { problems, merged } = located(frags(COHORT, first, second));
    const errors = problems.filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    // "    bin_count: -4": the value starts at column 16 of line 4 of cell 3, and ends at 18.
    expect(errors[0]).toMatchObject({ fragment: 2, line: 4, column: 16, endLine: 4, endColumn: 18, path: 'features.discretisation.bin_count' });
    expect(formatLocatedProblem(errors[0], frags(COHORT, first, second))).toMatch(/^cell 3:4:16 error /);
    // The merged document has the value on another line: the mapping is what moved it back.
    expect(merged.text.split('\n').findIndex((l) => l.includes('bin_count: -4')) + 1).not.toBe(4);
  });

  it('a problem in an earlier cell stays in that cell', () => {
    const cohort = COHORT.replace('    FLAIR: { column: flair }', '    FLAIR: { colum: flair }');
    const { problems } = located(frags(cohort, 'features:\n  families: [stat]\n'));
    const p = problems.find((x) => x.severity === 'error');
    expect(p).toMatchObject({ fragment: 0, line: 8 });
  });

  it('a missing section is reported on the first line of the cell being run', () => {
    const { problems } = located(frags('features:\n  families: [stat]\n', 'outcomes: {}\n'), 1);
    const missing = problems.filter((p) => p.severity === 'error' && /cohort/.test(p.message));
    expect(missing.length).toBeGreaterThan(0);
    for (const p of missing) expect(p).toMatchObject({ fragment: 1, line: 1, column: 1 });
  });

  it('problems of a base study file are located in it', () => {
    const base: StudyFragment = { id: '/data/gbm.study.yaml', label: 'gbm.study.yaml', text: COHORT.replace('  id: gbm\n', '  id: gbm\n  idd: 1\n') };
    const { problems } = located([base, ...frags('features:\n  families: [stat]\n')]);
    const p = problems.find((x) => x.severity === 'error');
    expect(p).toMatchObject({ fragment: 0, line: 3, column: 3, endLine: 3, endColumn: 6 });
    expect(p?.message).toMatch(/unknown key `idd`/);
    expect(formatLocatedProblem(p!, [base])).toMatch(/^gbm\.study\.yaml:3:3 /);
  });
});
