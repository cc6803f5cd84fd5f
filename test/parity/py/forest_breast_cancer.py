"""Distributional parity reference for src/engine/analysis/forest/: scikit-learn's
RandomForestClassifier (500 trees, max_features='sqrt', bootstrap, fully grown Gini trees) on a
fixed stratified 70/30 train/test split of the Wisconsin breast cancer data, for several seeds.
Random forests cannot match draw for draw across implementations, so the test AUCs are compared.

Usage: python3 forest_breast_cancer.py <out.json>
"""
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

SEEDS = [0, 1, 2, 3, 4]


def main(out_path):
    data = load_breast_cancer()
    x, y = data.data, data.target.astype(int)
    idx = np.arange(len(y))
    train, test = train_test_split(idx, test_size=0.3, stratify=y, random_state=20240601)
    runs = []
    for seed in SEEDS:
        t0 = time.perf_counter()
        rf = RandomForestClassifier(n_estimators=500, max_features="sqrt", random_state=seed, oob_score=True, n_jobs=1)
        rf.fit(x[train], y[train])
        seconds = time.perf_counter() - t0
        prob = rf.predict_proba(x[test])[:, 1]
        runs.append({
            "seed": seed,
            "testAuc": float(roc_auc_score(y[test], prob)),
            "oobAccuracy": float(rf.oob_score_),
            "fitSeconds": seconds,
        })
    with open(out_path, "w") as fh:
        json.dump({
            "sklearn": sklearn.__version__,
            "x": x.tolist(),
            "y": y.tolist(),
            "train": sorted(int(i) for i in train),
            "test": sorted(int(i) for i in test),
            "runs": runs,
        }, fh)


if __name__ == "__main__":
    main(sys.argv[1])
