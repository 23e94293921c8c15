#!/usr/bin/python3
"""scikit-learn side of `pnpm bench:compare` (a benchmark peer, not part of logforest).

A persistent child process, so Python's start-up and imports are never timed. The parent writes
one JSON command per line on stdin and reads one JSON answer per line on stdout:

  {"op": "hello"}                                   -> {"ok": true, "sklearn": "1.2.1", ...}
  {"op": "load", "name": "a", "path": "/tmp/x.f64", "rows": N, "cols": C}
                                                    -> {"ok": true}   (raw little-endian float64)
  {"op": "fit", "name": "a", "contamination": 0.01 | "auto", "model": "m", "seed": 42}
                                                    -> {"ok": true, "wall_ms", "cpu_ms", "offset"}
  {"op": "score", "model": "m", "name": "a"}        -> {"ok": true, "wall_ms", "cpu_ms", "checksum"}
  {"op": "one", "model": "m", "name": "a", "calls": K}
                                                    -> {"ok": true, "wall_ms", "cpu_ms"} (K single-row calls)
  {"op": "dump", "model": "m", "path": "/tmp/m.json"} -> {"ok": true}  (sklearn-iforest-dump/1)

Times are measured here around the scikit-learn call only (perf_counter and process_time).
"""
import json
import os
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.ensemble import IsolationForest
except ImportError as e:  # the parent turns this into its "what is missing" message
    print(json.dumps({'ok': False, 'missing': str(e)}), flush=True)
    sys.exit(3)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'tools', 'sklearn'))
from export_sklearn import dump  # noqa: E402  (the repo's own exporter)

data = {}
models = {}


def timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000


def handle(cmd):
    op = cmd['op']
    if op == 'hello':
        return {'sklearn': sklearn.__version__, 'numpy': np.__version__, 'python': sys.version.split()[0]}
    if op == 'load':
        X = np.fromfile(cmd['path'], dtype='<f8')
        data[cmd['name']] = X.reshape(cmd['rows'], cmd['cols'])
        return {}
    if op == 'fit':
        X = data[cmd['name']]
        model = IsolationForest(n_estimators=100, max_samples='auto', contamination=cmd['contamination'],
                                random_state=cmd.get('seed', 42))
        _, wall, cpu = timed(lambda: model.fit(X))
        models[cmd['model']] = model
        return {'wall_ms': wall, 'cpu_ms': cpu, 'offset': float(model.offset_)}
    if op == 'score':
        model, X = models[cmd['model']], data[cmd['name']]
        s, wall, cpu = timed(lambda: model.score_samples(X))
        return {'wall_ms': wall, 'cpu_ms': cpu, 'checksum': float(np.sum(s))}
    if op == 'one':
        model, X = models[cmd['model']], data[cmd['name']]
        rows = [X[i:i + 1] for i in range(cmd['calls'])]
        _, wall, cpu = timed(lambda: [model.score_samples(r) for r in rows])
        return {'wall_ms': wall, 'cpu_ms': cpu}
    if op == 'dump':
        with open(cmd['path'], 'w') as f:
            json.dump(dump(models[cmd['model']]), f)
        return {}
    raise ValueError(f'unknown op {op!r}')


for line in sys.stdin:
    if not line.strip():
        continue
    try:
        answer = {'ok': True, **handle(json.loads(line))}
    except Exception as e:  # report, keep serving
        answer = {'ok': False, 'error': f'{type(e).__name__}: {e}'}
    print(json.dumps(answer), flush=True)
