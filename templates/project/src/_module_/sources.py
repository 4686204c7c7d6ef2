"""The raw data files that `data.raw_path` names, read as one table.

`data.raw_path` is one file, a glob (`data/raw/*.csv`) or a list of either, so that new labelled
data can arrive as new files beside the old ones: data/raw stays immutable, and the next data
step (`make retrain`) reads them all. Files are read in a stable order (the list's order; by name
within a glob), must share their columns, and a row that a later file repeats exactly is kept
once. What was read (each file, its sha256, its rows) is kept, so that every model version can
say which data it saw.
"""

from __future__ import annotations

import glob
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .artifact import file_sha256, write_json
from .config import Config, is_glob
from .errors import DataError
from .tables import check_table_suffix, parse_csv, read_csv_content, read_parquet

log = logging.getLogger(__name__)

#: Beside the splits: which raw files (and bytes) the data step read, for the model's metadata.
RECORD_FILE = "raw_files.json"
#: Characters that separate the columns of a CSV file saved with other settings than commas.
OTHER_DELIMITERS = (";", "\t", "|")


@dataclass
class RawFile:
    """One raw file: where it is, its rows as read, and the sha256 of its bytes."""

    path: Path
    frame: pd.DataFrame
    sha256: str


def shown(cfg: Config, path: Path) -> str:
    """A path as the user would write it: relative to the project root when inside it."""
    return path.relative_to(cfg.root).as_posix() if path.is_relative_to(cfg.root) else str(path)


def raw_files(cfg: Config) -> list[Path]:
    """The files data.raw_path names, in a stable order, each once."""
    found: list[Path] = []
    for entry, written in zip(cfg.raw_entries, cfg.data.raw_entries, strict=True):
        if is_glob(entry):
            found_here = glob.glob(str(entry), recursive=True)
            matches = sorted(path for path in map(Path, found_here) if not path.is_dir())
            if not matches:
                raise DataError(
                    f"data.raw_path '{written.as_posix()}' matches no file (in {cfg.root}); "
                    "copy the data files there, or correct the pattern in config/config.yaml"
                )
        elif entry.is_dir():
            raise DataError(
                f"data.raw_path '{written.as_posix()}' is a folder; name its files with a glob, "
                f"e.g. {(written / '*.csv').as_posix()}"
            )
        elif not entry.exists():
            raise DataError(
                f"raw data file not found: {entry}. Copy your file there, or point "
                "data.raw_path in config/config.yaml at it"
            )
        else:
            matches = [entry]
        found += [path for path in matches if path not in found]
    derived = next((path for path in found if path.is_relative_to(cfg.processed_dir)), None)
    if derived is not None:
        raise DataError(
            f"data.raw_path '{cfg.data.raw_spec}' matches {shown(cfg, derived)}, which the data "
            "step writes itself; narrow it to the raw files (e.g. data/raw/*.csv)"
        )
    return found


def read_raw_file(path: Path) -> RawFile:
    """One file, read as `make data` always has; its sha256 is of the very bytes parsed."""
    if check_table_suffix(path) == ".parquet":
        frame = read_parquet(path)  # its own checks first: a missing or unreadable file
        return RawFile(path, frame, file_sha256(path))
    content = read_csv_content(path)
    return RawFile(path, parse_csv(content, path), hashlib.sha256(content).hexdigest())


def check_same_columns(cfg: Config, files: list[RawFile]) -> None:
    """Every file must have the first file's columns (in any order), or the table means
    nothing; a file read as one column is probably separated by something else than commas."""
    first = files[0]
    expected = list(first.frame.columns)
    for other in files[1:]:
        columns = list(other.frame.columns)
        if set(columns) == set(expected):
            continue
        delimiter = next((d for d in OTHER_DELIMITERS if len(columns) == 1 and d in columns[0]), "")
        if delimiter:
            raise DataError(
                f"{shown(cfg, other.path)} reads as one column, '{columns[0]}': it seems to be "
                f"separated by {delimiter!r} rather than commas; save it as CSV with commas"
            )
        missing = [name for name in expected if name not in columns]
        extra = [name for name in columns if name not in expected]
        found = ", ".join(
            f"{what} {', '.join(map(str, names))}"
            for what, names in (("lacks", missing), ("has the extra column(s)", extra))
            if names
        )
        raise DataError(
            f"{shown(cfg, other.path)} does not have the columns of {shown(cfg, first.path)}: "
            f"it {found}; give it the same header, or leave it out of data.raw_path"
        )


