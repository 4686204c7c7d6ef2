"""Feature preparation: how the chosen columns are turned into numbers a model can use.

The preparation is a scikit-learn ColumnTransformer that lives inside the same Pipeline as the
model, so the saved artifact takes raw columns in and there is no separate preprocessing code
to keep in sync between training, batch prediction and the API. Which columns it gets, and of
which kind, is decided in columns.py.

`to_float` and `to_category_strings` are pickled by their module path into every model.joblib:
keep them in this module under these names, or models trained before the change stop loading
(tests/test_artifact.py checks what a saved model refers to).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .columns import FeatureSpec, is_boolean
from .config import Config
from .dates import DateParts
from .estimators import NEEDS_SCALING


def category_label(value: Any) -> Any:
    """One spelling per category: True/'True'/'true' match, and 1.0 (CSV with gaps) equals 1."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return np.nan
    if isinstance(value, bool | np.bool_):
        return "True" if value else "False"
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.capitalize()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def to_category_strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Cast categorical columns to text (missing stays NaN) so mixed types encode reliably."""
    frame = pd.DataFrame(frame)
    return frame.apply(lambda column: column.map(category_label)).astype(object)


def _column_to_float(column: pd.Series) -> pd.Series:
    if is_boolean(column):
        column = column.map(category_label).map({"True": 1.0, "False": 0.0})
    return pd.to_numeric(column, errors="coerce").astype("float64")


def to_float(frame: pd.DataFrame) -> pd.DataFrame:
    """Numeric columns as float64 (booleans become 1/0; pd.NA from Parquet becomes NaN)."""
    return pd.DataFrame(frame).apply(_column_to_float)


def build_preprocessor(spec: FeatureSpec, cfg: Config) -> ColumnTransformer:
    """Numeric: impute median (+ scale for linear models). Categorical: impute most frequent,
    one-hot encode; categories unseen in training are ignored instead of failing. Dates: their
    parts (dates.py), then as numeric."""
    scale = cfg.model.name in NEEDS_SCALING
    numeric_steps: list[tuple[str, Any]] = [
        ("to_float", FunctionTransformer(to_float, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="median")),
        *([("scale", StandardScaler())] if scale else []),
    ]
    date_steps: list[tuple[str, Any]] = [
        ("parts", DateParts(formats=dict(spec.dates))),
        ("impute", SimpleImputer(strategy="median")),
        *([("scale", StandardScaler())] if scale else []),
    ]
    categorical_steps: list[tuple[str, Any]] = [
        ("to_text", FunctionTransformer(to_category_strings, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="most_frequent")),
        (
            "one_hot",
            OneHotEncoder(
                handle_unknown="ignore",
                max_categories=cfg.features.max_categories,
                sparse_output=False,
            ),
        ),
    ]
    transformers = []
    if spec.numeric:
        transformers.append(("numeric", Pipeline(numeric_steps), spec.numeric))
    if spec.categorical:
        transformers.append(("categorical", Pipeline(categorical_steps), spec.categorical))
    if spec.dates:
        transformers.append(("dates", Pipeline(date_steps), list(spec.dates)))
    return ColumnTransformer(transformers, remainder="drop")
