/**
 * The HTML report and results.json: the report is well-formed, self-contained HTML (checked by
 * a strict little parser below: every tag closed in order, attributes quoted, entities valid;
 * no script, no external resource, no network address), it renders every section with its
 * charts, it can be rebuilt from results.json alone, and the checklists answer what the study
 * file determines.
 */
import { describe, expect, it } from 'vitest';
import { computeAnalysis } from '../../src/engine/analysis/pipeline/run-analysis';
import { calibrationBins, cvSummary, defaultAtRiskTimes } from '../../src/engine/analysis/pipeline/evaluate';
import { rqsItems, tripodItems } from '../../src/engine/analysis/report/checklist';
import { renderReport } from '../../src/engine/analysis/report/html';
import { deterministicJson, resultsJson } from '../../src/engine/analysis/report/results-json';
import { barChart, plot } from '../../src/engine/analysis/report/svg';
import { esc } from '../../src/engine/util/html';
import type { AnalysisResults } from '../../src/engine/analysis/pipeline/results';
import { syntheticStudy } from './analysis-pipeline-fixture';

const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link', 'col', 'wbr', 'source', 'area', 'base', 'embed', 'param', 'track']);

/**
 * Strict well-formedness check of our HTML subset; returns the problems (empty = fine) and the
 * element counts. Raw-text content of <style> and <title> is skipped.
 */
