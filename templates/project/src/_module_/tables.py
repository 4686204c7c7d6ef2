"""Reading and writing tables: CSV or Parquet, chosen by the file's extension.

Every way a file can be unreadable (not UTF-8, a row longer than the header, empty, not really
Parquet) or unwritable ends in a `DataError` that names the file and what to do, rather than a
parser's traceback. Writes go through a temporary file and a rename, so a failed write never
leaves a half-written file where a good one was. streams.py reads and writes the same files in
chunks, with the same messages.
"""

from __future__ import annotations

import codecs
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from itertools import chain
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError

#: pandas' message for a row with more fields than the header.
RAGGED_ROW = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
#: The cells pandas reads as missing by default (`pd.read_csv`'s documented `na_values`), so that
#: text read with `na_filter=False` can be given the same meaning as training gave it.
NA_TEXT = frozenset(
    {"", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN"}
    | {"<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"}
)
#: Bytes read at a time when a file is scanned rather than loaded.
BLOCK = 1 << 20


def check_table_suffix(path: Path) -> str:
    """The file type by extension ('.csv' or '.parquet'); anything else is an error."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return suffix
    if suffix in {".parquet", ".pq"}:
        return ".parquet"
    raise DataError(f"unsupported file type '{suffix}' for {path}; use .csv or .parquet")


def check_readable(path: Path) -> None:
    """One-line errors for a folder, a missing file, or a file the user may not read."""
    if path.is_dir():
        raise DataError(f"{path} is a folder; give the path of a .csv or .parquet file")
    if not path.is_file():
        raise DataError(f"file not found: {path}")
    try:
        path.open("rb").close()
    except OSError as error:
        raise DataError(f"cannot read {path}: {error.strerror or error}") from None


def read_bytes(path: Path) -> bytes:
    """The file's content, with one-line errors for a missing or unreadable file."""
    check_readable(path)
    return path.read_bytes()


def undecodable(path: Path, limit: int | None = None) -> str | None:
    """Where the first byte that is not UTF-8 is, in the first `limit` bytes ("byte 0xe9 on line
    7"), or None. The file is scanned a block at a time: a huge file is never loaded whole."""
    decoder, lines, read = codecs.getincrementaldecoder("utf-8")(), 1, 0
    with path.open("rb") as handle:
        for block in chain(iter(lambda: handle.read(BLOCK), b""), [b""]):
            if limit is not None and read >= limit:
                return None
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as error:
                # The decoder holds back the start of a character cut by the end of a block.
                at = error.start - (len(error.object) - len(block))
                lines += block.count(b"\n", 0, max(at, 0))
                return f"byte 0x{error.object[error.start]:02x} on line {lines}"
            lines, read = lines + block.count(b"\n"), read + len(block)
    return None


def not_utf8(path: Path, where: str | None = None) -> DataError:
    """The file is not UTF-8: where the first bad byte is, so the user can find the bad cell."""
    where = where or undecodable(path) or "an undecodable byte"
    return DataError(
        f"{path} is not UTF-8 text ({where}); save it as UTF-8 (spreadsheets: 'CSV UTF-8'; "
        f"or `iconv -f latin1 -t utf-8 {path.name} > {path.stem}-utf8.csv`) and use that file"
    )


def empty_csv(path: Path) -> DataError:
    return DataError(f"{path} is empty: a CSV file needs a header row and data rows")


def ragged_row(path: Path, line: str, fields: str, expected: str) -> DataError:
    return DataError(
        f"{path}: line {line} has {fields} fields but the header has {expected}; fix that row "
        "(a value that contains a comma must be in double quotes)"
    )


@contextmanager
def csv_errors(path: Path) -> Iterator[None]:
    """pandas' CSV parsing errors as one-line `DataError`s."""
    try:
        yield
    except UnicodeDecodeError:
        raise not_utf8(path) from None
    except pd.errors.EmptyDataError:
        raise empty_csv(path) from None
    except pd.errors.ParserError as error:
        ragged = RAGGED_ROW.search(str(error))
        if ragged:
            expected, line, fields = ragged.groups()
            raise ragged_row(path, line, fields, expected) from None
        first = str(error).strip().splitlines()[-1]
        raise DataError(f"{path} is not valid CSV: {first}") from None


def parse_csv(content: bytes, path: Path, **options: Any) -> pd.DataFrame:
    """Parse CSV bytes read from `path` with pandas; `options` go to `pd.read_csv`."""
    with csv_errors(path):
        return pd.read_csv(io.BytesIO(content), encoding="utf-8", **options)


def csv_header(path: Path) -> list[str]:
    """A CSV file's column names as written, once they are known to name every column once:
    pandas would silently rename a repeated name to 'name.1', and the output would no longer
    match the input. Empty names (unnamed columns) may repeat."""
    check_readable(path)
    with csv_errors(path):
        first = pd.read_csv(path, header=None, nrows=1, dtype=str, keep_default_na=False)
    header = [str(name) for name in first.iloc[0]]
    check_unique_names(header, str(path))
    return header


def check_unique_names(header: list[str], source: str) -> None:
    """Refuse a header that names a column twice (empty names, unnamed columns, may repeat)."""
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise DataError(
            f"{source}: the header names column(s) {', '.join(repeated)} more than once; "
            "rename them so that every column has its own name"
        )


def read_csv_content(path: Path) -> bytes:
    """A CSV file's bytes, once its header is known to be valid (`csv_header`)."""
    csv_header(path)
    return read_bytes(path)


@contextmanager
def parquet_errors(path: Path) -> Iterator[None]:
    """A damaged Parquet file, read whole or in chunks, as one line (not pyarrow's traceback)."""
    try:
        yield
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(
            f"{path} is not a readable Parquet file ({first}); export it again, or use CSV"
        ) from None


def read_parquet(path: Path) -> pd.DataFrame:
    """A Parquet file with its own types."""
    check_readable(path)
    with parquet_errors(path):
        return pd.read_parquet(path)


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


@contextmanager
def cannot_write(path: Path) -> Iterator[None]:
    """An `OSError` while writing `path` (a full disk, a folder that vanished) as one line."""
    try:
        yield
    except OSError as error:
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary file beside `path` to write instead; it becomes `path` (by a rename) when the
    block ends, and is removed when the block fails, Ctrl-C included. So readers never see half
    a file, and a failed write leaves the previous file as it was and nothing beside it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with cannot_write(path):
            path.parent.mkdir(parents=True, exist_ok=True)
        yield partial
        with cannot_write(path):
            partial.replace(path)
    finally:
        with suppress(OSError):
            partial.unlink(missing_ok=True)


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """Write a CSV or Parquet file, chosen by extension, creating the folder if needed (through
    a temporary file: see `replacing`)."""
    suffix = check_table_suffix(path)
    with replacing(path) as partial, cannot_write(path):
        if suffix == ".csv":
            frame.to_csv(partial, index=False)
        else:
            frame.to_parquet(partial, index=False)
