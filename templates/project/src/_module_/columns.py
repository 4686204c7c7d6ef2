"""Which columns the model uses, of which kind, and why every other column is left out.

`infer_features` resolves config `features` against the data: explicit lists are taken as
given, and with `auto` each column's kind is read from its values (numbers, text and booleans,
dates written as text). Columns that cannot help a model (IDs, constants, a saved index) are
left out with a reason, which training logs and records. The exploration notebook calls the
same function, so it shows exactly the decision `make train` makes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

import pandas as pd

from .config import Config
from .dates import date_format, looks_like_dates, mixed_examples, not_dates, written_like
from .errors import DataError

log = logging.getLogger(__name__)

#: The kinds of feature, as config `features` names them.
KINDS = ("numeric", "categorical", "dates")
ID_NAME = re.compile(r"(^|_)(id|uuid|guid|key)$", re.IGNORECASE)
#: The name pandas gives a saved DataFrame index (`to_csv` without index=False).
PANDAS_INDEX_NAME = re.compile(r"^Unnamed: \d+$")
#: A unique integer column whose values span at most this many times the row count is taken
#: for a row number: it still is one after rows were dropped or sampled.
ROW_NUMBER_SPAN = 1.5


@dataclass(frozen=True)
class FeatureSpec:
    """The columns the model uses, split by kind, and why the other columns were dropped.

    `dates` maps each date column to the format its text is written in (see dates.py).
    `custom` maps each custom feature (features.custom) to its columns: they are listed under
    their kind too, as inputs, but only their custom transformer takes them (features.py).
    """

    numeric: list[str]
    categorical: list[str]
    dates: dict[str, str] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)
    custom: dict[str, list[str]] = field(default_factory=dict)

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
    custom = _custom_columns(frame, cfg)
    routed = {column for columns in custom.values() for column in columns}
    taken = {
        cfg.data.target,
        *settings.drop,
        *(name for names in chosen.values() for name in names),
    }
    for name in frame.columns:
        if name in taken:
            continue
        kind, fmt = kind_of(frame[name])
        # A custom feature's column is used whatever it looks like; its kind as an input is
        # what the schema and drift monitoring know it by.
        reason = None if name in routed else drop_reason(frame[name], kind)
        if reason is None and kind in explicit and name not in routed:
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
    spec = FeatureSpec(chosen["numeric"], chosen["categorical"], dates, dropped, custom)
    log.info("features: numeric %s, categorical %s", spec.numeric, spec.categorical)
    for name, columns in custom.items():
        log.info("custom feature %s (transformers/%s.py) takes %s", name, name, columns)
    if dates:
        log.info("date features (year, month, day, day of week; hour if timed): %s", list(dates))
    return spec


def _check_listed(frame: pd.DataFrame, names: list[str], key: str) -> None:
    missing = [name for name in names if name not in frame.columns]
    if missing:
        raise DataError(
            f"features.{key} lists column(s) not in the data: {', '.join(missing)}; "
            f"available: {', '.join(map(str, frame.columns))}"
        )


def _custom_columns(frame: pd.DataFrame, cfg: Config) -> dict[str, list[str]]:
    """features.custom: each feature's columns, checked against the data; a feature listing no
    columns is left out, with a note (it is registered, but used by nothing yet)."""
    custom: dict[str, list[str]] = {}
    for name, feature in cfg.features.custom.items():
        if not feature.columns:
            log.info(
                "custom feature %s lists no columns (features.custom.%s.columns): not used",
                name,
                name,
            )
            continue
        _check_listed(frame, feature.columns, f"custom.{name}.columns")
        custom[name] = list(feature.columns)
    return custom


def _listed_date_format(series: pd.Series, name: str) -> str:
    fmt = date_format(series)
    if fmt is None:
        examples = ", ".join(repr(str(value)) for value in series.dropna().unique()[:3])
        raise DataError(
            f"features.dates lists '{name}', but its values are not dates in one format "
            f"(e.g. {examples}); write them as e.g. 2024-03-01, or move it to another list"
        )
    return fmt


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
