"""Tables in chunks: a CSV or Parquet file read, and written, a slice of rows at a time.

Batch prediction streams files through these, so its memory is bounded by the chunk size
rather than by the file size. A CSV file is read as text, cell for cell as written (00501 stays
00501, 1.50 stays 1.50, an empty cell stays empty), so that it can be written back unchanged;
a Parquet file is read as Arrow tables, which keep every type when written back. Bad files get
the one-line messages of tables.py, and the output goes through `tables.replacing`: a run that
fails half-way leaves neither an output file nor a temporary one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .tables import (
    cannot_write,
    check_readable,
    check_table_suffix,
    csv_errors,
    csv_header,
    parquet_errors,
    replacing,
)

#: A chunk as read: CSV text in a DataFrame, or an Arrow table of a Parquet file's rows.
Chunk = pd.DataFrame | pa.Table


class CsvChunks:
    """A CSV file as chunks of rows of text. `total` is the file's size: iterating yields each
    chunk with the bytes read so far, which tells how far the file is done before its rows are
    counted."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path, self.rows = path, rows
        self.columns = csv_header(path)
        self.total = path.stat().st_size

    def __iter__(self) -> Iterator[tuple[pd.DataFrame, int]]:
        with self.path.open("rb") as handle:
            with csv_errors(self.path):
                reader = pd.read_csv(
                    handle,
                    encoding="utf-8",
                    dtype=object,
                    keep_default_na=False,
                    na_filter=False,
                    chunksize=self.rows,
                )
            while True:
                with csv_errors(self.path):
                    chunk = next(reader, None)
                if chunk is None:
                    return
                yield chunk, handle.tell()


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


class ChunkWriter:
    """Chunks appended to a CSV or Parquet file (chosen by the extension of `path`, the name
    that errors give), whichever format they were read from."""

    def __init__(self, path: Path, partial: Path) -> None:
        self.path, self.partial = path, partial
        self.csv = check_table_suffix(path) == ".csv"
        self.text: TextIO | None = None
        self.parquet: pq.ParquetWriter | None = None

    def write(self, chunk: Chunk) -> None:
        with cannot_write(self.path):
            if self.csv:
                if isinstance(chunk, pa.Table):
                    # Integers stay integers where a chunk has gaps (not floats: 2**62 + 1).
                    chunk = chunk.to_pandas(integer_object_nulls=True)
                first = self.text is None
                if first:
                    self.text = self.partial.open("w", encoding="utf-8", newline="")
                chunk.to_csv(self.text, header=first, index=False)
                return
            if isinstance(chunk, pd.DataFrame):
                chunk = pa.Table.from_pandas(chunk, preserve_index=False)
            if self.parquet is None:
                self.parquet = pq.ParquetWriter(self.partial, chunk.schema)
            self.parquet.write_table(chunk)

    def close(self) -> None:
        with cannot_write(self.path):
            for output in (self.text, self.parquet):
                if output is not None:
                    output.close()


@contextmanager
def writing(path: Path) -> Iterator[ChunkWriter]:
    """A `ChunkWriter` whose file becomes `path` only when the block succeeds."""
    with replacing(path) as partial:
        writer = ChunkWriter(path, partial)
        try:
            yield writer
        finally:
            writer.close()
