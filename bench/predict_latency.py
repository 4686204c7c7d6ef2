"""In-process vs. HTTP prediction latency of a generated project.

Run with the project's own interpreter, from the project folder, while `make serve` listens on URL:

    .venv/bin/python /path/to/bench/predict_latency.py --module my_project --url http://127.0.0.1:8000

It loads the current model with the package's `Predictor` (what batch prediction and the API use),
draws rows from data/processed/test.csv, and times single-row and batch predictions both in process
and through POST /predict (one keep-alive connection). Prints medians (with --json, as one JSON
object on stdout); nothing is written.
"""

from __future__ import annotations

import argparse
import http.client
import importlib
import json
import statistics
import time
from urllib.parse import urlparse

import pandas as pd


def median_ms(func, repeat: int) -> float:
    """Median wall time of `func()` in milliseconds, after one warm-up call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", required=True, help="the generated package's import name")
    parser.add_argument("--url", required=True, help="where `make serve` listens")
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per measurement")
    parser.add_argument("--batch", type=int, default=1000, help="rows in a batch request")
    parser.add_argument("--json", action="store_true", help="print the medians as JSON")
    args = parser.parse_args()

    predict = importlib.import_module(f"{args.module}.predict")
    predictor = predict.Predictor.load()
    target = predictor.metadata["target"]
    rows = pd.read_csv("data/processed/test.csv").drop(columns=[target])
    single = rows.head(1)
    batch = rows.sample(args.batch, replace=True, random_state=0).reset_index(drop=True)

    url = urlparse(args.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)

    def post(frame: pd.DataFrame) -> None:
        body = json.dumps({"instances": json.loads(frame.to_json(orient="records"))})
        connection.request("POST", "/predict", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"POST /predict answered {response.status}")

    results = {
        "in_process_row": median_ms(lambda: predictor.predict(single), args.repeat),
        "in_process_batch": median_ms(lambda: predictor.predict(batch), args.repeat // 10),
        "http_row": median_ms(lambda: post(single), args.repeat),
        "http_batch": median_ms(lambda: post(batch), args.repeat // 10),
    }
    connection.close()
    if args.json:
        print(json.dumps({"batch": args.batch, "ms_per_call": results}))
        return
    for name, ms in results.items():
        where, size = name.rsplit("_", 1)
        rows_in_call = args.batch if size == "batch" else 1
        label = f"{where.replace('_', '-')}, {rows_in_call} row(s)"
        print(f"{label:<26} median {ms:8.2f} ms/call  {ms / rows_in_call:8.3f} ms/row")


if __name__ == "__main__":
    main()
