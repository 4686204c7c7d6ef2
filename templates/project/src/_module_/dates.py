"""Dates written as text (e.g. a signup_date of "2024-03-01") as numbers a model can use.

One-hot encoding a date makes one category per day, and nothing learned about one day carries
over to a day the model has not seen. Date parts do carry over: `DateParts` turns each date
column into its year, month, day, day of week (0 = Monday) and, when the times of day vary, the
hour. It runs inside the saved Pipeline, so the artifact still takes the raw date text. Like the
converters in features.py, it is pickled by its module path into every model.joblib: keep it
in this module under this name (tests/test_artifact.py lists what saved models refer to).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from pandas.tseries.api import guess_datetime_format
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

#: The format of datetime columns (e.g. from Parquet) and the fallback for any date text.
ISO = "ISO8601"
PARTS = ("year", "month", "day", "day_of_week")
#: Text where at least this share of values looks like a date is date-like.
DATE_LIKE_SHARE = 0.9
#: A format is the column's when at least this share of its distinct values parse in it; the
#: others (a typo, "2024-02-30") become missing values, with a warning (see `not_dates`).
PARSED_SHARE = 0.95
#: Format detection reads at most this many distinct values; guessing value by value, fewer.
SAMPLE = 5000
GUESSED = 500


def _distinct_text(series: pd.Series) -> pd.Series:
    values = pd.Series(series.dropna().unique()).astype(str).str.strip()
    return values.head(SAMPLE)


def _guess(value: str, dayfirst: bool = False) -> str | None:
    """The format pandas guesses for one value, if it has a four-digit year, a month and a day
    ("2024-03" or "1.2.3" are not taken for dates)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # guessing warns about the ambiguity it reports
        fmt = guess_datetime_format(value, dayfirst=dayfirst)
    full = fmt and "%Y" in fmt and "%d" in fmt and any(m in fmt for m in ("%m", "%b", "%B"))
    return fmt if full else None


def _parsed_share(values: pd.Series, fmt: str) -> float:
    return float(pd.to_datetime(values, format=fmt, errors="coerce", utc=True).notna().mean())


def date_format(series: pd.Series) -> str | None:
    """The one format that (nearly) every value of a column is written in, if they are dates.

    Candidates: the format pandas guesses from the first value, month first and then day first
    (03/01/2024 is ambiguous until a 13/01/2024 settles it), and ISO 8601 with or without times;
    the one under which most values parse wins, the first on a tie.
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        return ISO
    if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return None
    values = _distinct_text(series)
    if values.empty or _guess(values.iloc[0]) is None:
        return None
    candidates = [_guess(values.iloc[0]), _guess(values.iloc[0], dayfirst=True), ISO]
    shares = {fmt: _parsed_share(values, fmt) for fmt in candidates if fmt}
    best = max(shares, key=shares.__getitem__)  # dicts keep order: the first on a tie
    return best if shares[best] >= PARSED_SHARE else None


def looks_like_dates(series: pd.Series) -> bool:
    """Mostly dates, though not all in a single format (so `date_format` found none)."""
    values = _distinct_text(series).head(GUESSED)
    return not values.empty and values.map(_guess).notna().mean() >= DATE_LIKE_SHARE


def mixed_examples(series: pd.Series) -> list[str]:
    """One value per format, for the first two formats found: what a "mixed formats" log shows."""
    found: dict[str | None, str] = {}
    for value in _distinct_text(series).head(GUESSED):
        found.setdefault(_guess(value), value)
    return list(found.values())[:2]


def parse(series: pd.Series, fmt: str) -> pd.Series:
    """Datetimes (UTC, without a time zone) from text in `fmt`, or in ISO 8601 as a fallback;
    values that are neither become NaT, like missing ones."""
    if pd.api.types.is_datetime64_any_dtype(series):
        parsed = pd.to_datetime(series, utc=True)
    else:
        text = series.astype("object").where(series.notna(), None)
        # One resolution for both passes: a fraction of a second in nanoseconds must not clash
        # with the microseconds of the other pass.
        parsed = pd.to_datetime(text, format=fmt, errors="coerce", utc=True).dt.as_unit("ns")
        retry = parsed.isna() & series.notna()
        if retry.any() and fmt != ISO:
            again = pd.to_datetime(text[retry], format=ISO, errors="coerce", utc=True)
            parsed = parsed.where(~retry, again.dt.as_unit("ns"))
    return parsed.dt.tz_convert(None)


def not_dates(series: pd.Series, fmt: str) -> pd.Series:
    """The values that are given but are not dates (in `fmt` or in ISO 8601)."""
    return series[parse(series, fmt).isna() & series.notna()]


def blank_non_dates(series: pd.Series, name: str, fmt: str) -> tuple[pd.Series, str | None]:
    """The column with values that are not dates made missing, as training does with a stray
    typo ("2024-02-30"), and a warning that names them; no warning when every value is a date."""
    bad = not_dates(series, fmt)
    if bad.empty:
        return series, None
    examples = ", ".join(repr(value) for value in bad.astype(str).unique()[:3])
    warning = (
        f"column '{name}': {len(bad)} value(s) are not dates (e.g. {examples}), taken as missing; "
        f"write dates like {written_like(fmt)} or in ISO 8601 (2024-03-01T10:30:00)"
    )
    return series.where(~series.index.isin(bad.index), None), warning


def written_like(fmt: str) -> str:
    """A date in `fmt`, which reads better in a message than the format's % codes."""
    return "2024-03-01" if fmt == ISO else pd.Timestamp("2024-03-01 10:30").strftime(fmt)


