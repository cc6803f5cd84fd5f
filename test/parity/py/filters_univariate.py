"""Parity reference for src/engine/analysis/filters/univariate.ts: scipy's Welch t-test
(ttest_ind, equal_var=False), Mann-Whitney U / Wilcoxon rank-sum test by the normal
approximation with tie and continuity correction (mannwhitneyu, method="asymptotic",
use_continuity=True; identical to R's wilcox.test(exact=FALSE, correct=TRUE)) and Pearson's
chi-square test with Yates' correction on 2 x 2 tables (chi2_contingency, correction=True), on
data sets drawn here with a fixed seed: continuous, rounded (many ties), unequal group sizes,
tiny groups and strongly separated groups (p-values far in the tail).

Usage: python3 filters_univariate.py <out.json>
"""
import json
import sys

import numpy as np
import scipy
from scipy import stats


def two_sample_cases(rng):
    cases = []
    def add(name, a, b):
        cases.append({"name": name, "a": [float(v) for v in a], "b": [float(v) for v in b]})
    add("normal-equal-n", rng.normal(0, 1, 30), rng.normal(0.4, 1, 30))
    add("unequal-n-and-variance", rng.normal(1, 3, 12), rng.normal(0, 0.5, 47))
    add("rounded-ties", np.round(rng.normal(0, 1, 40), 0), np.round(rng.normal(0.5, 1, 35), 0))
    add("heavy-ties", rng.integers(0, 3, 25), rng.integers(1, 4, 18))
    add("tiny-groups", rng.normal(0, 1, 3), rng.normal(1, 1, 4))
    add("far-tail", rng.normal(0, 1, 200), rng.normal(2.5, 1, 180))
    add("skewed", rng.exponential(1, 50), rng.exponential(1.6, 60))
    add("identical-distributions", rng.normal(5, 2, 100), rng.normal(5, 2, 100))
    return cases


def main(out_path):
    rng = np.random.default_rng(20240601)
    results = []
    for case in two_sample_cases(rng):
        a = np.array(case["a"])
        b = np.array(case["b"])
        t = stats.ttest_ind(a, b, equal_var=False)
        u = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic", use_continuity=True)
        results.append({
            **case,
            "welchT": float(t.statistic),
            "welchP": float(t.pvalue),
            "mannWhitneyU": float(u.statistic),
            "wilcoxonP": float(u.pvalue),
        })
    tables = []
    for name, feature, cls in [
        ("2x2", rng.integers(0, 2, 80), rng.integers(0, 2, 80)),
        ("3x2", rng.integers(0, 3, 120), rng.integers(0, 2, 120)),
        ("4x3", rng.integers(0, 4, 200), rng.integers(0, 3, 200)),
    ]:
        cls = (cls + (feature == 1)) % (cls.max() + 1)  # some dependence
        levels_f = np.unique(feature)
        levels_c = np.unique(cls)
        table = np.array([[np.sum((feature == f) & (cls == c)) for c in levels_c] for f in levels_f])
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=True)
        tables.append({
            "name": name,
            "feature": feature.tolist(),
            "classes": cls.tolist(),
            "statistic": float(chi2),
            "pValue": float(p),
            "df": int(dof),
        })
    with open(out_path, "w") as fh:
        json.dump({"scipy": scipy.__version__, "twoSample": results, "chiSquare": tables}, fh)


if __name__ == "__main__":
    main(sys.argv[1])
