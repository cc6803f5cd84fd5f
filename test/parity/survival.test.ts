/**
 * Parity of the survival models with R's survival package on lung, veteran and ovarian:
 * coxph coefficients / SE / log-likelihoods / score and Wald tests (Efron and Breslow) to
 * 1e-6, Breslow baseline hazard, concordance() C-index and its variance, survdiff chi-square,
 * survfit Kaplan-Meier estimates, confidence limits, median and numbers at risk.
 * Skips with the reason when R is not installed (bash scripts/setup-parity.sh).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { concordanceIndex } from '../../src/engine/analysis/survival/concordance';
import { cumulativeBaselineHazard, fitCox } from '../../src/engine/analysis/survival/cox';
import { kaplanMeier, numberAtRisk, type KmConfType } from '../../src/engine/analysis/survival/km';
import { logRankTest } from '../../src/engine/analysis/survival/logrank';
import { maxAbsDiff, maxRelDiff, num, nums, rows, rSkipReason, runRScript, strs } from './r/run-r';

type Rec = Record<string, unknown>;
const skip = rSkipReason(['survival']);

describe.skipIf(skip !== null)(`survival parity with R${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let ref: Rec;
  beforeAll(() => {
    ref = runRScript('survival.R') as Rec;
  });

  it('coxph: coefficients, SE, log-likelihoods, score and Wald tests to 1e-6', () => {
    const data = ref.data as Record<string, Rec>;
    const cases = ref.cox as Rec[];
    expect(cases.length).toBe(6);
    for (const c of cases) {
      const d = data[strs(c.data)[0]];
      const ties = strs(c.ties)[0] as 'efron' | 'breslow';
      const fit = fitCox(rows(d.x), { time: nums(d.time), status: nums(d.status) }, { ties });
      const label = `${strs(c.data)[0]} ${ties}`;
      expect(maxRelDiff(fit.coefficients, nums(c.coef), 1e-3), `${label} coef`).toBeLessThan(1e-6);
      expect(maxRelDiff(fit.se, nums(c.se), 1e-3), `${label} se`).toBeLessThan(1e-6);
      const ll = nums(c.loglik);
      expect(Math.abs(fit.logLikNull - ll[0]), `${label} loglik0`).toBeLessThan(1e-6);
      expect(Math.abs(fit.logLik - ll[1]), `${label} loglik`).toBeLessThan(1e-6);
      expect(Math.abs(fit.score.statistic - num(c.score)) / num(c.score), `${label} score`).toBeLessThan(1e-6);
      expect(Math.abs(fit.wald.statistic - num(c.wald)) / num(c.wald), `${label} wald`).toBeLessThan(1e-6);
      expect(fit.converged).toBe(true);
      expect(fit.iterations).toBe(num(c.iter));
      // Harrell's C of the fitted linear predictor.
      const conc = concordanceIndex({ time: nums(d.time), status: nums(d.status) }, nums(c.lp));
      expect(Math.abs(conc.concordance - num(c.concordance)), `${label} C`).toBeLessThan(1e-6);
      expect(Math.abs(conc.variance - num(c.concordance_var)) / num(c.concordance_var), `${label} var(C)`).toBeLessThan(1e-6);
      if (ties === 'breslow') {
        const h = cumulativeBaselineHazard(fit, nums(c.basehaz_time));
        expect(maxRelDiff(h, nums(c.basehaz_hazard), 1e-12), `${label} basehaz`).toBeLessThan(1e-6);
      }
    }
  });

  it('concordance: C, counts and infinitesimal-jackknife variance to 1e-6 (ties, weights)', () => {
    for (const c of ref.concordance as Rec[]) {
      const w = c.weights === null ? undefined : nums(c.weights);
      const r = concordanceIndex({ time: nums(c.time), status: nums(c.status) }, nums(c.risk), { weights: w });
      const label = strs(c.name)[0];
      expect(Math.abs(r.concordance - num(c.concordance)), `${label} C`).toBeLessThan(1e-6);
      const cnt = nums(c.count); // concordant, discordant, tied.x, tied.y, tied.xy
      expect(maxAbsDiff([r.concordant, r.discordant, r.tiedRisk, r.tiedTime, r.tiedBoth], cnt), `${label} counts`).toBeLessThan(1e-6);
      expect(Math.abs(r.variance - num(c.var)) / num(c.var), `${label} var`).toBeLessThan(1e-6);
    }
  });

  it('survdiff: log-rank chi-square, observed and expected to 1e-6', () => {
    for (const c of ref.logrank as Rec[]) {
      const groups = strs(c.group);
      const r = logRankTest({ time: nums(c.time), status: nums(c.status) }, groups);
      const label = strs(c.name)[0];
      expect(Math.abs(r.chiSquare - num(c.chisq)) / num(c.chisq), `${label} chisq`).toBeLessThan(1e-6);
      expect(r.df).toBe(num(c.df));
      expect(maxAbsDiff(r.observed, nums(c.observed)), `${label} O`).toBeLessThan(1e-9);
      expect(maxAbsDiff(r.expected, nums(c.expected)), `${label} E`).toBeLessThan(1e-6);
    }
  });

  it('survfit: Kaplan-Meier estimate, std.err, confidence limits, median and numbers at risk to 1e-6', () => {
    for (const c of ref.km as Rec[]) {
      const label = strs(c.name)[0];
      const curve = kaplanMeier({ time: nums(c.time_in), status: nums(c.status_in) }, { confType: strs(c.conf_type)[0] as KmConfType });
      expect(maxAbsDiff(curve.time, nums(c.time)), `${label} time`).toBe(0);
      expect(maxAbsDiff(curve.nRisk, nums(c.n_risk)), `${label} n.risk`).toBe(0);
      expect(maxAbsDiff(curve.nEvent, nums(c.n_event)), `${label} n.event`).toBe(0);
      expect(maxAbsDiff(curve.nCensor, nums(c.n_censor)), `${label} n.censor`).toBe(0);
      expect(maxAbsDiff(curve.surv, nums(c.surv)), `${label} surv`).toBeLessThan(1e-6);
      expect(maxAbsDiff(curve.stdErr, nums(c.std_err)), `${label} std.err`).toBeLessThan(1e-6);
      expect(maxAbsDiff(curve.lower, nums(c.lower)), `${label} lower`).toBeLessThan(1e-6);
      expect(maxAbsDiff(curve.upper, nums(c.upper)), `${label} upper`).toBeLessThan(1e-6);
      expect(maxAbsDiff([curve.median.estimate, curve.median.lower, curve.median.upper], [num(c.median), num(c.median_lower), num(c.median_upper)]), `${label} median`).toBeLessThan(1e-9);
      expect(maxAbsDiff(numberAtRisk(curve, nums(c.risk_times)), nums(c.risk_n)), `${label} at risk`).toBe(0);
    }
  });
});
