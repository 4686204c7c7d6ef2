"""Tables in chunks: a CSV or Parquet file read a slice of rows at a time (writers.py writes
them), so that batch prediction's memory is bounded by the chunk size, not by the file size.

Both formats are read into Arrow tables: a CSV file as text, cell for cell as written (00501
stays 00501, 1.50 stays 1.50, an empty cell stays empty), so that it is written back unchanged;
a Parquet file with its types. Arrow reads CSV text many times faster than pandas does, and
holds it in a fraction of the memory. Bad files get the one-line messages of tables.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from .errors import DataError
from .tables import (
    check_readable,
    check_table_suffix,
    csv_header,
    empty_csv,
    not_utf8,
    parquet_errors,
    ragged_row,
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
