#!/usr/bin/python3
"""Statistical reference for the native-fit tests: scikit-learn scores of a large forest.

A single 100-tree forest is noisy: two scikit-learn forests with different random_state agree
only to Spearman 0.93-0.97 on the parity fixtures. To test that our own fitting matches
scikit-learn's *distribution* (not its random draws), the tests compare a large native forest
with a large scikit-learn forest, where seed noise is small. This script writes that reference.

usage: /usr/bin/python3 tools/sklearn/reference_scores.py TRAIN.json EXPECTED.json CONTAMINATION OUT.json [N_ESTIMATORS]

TRAIN.json / EXPECTED.json are the fixture files (`X` rows; the test rows are EXPECTED.json's
`test.X`). CONTAMINATION is 'auto' or a float. Writes test-row scores and train-row predictions.
"""
import json
import sys

import numpy as np
from sklearn import __version__ as sklearn_version
from sklearn.ensemble import IsolationForest


def main() -> None:
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    train_path, expected_path, contamination, out_path = sys.argv[1:5]
    n_estimators = int(sys.argv[5]) if len(sys.argv) == 6 else 1000
    contamination = contamination if contamination == 'auto' else float(contamination)
    with open(train_path) as f:
        X = np.asarray(json.load(f)['X'], dtype=np.float64)
    with open(expected_path) as f:
        X_test = np.asarray(json.load(f)['test']['X'], dtype=np.float64)
    model = IsolationForest(n_estimators=n_estimators, contamination=contamination, random_state=0).fit(X)
    out = {
        'format': 'sklearn-iforest-reference/1',
        'sklearn': sklearn_version,
        'n_estimators': n_estimators,
        'contamination': contamination,
        'random_state': 0,
        'offset_': float(model.offset_),
        'test_score_samples': [float(v) for v in model.score_samples(X_test)],
        'train_predict': [int(v) for v in model.predict(X)],
    }
    with open(out_path, 'w') as f:
        json.dump(out, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
