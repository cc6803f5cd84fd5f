"""Parity reference for src/engine/analysis/svm.ts: scikit-learn's SVC (LIBSVM 3.x) on the
Wisconsin breast cancer data (sklearn.datasets.load_breast_cancer), standardised with the mean
and population standard deviation of all 569 rows (StandardScaler). Writes the standardised
data, the labels, and for each configuration the decision values, probabilities (Platt, 5-fold
CV inside LIBSVM with scikit-learn's own random generator, with the fitted sigmoid's probA_ and
probB_) and the support vectors.

Usage: python3 svm_breast_cancer.py <out.json>
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC


def main(out_path):
    data = load_breast_cancer()
    x = StandardScaler().fit_transform(data.data)
    # scikit-learn codes malignant as 0, benign as 1; kept as is.
    y = data.target.astype(int)
    configs = [
        {"name": "rbf", "kernel": "rbf", "C": 1.0, "gamma": 0.01},
        {"name": "rbf-C10", "kernel": "rbf", "C": 10.0, "gamma": 0.05},
        {"name": "linear", "kernel": "linear", "C": 0.1, "gamma": None},
    ]
    results = []
    for cfg in configs:
        kwargs = {"kernel": cfg["kernel"], "C": cfg["C"], "tol": 1e-3, "shrinking": True}
        if cfg["gamma"] is not None:
            kwargs["gamma"] = cfg["gamma"]
        t0 = time.perf_counter()
        plain = SVC(**kwargs).fit(x, y)
        fit_seconds = time.perf_counter() - t0
        prob = SVC(probability=True, random_state=0, **kwargs).fit(x, y)
        results.append({
            "name": cfg["name"],
            "kernel": cfg["kernel"],
            "C": cfg["C"],
            "gamma": cfg["gamma"],
            "fitSeconds": fit_seconds,
            "nSupport": int(plain.support_.shape[0]),
            "support": plain.support_.tolist(),
            "intercept": float(plain.intercept_[0]),
            "decision": plain.decision_function(x).tolist(),
            "probability": prob.predict_proba(x)[:, 1].tolist(),
            "probDecision": prob.decision_function(x).tolist(),
            "probA": float(prob.probA_[0]),
            "probB": float(prob.probB_[0]),
        })
    with open(out_path, "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "x": x.tolist(), "y": y.tolist(), "configs": results}, fh)


if __name__ == "__main__":
    main(sys.argv[1])