function checkHtml(html: string): { problems: string[]; counts: Map<string, number>; ids: string[] } {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  const ids: string[] = [];
  const stack: string[] = [];
  if (!html.startsWith('<!DOCTYPE html>')) problems.push('no doctype');
  let i = html.indexOf('>') + 1;
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const text = html.slice(i, lt < 0 ? html.length : lt);
    for (const m of text.matchAll(/&([^;\s]*);?/g)) {
      if (!/^&(amp|lt|gt|quot|#39|#\d+);$/.test(m[0])) problems.push(`bad entity ${m[0]}`);
    }
    if (text.includes('>')) problems.push(`stray > in text near ${text.slice(0, 40)}`);
    if (lt < 0) break;
    const gt = html.indexOf('>', lt);
    if (gt < 0) {
      problems.push('unterminated tag');
      break;
    }
    const raw = html.slice(lt + 1, gt);
    const m = /^(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<>]*")*)\s*(\/?)$/.exec(raw);
    if (m === null) {
      problems.push(`malformed tag <${raw.slice(0, 60)}>`);
      i = gt + 1;
      continue;
    }
    const [, closing, nameRaw, attrs, selfClosing] = m;
    const name = nameRaw.toLowerCase();
    for (const a of attrs.matchAll(/([a-zA-Z][a-zA-Z0-9:-]*)="([^"]*)"/g)) {
      if (/^on/i.test(a[1])) problems.push(`event handler ${a[1]}`);
      if (a[1] === 'src' || a[1] === 'href' || a[1] === 'xlink:href') problems.push(`resource attribute ${a[1]}`);
      if (a[1] === 'id') ids.push(a[2]);
    }
    if (closing) {
      const top = stack.pop();
      if (top !== name) problems.push(`</${name}> closes <${top}>`);
    } else {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (!selfClosing && !VOID.has(name)) stack.push(name);
      if ((name === 'style' || name === 'title') && !selfClosing) {
        const end = html.indexOf(`</${name}>`, gt);
        if (end < 0) problems.push(`unclosed <${name}>`);
        else {
          stack.pop();
          i = end + name.length + 3;
          continue;
        }
      }
    }
    i = gt + 1;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' ')}`);
  return { problems, counts, ids };
}

function makeRun(method: 'nested_cv' | 'external'): AnalysisResults {
  const { study, features } = syntheticStudy({
    subjects: 90,
    features: 30,
    seed: 17,
    signal: 1,
    sites: ['A', 'B'],
    external: 25,
    analysis: {
      seed: 4,
      validation: method === 'nested_cv' ? { method, folds: 3, repeats: 2, inner_folds: 3 } : { method, inner_folds: 3 },
      selection: { method: 'lasso', lambda: 'min', max_features: 8 },
      models: [{ type: 'logistic' }, { type: 'random_forest', trees: 30 }, { type: 'lasso_cox' }],
      bootstrap_replicates: 200,
    },
    report: { at_risk_times: [0, 12, 24, 36, 48] },
  });
  return computeAnalysis(study, features, { write: false }).results;
}

describe('HTML report', () => {
  const results = makeRun('nested_cv');
  const html = renderReport(results);

  it('is well-formed and self-contained: no script, no external resource, no network address', () => {
    const { problems, counts } = checkHtml(html);
    expect(problems).toEqual([]);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<iframe|<object|<embed|<img|url\(|@import|xmlns/i);
    expect(counts.get('html')).toBe(1);
    expect(counts.get('svg')!).toBeGreaterThanOrEqual(10);
  });

  it('renders every section: summary, cohort, ROC with bands, calibration, Kaplan-Meier with numbers at risk, stability, coefficients, checklists', () => {
    const { ids } = checkHtml(html);
    expect(ids).toEqual(['summary', 'cohort', 'discrimination', 'calibration', 'survival', 'stability', 'coefficients', 'checklist']);
    const section = (id: string): string => html.slice(html.indexOf(`<section id="${id}">`), html.indexOf('</section>', html.indexOf(`<section id="${id}">`)));
    expect(section('summary')).toContain('Nested cross-validation: 3 outer folds × 2 repetition(s)');
    expect(section('cohort')).toMatch(/<td>idh<\/td><td>binary<\/td><td>90<\/td><td>65<\/td><td>25<\/td>/);
    const disc = section('discrimination');
    expect(disc).toContain('ROC, idh: out-of-fold');
    expect(disc).toContain('ROC, idh: external (final model)');
    expect((disc.match(/<polygon /g) ?? []).length).toBe(4); // a bootstrap band per model and set
    expect(disc).toMatch(/DeLong/);
    expect(section('calibration')).toMatch(/Calibration slope/);
    expect((section('calibration').match(/<circle /g) ?? []).length).toBeGreaterThan(10);
    const surv = section('survival');
    expect(surv).toContain('Number at risk');
    expect(surv).toMatch(/high risk \(n = \d+\)/);
    expect(surv).toMatch(/Log-rank/);
    expect(section('stability')).toMatch(/Selection frequency/);
    expect(section('coefficients')).toMatch(/\(intercept\)/);
    const checklist = section('checklist');
    expect(checklist).toContain('Radiomics quality score');
    expect(checklist).toContain('TRIPOD+AI');
    expect(checklist).toContain('not determined by the study file');
  });

  it('numbers at risk: the table under the Kaplan–Meier chart counts subjects still followed at each time', () => {
    const os = results.outcomes.find((o) => o.name === 'os')!;
    const km = os.models[0].evaluation.survival!;
    expect(km.atRiskTimes).toEqual([0, 12, 24, 36, 48]);
    const total = km.groups.reduce((s, g) => s + g.atRisk[0], 0);
    expect(total).toBe(km.n); // everyone is at risk at time 0
    for (const g of km.groups) for (let k = 1; k < g.atRisk.length; k++) expect(g.atRisk[k]).toBeLessThanOrEqual(g.atRisk[k - 1]);
  });

  it('rebuilds byte for byte from results.json alone', () => {
    const text = resultsJson(results);
    expect(text).not.toMatch(/NaN|Infinity/);
    const reread = JSON.parse(text) as AnalysisResults;
    expect(renderReport(reread)).toBe(html);
  });

  it('honours report.sections and report.title', () => {
    const only = renderReport({ ...results, report: { ...results.report, title: 'Only <ROC>', sections: ['discrimination'] } });
    expect(checkHtml(only).ids).toEqual(['discrimination']);
    expect(only).toContain('<title>Only &lt;ROC&gt;</title>');
  });
});

describe('checklists', () => {
  it('RQS and TRIPOD+AI answer validation and robustness from the study file', () => {
    const internal = makeRun('nested_cv');
    const rqs = rqsItems(internal);
    const item = (n: string) => rqs.items.find((i) => i.item === n)!;
    expect(item('2')).toMatchObject({ determined: true, points: 0 });
    expect(item('2').answer).toMatch(/^No/);
    expect(item('5')).toMatchObject({ determined: true, points: 3 });
    expect(item('9').points).toBe(2);
    expect(item('11')).toMatchObject({ determined: false, answer: 'not determined by the study file', range: [0, 7] });
    // The internal run has an external cohort too (tested with the final model).
    expect(item('12')).toMatchObject({ points: 3 });
    expect(rqs.determinedPoints).toBe(rqs.items.reduce((s, i) => s + (i.points ?? 0), 0));
    expect(rqs.highest - rqs.lowest).toBe(2 + 1 + 1 + 7 + 2 + 2 + 1 + 4);

    const noExternal: AnalysisResults = {
      ...internal,
      outcomes: internal.outcomes.map((o) => ({ ...o, cohort: { ...o.cohort, external: 0 } })),
    };
    const r2 = rqsItems(noExternal).items.find((i) => i.item === '12')!;
    expect(r2).toMatchObject({ points: 2 });
    expect(r2.answer).toMatch(/Internal validation only \(nested cross-validation\)/);
    const t16 = tripodItems(noExternal).find((i) => i.item === '16')!;
    expect(t16.answer).toBe('no external evaluation: internal validation only');
    expect(tripodItems(internal).find((i) => i.item === '16')!.answer).toMatch(/external cohort/);
    expect(tripodItems(internal).find((i) => i.item === '13')!.answer).toBe('no resampling; folds stratified by outcome');
  });

  it('external validation as the method', () => {
    const ext = makeRun('external');
    expect(rqsItems(ext).items.find((i) => i.item === '12')!.answer).toMatch(/^External cohort/);
    const idh = ext.outcomes.find((o) => o.name === 'idh')!;
    expect(idh.models[0].evaluation.set).toBe('external cohort');
    expect(checkHtml(renderReport(ext)).problems).toEqual([]);
  });
});

describe('report building blocks', () => {
  it('escapes text and attributes', () => {
    expect(esc(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&#39;');
  });

  it('plots and bar charts are well-formed SVG with fixed number formatting', () => {
    const svg = plot({
      title: 'T',
      x: { min: 0, max: 1, ticks: [0, 0.5, 1], label: 'x' },
      y: { min: 0, max: 1, ticks: [0, 1], label: 'y' },
      series: [{ name: 's', color: '#000', points: [[0, 0], [0.5, 0.25], [1, 1]], step: true, ticks: [0.75] }],
      bands: [{ color: '#f00', x: [0, 1], lower: [0, 0.5], upper: [0.5, 1] }],
      markers: [{ x: 0.5, y: 0.5, low: 0.4, high: 0.6, color: '#00f' }],
      diagonal: true,
    });
    expect(checkHtml(`<!DOCTYPE html><div>${svg}</div>`).problems).toEqual([]);
    // Step function (plot area x 52..408, y 324..24): a horizontal then a vertical segment per point.
    expect(svg).toMatch(/<path d="M52 324L230 324L230 249L408 249L408 24"/);
    const bars = barChart('B', [{ label: 'neg', value: -2 }, { label: 'pos', value: 1 }]);
    expect(checkHtml(`<!DOCTYPE html><div>${bars}</div>`).problems).toEqual([]);
    expect(bars).toContain('>-2.00<');
  });

  it('calibration bins: equal-count groups with observed shares', () => {
    // 20 predictions, 2 bins of 10: the lower half has 2 cases, the upper half 8.
    const p = Float64Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20);
    const y = Int32Array.from({ length: 20 }, (_, i) => (i < 10 ? (i < 2 ? 1 : 0) : i < 18 ? 1 : 0));
    const bins = calibrationBins(y, p, 0.95);
    expect(bins.map((b) => [b.n, b.observed])).toEqual([
      [10, 0.2],
      [10, 0.8],
    ]);
    expect(bins[0].predicted).toBeCloseTo(0.25, 12);
    expect(bins[0].lower).toBeLessThan(0.2);
  });

  it('corrected resampled t interval: hand-computed', () => {
    // Scores 0.6, 0.7, 0.8: mean 0.7, s² = 0.01, J = 3, ratio 0.25:
    // se = sqrt((1/3 + 0.25) * 0.01) = 0.0763763; t(0.975, 2) = 4.302653 -> half-width 0.328621.
    const s = cvSummary([0.6, 0.7, 0.8, NaN], 0.25, 0.95);
    expect(s.folds).toBe(3);
    expect(s.mean).toBeCloseTo(0.7, 12);
    expect(s.lower).toBeCloseTo(0.7 - 0.328621, 5);
    expect(s.upper).toBe(1);
  });

  it('default at-risk times are round numbers up to the follow-up', () => {
    expect(defaultAtRiskTimes(55)).toEqual([0, 20, 40]);
    expect(defaultAtRiskTimes(62.3)).toEqual([0, 20, 40, 60]);
    expect(defaultAtRiskTimes(3.7)).toEqual([0, 1, 2, 3]);
    expect(defaultAtRiskTimes(0)).toEqual([0]);
  });

  it('deterministic JSON: NaN as null, typed arrays as arrays, -0 as 0', () => {
    expect(deterministicJson({ a: NaN, b: Float64Array.of(1.5, -0), c: [{ d: Infinity }], e: undefined }, 0)).toBe('{"a":null,"b":[1.5, 0],"c":[{"d":null}]}\n');
  });
});
