"""Batch prediction: a CSV or Parquet file in, the same rows plus prediction columns out.

The file is streamed a chunk of rows at a time (config `predict.chunk_rows`), so memory stays
bounded by the chunk, not by the file; the output keeps the input's order and is written under a
temporary name, renamed when the last row is written. The input is only read, and the output may
not be the input itself. A CSV's columns are written back exactly as they were read (a zip code
00501 stays 00501, 1.50 stays 1.50, an empty cell stays empty); only the model's columns are
parsed, by the types in the model's input schema, so that every chunk is read alike, however
its values happen to look. A Parquet file keeps its types.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .artifact import newest_version, promoted_version
from .config import Config
from .errors import DataError, InputError
from .predict import Predictor
from .progress import DELAY, ProgressLine
from .streams import CsvChunks, read_chunks
from .tables import NA_TEXT, check_writable
from .threads import limit_threads_for
from .writers import writing

log = logging.getLogger(__name__)

#: How CSV text spells a boolean (pandas reads these as True and False).
BOOLEANS = {"true": True, "false": False}
NA_CELLS = pa.array(sorted(NA_TEXT))


def check_not_input(input_path: Path, output_path: Path) -> None:
    """Refuse to write over the input, however the path is spelled (symlinks, `./`, links)."""
    if input_path.exists() and output_path.exists() and os.path.samefile(input_path, output_path):
        raise DataError(
            f"--output {output_path} is the input file; write the predictions to another file "
            "(the input is never changed)"
        )


def as_numbers(text: pd.Series) -> pd.Series:
    """A numeric column of CSV text as float64, parsed by Arrow: several times faster than
    pandas on text, and the same value for every number that pandas reads. Text that Arrow does
    not take for a number (spaces around it, `1_000`) is left as text, missing cells as NaN:
    the Predictor converts it as pandas would, and names any value that is not a number."""
    try:
        cells = pa.array(text, type=pa.string(), from_pandas=True)  # null: missing (e.g. Spark)
        cells = pc.if_else(pc.is_in(cells, value_set=NA_CELLS), None, cells)
        parsed = pc.cast(cells, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return text.mask(text.isna() | text.isin(NA_TEXT))
    return pd.Series(parsed, index=text.index, name=text.name)


def typed_from_text(text: pd.DataFrame, schema: list[dict[str, Any]]) -> pd.DataFrame:
    """The model's columns of CSV text as training read them: cells pandas reads as missing
    are missing, and each column's type comes from the input schema rather than from the values
    at hand, so that every chunk of a file is read alike."""
    typed = {}
    for column in schema:
        values = text[column["name"]]
        if column["kind"] == "numeric" and column["dtype"] == "number":
            typed[column["name"]] = as_numbers(values)
            continue
        values = values.mask(values.isna() | values.isin(NA_TEXT))
        if column["dtype"] == "boolean":
            lower = values.str.lower()
            values = lower.map(BOOLEANS).where(lower.isin(BOOLEANS), values)
        elif column["dtype"] == "number" and column["kind"] != "numeric":
            # A categorical column of numbers: 1 and 1.0 are one category, as in training.
            numbers = pd.to_numeric(values, errors="coerce")
            values = numbers.astype(object).where(numbers.notna(), values)
        typed[column["name"]] = values
    return pd.DataFrame(typed, index=text.index)


def score_chunk(predictor: Predictor, rows: pd.DataFrame, text: bool = False) -> pd.DataFrame:
    """`rows` without the columns of an earlier prediction, followed by the predictions.

    `rows` are rows as read: CSV text with `text=True` (every cell a string, a missing cell
    empty or null), whose model columns are typed by `typed_from_text`; otherwise typed values
    (Parquet). Any chunk of a file gives the same predictions as the whole file. The index is
    kept; a RangeIndex that continues the file's numbering makes a bad value's message name its
    row in the file. Raises `InputError` for a missing model column or a bad value.
    """
    used = rows[[name for name in predictor.columns if name in rows.columns]]
    inputs = typed_from_text(used, predictor.schema) if text else used
    result = predictor.predict(inputs).to_frame().set_axis(rows.index)
    kept = rows.drop(columns=[name for name in predictor.output_columns if name in rows.columns])
    return pd.concat([kept, result], axis=1)


def score_table(predictor: Predictor, table: pa.Table, start: int, text: bool) -> pa.Table:
    """A chunk of a file (Arrow columns of CSV text, or of Parquet values; its first row being
    row `start` of the file) with the predictions appended. Its own columns stay as read, so
    every cell, type and value survives; only the model's columns go through pandas."""
    rows = table.select(predictor.columns).to_pandas()  # Parquet: as pd.read_parquet reads them
    rows.index = pd.RangeIndex(start, start + len(rows))
    predictions = score_chunk(predictor, rows, text=text)[predictor.output_columns]
    stale = [name for name in table.column_names if name in predictor.output_columns]
    scored = table.drop_columns(stale)
    for name in predictions.columns:
        scored = scored.append_column(name, pa.Array.from_pandas(predictions[name]))
    return scored


