"""Chunks appended to a CSV or Parquet file, which becomes the output only once complete.

Batch prediction writes each chunk as soon as it is scored, through a temporary file beside the
output (`tables.replacing`): a run that fails half-way leaves neither an output file nor a
temporary one, and an earlier output as it was. CSV rows are written as pandas writes them, by
Arrow's writer when no cell needs quotes (many times faster), else by pandas; the output is the
same byte for byte either way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from .tables import cannot_write, check_table_suffix, replacing


def csv_text(table: pa.Table) -> pa.Table | None:
    """The table as the text pandas would write, or None when it holds a type other than text
    and plain float64 or int64 numbers (pandas then writes it): numbers are spelled by Python's
    shortest round-trip form, which is pandas' (1.0, 0.985, 1e-05)."""
    columns = []
    for column in table.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            columns.append(column)
            continue
        if column.type not in (pa.float64(), pa.int64()) or column.null_count:
            return None
        numbers = column.to_numpy()
        if numbers.dtype.kind == "f" and np.isnan(numbers).any():
            return None  # pandas writes NaN as an empty cell
        columns.append(pa.array(map(repr, numbers.tolist()), pa.string()))
    return pa.table(columns, names=table.column_names)


class ChunkWriter:
    """Chunks appended to a CSV or Parquet file (chosen by the extension of `path`, the name
    that errors give), whichever format they were read from."""

    def __init__(self, path: Path, partial: Path) -> None:
        self.path, self.partial = path, partial
        self.csv = check_table_suffix(path) == ".csv"
        self.text: BinaryIO | None = None
        self.parquet: pq.ParquetWriter | None = None

    def write(self, chunk: pa.Table) -> None:
        with cannot_write(self.path):
            if not self.csv:
                if self.parquet is None:
                    self.parquet = pq.ParquetWriter(self.partial, chunk.schema)
                self.parquet.write_table(chunk)
                return
            if self.text is None:
                self.text = self.partial.open("wb")
                self.text.write(csv_header_line(chunk.column_names))
            write_csv(chunk, self.text)

    def close(self) -> None:
        with cannot_write(self.path):
            for output in (self.text, self.parquet):
                if output is not None:
                    output.close()


def csv_header_line(names: list[str]) -> bytes:
    """The header as pandas writes it: by Python's csv module, quoting only where needed."""
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(names)
    return line.getvalue().encode("utf-8")


def write_csv(chunk: pa.Table, handle: BinaryIO) -> None:
    """Append a chunk's rows to a CSV file exactly as pandas writes them: by Arrow's writer (many
    times faster) when no cell needs quotes, else by pandas (which quotes only where needed)."""
    text, start = csv_text(chunk), handle.tell()
    if text is not None:
        try:
            unquoted = pcsv.WriteOptions(include_header=False, quoting_style="none")
            pcsv.write_csv(text, handle, unquoted)
            return
        except pa.ArrowInvalid:  # a comma, a quote or a line break in a cell
            handle.seek(start)
            handle.truncate()
    frame = chunk.to_pandas(integer_object_nulls=True)  # 2**62 + 1 with gaps stays an integer
    handle.write(frame.to_csv(index=False, header=False, lineterminator="\n").encode("utf-8"))


@contextmanager
def writing(path: Path) -> Iterator[ChunkWriter]:
    """A `ChunkWriter` whose file becomes `path` only when the block succeeds."""
    with replacing(path) as partial:
        writer = ChunkWriter(path, partial)
        try:
            yield writer
        finally:
            writer.close()
