#!/usr/bin/python3
"""Export a scikit-learn IsolationForest as a `sklearn-iforest-dump/1` JSON file.

logforest imports the dump with `importSklearnDump` (packages/core/src/forest/sklearn.ts) and
then scores exactly as scikit-learn does. Either fit a new forest on a CSV of features, or load
a forest fitted elsewhere (joblib or pickle file). See tools/sklearn/README.md.

  /usr/bin/python3 tools/sklearn/export_sklearn.py --csv features.csv --out model.json \\
      [--n-estimators 100] [--max-samples auto] [--contamination 0.01] [--random-state 42] \\
      [--max-features 1.0] [--bootstrap] [--scores scores.json]
  /usr/bin/python3 tools/sklearn/export_sklearn.py --model forest.joblib --out model.json \\
      [--csv rows.csv --scores scores.json]

--scores writes scikit-learn's own results for the CSV rows (score_samples, decision_function,
predict, path_length_sum) so the import can be checked with tools/sklearn/check_dump.ts.
"""
import argparse
import csv
import json
import platform
import sys

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length

FORMAT = 'sklearn-iforest-dump/1'


def read_csv(path):
    """Rows of numbers; a first row that does not parse as numbers is taken as the header."""
    with open(path, newline='') as f:
        rows = [r for r in csv.reader(f) if r]
    if not rows:
        sys.exit(f'{path}: no rows')
    columns = None
    try:
        [float(v) for v in rows[0]]
    except ValueError:
        columns, rows = [c.strip() for c in rows[0]], rows[1:]
    try:
        X = np.asarray([[float(v) for v in r] for r in rows], dtype=np.float64)
    except ValueError as e:
        sys.exit(f'{path}: non-numeric value ({e})')
    if X.ndim != 2 or X.shape[0] == 0:
        sys.exit(f'{path}: expected a non-empty rectangular table')
    return X, columns or [f'x{i}' for i in range(X.shape[1])]


def number_or_auto(text, kind):
    """'auto', or a number: for int-kind options an int unless written as a float ('0.5', '1e-1')."""
    if text == 'auto':
        return text
    if kind is int and not any(c in text for c in '.eE'):
        return int(text)
    return float(text)


def cpu_has_avx512f():
    try:
        with open('/proc/cpuinfo') as f:
            return ' avx512f' in f.read()
    except OSError:
        return False


def tree_dump(est):
    t = est.tree_
    return {
        'node_count': int(t.node_count),
        'max_depth': int(t.max_depth),
        'feature': [int(v) for v in t.feature],
        'threshold': [float(v) for v in t.threshold],
        'children_left': [int(v) for v in t.children_left],
        'children_right': [int(v) for v in t.children_right],
        'n_node_samples': [int(v) for v in t.n_node_samples],
    }


def dump(model, columns=None):
    """The dump as a dict (keys as in shared/fixtures/sklearn/README.md)."""
    n_features = int(model.n_features_in_)
    max_features = int(getattr(model, '_max_features', n_features))
    max_samples = int(model.max_samples_)
    table = _average_path_length(np.arange(max_samples + 1))
    params = model.get_params()
    out = {
        'format': FORMAT,
        'env': {
            'sklearn': sklearn.__version__,
            'numpy': np.__version__,
            'python': platform.python_version(),
            'machine': platform.machine(),
            'cpu_avx512f': cpu_has_avx512f(),
            'note': 'np.log / np.power results can differ by 1 ulp between CPUs (numpy SIMD dispatch); compare scores with a tolerance',
        },
        'params': {k: params[k] for k in ('n_estimators', 'max_samples', 'contamination', 'max_features', 'bootstrap', 'random_state')},
        'n_estimators': len(model.estimators_),
        'max_samples_': max_samples,
        'offset_': float(model.offset_),
        'contamination': model.contamination if model.contamination == 'auto' else float(model.contamination),
        'n_features_in_': n_features,
        'max_features_': max_features,
        'subsample_features': max_features != n_features,
        'estimators_features_': [[int(v) for v in f] for f in model.estimators_features_],
        'tree_max_depth_limit': int(np.ceil(np.log2(max(max_samples, 2)))),
        'leaf_marker': -1,
        'undefined_feature': -2,
        'average_path_length_max_samples': float(_average_path_length([max_samples])[0]),
        'average_path_length_table': [float(v) for v in table],
        'trees': [tree_dump(e) for e in model.estimators_],
    }
    if columns is not None:
        out['columns'] = columns
    return out


def path_length_sum(model, X):
    """scikit-learn's un-normalised `depths` (same operations as `_compute_score_samples`)."""
    subsample = model._max_features != X.shape[1]
    depths = np.zeros(X.shape[0], order='f')
    for tree, features in zip(model.estimators_, model.estimators_features_):
        X_subset = X[:, features] if subsample else X
        leaves = tree.apply(X_subset)
        node_indicator = tree.decision_path(X_subset)
        n_samples_leaf = tree.tree_.n_node_samples[leaves]
        depths += np.ravel(node_indicator.sum(axis=1)) + _average_path_length(n_samples_leaf) - 1.0
    return depths


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--csv', help='feature rows to fit on (or, with --model, to score for --scores)')
    ap.add_argument('--model', help='fitted IsolationForest saved with joblib.dump or pickle')
    ap.add_argument('--out', required=True, help='dump JSON to write')
    ap.add_argument('--scores', help="also write scikit-learn's results for the CSV rows here")
    ap.add_argument('--n-estimators', type=int, default=100)
    ap.add_argument('--max-samples', default='auto', help="'auto', an int row count or a float fraction")
    ap.add_argument('--contamination', default='auto', help="'auto' or a float in (0, 0.5]")
    ap.add_argument('--max-features', default='1.0', help='int column count or float fraction')
    ap.add_argument('--bootstrap', action='store_true')
    ap.add_argument('--random-state', type=int, default=42)
    args = ap.parse_args()

    X, columns = read_csv(args.csv) if args.csv else (None, None)
    if args.model:
        import joblib  # Debian python3-joblib, a dependency of python3-sklearn

        model = joblib.load(args.model)
        if not isinstance(model, IsolationForest):
            sys.exit(f'{args.model}: not an IsolationForest but {type(model).__name__}')
        columns = None if X is None or X.shape[1] != model.n_features_in_ else columns
    elif X is not None:
        model = IsolationForest(
            n_estimators=args.n_estimators,
            max_samples=number_or_auto(args.max_samples, int),
            contamination=number_or_auto(args.contamination, float),
            max_features=number_or_auto(args.max_features, int),
            bootstrap=args.bootstrap,
            random_state=args.random_state,
        ).fit(X)
    else:
        sys.exit('give --csv to fit, or --model to export a fitted forest')

    with open(args.out, 'w') as f:
        json.dump(dump(model, columns), f, separators=(',', ':'))
    if args.scores:
        if X is None:
            sys.exit('--scores needs --csv rows to score')
        result = {
            'format': FORMAT + '/scores',
            'n_rows': int(X.shape[0]),
            'score_samples': [float(v) for v in model.score_samples(X)],
            'decision_function': [float(v) for v in model.decision_function(X)],
            'predict': [int(v) for v in model.predict(X)],
            'path_length_sum': [float(v) for v in path_length_sum(model, X)],
        }
        with open(args.scores, 'w') as f:
            json.dump(result, f, separators=(',', ':'))


if __name__ == '__main__':
    main()