def mismatch(
    metadata: dict[str, Any], folder: Path, promoted: bool, missing: list[str], source: Path
) -> InputError:
    """Why the model does not fit the input: which model, trained on what, and what to do."""
    trained_on = metadata.get("data", {}).get("raw_file", "other data")
    which = "the promoted model" if promoted else "model"
    message = (
        f"{source} does not fit {which} {folder.name}: missing column(s): "
        f"{', '.join(missing)}; that model was trained on {trained_on} to predict "
        f"'{metadata.get('target')}'. To predict for other data, train on it with `make all` "
        "(point data in config/config.yaml at it first), or pass --model-dir with a model "
        "trained on such data"
    )
    newest = newest_version(folder.parent) if promoted else folder
    if newest.name != folder.name:
        shown = newest.relative_to(Path.cwd()) if newest.is_relative_to(Path.cwd()) else newest
        message += (
            f"; the newer model {newest.name} was trained but is not promoted (`make evaluate` "
            f"says why), and --model-dir {shown} uses it anyway"
        )
    return InputError(message)


def check_columns(
    predictor: Predictor, columns: list[str], source: Path, folder: Path, promoted: bool
) -> None:
    """Refuse an input that lacks a model column; warn, once per file, about the columns that
    are replaced (an earlier prediction's) and those the model does not use."""
    missing = [name for name in predictor.columns if name not in columns]
    if missing:
        raise mismatch(predictor.metadata, folder, promoted, missing, source)
    stale = [name for name in columns if name in predictor.output_columns]
    if stale:
        # E.g. re-scoring an earlier output file: replace those columns instead of duplicating.
        log.warning("replacing column(s) from an earlier prediction: %s", ", ".join(stale))
    expected = {*predictor.columns, *predictor.known_extras, *predictor.output_columns}
    unknown = [str(name) or "(unnamed)" for name in columns if name not in expected]
    if unknown:
        log.warning("ignoring column(s) the model does not use: %s", ", ".join(unknown))


def predict_file(input_path: Path, output_path: Path, model_dir: Path | None, cfg: Config) -> int:
    """Batch prediction: CSV/Parquet in, the same rows plus prediction columns out."""
    check_not_input(input_path, output_path)
    check_writable(output_path)  # before the slow part, not after it
    chunks = read_chunks(input_path, cfg.predict.chunk_rows)
    folder = model_dir or promoted_version(cfg.models_dir)
    predictor = Predictor.load(folder, cfg=cfg)
    check_columns(predictor, chunks.columns, input_path, folder, model_dir is None)
    log.info("predicting %s, %d rows at a time", input_path, cfg.predict.chunk_rows)
    rows, started = 0, time.monotonic()
    text = isinstance(chunks, CsvChunks)
    with writing(output_path) as writer, ProgressLine(chunks.total) as progress:
        for chunk, done in chunks:
            if chunk.num_rows == 0:
                continue
            if rows == 0:
                limit_threads_for(chunk.num_rows)
            writer.write(score_table(predictor, chunk, rows, text))
            rows += chunk.num_rows
            progress.update(rows, done)
        if rows == 0:
            raise InputError(f"{input_path} has no rows to predict")
    seconds = time.monotonic() - started
    rate = f", {rows / seconds:,.0f} rows/s" if seconds >= DELAY else ""
    log.info("wrote %d predictions to %s in %.1f s%s", rows, output_path, seconds, rate)
    return rows
