"""Feature preparation: which columns are used, and how they are turned into numbers.

The preparation is a scikit-learn ColumnTransformer that lives inside the same Pipeline as the
model, so the saved artifact takes raw columns in and there is no separate preprocessing code
to keep in sync between training, batch prediction and the API.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

from .config import Config
from .dates import (
    DateParts,
    date_format,
    looks_like_dates,
    middle_date,
    mixed_examples,
    not_dates,
    written_like,
)
from .errors import DataError
from .estimators import NEEDS_SCALING

log = logging.getLogger(__name__)

ID_NAME = re.compile(r"(^|_)(id|uuid|guid|key)$", re.IGNORECASE)
#: The name pandas gives a saved DataFrame index (`to_csv` without index=False).
PANDAS_INDEX_NAME = re.compile(r"^Unnamed: \d+$")
#: A unique integer column whose values span at most this many times the row count is taken
#: for a row number: it still is one after rows were dropped or sampled.
ROW_NUMBER_SPAN = 1.5
MAX_LISTED_CATEGORIES = 200


#: The kinds of feature, as config `features` names them.
KINDS = ("numeric", "categorical", "dates")


@dataclass(frozen=True)
class FeatureSpec:
    """The columns the model uses, split by kind, and why the other columns were dropped.

    `dates` maps each date column to the format its text is written in (see dates.py).
    """

    numeric: list[str]
    categorical: list[str]
    dates: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [*self.numeric, *self.categorical, *self.dates]


def is_boolean(series: pd.Series) -> bool:
    """True for bool columns, including ones read from CSV as True/False text with gaps."""
    if pd.api.types.is_bool_dtype(series):
        return True
    values = series.dropna()
    if values.empty or pd.api.types.is_numeric_dtype(values):
        return False
    return {str(value).lower() for value in values.unique()} <= {"true", "false"}


def is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def looks_like_row_number(values: pd.Series) -> bool:
    """Unique integers spanning about the row count: a row number, even with gaps (rows without
    a target dropped) - it carries the file's row order, not a property of the row."""
    if not pd.api.types.is_integer_dtype(values) or values.nunique() != len(values):
        return False
    span = float(values.max()) - float(values.min()) + 1
    return span <= ROW_NUMBER_SPAN * len(values)


def kind_of(series: pd.Series) -> tuple[str, str | None]:
    """The kind of feature a column makes, and for dates the format their text is written in."""
    if is_numeric(series):
        return "numeric", None
    if is_boolean(series):
        return "categorical", None
    fmt = date_format(series)
    return ("dates", fmt) if fmt else ("categorical", None)


def drop_reason(series: pd.Series, kind: str = "categorical") -> str | None:
    """Why an automatically inferred column should not be a feature (None: keep it)."""
    if PANDAS_INDEX_NAME.match(str(series.name)):
        return "a saved pandas index (name 'Unnamed: N'); save files with index=False"
    values = series.dropna()
    if values.empty:
        return "all values missing"
    if values.nunique() <= 1:
        return "constant (a single distinct value)"
    if kind == "dates":
        return None  # a date per row is a fine feature once it is split into parts
    if kind == "categorical" and looks_like_dates(values):
        examples = ", ".join(map(repr, mixed_examples(values)))
        return (
            f"dates in more than one format (e.g. {examples}), which would make one category "
            "per day; write them in one format (e.g. 2024-03-01) to use them as date parts"
        )
    unique_per_row = values.nunique() == len(values) and len(values) >= 20
    if unique_per_row and ID_NAME.search(str(series.name)):
        return "ID-like (name looks like an identifier and every value is unique)"
    if unique_per_row and not is_numeric(series):
        return "ID-like (a different text value in every row)"
    if len(values) >= 20 and looks_like_row_number(values):
        return "ID-like (unique integers spanning the row count, looks like a row number)"
    return None


def _check_listed(frame: pd.DataFrame, names: list[str], key: str) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise DataError(
            f"features.{key} lists column(s) not in the data: {', '.join(missing)}; "
            f"available: {', '.join(map(str, frame.columns))}"
        )


