"""Reference statistics: what the training data looked like, saved with each model version.

`monitor` compares live inputs with models/<version>/reference.json instead of with the training
data itself, which may be gone, large or private. Per column it keeps the missing rate and:
- numbers: quantiles, a histogram whose bin edges are fixed here (deciles of the training data),
  so that live data is binned the same way, and the quantile function at up to 1,000 points, on
  which the Kolmogorov-Smirnov test runs (the values themselves when there are fewer rows);
- categories: the share of each (the most frequent ones, the rest counted as other);
- dates: the missing rate only (dates move forward by nature, so their values always "drift").
The distribution of the model's predictions on the test split is kept the same way.

Everything is computed column by column with vectorised numpy and pandas calls, so a million
rows take seconds, and the file stays small whatever the row count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .artifact import write_json
from .columns import FeatureSpec
from .errors import ModelNotFoundError
from .features import category_label, to_float

REFERENCE_FILE = "reference.json"
#: Points of the quantile function kept for the Kolmogorov-Smirnov test.
KS_POINTS = 1000
#: Bins of the histogram (equal shares of the training data).
BINS = 10
#: Categories kept by name; rarer ones are counted together as other.
MAX_CATEGORIES = 200
QUANTILES = (0.0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0)


def rounded(values: np.ndarray) -> list[float]:
    """Six significant digits: enough for any test here, and half the size in JSON."""
    return [float(f"{value:.6g}") for value in values]


def bin_shares(values: np.ndarray, edges: list[float]) -> np.ndarray:
    """Share of `values` in each bin: below the first edge, between edges, from the last on."""
    counts = np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)
    return counts / max(len(values), 1)


def observed_quantiles(ordered: np.ndarray, probabilities: Any) -> np.ndarray:
    """Quantiles of sorted values, as numpy's "inverted_cdf" method defines them (always one of
    the values), read off the one sorted copy instead of partitioning the data for each call."""
    positions = np.ceil(np.asarray(probabilities) * ordered.size).astype("int64") - 1
    return ordered[np.clip(positions, 0, ordered.size - 1)]


def numeric_reference(values: pd.Series) -> dict[str, Any]:
    """Quantiles, decile histogram and quantile function of a numeric column (missing dropped)."""
    ordered = np.sort(values.dropna().to_numpy(dtype="float64"))
    if ordered.size == 0:
        return {"kind": "numeric", "rows": 0}
    inner = rounded(np.unique(observed_quantiles(ordered, np.linspace(0, 1, BINS + 1)[1:-1])))
    # Values below each edge: the bins' counts without a pass over the data (see bin_shares).
    below = np.searchsorted(ordered, inner, side="left")
    counts = np.diff([0, *below, ordered.size])
    # Up to KS_POINTS values: all of them, or the quantile function at evenly spread
    # probabilities (a stratified sample of the column).
    points = ordered
    if ordered.size > KS_POINTS:
        points = observed_quantiles(ordered, (np.arange(KS_POINTS) + 0.5) / KS_POINTS)
    quantiles = rounded(observed_quantiles(ordered, QUANTILES))
    return {
        "kind": "numeric",
        "rows": int(ordered.size),
        "mean": float(ordered.mean()),
        "std": float(ordered.std()),
        "quantiles": dict(zip(map(str, QUANTILES), quantiles, strict=True)),
        "bin_edges": inner,
        "bin_shares": rounded(counts / ordered.size),
        "ks_points": rounded(points),
    }


def category_counts(values: pd.Series) -> pd.Series:
    """Count of each category as the model's encoder spells it (features.category_label);
    counted on the distinct values first, so a million rows cost one value_counts."""
    counts = values.value_counts(dropna=True)
    if counts.empty:
        return counts.astype("int64")
    labels = counts.index.map(category_label)
    return counts.groupby(np.asarray(labels, dtype=object)).sum().sort_values(ascending=False)


def categorical_reference(values: pd.Series) -> dict[str, Any]:
    counts = category_counts(values)
    total = int(counts.sum())
    kept = counts.iloc[:MAX_CATEGORIES]
    return {
        "kind": "categorical",
        "rows": total,
        "shares": {str(name): float(count / total) for name, count in kept.items()},
        "other_share": float(counts.iloc[MAX_CATEGORIES:].sum() / total) if total else 0.0,
    }


def column_reference(values: pd.Series, kind: str) -> dict[str, Any]:
    """One column's statistics; `kind` is numeric, categorical or date."""
    if kind == "numeric":  # what is not a number counts as missing, as in the model
        values = to_float(values.to_frame()).iloc[:, 0]
    missing = float(values.isna().mean()) if len(values) else 0.0
    describe = {"numeric": numeric_reference, "categorical": categorical_reference}.get(kind)
    if describe is None:
        return {"kind": "date", "rows": int(values.notna().sum()), "missing_rate": missing}
    return {**describe(values), "missing_rate": missing}


def kinds(spec: FeatureSpec) -> dict[str, str]:
    return {
        **{name: "numeric" for name in spec.numeric},
        **{name: "categorical" for name in spec.categorical},
        **{name: "date" for name in spec.dates},
    }


def build_reference(
    train: pd.DataFrame, spec: FeatureSpec, predictions: np.ndarray, task: str
) -> dict[str, Any]:
    """The statistics of the training inputs and of the predictions on the test split."""
    prediction_kind = "numeric" if task == "regression" else "categorical"
    return {
        "rows": len(train),
        "features": {
            name: column_reference(train[name], kind) for name, kind in kinds(spec).items()
        },
        "prediction": column_reference(pd.Series(predictions), prediction_kind),
    }


def save_reference(reference: dict[str, Any], folder: Path) -> Path:
    """Written compactly: the quantile functions are long lists of numbers."""
    path = folder / REFERENCE_FILE
    write_json(reference, path, indent=None)
    return path


def load_reference(folder: Path) -> dict[str, Any]:
    path = folder / REFERENCE_FILE
    if not path.is_file():
        raise ModelNotFoundError(
            f"model {folder.name} has no {REFERENCE_FILE} (it was trained before monitoring "
            "existed): train a new version (make all) to monitor it"
        )
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError):
        raise ModelNotFoundError(f"{path} is damaged: train a new version (make all)") from None
