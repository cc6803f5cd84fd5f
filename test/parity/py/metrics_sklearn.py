"""Reference values for the metrics parity test (test/parity/metrics-sklearn.test.ts).

scikit-learn's roc_auc_score, roc_curve (with and without drop_intermediate) and
brier_score_loss on the Wisconsin breast cancer data set that ships with scikit-learn
(569 samples, 212 malignant), with a fixed, deterministic score: a linear combination of the
standardised features with fixed weights (no fitting), squashed by the logistic function. A second score is
the same rounded to one decimal, to exercise ties. Usage: python3 metrics_sklearn.py <out.json>
"""
import json
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import brier_score_loss, confusion_matrix, roc_auc_score, roc_curve


def curve(y, s, drop):
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=drop)
    # The first threshold is +inf in scikit-learn >= 1.3 and max(s) + 1 before; JSON has no
    # infinity, so it is left out and the TypeScript side checks it separately.
    return {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": thr[1:].tolist()}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: python3 metrics_sklearn.py <out.json>")
    data = load_breast_cancer()
    # Target 0 = malignant; make malignant the positive class (label 1).
    y = (data.target == 0).astype(int)
    x = data.data
    z = (x - x.mean(axis=0)) / x.std(axis=0)
    # A few known malignancy markers (mean radius, texture, concave points; worst area and
    # smoothness) plus a small fixed weight on every feature so all ties are broken.
    weights = np.array([((j * 7) % 11 - 5) / 100.0 for j in range(z.shape[1])])
    for j, w in ((0, 0.8), (1, 0.5), (7, 1.0), (23, 0.7), (24, 0.4)):
        weights[j] += w
    p = 1.0 / (1.0 + np.exp(-(z @ weights + 0.5) / 2.0))
    p_tied = np.round(p, 1)
    cases = []
    for name, s in (("continuous", p), ("tied", p_tied)):
        cm = confusion_matrix(y, (s >= 0.5).astype(int), labels=[0, 1])
        cases.append({
            "name": name,
            "score": s.tolist(),
            "auc": float(roc_auc_score(y, s)),
            "brier": float(brier_score_loss(y, s)),
            "roc_all": curve(y, s, False),
            "roc_dropped": curve(y, s, True),
            # sklearn's confusion_matrix rows are true labels, columns predictions: [[tn, fp], [fn, tp]].
            "confusion_at_half": {"tn": int(cm[0, 0]), "fp": int(cm[0, 1]), "fn": int(cm[1, 0]), "tp": int(cm[1, 1])},
        })
    out = {"versions": {"sklearn": sklearn.__version__, "numpy": np.__version__}, "y": y.tolist(), "cases": cases}
    with open(sys.argv[1], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
