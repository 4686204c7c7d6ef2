"""The data step: get the raw data, check it, and split it into train and test files.

Raw data is immutable: a user's file in data/raw is only ever read, and the bundled sample is
written once. Everything derived (the splits) goes to data/processed and can be rebuilt at any
time with `make data`, so downstream steps never depend on hand-edited files.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from .config import Config
from .errors import DataError
from .samples import OWN_FILE, load_bundled
from .sources import (
    RawFile,
    align_kinds,
    check_same_columns,
    drop_repeated_rows,
    raw_files,
    read_raw_file,
    write_record,
)
from .splits import split_by_file
from .tables import read_table, write_table

log = logging.getLogger(__name__)

#: The largest number a model takes: scikit-learn's trees compute in 32-bit floats.
MAX_NUMBER = float(np.finfo(np.float32).max)


def ensure_raw(cfg: Config) -> list[Path]:
    """The raw files, once a bundled sample is written (once, to the first entry of
    data.raw_path); a user's file is never touched."""
    path = cfg.raw_path
    if cfg.data.source != OWN_FILE and not path.exists():
        log.info("writing bundled '%s' sample dataset to %s", cfg.data.source, path)
        write_table(load_bundled(cfg.data.source), path)
    return raw_files(cfg)


def validate_target(frame: pd.DataFrame, cfg: Config, source: Path) -> pd.DataFrame:
    """Check the target column and drop rows without a label (they cannot train or score).

    `source` is the file the frame came from, so an error points at the file that failed.
    """
    target = cfg.data.target
    if target not in frame.columns:
        raise DataError(
            f"target column '{target}' not found in {source}; set data.target in "
            f"config/config.yaml to one of: {', '.join(map(str, frame.columns))}"
        )
    missing = int(frame[target].isna().sum())
    if missing == len(frame):
        raise DataError(f"target column '{target}' in {source} is empty (all values missing)")
    if missing:
        log.warning("dropping %d row(s) with a missing target '%s'", missing, target)
        frame = frame.loc[frame[target].notna()].reset_index(drop=True)
    if cfg.task == "regression":
        numeric = pd.to_numeric(frame[target], errors="coerce")
        if numeric.isna().any():
            bad = frame.loc[numeric.isna(), target].iloc[0]
            raise DataError(
                f"task is regression but target '{target}' in {source} has non-numeric values "
                f"(e.g. {bad!r}); fix the data or set task: classification"
            )
        frame[target] = numeric.astype("float64")
    elif pd.api.types.is_float_dtype(frame[target]) and (frame[target] % 1 == 0).all():
        # Labels like 0.0/1.0 (a float column because of missing values) become 0/1.
        frame[target] = frame[target].astype("int64")
    return frame


def number_problem(values: pd.Series) -> tuple[str, int] | None:
    """What makes a numeric column unusable, and the position of the first bad value: an
    infinity, or a number beyond `MAX_NUMBER` (finite, yet infinite to the model)."""
    numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    beyond = f"values beyond ±{MAX_NUMBER:.4g}, the 32-bit float range"
    for bad, problem in (
        (np.isinf(numbers), "infinite values"),
        (np.abs(numbers) > MAX_NUMBER, beyond),
    ):
        if bad.any():
            return problem, int(np.argmax(bad))
    return None


def check_numbers(frame: pd.DataFrame, cfg: Config, source: Path) -> None:
    """Refuse infinities and out-of-range numbers before training, naming the column and line."""
    for name in frame.columns:
        series = frame[name]
        numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)
        found = number_problem(series) if numeric and name not in cfg.features.drop else None
        if found:
            problem, position = found
            raise DataError(
                f"column '{name}' in {source} has {problem} (first on line {position + 2}); "
                "replace them with numbers, or empty the cells to treat them as missing"
            )


