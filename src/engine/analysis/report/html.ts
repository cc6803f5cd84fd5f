/**
 * The self-contained HTML report of an analysis: one file, no script, no stylesheet or font
 * from elsewhere, no network address anywhere; charts are inline SVG (svg.ts). It renders
 * only from the results (results.ts), so it can be rebuilt from results.json and is as
 * deterministic as they are.
 *
 * Sections (report.sections, in this order by default): study summary, cohort, discrimination
 * (ROC curves with pointwise bootstrap bands, AUCs with DeLong intervals, threshold metrics
 * with Wilson intervals, model comparisons), calibration, survival (Kaplan–Meier curves of the
 * risk groups with numbers at risk, log-rank test, C-index), feature-selection stability,
 * final-model coefficients, gene-set enrichment (when the analysis has the step: the top sets by
 * |NES| with q-values and the running sum of the top set), and the RQS / TRIPOD+AI checklists.
 */
import type { BinaryEvaluation, SurvivalEvaluation } from '../pipeline/evaluate';
import type { AnalysisResults, EvaluationBlock, ModelResult, OutcomeResult, SelectionStability } from '../pipeline/results';
import type { ReportSection } from '../pipeline/spec';
import { rqsItems, tripodItems, type ChecklistItem } from './checklist';
import { esc } from '../../util/html';
import { barChart, PALETTE, plot, runningSumChart, type Band, type Marker, type Series, type TextRow } from './svg';

type Num = number | null | undefined;

function finite(v: Num): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function f(v: Num, digits = 3): string {
  return finite(v) ? v.toFixed(digits) : '—';
}

function pValue(v: Num): string {
  if (!finite(v)) return '—';
  return v < 0.001 ? '&lt;0.001' : v.toFixed(3);
}

function ci(est: Num, lo: Num, hi: Num, digits = 3): string {
  return finite(est) ? `${f(est, digits)} [${f(lo, digits)}, ${f(hi, digits)}]` : '—';
}