def middle_date(series: pd.Series, fmt: str) -> Any:
    """The median date as it is written in the data: an example for the API's docs."""
    values = series.dropna()
    parsed = parse(values, fmt).dropna().sort_values()
    if parsed.empty:
        return None
    value = values.loc[parsed.index[len(parsed) // 2]]
    return value.isoformat() if isinstance(value, pd.Timestamp) else str(value)


class DateParts(TransformerMixin, BaseEstimator):
    """Date columns -> year, month, day, day of week (and hour when times vary), as floats.

    `formats` maps each column to its format (see `date_format`); a column without one gets its
    format from the training data. Values that cannot be parsed become NaN, for the imputer.
    """

    def __init__(self, formats: dict[str, str] | None = None) -> None:
        self.formats = formats

    def fit(self, X: pd.DataFrame, y: Any = None) -> DateParts:
        frame = pd.DataFrame(X)
        given = self.formats or {}
        self.feature_names_in_ = np.asarray([str(name) for name in frame.columns], dtype=object)
        self.n_features_in_ = len(frame.columns)
        self.formats_: dict[str, str] = {}
        self.parts_: dict[str, tuple[str, ...]] = {}
        for name in self.feature_names_in_:
            fmt = given.get(name) or date_format(frame[name]) or ISO
            when = parse(frame[name], fmt)
            timed = bool((when.dropna() != when.dropna().dt.normalize()).any())
            self.formats_[name] = fmt
            self.parts_[name] = (*PARTS, "hour") if timed else PARTS
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "formats_")
        frame = pd.DataFrame(X, columns=self.feature_names_in_)
        columns = []
        for name, parts in self.parts_.items():
            when = parse(frame[name], self.formats_[name])
            values = {
                "year": when.dt.year,
                "month": when.dt.month,
                "day": when.dt.day,
                "day_of_week": when.dt.day_of_week,
                "hour": when.dt.hour,
            }
            columns += [values[part].astype("float64").to_numpy() for part in parts]
        return np.column_stack(columns) if columns else np.empty((len(frame), 0))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "formats_")
        names = [f"{name}_{part}" for name, parts in self.parts_.items() for part in parts]
        return np.asarray(names, dtype=object)
