"""What a model version records in its metadata.json: its inputs, its scores, its origin.

The metadata is the contract between training and everything after it. The input schema (each
column's kind, type, categories and an example) is what batch prediction checks rows against
and what the API builds its request body from. The rest (hyper-parameters, the sha256 of the
data it saw, library versions, the git commit) is what a reader needs later to trust the model
and trace it to its data and code. artifact.py writes it beside model.joblib.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import time
from importlib import metadata as installed
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.pipeline import Pipeline

from .artifact import file_sha256
from .columns import FeatureSpec, is_boolean, is_numeric
from .config import Config
from .dates import middle_date
from .estimators import estimator_name
from .features import category_label
from .sources import read_record

#: Recorded in every model's metadata: a model loaded under other versions may behave differently.
LIBRARIES = ("scikit-learn", "pandas", "numpy", "joblib", "pydantic")
#: At most this many categories of a column are listed in the input schema.
MAX_LISTED_CATEGORIES = 200


def model_metadata(
    cfg: Config,
    pipeline: Pipeline,
    spec: FeatureSpec,
    train: pd.DataFrame,
    test: pd.DataFrame,
    metrics: dict[str, Any],
) -> dict[str, Any]:
    """The metadata of a newly trained model; saving adds its version and its own sha256."""
    model = pipeline[-1]
    return {
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "task": cfg.task,
        "target": cfg.data.target,
        "classes": pipeline.classes_.tolist() if cfg.task == "classification" else None,
        "model": {
            "name": cfg.model.name,
            "estimator": estimator_name(model),
            "params": json_params(model.get_params()),
        },
        "input_schema": input_schema(train, spec),
        "dropped_columns": spec.dropped,
        "metrics": metrics,
        "data": {
            **raw_record(cfg),
            "train": split_record(cfg.train_path, len(train)),
            "test": split_record(cfg.test_path, len(test)),
        },
        "config_sha256": training_config_sha256(cfg),
        "libraries": library_versions(),
        "git_commit": git_commit(cfg.root),
    }


def input_schema(frame: pd.DataFrame, spec: FeatureSpec) -> list[dict[str, Any]]:
    """Describe each input column for the artifact metadata (used by the API and validation)."""
    schema = []
    for name in spec.columns:
        series = frame[name]
        if name in spec.dates:
            fmt = spec.dates[name]
            example = middle_date(series, fmt)
            schema.append(
                {"name": name, "kind": "date", "dtype": "string", "format": fmt, "example": example}
            )
            continue
        kind = "numeric" if name in spec.numeric else "categorical"
        if is_boolean(series):
            dtype = "boolean"
        elif kind == "numeric" or is_numeric(series):
            dtype = "number"
        else:
            dtype = "string"
        entry: dict[str, Any] = {"name": name, "kind": kind, "dtype": dtype}
        if kind == "categorical":
            # Spelled as the model's encoder sees them (features.to_category_strings).
            labels = sorted({category_label(value) for value in series.dropna()})
            entry["categories"] = labels[:MAX_LISTED_CATEGORIES]
        entry["example"] = _example(series, kind, dtype)
        schema.append(entry)
    return schema


def _example(series: pd.Series, kind: str, dtype: str) -> Any:
    values = series.dropna()
    if values.empty:
        return None
    if kind == "numeric":
        median = float(pd.to_numeric(values, errors="coerce").median())
        return int(median) if median.is_integer() else round(median, 4)
    mode = category_label(values.mode().iloc[0])
    return mode == "True" if dtype == "boolean" else mode


def json_params(params: dict[str, Any]) -> dict[str, Any]:
    """The hyper-parameters that JSON can hold, including dicts and lists (e.g. class_weight);
    only objects such as a nested estimator or a random generator are left out."""
    kept = {}
    for key, value in params.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError):
            continue
        kept[key] = value
    return kept


def raw_record(cfg: Config) -> dict[str, Any]:
    """The raw files the splits came from, as the data step recorded them when it read them
    (files that arrived since are not in it); else the configured file, hashed now."""
    found = read_record(cfg)
    if found is not None and found.get("raw_file") == cfg.data.raw_spec:
        return found
    return {
        "raw_file": cfg.data.raw_spec,
        "raw_sha256": file_sha256(cfg.raw_path) if cfg.raw_path.is_file() else None,
    }


def training_config_sha256(cfg: Config) -> str:
    """A fingerprint of the settings that shape a model (task, target, features, split, model,
    cross-validation): `retrain` skips data and settings a version was already trained on."""
    shaping = cfg.model_dump(mode="json", include={"task", "features", "split", "model", "cv"})
    text = json.dumps({**shaping, "target": cfg.data.target}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_record(path: Path, rows: int) -> dict[str, Any]:
    """Which split file a model saw, by content: evaluation refuses a test split that changed."""
    return {"file": path.name, "sha256": file_sha256(path), "rows": rows}


def library_versions() -> dict[str, str]:
    """Python's and the main libraries' versions, read without importing the libraries."""
    return {"python": platform.python_version()} | {
        name: installed.version(name) for name in LIBRARIES
    }


def git_commit(root: Path) -> str | None:
    """The current commit, so a model can be traced to its code (None outside a git repo)."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None
