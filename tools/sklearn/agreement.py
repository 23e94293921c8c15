#!/usr/bin/python3
"""Statistical agreement of native logforest fits with scikit-learn fits (run by agreement.ts).

usage: /usr/bin/python3 tools/sklearn/agreement.py FIXTURE_DIR NATIVE.json

For each fixture: fits scikit-learn IsolationForest(random_state=s) for the seeds in NATIVE.json
on the training rows and prints, over the test rows,
  - sklearn(42) vs sklearn(s), s != 42: Spearman of score_samples and predict agreement (the
    seed-to-seed spread of scikit-learn itself), min / median / max;
  - logforest(42) vs sklearn(42): the same two figures;
  - logforest(s) vs sklearn(s) over the seeds, and logforest(42) vs logforest(s) (our own spread).
"""
import json
import sys

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import IsolationForest


def stats(pairs):
    rho = [spearmanr(a[0], b[0]).correlation for a, b in pairs]
    agree = [float(np.mean(np.asarray(a[1]) == np.asarray(b[1]))) for a, b in pairs]
    f = lambda v: f'{min(v):.4f} / {float(np.median(v)):.4f} / {max(v):.4f}' if len(v) > 1 else f'{v[0]:.4f}'
    return f(rho), f(agree)


def main():
    fixture_dir, native_path = sys.argv[1:3]
    with open(native_path) as f:
        native = json.load(f)
    print('| fixture | comparison | pairs | Spearman of score_samples (min / median / max) | predict agreement (min / median / max) |')
    print('|---|---|---|---|---|')
    for name, nat in native.items():
        with open(f'{fixture_dir}/{name}.train.json') as f:
            X = np.asarray(json.load(f)['X'], dtype=np.float64)
        with open(f'{fixture_dir}/{name}.expected.json') as f:
            T = np.asarray(json.load(f)['test']['X'], dtype=np.float64)
        c = nat['contamination']
        sk, ours = {}, {}
        for s in nat['seeds']:
            m = IsolationForest(random_state=s['seed'], contamination=c).fit(X)
            sk[s['seed']] = (m.score_samples(T), m.predict(T))
            ours[s['seed']] = (np.asarray(s['score_samples']), np.asarray(s['predict']))
        others = [s for s in sk if s != 42]
        rows = [
            ('scikit-learn seed 42 vs scikit-learn seeds 0-9', [(sk[42], sk[s]) for s in others]),
            ('logforest seed 42 vs scikit-learn seed 42', [(ours[42], sk[42])]),
            ('logforest seed s vs scikit-learn seed s, s = 0-9', [(ours[s], sk[s]) for s in others]),
            ('logforest seed 42 vs logforest seeds 0-9', [(ours[42], ours[s]) for s in others]),
        ]
        for label, pairs in rows:
            rho, agree = stats(pairs)
            print(f'| {name} ({len(T)} test rows, contamination {c}) | {label} | {len(pairs)} | {rho} | {agree} |')


if __name__ == '__main__':
    main()
