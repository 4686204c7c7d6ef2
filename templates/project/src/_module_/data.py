"""The data step: get the raw data, check it, and split it into train and test files.

Raw data is immutable: a user's file in data/raw is only ever read, and the bundled sample is
written once. Everything derived (the splits) goes to data/processed and can be rebuilt at any
time with `make data`, so downstream steps never depend on hand-edited files.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Literal

import pandas as pd

from .config import Config, Task
from .errors import DataError

log = logging.getLogger(__name__)

#: scikit-learn's bundled sample datasets (shipped with it, no download) and their tasks.
BUNDLED_DATASETS: dict[str, Task] = {
    "iris": "classification",
    "wine": "classification",
    "breast_cancer": "classification",
    "diabetes": "regression",
}
#: data.source for the user's own file (data.raw_path) rather than a bundled sample.
OWN_FILE = "file"


def check_source(source: str, task: str) -> None:
    """Config check: data.source is a bundled dataset of the task, or the user's own file."""
    if source == OWN_FILE:
        return
    if source not in BUNDLED_DATASETS:
        choices = ", ".join([*BUNDLED_DATASETS, OWN_FILE])
        raise ValueError(f"data.source: unknown source '{source}'; choose one of: {choices}")
    if BUNDLED_DATASETS[source] != task:
        raise ValueError(
            f"data.source '{source}' is a {BUNDLED_DATASETS[source]} dataset but task is "
            f"'{task}'; change task or data.source"
        )


def snake_case(name: str) -> str:
    """'sepal length (cm)' -> 'sepal_length_cm': column names that are easy to type and serve."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def load_bundled(name: str) -> pd.DataFrame:
    """One of scikit-learn's bundled sample datasets (shipped with sklearn, no download).

    Columns are snake_cased and classification targets become class-name strings, so the sample
    looks like a real table and predictions read as labels ("setosa") rather than codes.
    """
    from sklearn import datasets

    if name not in BUNDLED_DATASETS:
        raise DataError(f"unknown bundled dataset '{name}'; choose one of {list(BUNDLED_DATASETS)}")
    # Each is sklearn.datasets.load_<name>; diabetes unscaled, so values read as measurements.
    options = {"scaled": False} if name == "diabetes" else {}
    bunch = getattr(datasets, f"load_{name}")(as_frame=True, **options)
    frame = bunch.frame.rename(columns=snake_case)
    if BUNDLED_DATASETS[name] == "classification":
        names = list(bunch.target_names)
        frame["target"] = [str(names[int(code)]) for code in frame["target"]]
    return frame


def check_table_suffix(path: Path) -> str:
    """The file type by extension ('.csv' or '.parquet'); anything else is an error."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return suffix
    if suffix in {".parquet", ".pq"}:
        return ".parquet"
    raise DataError(f"unsupported file type '{suffix}' for {path}; use .csv or .parquet")


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, chosen by extension."""
    suffix = check_table_suffix(path)
    if not path.is_file():
        raise DataError(f"file not found: {path}")
    return pd.read_csv(path) if suffix == ".csv" else pd.read_parquet(path)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV or Parquet file, chosen by extension, creating the folder if needed."""
    suffix = check_table_suffix(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)


def ensure_raw(cfg: Config) -> Path:
    """Make sure the raw file exists: write the bundled sample once, never touch a user file."""
    path = cfg.raw_path
    if path.exists():
        return path
    if cfg.data.source == OWN_FILE:
        raise DataError(
            f"raw data file not found: {path}. Copy your file there, or point data.raw_path "
            "in config/config.yaml at it"
        )
    log.info("writing bundled '%s' sample dataset to %s", cfg.data.source, path)
    write_table(load_bundled(cfg.data.source), path)
    return path


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


def load_raw(cfg: Config) -> pd.DataFrame:
    """The raw table with a validated target (bundled sample written first if needed)."""
    path = ensure_raw(cfg)
    frame = read_table(path)
    if frame.empty:
        raise DataError(f"{path} has no rows")
    return validate_target(frame, cfg, path)


def split(frame: pd.DataFrame, cfg: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out a test set; stratified for classification so rare classes appear in both."""
    # Imported here: serving and batch prediction read tables with this module but never split.
    from sklearn.model_selection import train_test_split

    stratify = None
    if cfg.task == "classification" and cfg.split.stratify:
        counts = frame[cfg.data.target].value_counts()
        if counts.min() >= 2:
            stratify = frame[cfg.data.target]
        else:
            log.warning("not stratifying: class %r has a single row", counts.idxmin())
    train, test = train_test_split(
        frame, test_size=cfg.split.test_size, random_state=cfg.split.seed, stratify=stratify
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)


def run(cfg: Config) -> tuple[Path, Path]:
    """The `data` step: raw -> validated -> data/processed/{train,test}.csv."""
    frame = load_raw(cfg)
    log.info("raw data: %d rows x %d columns from %s", *frame.shape, cfg.raw_path)
    train, test = split(frame, cfg)
    write_table(train, cfg.train_path)
    write_table(test, cfg.test_path)
    log.info("wrote %d train rows to %s", len(train), cfg.train_path)
    log.info("wrote %d test rows to %s", len(test), cfg.test_path)
    return cfg.train_path, cfg.test_path


def load_split(cfg: Config, name: Literal["train", "test"]) -> pd.DataFrame:
    """Read the train or test split, telling the user how to create it when missing."""
    path = cfg.train_path if name == "train" else cfg.test_path
    if not path.is_file():
        raise DataError(f"{path} not found; run the data step first (`make data`)")
    return validate_target(read_table(path), cfg, path)