def infer_features(frame: pd.DataFrame, cfg: Config) -> FeatureSpec:
    """Resolve `features` in config against the data: explicit lists are kept as given, `auto`
    takes numeric dtypes as numeric, text holding dates as dates, and everything else (text,
    booleans) as categorical.

    Pass all rows (train and test), not one split: ID detection relies on seeing every value.
    """
    settings = cfg.features
    _check_listed(frame, settings.drop, "drop")
    dropped = {name: "listed in features.drop" for name in settings.drop}
    explicit: dict[str, list[str]] = {}
    for key in KINDS:
        listed = getattr(settings, key)
        if isinstance(listed, list):
            _check_listed(frame, listed, key)
            explicit[key] = list(listed)
    chosen: dict[str, list[str]] = {key: list(explicit.get(key, [])) for key in KINDS}
    dates = {name: _listed_date_format(frame[name], name) for name in chosen["dates"]}
    taken = {
        cfg.data.target,
        *settings.drop,
        *(name for names in chosen.values() for name in names),
    }
    for name in frame.columns:
        if name in taken:
            continue
        kind, fmt = kind_of(frame[name])
        reason = drop_reason(frame[name], kind)
        if reason is None and kind in explicit:
            reason = f"not listed in features.{kind}"
        if reason is not None:
            dropped[str(name)] = reason
            continue
        chosen[kind].append(str(name))
        if fmt is not None:
            dates[str(name)] = fmt
    for name, reason in dropped.items():
        log.info("not using column '%s': %s", name, reason)
    if not any(chosen.values()):
        raise DataError(
            "no feature columns left; list them under features.numeric, features.categorical "
            "or features.dates"
        )
    _warn_about_non_dates(frame, dates)
    spec = FeatureSpec(chosen["numeric"], chosen["categorical"], dates, dropped)
    log.info("features: numeric %s, categorical %s", spec.numeric, spec.categorical)
    if dates:
        log.info("date features (year, month, day, day of week; hour if timed): %s", list(dates))
    return spec


def _warn_about_non_dates(frame: pd.DataFrame, dates: dict[str, str]) -> None:
    """Name the few values of a date column that are not dates: they become missing values."""
    for name, fmt in dates.items():
        bad = not_dates(frame[name], fmt)
        if not bad.empty:
            examples = ", ".join(map(repr, bad.astype(str).unique()[:3]))
            log.warning(
                "column '%s': %d value(s) are not dates written like %s (e.g. %s); they are "
                "treated as missing",
                name,
                len(bad),
                written_like(fmt),
                examples,
            )


def _listed_date_format(series: pd.Series, name: str) -> str:
    fmt = date_format(series)
    if fmt is None:
        examples = ", ".join(repr(str(value)) for value in series.dropna().unique()[:3])
        raise DataError(
            f"features.dates lists '{name}', but its values are not dates in one format "
            f"(e.g. {examples}); write them as e.g. 2024-03-01, or move it to another list"
        )
    return fmt


def _category_label(value: Any) -> Any:
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
    return frame.apply(lambda column: column.map(_category_label)).astype(object)


def _column_to_float(column: pd.Series) -> pd.Series:
    if is_boolean(column):
        column = column.map(_category_label).map({"True": 1.0, "False": 0.0})
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


def _example(series: pd.Series, kind: str, dtype: str) -> Any:
    values = series.dropna()
    if values.empty:
        return None
    if kind == "numeric":
        median = float(pd.to_numeric(values, errors="coerce").median())
        return int(median) if median.is_integer() else round(median, 4)
    mode = _category_label(values.mode().iloc[0])
    return mode == "True" if dtype == "boolean" else mode


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
            labels = sorted({_category_label(value) for value in series.dropna()})
            entry["categories"] = labels[:MAX_LISTED_CATEGORIES]
        entry["example"] = _example(series, kind, dtype)
        schema.append(entry)
    return schema
