"""Feature preparation: how the chosen columns are turned into numbers a model can use.

The preparation is a scikit-learn ColumnTransformer that lives inside the same Pipeline as the
model, so the saved artifact takes raw columns in and there is no separate preprocessing code
to keep in sync between training, batch prediction and the API. Which columns it gets, and of
which kind, is decided in columns.py. The columns listed under features.custom go through this
project's own transformers (transformers/) instead, each looked up in its registry by name.

`to_float` and `to_category_strings` are pickled by their module path into every model.joblib:
keep them in this module under these names, or models trained before the change stop loading
(tests/test_artifact.py checks what a saved model refers to).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .columns import FeatureSpec, is_boolean
from .config import Config
from .dates import DateParts
from .estimators import NEEDS_SCALING
from .transformers import TRANSFORMERS

#: The ColumnTransformer names the step of features.custom.<name> CUSTOM_PREFIX + name.
CUSTOM_PREFIX = "custom_"


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


def check_custom(custom: Mapping[str, Mapping[str, Any]]) -> None:
    """Every features.custom name has a transformer, and its params are the class's (config.py
    calls this, so a typo stops a command before any data is read)."""
    known = ", ".join(TRANSFORMERS) or "none"
    for name, params in custom.items():
        if name not in TRANSFORMERS:
            raise ValueError(
                f"features.custom.{name}: this project has no transformer named {name} (it has: "
                f"{known}); add one with `mlpipeline feature {name}` in the project, or remove "
                f"features.custom.{name}"
            )
        cls = TRANSFORMERS[name]
        valid = sorted(cls().get_params())
        unknown = sorted(set(params) - set(valid))
        if unknown:
            raise ValueError(
                f"features.custom.{name}.params: {cls.__name__} has no parameter(s) "
                f"{', '.join(unknown)}; its parameters: {', '.join(valid) or 'none'}"
            )


def custom_transformer(name: str, params: Mapping[str, Any]) -> BaseEstimator:
    """A new, unfitted transformer for features.custom.<name>."""
    return TRANSFORMERS[name]().set_params(**params)


def custom_steps(pipeline: Pipeline) -> list[tuple[str, BaseEstimator]]:
    """(features.custom name, transformer) of each custom step in a fitted pipeline: what the
    exports that cannot convert them name."""
    found = []
    for name, steps, _ in pipeline.named_steps["prepare"].transformers_:
        if name.startswith(CUSTOM_PREFIX) and isinstance(steps, Pipeline):
            found.append((name.removeprefix(CUSTOM_PREFIX), steps.steps[0][1]))
    return found


def build_preprocessor(spec: FeatureSpec, cfg: Config) -> ColumnTransformer:
    """Numeric: impute median (+ scale for linear models). Categorical: impute most frequent,
    one-hot encode; categories unseen in training are ignored instead of failing. Dates: their
    parts (dates.py), then as numeric. Columns of features.custom: their transformer (looked
    up in transformers/ by name), then as numeric."""
    scale = cfg.model.name in NEEDS_SCALING
    # A column of a custom feature goes through its transformer only.
    routed = {column for columns in spec.custom.values() for column in columns}
    dates = {name: fmt for name, fmt in spec.dates.items() if name not in routed}
    numeric_steps: list[tuple[str, Any]] = [
        ("to_float", FunctionTransformer(to_float, feature_names_out="one-to-one")),
        ("impute", SimpleImputer(strategy="median")),
        *([("scale", StandardScaler())] if scale else []),
    ]
    date_steps: list[tuple[str, Any]] = [
        ("parts", DateParts(formats=dates)),
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
    numeric = [name for name in spec.numeric if name not in routed]
    categorical = [name for name in spec.categorical if name not in routed]
    transformers = []
    if numeric:
        transformers.append(("numeric", Pipeline(numeric_steps), numeric))
    if categorical:
        transformers.append(("categorical", Pipeline(categorical_steps), categorical))
    if dates:
        transformers.append(("dates", Pipeline(date_steps), list(dates)))
    for name, columns in spec.custom.items():
        # What a custom transformer returns is taken as numbers, and treated as the numeric
        # columns are: missing values imputed with the median, scaled for linear models.
        steps: list[tuple[str, Any]] = [
            (name, custom_transformer(name, cfg.features.custom[name].params)),
            ("impute", SimpleImputer(strategy="median")),
            *([("scale", StandardScaler())] if scale else []),
        ]
        transformers.append((CUSTOM_PREFIX + name, Pipeline(steps), columns))
    return ColumnTransformer(transformers, remainder="drop")
