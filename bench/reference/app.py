#!/usr/bin/python3
"""BENCHMARK PEER, NOT PART OF LOGFOREST: a small re-implementation of the original Python design.

The design logforest replaced: FastAPI + pandas + scikit-learn, one uvicorn worker. Lines of the
shape `<timestamp> <host> <component>[<pid>]: <message>` are parsed with a regex into a pandas
DataFrame, turned into the five seed features (hour, dayofweek, pid, auth_failure,
failed_password) and scored by an `IsolationForest(contamination=0.01, random_state=42)` fitted at
start-up on the lines in $REFERENCE_TRAIN (one per line). `POST /analyze` takes `{"logs": [...]}`
and answers one verdict per parsed line. Used only by `pnpm bench:compare-analyze`
(bench/compare-analyze.ts), which starts it with Debian's python3-fastapi, python3-uvicorn,
python3-pandas and python3-sklearn:

  REFERENCE_TRAIN=lines.txt /usr/bin/python3 -m uvicorn --app-dir bench/reference app:app --port 8000
"""
import os
import warnings
import re
from typing import List

import pandas as pd
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from sklearn.ensemble import IsolationForest

warnings.filterwarnings('ignore', message='X does not have valid feature names')  # sklearn, inside predict

LINE = re.compile(r'^(?P<timestamp>\w{3}\s+\d{1,2}\s\d{2}:\d{2}:\d{2})\s(?P<host>\S+)\s(?P<component>[^\s\[]+)\[(?P<pid>\d+)\]:\s(?P<message>.*)$')
FEATURES = ['hour', 'dayofweek', 'pid', 'auth_failure', 'failed_password']


def parse(lines: List[str]) -> pd.DataFrame:
    rows = [m.groupdict() for m in (LINE.match(line) for line in lines) if m]
    df = pd.DataFrame(rows, columns=['timestamp', 'host', 'component', 'pid', 'message'])
    df['log'] = [line for line in lines if LINE.match(line)]
    return df


def features(df: pd.DataFrame) -> pd.DataFrame:
    ts = pd.to_datetime(df['timestamp'], format='%b %d %H:%M:%S', errors='coerce')
    out = pd.DataFrame({
        'hour': ts.dt.hour.fillna(-1),
        'dayofweek': ts.dt.dayofweek.fillna(-1),
        'pid': pd.to_numeric(df['pid'], errors='coerce').fillna(-1),
        'auth_failure': df['message'].str.contains('authentication failure', case=False).astype(int),
        'failed_password': df['message'].str.contains('failed password', case=False).astype(int),
    })
    return out[FEATURES]


def train(path: str) -> IsolationForest:
    with open(path, encoding='utf-8') as f:
        lines = [line.rstrip('\n') for line in f if line.strip()]
    X = features(parse(lines))
    if len(X) == 0:
        raise SystemExit(f'{path}: no line matches <timestamp> <host> <component>[<pid>]: <message>')
    return IsolationForest(contamination=0.01, random_state=42).fit(X)


app = FastAPI(title='reference (benchmark peer)')
model = train(os.environ['REFERENCE_TRAIN'])


class AnalyzeRequest(BaseModel):
    logs: List[str]


@app.get('/healthz')
def healthz():
    return {'ok': True}


@app.post('/analyze')
def analyze(req: AnalyzeRequest):
    df = parse(req.logs)
    if len(df) == 0:
        raise HTTPException(status_code=400, detail='no line matches the expected format')
    X = features(df)
    scores = -model.score_samples(X)
    labels = model.predict(X)
    threshold = -model.offset_
    return [
        {'timestamp': t, 'log': log, 'anomaly_score': float(s), 'is_anomaly': bool(p == -1), 'threshold': float(threshold)}
        for t, log, s, p in zip(df['timestamp'], df['log'], scores, labels)
    ]
