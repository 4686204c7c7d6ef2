"""Reading and writing tables: CSV or Parquet, chosen by the file's extension.

Every way a file can be unreadable (not UTF-8, a row longer than the header, empty, not really
Parquet) or unwritable ends in a `DataError` that names the file and what to do, rather than a
parser's traceback. Writes go through a temporary file and a rename, so a failed write never
leaves a half-written file where a good one was.
"""

from __future__ import annotations

import io
import os
import re
from contextlib import suppress
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError

#: pandas' message for a row with more fields than the header.
RAGGED_ROW = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")


def check_table_suffix(path: Path) -> str:
    """The file type by extension ('.csv' or '.parquet'); anything else is an error."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return suffix
    if suffix in {".parquet", ".pq"}:
        return ".parquet"
    raise DataError(f"unsupported file type '{suffix}' for {path}; use .csv or .parquet")


def read_bytes(path: Path) -> bytes:
    """The file's content, with one-line errors for a missing or unreadable file."""
    if path.is_dir():
        raise DataError(f"{path} is a folder; give the path of a .csv or .parquet file")
    if not path.is_file():
        raise DataError(f"file not found: {path}")
    try:
        return path.read_bytes()
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None


def not_utf8(content: bytes, path: Path) -> DataError:
    """Where the first byte that is not UTF-8 is, so the user can find the bad cell."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as error:
        line = content.count(b"\n", 0, error.start) + 1
        where = f"byte 0x{content[error.start]:02x} on line {line}"
    else:  # pragma: no cover - pandas only fails on undecodable bytes
        where = "an undecodable byte"
    return DataError(
        f"{path} is not UTF-8 text ({where}); save it as UTF-8 (spreadsheets: 'CSV UTF-8'; "
        f"or `iconv -f latin1 -t utf-8 {path.name} > {path.stem}-utf8.csv`) and use that file"
    )


def parse_csv(content: bytes, path: Path, **options: Any) -> pd.DataFrame:
    """Parse CSV bytes with pandas; `options` go to `pd.read_csv` (e.g. dtype=str)."""
    try:
        frame = pd.read_csv(io.BytesIO(content), encoding="utf-8", **options)
    except UnicodeDecodeError:
        raise not_utf8(content, path) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{path} is empty: a CSV file needs a header row and data rows") from None
    except pd.errors.ParserError as error:
        ragged = RAGGED_ROW.search(str(error))
        if ragged:
            expected, line, saw = ragged.groups()
            raise DataError(
                f"{path}: line {line} has {saw} fields but the header has {expected}; fix that "
                "row (a value that contains a comma must be in double quotes)"
            ) from None
        first = str(error).strip().splitlines()[-1]
        raise DataError(f"{path} is not valid CSV: {first}") from None
    return frame


def read_csv_content(path: Path) -> bytes:
    """A CSV file's bytes, once its header names every column once: pandas would silently
    rename a repeated name to 'name.1', and the output would no longer match the input."""
    content = read_bytes(path)
    header = parse_csv(content, path, header=None, nrows=1, dtype=str).iloc[0].tolist()
    repeated = sorted({str(name) for name in header if header.count(name) > 1})
    if repeated:
        raise DataError(
            f"{path}: the header names column(s) {', '.join(repeated)} more than once; "
            "rename them so that every column has its own name"
        )
    return content


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file with its own types; a damaged one is named, not a pyarrow traceback."""
    if not path.is_file():
        read_bytes(path)  # the same messages as for CSV: a folder, or not found
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(
            f"{path} is not a readable Parquet file ({first}); export it again, or use CSV"
        ) from None


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or Parquet file, chosen by extension; CSV types are inferred by pandas."""
    if check_table_suffix(path) == ".parquet":
        return read_parquet(path)
    return parse_csv(read_csv_content(path), path)


def check_writable(path: Path) -> None:
    """Fail before any slow work when `path` cannot be written: a folder, a read-only file, or a
    folder the user may not write into."""
    check_table_suffix(path)
    if path.is_dir():
        raise DataError(f"{path} is a folder; give a file name ending in .csv or .parquet")
    if path.exists() and not os.access(path, os.W_OK):
        raise DataError(f"cannot write {path}: the file is read-only; choose another file")
    existing = next(folder for folder in (path.parent, *path.parent.parents) if folder.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise DataError(f"cannot write {path}: {existing} is not a writable folder")


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV or Parquet file, chosen by extension, creating the folder if needed.

    The file is written under a temporary name and then renamed, so readers never see half a
    file, and a failed write leaves the previous file as it was.
    """
    suffix = check_table_suffix(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".csv":
            frame.to_csv(partial, index=False)
        else:
            frame.to_parquet(partial, index=False)
        partial.replace(path)
    except OSError as error:
        with suppress(OSError):
            partial.unlink(missing_ok=True)
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None
