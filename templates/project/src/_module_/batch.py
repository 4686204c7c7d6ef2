"""Batch prediction: a CSV or Parquet file in, the same rows plus prediction columns out.

The input is the user's file: it is only read, and the output may not be the input itself. A CSV's
columns are written back exactly as they were read (a zip code 00501 stays 00501, 1.50 stays
1.50, an empty cell stays empty); only the model's columns are parsed, the way training read its
data. A Parquet file keeps its types.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pandas as pd

from .artifact import newest_version, promoted_version
from .config import Config
from .errors import DataError, InputError
from .predict import Predictor
from .tables import (
    check_table_suffix,
    check_writable,
    parse_csv,
    read_csv_content,
    read_table,
    write_table,
)
from .threads import limit_threads_for

log = logging.getLogger(__name__)


def check_not_input(input_path: Path, output_path: Path) -> None:
    """Refuse to write over the input, however the path is spelled (symlinks, `./`, links)."""
    if input_path.exists() and output_path.exists() and os.path.samefile(input_path, output_path):
        raise DataError(
            f"--output {output_path} is the input file; write the predictions to another file "
            "(the input is never changed)"
        )


def read_input(path: Path, columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every column as the file has it (CSV: as text), and the model's columns as training
    reads them (pandas' type inference)."""
    if check_table_suffix(path) == ".parquet":
        frame = read_table(path)
        return frame, frame[[name for name in frame.columns if name in columns]]
    content = read_csv_content(path)
    text = parse_csv(content, path, dtype=str, keep_default_na=False, na_filter=False)
    used = [name for name in text.columns if name in columns]
    return text, parse_csv(content, path, usecols=used)


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


def predict_file(input_path: Path, output_path: Path, model_dir: Path | None, cfg: Config) -> int:
    """Batch prediction: CSV/Parquet in, the same rows plus prediction columns out."""
    check_not_input(input_path, output_path)
    check_writable(output_path)  # before the slow part, not after it
    folder = model_dir or promoted_version(cfg.models_dir)
    predictor = Predictor.load(folder, cfg=cfg)
    rows, inputs = read_input(input_path, predictor.columns)
    if rows.empty:
        raise InputError(f"{input_path} has no rows to predict")
    missing = [name for name in predictor.columns if name not in rows.columns]
    if missing:
        raise mismatch(predictor.metadata, folder, model_dir is None, missing, input_path)
    stale = [name for name in rows.columns if name in predictor.output_columns]
    if stale:
        # E.g. re-scoring an earlier output file: replace those columns instead of duplicating.
        log.warning("replacing column(s) from an earlier prediction: %s", ", ".join(stale))
        rows = rows.drop(columns=stale)
    expected = {*predictor.columns, *predictor.known_extras}
    unknown = [str(name) for name in rows.columns if name not in expected]
    if unknown:
        log.warning("ignoring column(s) the model does not use: %s", ", ".join(unknown))
    limit_threads_for(len(rows))
    log.info("predicting %d rows from %s", len(rows), input_path)
    result = predictor.predict(inputs).to_frame()
    output = pd.concat([rows.reset_index(drop=True), result], axis=1)
    write_table(output, output_path)
    log.info("wrote %d predictions to %s", len(output), output_path)
    return len(output)
