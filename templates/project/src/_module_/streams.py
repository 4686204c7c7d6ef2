"""Tables in chunks: a CSV or Parquet file read, and written, a slice of rows at a time.

Batch prediction streams files through these, so its memory is bounded by the chunk size
rather than by the file size. Both formats are read into Arrow tables: a CSV file as text, cell
for cell as written (00501 stays 00501, 1.50 stays 1.50, an empty cell stays empty), so that it
is written back unchanged; a Parquet file with its types, which it keeps when written back.
Arrow reads and writes CSV text many times faster than pandas, and holds it in less memory;
what Arrow cannot write as pandas would (a cell that needs quotes, a date) is written by pandas.
Bad files get the one-line messages of tables.py, and the output goes through
`tables.replacing`: a run that fails half-way leaves neither an output file nor a temporary one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from .errors import DataError
from .tables import (
    cannot_write,
    check_readable,
    check_table_suffix,
    csv_header,
    empty_csv,
    not_utf8,
    parquet_errors,
    ragged_row,
    replacing,
    undecodable,
)

#: A batch of rows as read, with how far the file is done (bytes or rows).
Batch = tuple[pa.RecordBatch, int]
#: Arrow parses CSV this many bytes at a time, and reads a few dozen such blocks ahead.
CSV_BLOCK = 1 << 18
#: Arrow's CSV error for a row with too many or too few fields (the header is row 1).
ARROW_RAGGED = re.compile(r"Row #(\d+): Expected (\d+) columns, got (\d+)")


@contextmanager
def arrow_csv_errors(path: Path, handle: pa.NativeFile) -> Iterator[None]:
    """Arrow's CSV parsing errors as the one-line `DataError`s of pandas' (tables.csv_errors).
    Arrow splits a block into rows before it checks the text: a byte that is not UTF-8 in the
    part read so far is the first thing to fix, whatever Arrow found."""
    try:
        yield
    except pa.ArrowInvalid as error:
        message = str(error)
        where = undecodable(path, limit=handle.tell())
        if where or "invalid UTF8" in message:
            raise not_utf8(path, where) from None
        if "Empty CSV file" in message:
            raise empty_csv(path) from None
        ragged = ARROW_RAGGED.search(message)
        if ragged:
            line, expected, fields = ragged.groups()
            raise ragged_row(path, line, fields, expected) from None
        first = message.strip().splitlines()[0] if message.strip() else "ArrowInvalid"
        raise DataError(f"{path} is not valid CSV: {first}") from None


class CsvChunks:
    """A CSV file as Arrow tables of text, one cell as written per value (Arrow reads text far
    faster than pandas, and holds it in a fraction of the memory). `total` is the file's size:
    iterating yields each chunk with the bytes read so far, which tells how far the file is done
    before its rows are counted."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, rows
        self.columns = csv_header(path)
        self.total = path.stat().st_size

    def __iter__(self) -> Iterator[tuple[pa.Table, int]]:
        text = pcsv.ConvertOptions(
            column_types=dict.fromkeys(self.columns, pa.string()),
            strings_can_be_null=False,  # an empty cell stays empty, "NA" stays "NA"
            quoted_strings_can_be_null=False,
        )
        # One thread: errors then name the row, and a shared machine's cores stay free.
        reading = pcsv.ReadOptions(use_threads=False, block_size=CSV_BLOCK)
        parsing = pcsv.ParseOptions(newlines_in_values=True)
        # Arrow's own file, not Python's: Arrow reads ahead on its own threads. The reader is
        # closed as soon as the loop ends, however it ends, so that none is left reading.
        with pa.OSFile(str(self.path)) as handle:
            with arrow_csv_errors(self.path, handle):
                reader = pcsv.open_csv(
                    handle, read_options=reading, parse_options=parsing, convert_options=text
                )
            with reader:
                yield from rebatched(self._batches(reader, handle), self.rows)

    def _batches(self, reader: pcsv.CSVStreamingReader, handle: pa.NativeFile) -> Iterator[Batch]:
        batches, done = iter(reader), 0
        while True:
            with arrow_csv_errors(self.path, handle):
                batch = next(batches, None)
            if batch is None:
                return
            # The bytes the rows took: their cells, and a comma or a line break after each.
            # (The file's position is no measure: Arrow reads a few dozen blocks ahead.)
            cells = [pc.sum(pc.binary_length(column)).as_py() for column in batch.columns]
            done += sum(size or 0 for size in cells) + batch.num_rows * batch.num_columns
            yield batch, done


def rebatched(batches: Iterator[Batch], rows: int) -> Iterator[tuple[pa.Table, int]]:
    """Tables of `rows` rows (the last one, what is left) from batches of any size, each with
    the progress of the batch that completed it."""
    pending: list[pa.RecordBatch] = []
    count = done = 0
    for batch, done in batches:
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pa.Table.from_batches(pending)
            yield table.slice(0, rows), done
            rest = table.slice(rows)
            pending, count = rest.to_batches(), rest.num_rows
    if count:
        yield pa.Table.from_batches(pending), done


class ParquetChunks:
    """A Parquet file as Arrow tables of rows. `total` is its row count, from the file's footer:
    iterating yields each chunk with the rows read so far."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, rows
        check_readable(path)
        with parquet_errors(path), pq.ParquetFile(path) as file:
            self.columns = list(file.schema_arrow.names)
            self.total = file.metadata.num_rows

    def __iter__(self) -> Iterator[tuple[pa.Table, int]]:
        with parquet_errors(self.path):
            file = pq.ParquetFile(self.path)
        with file:
            batches, done = file.iter_batches(batch_size=self.rows), 0
            while True:
                with parquet_errors(self.path):
                    batch = next(batches, None)
                if batch is None:
                    return
                done += batch.num_rows
                yield pa.Table.from_batches([batch]), done


def read_chunks(path: Path, rows: int) -> CsvChunks | ParquetChunks:
    """A CSV or Parquet file (chosen by extension) in chunks of `rows` rows."""
    if check_table_suffix(path) == ".parquet":
        return ParquetChunks(path, rows)
    return CsvChunks(path, rows)


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
