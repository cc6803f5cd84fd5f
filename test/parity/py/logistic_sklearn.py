"""Parity reference for the binomial ridge fit of src/engine/analysis/glmnet: scikit-learn's
LogisticRegression (penalty='l2', solver='lbfgs', unpenalised intercept) on the Wisconsin
breast cancer data (sklearn.datasets.load_breast_cancer), standardised with the mean and
population standard deviation of all 569 rows (StandardScaler). Writes the standardised data,
the labels, and for each C the coefficients, intercept and predict_proba[:, 1] of

- solver='lbfgs', tol=1e-10, max_iter=10000 (the reference asked for). scikit-learn passes
  ftol = 64 * eps to scipy's L-BFGS-B, which stops it on the relative change of the objective
  long before the gradient reaches tol: on these data its coefficients are 5e-6 (C = 0.01) to
  1e-4 (C = 1) from the optimum (max |gradient| 5e-6 .. 3e-4);
- solver='newton-cholesky' (scikit-learn >= 1.2), same objective and tol, which converges to
  the optimum to about 1e-11 in under 10 Newton steps: the converged reference.

scikit-learn minimises 0.5 ||w||^2 + C sum_i logloss_i (the intercept is not penalised by lbfgs).

Usage: python3 logistic_sklearn.py <out.json>
"""
import json
import sys

import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def main(out_path):
    data = load_breast_cancer()
    x = StandardScaler().fit_transform(data.data)
    # scikit-learn codes malignant as 0, benign as 1; kept as is.
    y = data.target.astype(int)
    results = []
    for c in [0.01, 0.1, 1.0]:
        entry = {"C": c}
        for solver in ["lbfgs", "newton-cholesky"]:
            model = LogisticRegression(penalty="l2", C=c, solver=solver, tol=1e-10, max_iter=10000).fit(x, y)
            entry[solver] = {
                "nIter": int(model.n_iter_[0]),
                "coef": model.coef_[0].tolist(),
                "intercept": float(model.intercept_[0]),
                "probability": model.predict_proba(x)[:, 1].tolist(),
            }
        results.append(entry)
    with open(out_path, "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "x": x.tolist(), "y": y.tolist(), "configs": results}, fh)


if __name__ == "__main__":
    main(sys.argv[1])