function pct(v: Num): string {
  return finite(v) ? `${(100 * v).toFixed(1)}%` : '—';
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.45;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}h3{margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}table.kv th{width:14em}.q{font-size:1.1em;color:#444}.note{color:#555;font-size:.88em}
.warn{background:#fff7e0;border-left:4px solid #e0a800;padding:.4em .8em;margin:.4em 0}.charts{display:flex;flex-wrap:wrap;gap:1em}
.nd{color:#888}code{background:#f4f4f4;padding:0 .2em}
`;

const SECTION_TITLES: Record<ReportSection, string> = {
  summary: 'Study summary',
  cohort: 'Cohort',
  discrimination: 'Discrimination',
  calibration: 'Calibration',
  survival: 'Survival: risk groups',
  stability: 'Feature-selection stability',
  coefficients: 'Final models',
  enrichment: 'Enrichment',
  checklist: 'Reporting checklists (RQS, TRIPOD+AI)',
};

export function renderReport(r: AnalysisResults): string {
  const title = r.report.title ?? (r.study.title || r.study.id);
  const body: string[] = [`<h1>${esc(title)}</h1>`];
  if (r.study.question !== '') body.push(`<p class="q">${esc(r.study.question)}</p>`);
  for (const s of r.report.sections) {
    const html = SECTIONS[s](r);
    if (html !== '') body.push(`<section id="${s}"><h2>${SECTION_TITLES[s]}</h2>${html}</section>`);
  }
  body.push(
    `<footer><p class="note">Written by Radiogenomics Studio from results.json (format ${esc(r.format)}). ` +
      'Beside this report: results.json, predictions.csv (every validated prediction), folds.csv (fold assignments), ' +
      `selected-features.csv and selection-frequency.csv, final-model.json and final-model-coefficients.csv${r.enrichment ? ', enrichment.csv' : ''}; run times are in provenance.json.</p></footer>`,
  );
  return (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
    `<title>${esc(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`
  );
}

const SECTIONS: Record<ReportSection, (r: AnalysisResults) => string> = {
  summary,
  cohort,
  discrimination,
  calibration: calibrationSection,
  survival: survivalSection,
  stability,
  coefficients,
  enrichment: enrichmentSection,
  checklist,
};

// ---------------------------------------------------------------------------------------------

function designWords(r: AnalysisResults): string {
  const v = r.analysis.validation;
  switch (v.method) {
    case 'nested_cv':
      return `Nested cross-validation: ${v.folds} outer folds × ${v.repeats} repetition(s); ${v.innerFolds}-fold inner cross-validation${v.innerRepeats > 1 ? ` × ${v.innerRepeats}` : ''} for tuning`;
    case 'repeated_cv':
      return `Repeated k-fold cross-validation: ${v.folds} folds × ${v.repeats} repetition(s), fixed settings`;
    case 'holdout':
      return `Hold-out: ${Math.round(100 * v.testFraction)}% test set; ${v.innerFolds}-fold inner cross-validation of the training part for tuning`;
    case 'external':
      return `External validation: trained and tuned (${v.innerFolds}-fold inner cross-validation) on the internal cohort, tested on the external cohort`;
  }
}

function stagesWords(r: AnalysisResults): string {
  const a = r.analysis;
  const parts = [
    a.imputation ? `${a.imputation.method} imputation` : '',
    a.harmonisation ? 'ComBat harmonisation by site' : '',
    a.scaling ? `${a.scaling.method} scaling` : '',
    ...a.filters.map((x) => `${x.method.replace(/_/g, ' ')} filter`),
    a.selection
      ? a.selection.method === 'lasso'
        ? `LASSO selection (${a.selection.features !== null ? `first ${a.selection.features} features on the path` : `lambda ${a.selection.lambda}`})`
        : `${a.selection.method} selection`
      : '',
    a.balancing ? `${a.balancing.method} balancing (training folds only)` : '',
  ].filter((s) => s !== '');
  return parts.length === 0 ? 'none' : parts.join(' → ');
}

function summary(r: AnalysisResults): string {
  const rows: [string, string][] = [
    ['Study', `${esc(r.study.id)} — ${esc(r.study.title)}`],
    ['Study file SHA-256', `<code>${esc(r.study.sha256.slice(0, 16))}…</code>`],
    ['Feature table', `${esc(r.featureTable.file)}: ${r.featureTable.subjects} subjects × ${r.featureTable.columns} columns (SHA-256 <code>${esc(r.featureTable.sha256.slice(0, 16))}…</code>)`],
    ['Outcomes', r.outcomes.map((o) => `${esc(o.name)} (${o.type})`).join(', ')],
    ['Validation', esc(designWords(r)) + `, stratified by ${esc(r.analysis.validation.stratify.replace(/_/g, ' '))}`],
    ['Stages (refit in every training fold)', esc(stagesWords(r))],
    ['Models', esc([...new Set(r.outcomes.flatMap((o) => o.models.map((m) => `${m.name} (${m.type})`)))].join(', '))],
    ['Seed', String(r.seed)],
    ['Threshold, confidence level', `${r.analysis.threshold}, ${r.analysis.confidenceLevel}`],
  ];
  const parts = [`<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`];
  for (const d of r.design) parts.push(`<p class="warn">Design ${d.severity}: ${esc(d.message)}</p>`);
  if (r.warnings.length > 0) {
    parts.push(`<h3>Warnings of the run</h3><ul>${r.warnings.map((w) => `<li>${esc(w.message)}${w.count > 1 ? ` (×${w.count})` : ''}</li>`).join('')}</ul>`);
  }
  return parts.join('');
}

function cohort(r: AnalysisResults): string {
  const rows = r.outcomes.map((o) => {
    const c = o.cohort;
    const posWord = o.type === 'binary' ? `${c.positives} ${esc(o.positive ?? 'positive')}` : `${c.positives} events`;
    const negWord = o.type === 'binary' ? `${c.negatives} other` : `${c.negatives} censored`;
    return [
      esc(o.name),
      o.type,
      String(c.subjects),
      String(c.development),
      String(c.external),
      posWord,
      negWord,
      pct(c.minorityShare),
      o.type === 'survival' ? `${f(c.medianTime, 1)} ${esc(o.unit ?? '')}` : '—',
      String(c.missingOutcome),
      String(o.candidateFeatures),
      c.sites.map((s) => `${esc(s.site)}: ${s.n} (${s.positives} ${o.type === 'binary' ? 'pos.' : 'ev.'})`).join('<br>'),
    ];
  });
  return table(
    ['Outcome', 'Type', 'Subjects', 'Development', 'External', 'Positive / events', 'Negative / censored', 'Minority share', 'Median time', 'Missing outcome', 'Candidate features', 'Sites'],
    rows,
  );
}

// ---------------------------------------------------------------------------------------------
// Discrimination and calibration (binary outcomes)

/** A short name of a set of predictions for chart titles. */
function shortSet(set: string): string {
  if (set.startsWith('out-of-fold')) return 'out-of-fold';
  if (set.startsWith('hold-out')) return 'hold-out test';
  if (set.startsWith('external')) return 'external';
  return set;
}

function rocChart(o: OutcomeResult, pick: (m: ModelResult) => EvaluationBlock | null, title: string): string {
  const series: Series[] = [];
  const bands: Band[] = [];
  o.models.forEach((m, i) => {
    const b = pick(m)?.binary;
    if (!b || b.roc.fpr.length === 0) return;
    const color = PALETTE[i % PALETTE.length];
    series.push({ name: `${m.name} (AUC ${f(b.auc.estimate)})`, color, points: b.roc.fpr.map((x, k) => [x, b.roc.tpr[k]]) });
    if (b.band) bands.push({ color, x: b.band.fpr, lower: b.band.lower, upper: b.band.upper, step: true });
  });
  if (series.length === 0) return '';
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return plot({
    title,
    x: { min: 0, max: 1, ticks, label: '1 − specificity', format: (v) => v.toFixed(1) },
    y: { min: 0, max: 1, ticks, label: 'Sensitivity', format: (v) => v.toFixed(1) },
    series,
    bands,
    diagonal: true,
    legendAt: 'bottom-right',
  });
}

function thresholdCells(b: BinaryEvaluation): string[] {
  const c = b.classification;
  return [c.sensitivity, c.specificity, c.ppv, c.npv].map((p) => ci(p.estimate, p.lower, p.upper, 2));
}

function discrimination(r: AnalysisResults): string {
  const parts: string[] = [];
  for (const o of r.outcomes.filter((x) => x.type === 'binary')) {
    parts.push(`<h3>${esc(o.name)}</h3>`);
    const set = o.models[0]?.evaluation.set ?? '';
    const rows = o.models.map((m) => {
      const b = m.evaluation.binary;
      const ext = m.external?.binary;
      const pooled = m.pooledByRepeat?.filter(finite) ?? [];
      return [
        esc(m.name),
        m.cv ? `${ci(m.cv.mean, m.cv.lower, m.cv.upper)} (${m.cv.folds} folds)` : '—',
        pooled.length > 0 ? `${f(pooled.reduce((a, x) => a + x, 0) / pooled.length)}${pooled.length > 1 ? ` (${f(Math.min(...pooled))}–${f(Math.max(...pooled))})` : ''}` : '—',
        b ? ci(b.auc.estimate, b.auc.lower, b.auc.upper) : '—',
        b ? f(b.brier) : '—',
        ...(b ? thresholdCells(b) : ['—', '—', '—', '—']),
        ext ? ci(ext.auc.estimate, ext.auc.lower, ext.auc.upper) : '—',
      ];
    });
    parts.push(
      table(
        [
          'Model',
          'AUC, mean over folds [corrected t CI]',
          'Pooled out-of-fold AUC per repetition',
          `AUC [DeLong CI], ${esc(set)}`,
          'Brier',
          `Sensitivity (p ≥ ${r.analysis.threshold})`,
          'Specificity',
          'PPV',
          'NPV',
          'External AUC [DeLong CI]',
        ],
        rows,
      ),
    );
    const charts = [rocChart(o, (m) => m.evaluation, `ROC, ${o.name}: ${shortSet(set)}`)];
    if (o.models.some((m) => m.external?.binary)) charts.push(rocChart(o, (m) => m.external, `ROC, ${o.name}: external (final model)`));
    parts.push(`<div class="charts">${charts.join('')}</div>`);
    parts.push(
      '<p class="note">Shaded: pointwise 95% percentile bootstrap band of the sensitivity at each 1 − specificity (cases and controls resampled separately, ' +
        `${r.analysis.bootstrapReplicates} replicates); the AUC intervals are DeLong's. Intervals over folds use the corrected resampled t (Nadeau &amp; Bengio 2003). ` +
        'Proportions carry Wilson intervals. Pooled out-of-fold AUCs mix models of different folds; when the models carry little signal ' +
        '(e.g. intercept-only fits) they can fall below 0.5 because each fold\'s intercept follows its training prevalence: read them with the mean over folds.</p>',
    );
    if (o.comparisons.length > 0) {
      parts.push(
        table(
          ['Models', 'AUC difference (DeLong paired)', 'p', 'Fold-mean difference (corrected t)', 'p'],
          o.comparisons.map((c) => [
            `${esc(c.modelA)} − ${esc(c.modelB)}`,
            f(c.delong?.difference),
            pValue(c.delong?.p),
            f(c.foldTest?.meanDifference),
            pValue(c.foldTest?.p),
          ]),
        ),
      );
    }
  }
  return parts.join('');
}

function calibrationChart(m: ModelResult, b: BinaryEvaluation, color: string, title: string): string {
  const maxN = Math.max(1, ...b.calibration.bins.map((x) => x.n));
  const markers: Marker[] = b.calibration.bins.map((x) => ({ x: x.predicted, y: x.observed, low: x.lower, high: x.upper, color, r: 2.5 + 3 * Math.sqrt(x.n / maxN) }));
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  return plot({
    title,
    width: 340,
    height: 260,
    x: { min: 0, max: 1, ticks, label: 'Predicted probability', format: (v) => v.toFixed(1) },
    y: { min: 0, max: 1, ticks, label: 'Observed share', format: (v) => v.toFixed(1) },
    markers,
    diagonal: true,
    legend: false,
  });
}

function calibrationSection(r: AnalysisResults): string {
  const parts: string[] = [];
  for (const o of r.outcomes.filter((x) => x.type === 'binary')) {
    parts.push(`<h3>${esc(o.name)}</h3>`);
    const charts: string[] = [];
    const rows: string[][] = [];
    o.models.forEach((m, i) => {
      for (const block of [m.evaluation, m.external]) {
        const b = block?.binary;
        if (!b) continue;
        charts.push(calibrationChart(m, b, PALETTE[i % PALETTE.length], `${m.name}: ${shortSet(block!.set)}`));
        rows.push([esc(m.name), esc(block!.set), f(b.calibration.slope), f(b.calibration.intercept), f(b.brier)]);
      }
    });
    parts.push(table(['Model', 'Predictions', 'Calibration slope (ideal 1)', 'Calibration-in-the-large (ideal 0)', 'Brier'], rows));
    parts.push(`<div class="charts">${charts.join('')}</div>`);
    parts.push('<p class="note">Points: equal-count groups of predictions (size ∝ group size) with Wilson intervals of the observed share; dashed: perfect calibration.</p>');
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Survival

function kmChart(s: SurvivalEvaluation, title: string, unit: string): string {
  const colors: Record<string, string> = { high: PALETTE[1], low: PALETTE[0] };
  const series: Series[] = s.groups.map((g) => ({
    name: `${g.group} risk (n = ${g.n})`,
    color: colors[g.group],
    points: g.time.map((t, k) => [t, g.surv[k]]),
    step: true,
    ticks: g.censored,
  }));
  const bands: Band[] = s.groups.map((g) => ({ color: colors[g.group], x: g.time, lower: g.lower, upper: g.upper, step: true }));
  const maxT = Math.max(...s.atRiskTimes, ...s.groups.flatMap((g) => g.time));
  const rows: TextRow[] = s.groups.map((g) => ({ label: g.group, color: colors[g.group], values: g.atRisk.map((v) => String(Math.round(v))), at: s.atRiskTimes }));
  return plot({
    title,
    width: 520,
    height: 280,
    x: { min: 0, max: maxT > 0 ? maxT : 1, ticks: s.atRiskTimes, label: `Time (${unit})`, format: (v) => String(Number(v.toPrecision(6))) },
    y: { min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1], label: 'Survival probability', format: (v) => v.toFixed(2) },
    series,
    bands,
    rows,
    rowsTitle: 'Number at risk',
  });
}

function survivalSection(r: AnalysisResults): string {
  const parts: string[] = [];
  for (const o of r.outcomes.filter((x) => x.type === 'survival')) {
    parts.push(`<h3>${esc(o.name)}</h3>`);
    const rows: string[][] = [];
    const charts: string[] = [];
    for (const m of o.models) {
      for (const block of [m.evaluation, m.external]) {
        const s = block?.survival;
        if (!s) continue;
        const high = s.groups.find((g) => g.group === 'high');
        const low = s.groups.find((g) => g.group === 'low');
        rows.push([
          esc(m.name),
          esc(block!.set),
          block === m.evaluation && m.cv ? `${ci(m.cv.mean, m.cv.lower, m.cv.upper)} (${m.cv.folds} folds)` : '—',
          ci(s.cIndex.estimate, s.cIndex.lower, s.cIndex.upper),
          s.logRank ? `χ² ${f(s.logRank.chiSquare, 2)}, p ${pValue(s.logRank.p)}` : '—',
          `${high ? `${high.n} / ${high.events}` : '—'}; ${low ? `${low.n} / ${low.events}` : '—'}`,
          `${f(high?.medianSurvival, 1)}; ${f(low?.medianSurvival, 1)}`,
          block === m.evaluation && m.cv ? "each fold's own" : f(m.final.cutoff),
        ]);
        charts.push(kmChart(s, `${m.name}: ${shortSet(block!.set)}`, o.unit ?? ''));
      }
    }
    parts.push(
      table(
        ["Model", 'Predictions', "C-index, mean over folds [corrected t CI]", "Harrell's C [bootstrap CI]", 'Log-rank (high vs low)', 'n / events (high; low)', `Median survival, ${esc(o.unit ?? '')} (high; low)`, 'Cut-off (training median)'],
        rows,
      ),
    );
    parts.push(`<div class="charts">${charts.join('')}</div>`);
    parts.push(
      '<p class="note">Risk groups: high when the risk score is above the median risk score of the training rows of the model that scored the subject ' +
        '(in cross-validation, each fold\'s own training median); the cut-off is never taken from the subjects it groups. Shaded: pointwise 95% intervals (log); ticks: censored subjects.</p>',
    );
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Stability and coefficients

function frequencyChart(title: string, s: SelectionStability, color: string): string {
  const top = s.frequency.slice(0, 30);
  if (top.length === 0) return `<p class="note">${esc(title)}: no feature was selected in any fit.</p>`;
  return barChart(
    title,
    top.map((x) => ({ label: x.feature, value: x.share, color })),
    { max: 1, format: (v) => `${(100 * v).toFixed(0)}%` },
  );
}

function stability(r: AnalysisResults): string {
  const parts: string[] = [];
  for (const o of r.outcomes) {
    parts.push(`<h3>${esc(o.name)}</h3>`);
    if (o.selection !== null) {
      parts.push(`<p>Features kept by the filters and selection in ${o.selection.fits} outer fit(s); mean pairwise Jaccard index ${f(o.selection.meanJaccard)}. ` + `The final model uses ${o.selection.final.length} feature(s).</p>`);
      parts.push(frequencyChart(`Selection frequency (top ${Math.min(30, o.selection.frequency.length)} of ${o.selection.frequency.length})`, o.selection, PALETTE[0]));
    }
    o.models.forEach((m, i) => {
      if (m.type !== 'logistic' && m.type !== 'lasso_cox' && m.type !== 'cox') return;
      parts.push(`<p>${esc(m.name)}: features with a non-zero coefficient in ${m.usage.fits} outer fit(s); mean pairwise Jaccard index ${f(m.usage.meanJaccard)}.</p>`);
      parts.push(frequencyChart(`${m.name}: non-zero coefficient frequency`, m.usage, PALETTE[i % PALETTE.length]));
    });
  }
  return parts.join('');
}

function coefficients(r: AnalysisResults): string {
  const parts: string[] = [];
  for (const o of r.outcomes) {
    parts.push(`<h3>${esc(o.name)}</h3>`);
    o.models.forEach((m, i) => {
      const hyper = Object.entries(m.final.hyper)
        .map(([k, v]) => `${esc(k)} = ${typeof v === 'number' ? esc(Number(v.toPrecision(6)).toString()) : esc(v)}`)
        .join(', ');
      parts.push(`<p><b>${esc(m.name)}</b> (${m.type})${hyper ? `: ${hyper}` : ''}${m.final.cutoff !== null ? `; risk-group cut-off ${f(m.final.cutoff)}` : ''}.</p>`);
      const terms = m.final.terms.filter((t) => t.kind !== 'intercept' && t.value !== 0);
      const intercept = m.final.terms.find((t) => t.kind === 'intercept');
      if (terms.length === 0) {
        parts.push(`<p class="note">No feature enters the final model${intercept ? ` (intercept ${f(intercept.value)})` : ''}.</p>`);
        return;
      }
      const sorted = [...terms].sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
      const kind = terms[0].kind === 'importance' ? 'importance (mean decrease in impurity)' : 'coefficient (per unit of the scaled feature)';
      parts.push(barChart(`${m.name}: ${kind}, top ${Math.min(30, sorted.length)} of ${sorted.length}`, sorted.slice(0, 30).map((t) => ({ label: t.term, value: t.value, color: PALETTE[i % PALETTE.length] }))));
      parts.push(
        table(
          ['Term', 'Kind', 'Value'],
          [...(intercept ? [intercept] : []), ...sorted].map((t) => [esc(t.term), t.kind, f(t.value, 4)]),
        ),
      );
    });
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Enrichment

/** Sets shown in the report table. */
const ENRICHMENT_TOP = 20;
/** Leading-edge genes shown per set (all of them are in enrichment.csv). */
const LEADING_EDGE_SHOWN = 8;

function enrichmentSection(r: AnalysisResults): string {
  const e = r.enrichment;
  if (e === null) return '';
  const statistic = e.statistic === 't' ? "Welch's t" : 'signal-to-noise';
  const parts: string[] = [
    `<p>Preranked GSEA of <code>${esc(e.expression.file)}</code> (${e.rankedGenes} of ${e.expression.genes} genes ranked by ${statistic}) ` +
      `between <b>${esc(e.up)}</b> (n = ${e.nUp}) and <b>${esc(e.down)}</b> (n = ${e.nDown}): ${esc(e.source)}. ` +
      `Gene sets: <code>${esc(e.geneSets.file)}</code>, ${e.sets.length} of ${e.geneSets.sets} analysed (${e.minSize} to ${e.maxSize} genes in the ranked list); ` +
      `${e.permutations} gene-set permutations per set, seed ${e.seed}.</p>`,
  ];
  if (e.sets.length === 0) {
    parts.push('<p class="note">No gene set was within the size limits.</p>');
    return parts.join('');
  }
  const shown = e.sets.slice(0, ENRICHMENT_TOP);
  parts.push(
    table(
      ['Gene set', 'Size', 'ES', 'NES', 'Nominal p', 'FDR q', 'Leading edge'],
      shown.map((s) => {
        const edge = s.leadingEdge.slice(0, LEADING_EDGE_SHOWN).map(esc).join(', ');
        const more = `${s.leadingEdge.length > LEADING_EDGE_SHOWN ? ', …' : ''} (${s.leadingEdge.length} gene${s.leadingEdge.length === 1 ? '' : 's'})`;
        const q = finite(s.q) && s.q < 0.25 ? `<b>${pValue(s.q)}</b>` : pValue(s.q);
        return [esc(s.name), String(s.size), f(s.es), f(s.nes, 2), pValue(s.p), q, edge + more];
      }),
    ),
  );
  if (e.sets.length > shown.length) parts.push(`<p class="note">Top ${shown.length} of ${e.sets.length} sets by |NES|; all of them are in enrichment.csv.</p>`);
  if (e.top !== null) {
    const best = e.sets.find((s) => s.name === e.top!.name);
    const title = `${e.top.name}: NES ${f(best?.nes, 2)}, q ${best && finite(best.q) && best.q < 0.001 ? '<0.001' : f(best?.q)}`;
    parts.push(`<div class="charts">${runningSumChart(title, e.top.x, e.top.y, e.top.hits, e.rankedGenes, PALETTE[0])}</div>`);
  }
  parts.push(
    `<p class="note">Positive NES: the set's genes are higher in ${esc(e.up)}; negative: higher in ${esc(e.down)}. Bold: FDR q below 0.25, GSEA's usual threshold of interest. ` +
      `Nominal p-values resolve to 1/${e.permutations}. Preranked GSEA permutes genes, not subjects, so it ignores the correlation between the genes of a set: ` +
      'for sets of co-expressed genes its p- and q-values are optimistic (Subramanian et al. 2005; Wu &amp; Smyth 2012).' +
      (e.skipped.length > 0 ? ` ${e.skipped.length} set(s) outside the size limits were skipped (listed in results.json).` : '') +
      '</p>',
  );
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Checklists

function checklistRows(items: ChecklistItem[], withPoints: boolean): string[][] {
  return items.map((i) => [
    esc(i.item),
    esc(i.topic),
    i.determined ? esc(i.answer) : `<span class="nd">${esc(i.answer)}</span>`,
    ...(withPoints ? [i.points !== null ? String(i.points) : i.range ? `<span class="nd">${i.range[0]} to ${i.range[1]}</span>` : ''] : []),
  ]);
}

function checklist(r: AnalysisResults): string {
  const rqs = rqsItems(r);
  return [
    '<h3>Radiomics quality score (RQS)</h3>',
    table(['Item', 'Topic', 'Answer', 'Points'], checklistRows(rqs.items, true)),
    `<p>Points determined by the study file: <b>${rqs.determinedPoints}</b>; with the undetermined items the total lies between ${rqs.lowest} and ${rqs.highest} (scale −8 to 36).</p>`,
    '<h3>TRIPOD+AI</h3>',
    table(['Item', 'Topic', 'Answer'], checklistRows(tripodItems(r), false)),
    '<p class="note">Items marked "not determined by the study file" must be answered by the authors.</p>',
  ].join('');
}
