#!/usr/bin/python3
"""Rebuild a real sklearn.ensemble.IsolationForest from a `sklearn-iforest-dump/1` JSON file.

`logforest export-sklearn model.lfm -o dump.json` writes the dump and copies this file beside it.

    from logforest_sklearn import load
    forest = load("dump.json")          # an sklearn.ensemble.IsolationForest, fitted
    forest.score_samples(X)             # the scores logforest's forest gives (<= 1e-12)
    forest.decision_function(X); forest.predict(X)

X holds the dump's columns in its order (`forest.feature_names_in_` when the dump names them;
a pandas DataFrame with those names is checked by scikit-learn, a plain array is taken as is).
Nothing is re-fitted: the trees are the dump's arrays (thresholds, children, features,
n_node_samples), with offset_, max_samples_ and estimators_features_ as stored.
Tested with Debian's scikit-learn 1.2.1; 1.3+ precomputes per-tree path lengths, set here too.

    /usr/bin/python3 logforest_sklearn.py dump.json rows.csv    # prints score_samples,decision_function,predict
"""
import csv
import json
import sys
import warnings

import numpy as np
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.tree import ExtraTreeRegressor
from sklearn.tree._tree import NODE_DTYPE, Tree

FORMAT = 'sklearn-iforest-dump/1'


def _tree(d, n_features):
    n = int(d['node_count'])
    nodes = np.zeros(n, dtype=NODE_DTYPE)
    nodes['left_child'] = d['children_left']
    nodes['right_child'] = d['children_right']
    nodes['feature'] = d['feature']
    nodes['threshold'] = np.asarray(d['threshold'], dtype=np.float64)
    nodes['n_node_samples'] = d['n_node_samples']
    nodes['weighted_n_node_samples'] = np.asarray(d['n_node_samples'], dtype=np.float64)
    if 'missing_go_to_left' in NODE_DTYPE.names:  # scikit-learn >= 1.3
        nodes['missing_go_to_left'] = 1
    left = np.asarray(d['children_left'])
    depth = np.zeros(n, dtype=np.int64)
    for i in range(n):
        if left[i] != -1:
            depth[left[i]] = depth[d['children_right'][i]] = depth[i] + 1
    tree = Tree(n_features, np.array([1], dtype=np.intp), 1)
    tree.__setstate__({'max_depth': int(depth.max()), 'node_count': n, 'nodes': nodes, 'values': np.zeros((n, 1, 1))})
    est = ExtraTreeRegressor(max_features=1, splitter='random')
    est.tree_ = tree
    est.n_features_in_ = n_features
    est.n_outputs_ = 1
    est.max_features_ = 1
    return est


def load(path_or_dump):
    """An sklearn IsolationForest built from a dump (a path or the parsed JSON)."""
    if isinstance(path_or_dump, dict):
        d = path_or_dump
    else:
        with open(path_or_dump) as f:
            d = json.load(f)
    if d.get('format') != FORMAT:
        raise ValueError(f'not a {FORMAT} dump (format: {d.get("format")!r})')
    n_features = int(d['n_features_in_'])
    max_features = int(d['max_features_'])
    if len(d['trees']) != d['n_estimators']:
        raise ValueError(f'{len(d["trees"])} trees but n_estimators = {d["n_estimators"]}')
    contamination = d['contamination']
    forest = IsolationForest(
        n_estimators=int(d['n_estimators']),
        max_samples=int(d['max_samples_']),
        contamination=contamination if contamination == 'auto' else float(contamination),
        max_features=max_features,
    )
    forest.estimators_ = [_tree(t, max_features) for t in d['trees']]
    forest.estimators_features_ = [np.asarray(f, dtype=np.intp) for f in d['estimators_features_']]
    forest.n_features_in_ = n_features
    forest._max_features = max_features
    forest.max_samples_ = int(d['max_samples_'])
    forest.offset_ = float(d['offset_'])
    forest._n_samples = int(d['max_samples_'])
    if 'columns' in d:
        forest.feature_names_in_ = np.asarray(d['columns'], dtype=object)
    if hasattr(forest.estimators_[0].tree_, 'compute_node_depths'):  # scikit-learn >= 1.3 scores from these
        forest._average_path_length_per_tree = [_average_path_length(e.tree_.n_node_samples) for e in forest.estimators_]
        forest._decision_path_lengths = [e.tree_.compute_node_depths() for e in forest.estimators_]
    return forest


def _main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    forest = load(sys.argv[1])
    with open(sys.argv[2], newline='') as f:
        rows = list(csv.reader(f))
    header, rows = [c.strip() for c in rows[0]], rows[1:]
    cols = list(getattr(forest, 'feature_names_in_', header))
    idx = [header.index(c) for c in cols]
    X = np.asarray([[float(r[i]) for i in idx] for r in rows], dtype=np.float64)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)  # a plain array has no feature names
        s, df, p = forest.score_samples(X), forest.decision_function(X), forest.predict(X)
    out = csv.writer(sys.stdout, lineterminator='\n')
    out.writerow(['score_samples', 'decision_function', 'predict'])
    for a, b, c in zip(s, df, p):
        out.writerow([repr(float(a)), repr(float(b)), int(c)])


if __name__ == '__main__':
    _main()