def kind(values: pd.Series) -> str | None:
    """How pandas read a column: booleans, numbers or text (None: no value to tell)."""
    if values.isna().all():
        return None
    if pd.api.types.is_bool_dtype(values):
        return "boolean"
    return "number" if pd.api.types.is_numeric_dtype(values) else "text"


def align_kinds(cfg: Config, files: list[RawFile]) -> None:
    """Read a column as text in every file when the files disagree on its kind (numbers in one,
    text in another): mixing 501 and 'A501' in one column would make the number 501.0 and the
    text '501' two categories. One file holding all the rows would be read the same way."""
    mixed = [
        name
        for name in files[0].frame.columns
        if len({kind(raw.frame[name]) for raw in files} - {None}) > 1
    ]
    if not mixed:
        return
    log.info("read as text in every file (numbers in some, text in others): %s", ", ".join(mixed))
    for raw in files:
        if check_table_suffix(raw.path) == ".csv":  # again, for the cells as written
            content = read_csv_content(raw.path)
            if hashlib.sha256(content).hexdigest() != raw.sha256:
                raise DataError(f"{raw.path} changed while it was read; run the data step again")
            raw.frame = parse_csv(content, raw.path, dtype={name: str for name in mixed})
        else:
            for name in mixed:
                raw.frame[name] = raw.frame[name].map(lambda v: v if pd.isna(v) else str(v))


def drop_repeated_rows(cfg: Config, files: list[RawFile]) -> None:
    """Keep once a row that a later file repeats in every column (a re-delivered export would
    otherwise count twice, and could sit on both sides of the split). Rows repeated within one
    file are kept, as with a single file: they may be genuine repeated observations."""
    if len(files) < 2:
        return
    columns = list(files[0].frame.columns)
    together = pd.concat([raw.frame[columns] for raw in files], ignore_index=True)
    hashes = pd.util.hash_pandas_object(together, index=False).to_numpy()
    owner = pd.Series([i for i, raw in enumerate(files) for _ in range(len(raw.frame))])
    first_owner = owner.groupby(hashes).transform("min").to_numpy()
    start = 0
    for i, raw in enumerate(files):
        repeated = first_owner[start : start + len(raw.frame)] < i
        start += len(raw.frame)
        if repeated.any():
            log.info(
                "%s: %d row(s) repeat rows of earlier files in every column: kept once",
                shown(cfg, raw.path),
                int(repeated.sum()),
            )
            raw.frame = raw.frame.loc[~repeated].reset_index(drop=True)


def combined_sha256(cfg: Config, files: list[RawFile]) -> str:
    """The data's fingerprint: a single file's own sha256; for several, the sha256 of their
    `sha256sum` listing (hash, two spaces, path from the project root, one line each), which
    `cd <project> && sha256sum <files> | sha256sum` reproduces."""
    if len(files) == 1:
        return files[0].sha256
    listing = "".join(f"{raw.sha256}  {shown(cfg, raw.path)}\n" for raw in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def record(cfg: Config, files: list[RawFile]) -> dict[str, Any]:
    """What the data step read: data.raw_path as written, the fingerprint of all its files,
    each file (path, sha256, rows used) and the split settings the rows were split with."""
    return {
        "raw_file": cfg.data.raw_spec,
        "raw_sha256": combined_sha256(cfg, files),
        "raw_files": [
            {"file": shown(cfg, raw.path), "sha256": raw.sha256, "rows": len(raw.frame)}
            for raw in files
        ],
        "split": cfg.split.model_dump(),
    }


def write_record(cfg: Config, files: list[RawFile]) -> None:
    write_json(record(cfg, files), cfg.processed_dir / RECORD_FILE)  # temporary file + rename


def read_record(cfg: Config) -> dict[str, Any] | None:
    """The record of the last data step (None: none, from before it was kept, or unreadable)."""
    try:
        found = json.loads((cfg.processed_dir / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None
