"""Reference values for test/parity/metrics-distributions.test.ts: scipy's normal CDF and
quantile, Student t CDF, chi-square upper tail, log-gamma and regularised incomplete beta and
gamma functions on a grid covering the centre and far tails. Usage: python3 <script> <out.json>
"""
import json
import sys

import numpy as np
import scipy
from scipy import special, stats


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 metrics_distributions.py <out.json>")
    x = np.concatenate([np.linspace(-37, 8, 181), [0.001, 0.01, 1e-5]])
    p = np.concatenate([np.logspace(-300, -1, 120), np.linspace(0.01, 0.99, 99), 1 - np.logspace(-15, -2, 40)])
    t_cases = [(t, df) for t in (-40.0, -7.5, -2.0, -0.3, 0.0, 0.01, 1.0, 2.2, 5.0, 30.0) for df in (1, 2, 3.5, 10, 29, 100, 1000)]
    chi_cases = [(q, k) for q in (1e-4, 0.1, 1.0, 3.84, 10.0, 50.0, 300.0) for k in (1, 2, 3, 7.5, 20, 100)]
    lg = np.concatenate([np.logspace(-8, 5, 60), [0.5, 1.5, 2.5, 14.9, 15.0, 15.1]])
    beta_cases = [(xx, a, b) for xx in (1e-6, 0.05, 0.3, 0.5, 0.77, 0.999) for a in (0.5, 1, 2.5, 40, 300) for b in (0.5, 3, 60)]
    gamma_cases = [(a, xx) for a in (0.5, 1, 4.2, 30, 250) for xx in (1e-3, 0.7, 5, 29, 260, 600)]
    out = {
        "versions": {"scipy": scipy.__version__},
        "normal_cdf": [[float(v), float(stats.norm.cdf(v))] for v in x],
        "normal_ppf": [[float(v), float(stats.norm.ppf(v))] for v in p],
        "t_cdf": [[t, df, float(stats.t.cdf(t, df))] for t, df in t_cases],
        "chi2_sf": [[q, k, float(stats.chi2.sf(q, k)), float(stats.chi2.cdf(q, k))] for q, k in chi_cases],
        "gammaln": [[float(v), float(special.gammaln(v))] for v in lg],
        "betainc": [[xx, a, b, float(special.betainc(a, b, xx))] for xx, a, b in beta_cases],
        "gammainc": [[a, xx, float(special.gammainc(a, xx)), float(special.gammaincc(a, xx))] for a, xx in gamma_cases],
    }
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
