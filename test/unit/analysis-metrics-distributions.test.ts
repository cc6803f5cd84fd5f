/**
 * Distribution functions against reference values. Source of every value: scipy 1.10.1
 * (Debian bookworm python3-scipy), printed with repr(float(...)) from scipy.stats.norm.cdf/ppf,
 * scipy.special.gammaln/betainc/gammainc/gammaincc, scipy.stats.t.cdf/sf/ppf and
 * scipy.stats.chi2.cdf/sf, e.g. `python3 -c "from scipy import stats; print(repr(stats.norm.ppf(0.025)))"`.
 * Student's t quantiles are from R 4.2.2 qt() (see there why not scipy).
 * The textbook values Φ⁻¹(0.975) = 1.959963984540054 and χ²₁(3.84) ≈ 0.95 agree with the tables.
 */
import { describe, expect, it } from 'vitest';
import {
  chiSquareCdf,
  chiSquareSurvival,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTCdf,
  studentTQuantile,
  studentTTwoSidedP,
} from '../../src/engine/analysis/metrics/distributions';

/** Relative error within 1e-10 (absolute for a reference value of exactly 0). */
function expectClose(got: number, want: number, rel = 1e-10): void {
  if (want === 0) {
    expect(Math.abs(got)).toBeLessThanOrEqual(rel);
    return;
  }
  const err = Math.abs(got - want) / Math.abs(want);
  expect(err, `got ${got}, want ${want}`).toBeLessThanOrEqual(rel);
}

describe('standard normal', () => {
  const cdf: [number, number][] = [
    [-20, 2.7536241186061556e-89],
    [-8.5, 9.47953482220325e-18],
    [-5, 2.866515718791933e-7],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145707],
    [-0.5, 0.3085375387259869],
    [0.1, 0.539827837277029],
    [1, 0.8413447460685429],
    [2.5, 0.9937903346742238],
    [7, 0.9999999999987201],
  ];
  it.each(cdf)('Φ(%d) matches scipy.stats.norm.cdf, also in the far tail', (x, want) => {
    expectClose(normalCdf(x), want);
  });

  const ppf: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-20, -9.262340089798409],
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.025, -1.9599639845400545],
    [0.1, -1.2815515655446004],
    [0.3, -0.5244005127080409],
    [0.7, 0.5244005127080407],
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
    [1 - 1e-12, 7.0344869100478356],
  ];
  it.each(ppf)('Φ⁻¹(%d) matches scipy.stats.norm.ppf (AS 241, all three regions)', (p, want) => {
    expectClose(normalQuantile(p), want);
  });

  it('inverts the CDF and handles the ends', () => {
    for (const x of [-6, -2.2, -0.3, 0.01, 1.4, 3.9]) expectClose(normalQuantile(normalCdf(x)), x, 1e-12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.2)).toBeNaN();
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });
});

describe('gamma and beta functions', () => {
  const lg: [number, number][] = [
    [0.001, 6.907178885383853],
    [0.5, 0.5723649429247],
    [1.5, -0.12078223763524526],
    [3.7, 1.428072326665388],
    [10, 12.801827480081469],
    [25.3, 55.746181183584596],
    [171.2, 707.60092684767],
    [1e5, 1051287.7089736569],
  ];
  it.each(lg)('ln Γ(%d) matches scipy.special.gammaln', (x, want) => {
    expectClose(logGamma(x), want);
  });

  it('is exact where Γ is an integer factorial', () => {
    expect(logGamma(1)).toBe(0);
    expect(logGamma(2)).toBe(0);
    expectClose(logGamma(6), Math.log(120), 1e-14);
    expect(logGamma(0)).toBeNaN();
  });

  const ib: [number, number, number, number][] = [
    [0.3, 2, 3, 0.3483], // exact: I_0.3(2,3) = 1 - (1-0.3)^4 - 4*0.3*(0.7)^3 = 0.3483
    [0.9, 0.5, 0.5, 0.7951672353008662],
    [0.01, 10, 1.5, 3.683280560496163e-20],
    [0.7, 200, 80, 0.29374688750764266],
    [0.5, 1, 1, 0.5],
  ];
  it.each(ib)('I_%d(%d, %d) matches scipy.special.betainc', (x, a, b, want) => {
    expectClose(regularizedBeta(x, a, b), want);
  });

  const ig: [number, number, number, number][] = [
    [0.5, 0.1, 0.34527915398142317, 0.6547208460185768],
    [3, 2, 0.32332358381693654, 0.6766764161830634],
    [10, 25, 0.9997785233617512, 0.0002214766382487835],
    [100, 90, 0.15822098918643007, 0.84177901081357],
  ];
  it.each(ig)('P(%d, %d) and Q match scipy.special.gammainc/gammaincc', (a, x, p, q) => {
    expectClose(regularizedGammaP(a, x), p);
    expectClose(regularizedGammaQ(a, x), q);
  });
});

describe("Student's t", () => {
  const t: [number, number, number, number][] = [
    [2.1, 3, 0.9367173987251578, 0.12656520254968454],
    [-1.3, 7.5, 0.11606338940780428, 0.23212677881560856],
    [0.2, 1, 0.5628329581890013, 0.8743340836219977],
    [4, 1000, 0.9999659950403956, 6.800991920878155e-5],
    [-12, 5, 3.544746258580764e-5, 7.089492517161528e-5],
    [1.96, 30, 0.9703288435519748, 0.05934231289605053],
    [0.001, 2, 0.5003535533022049, 0.99929289339559],
  ];
  it.each(t)('t = %d, df = %d: CDF and two-sided p match scipy.stats.t', (x, df, cdf, p2) => {
    expectClose(studentTCdf(x, df), cdf);
    expectClose(studentTTwoSidedP(x, df), p2);
  });

  const q: [number, number, number][] = [
    [0.975, 10, 2.2281388519862739],
    [0.995, 3, 5.8409093097333544],
    [0.9, 1, 3.0776835371752544], // exact: tan(0.4 π) = 3.0776835371752534…
    [0.975, 2.5, 3.5746548420036919],
    [0.999, 100, 3.1737394937387822],
  ];
  // Reference: R 4.2.2 qt(p, df) printed with digits = 17. scipy 1.10's t.ppf (cephes stdtrit)
  // is only good to ~2e-9 here (its own t.sf at its quantile is 0.005000000024, not 0.005).
  it.each(q)('quantile %d with df = %d matches R qt', (p, df, want) => {
    expectClose(studentTQuantile(p, df), want);
    expectClose(studentTQuantile(1 - p, df), -want, 1e-9);
  });
});

describe('chi-square', () => {
  const c: [number, number, number, number][] = [
    [3.84, 1, 0.9499564787512949, 0.05004352124870519],
    [0.5, 2, 0.22119921692859512, 0.7788007830714049],
    [12, 5, 0.9652122194937581, 0.03478778050624185],
    [100, 50, 0.9999654506861702, 3.454931382984871e-5],
    [200, 10, 1, 1.6139305336977317e-37],
    [0.001, 3, 8.40791905804616e-6, 0.9999915920809419],
  ];
  it.each(c)('x = %d, k = %d: CDF and upper tail match scipy.stats.chi2', (x, k, cdf, sf) => {
    expectClose(chiSquareCdf(x, k), cdf);
    expectClose(chiSquareSurvival(x, k), sf);
  });

  it('has the exponential closed form for 2 degrees of freedom', () => {
    for (const x of [0.1, 1, 7.5]) expectClose(chiSquareSurvival(x, 2), Math.exp(-x / 2), 1e-13);
  });
});
