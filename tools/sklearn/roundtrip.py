#!/usr/bin/python3
"""Round-trip helper for the scikit-learn interop tests (packages/cli/src/commands/sklearn-roundtrip.test.ts).

  /usr/bin/python3 tools/sklearn/roundtrip.py fit CASES.json DIR
      for each case: DIR/NAME.csv (header + rows, made from the case's shape and seed),
      DIR/NAME.dump.json (a scikit-learn IsolationForest fitted with the case's params, exported
      as export_sklearn.py does) and DIR/NAME.sklearn.json (its score_samples, decision_function, predict)
  /usr/bin/python3 tools/sklearn/roundtrip.py score CASES.json DIR
      for each case: load DIR/NAME.back.json with logforest_sklearn.load and score DIR/NAME.csv
      into DIR/NAME.loaded.json

CASES.json: [{"name", "shape": one|eleven|gauss, "rows", "cols", "seed", "params": {...}}, ...]
(score mode: {"name", "csv"?, "limit"?}: csv defaults to NAME.csv, limit scores only the first rows);
params are IsolationForest keyword arguments (random_state defaults to 42).
One process handles every case, so a test pays Python's start-up once per direction.
"""
import json
import os
import sys
import warnings

import numpy as np
from sklearn.ensemble import IsolationForest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_sklearn import dump  # noqa: E402
from logforest_sklearn import load  # noqa: E402


def matrix(case):
    rng = np.random.RandomState(case['seed'])
    n = case['rows']
    shape = case['shape']
    if shape == 'one':
        X = rng.normal(size=(n, 1))
        X[: max(1, n // 50), 0] += 8  # a few far outliers
        return X, ['value']
    if shape == 'eleven':
        cols = {
            'constant': np.full(n, 7.0),
            'tiny_variance': 1.0 + 1e-9 * rng.normal(size=n),
            'huge': 1e30 * rng.normal(size=n),
            'negative_huge': -1e20 * rng.exponential(size=n),
            'integer': rng.randint(0, 5, size=n).astype(np.float64),
            'binary': (rng.uniform(size=n) < 0.03).astype(np.float64),
            'uniform': rng.uniform(-1, 1, size=n),
            'heavy_tail': rng.standard_cauchy(size=n),
            'small': 1e-30 * rng.normal(size=n),
            'hour': rng.randint(0, 24, size=n).astype(np.float64),
            'gauss': rng.normal(size=n),
        }
        return np.column_stack(list(cols.values())), list(cols)
    d = case['cols']
    X = rng.normal(size=(n, d))
    k = max(1, n // 100)
    X[:k] = rng.uniform(-6, 6, size=(k, d))
    return X, [f'f{i}' for i in range(d)]


def write_csv(path, X, columns):
    with open(path, 'w') as f:
        f.write(','.join(columns) + '\n')
        for row in X:
            f.write(','.join(repr(float(v)) for v in row) + '\n')


def scores(model, X):
    """score_samples, decision_function and predict. Each of scikit-learn's three calls walks every
    tree again, so past 20,000 rows the last two are derived as scikit-learn 1.2.1 derives them
    (`decision_function` = `score_samples(X) - offset_`; `predict` = -1 where it is < 0, else 1)."""
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)  # plain arrays have no feature names
        s = model.score_samples(X)
        if X.shape[0] <= 20000:
            d, p = model.decision_function(X), model.predict(X)
        else:
            d = s - model.offset_
            p = np.where(d < 0, -1, 1)
        return {
            'score_samples': [float(v) for v in s],
            'decision_function': [float(v) for v in d],
            'predict': [int(v) for v in p],
        }


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(',')
    return np.loadtxt(path, delimiter=',', skiprows=1, ndmin=2), header


def main():
    mode, cases_path, out = sys.argv[1:4]
    with open(cases_path) as f:
        cases = json.load(f)
    for case in cases:
        base = os.path.join(out, case['name'])
        if mode == 'fit':
            X, columns = matrix(case)
            write_csv(base + '.csv', X, columns)
            params = {'random_state': 42, **case.get('params', {})}
            model = IsolationForest(**params).fit(X)
            with open(base + '.dump.json', 'w') as f:
                json.dump(dump(model, columns), f, separators=(',', ':'))
            with open(base + '.sklearn.json', 'w') as f:
                json.dump(scores(model, X), f, separators=(',', ':'))
        elif mode == 'score':
            X, _ = read_csv(os.path.join(out, case.get('csv', case['name'] + '.csv')))
            if 'limit' in case:
                X = X[: case['limit']]
            model = load(base + '.back.json')
            if not isinstance(model, IsolationForest):
                sys.exit(f'{case["name"]}: loader gave {type(model).__name__}')
            with open(base + '.loaded.json', 'w') as f:
                json.dump(scores(model, X), f, separators=(',', ':'))
        else:
            sys.exit(f'unknown mode {mode}')


if __name__ == '__main__':
    main()