def check_target_values(frame: pd.DataFrame, cfg: Config, source: Path | str) -> None:
    """A target with a single value teaches nothing: say so, rather than fail the gate later."""
    target = cfg.data.target
    values = frame[target].unique()
    if len(values) < 2:
        kind = "one class" if cfg.task == "classification" else "one value"
        raise DataError(
            f"target '{target}' in {source} has {kind} ('{values[0]}') in all {len(frame)} "
            "rows; a model needs at least two to learn from: check data.target in "
            "config/config.yaml, or the data"
        )


def load_raw_files(cfg: Config) -> list[RawFile]:
    """Every raw file with its rows checked and its target validated (bundled sample written
    first if needed); rows a later file repeats are kept once (sources.py)."""
    files = [read_raw_file(path) for path in ensure_raw(cfg)]
    check_same_columns(cfg, files)
    align_kinds(cfg, files)
    for raw in files:
        if raw.frame.empty:
            if len(files) == 1:
                raise DataError(f"{raw.path} has no rows")
            log.warning("%s has no rows", raw.path)
            continue
        check_numbers(raw.frame, cfg, raw.path)  # before rows are dropped: the file's lines
        raw.frame = validate_target(raw.frame, cfg, raw.path)
    drop_repeated_rows(cfg, files)
    frame = together(files)
    source = files[0].path if len(files) == 1 else f"data.raw_path ({len(files)} files)"
    check_enough_rows(frame, cfg, source)
    check_target_values(frame, cfg, source)
    return files


def together(files: list[RawFile]) -> pd.DataFrame:
    """The files' rows as one table, in file order, with the first file's column order."""
    if len(files) == 1:
        return files[0].frame
    columns = list(files[0].frame.columns)
    return pd.concat([raw.frame[columns] for raw in files], ignore_index=True)


def load_raw(cfg: Config) -> pd.DataFrame:
    """The raw table (every file of data.raw_path) with a validated target."""
    return together(load_raw_files(cfg))


def check_enough_rows(frame: pd.DataFrame, cfg: Config, source: Path | str) -> None:
    """Enough rows for a test row and a training row per cross-validation fold (the split
    rounds the test share up), rather than an error from deep inside scikit-learn."""
    needed = 2
    while needed - math.ceil(cfg.split.test_size * needed) < cfg.cv.folds:
        needed += 1
    if len(frame) < needed:
        raise DataError(
            f"{source} has {len(frame)} usable row(s); at least {needed} are needed to hold out "
            f"a test split (split.test_size = {cfg.split.test_size}) and cross-validate "
            f"(cv.folds = {cfg.cv.folds}): add rows, or lower cv.folds"
        )


def run(cfg: Config) -> tuple[Path, Path]:
    """The `data` step: raw files -> validated -> data/processed/{train,test}.csv, and
    data/processed/raw_files.json, the record of which raw files (and bytes) they came from."""
    files = load_raw_files(cfg)
    rows, columns = sum(len(raw.frame) for raw in files), files[0].frame.shape[1]
    where = files[0].path if len(files) == 1 else f"{len(files)} files ({cfg.data.raw_spec})"
    log.info("raw data: %d rows x %d columns from %s", rows, columns, where)
    train, test = split_by_file(files, cfg)
    write_table(train, cfg.train_path)
    write_table(test, cfg.test_path)
    write_record(cfg, files)
    log.info("wrote %d train rows to %s", len(train), cfg.train_path)
    log.info("wrote %d test rows to %s", len(test), cfg.test_path)
    return cfg.train_path, cfg.test_path


def load_split(cfg: Config, name: Literal["train", "test"]) -> pd.DataFrame:
    """Read the train or test split, telling the user how to create it when missing."""
    path = cfg.train_path if name == "train" else cfg.test_path
    if not path.is_file():
        raise DataError(f"{path} not found; run the data step first (`make data`)")
    frame = read_table(path)
    check_numbers(frame, cfg, path)
    return validate_target(frame, cfg, path)
