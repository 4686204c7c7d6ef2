"""What the Spark executors run: load the model once per Python worker, score batches of rows.

The driver broadcasts the model folder's two files (model.joblib and metadata.json) once; each
executor keeps the broadcast, and each Python worker process loads the model from it on its
first batch and keeps it for every later task (Spark reuses its Python workers), so the model is
neither re-read nor re-sent per batch. Loading goes through `Predictor.load`, with its checks.

Each batch is scored by the pandas engine's own `batch.score_chunk`, which types the model's
columns from the artifact's input schema, so both engines predict the same, batch by batch.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from threadpoolctl import threadpool_limits

from .artifact import METADATA_FILE, MODEL_FILE
from .batch import score_chunk
from .errors import DataError, PipelineError
from .predict import Predictor

#: The files of a model folder that prediction needs (and model.skops, when there is one: the
#: Predictor loads it instead of model.joblib).
ARTIFACT_FILES = (MODEL_FILE, METADATA_FILE)
SKOPS_FILE = "model.skops"

#: Models loaded by this Python worker, by the text of their metadata (which holds the version
#: and the sha256 of model.joblib).
_LOADED: dict[bytes, Predictor] = {}


def read_artifact(folder: Path) -> dict[str, bytes]:
    """The bytes of the files a worker needs to load the model in `folder`."""
    names = [*ARTIFACT_FILES, *([SKOPS_FILE] if (folder / SKOPS_FILE).is_file() else [])]
    return {name: (folder / name).read_bytes() for name in names}


def worker_predictor(files: dict[str, bytes], threads: int) -> Predictor:
    """The model in `files`, loaded on this worker's first batch and kept for the next ones."""
    key = files[METADATA_FILE]
    if key not in _LOADED:
        # One task per core: the model's own threads (OpenMP, BLAS) would compete with the
        # other tasks on this executor, so a worker uses the cores Spark gave its task.
        threadpool_limits(limits=threads)
        with tempfile.TemporaryDirectory(prefix="model-") as folder:
            for name, content in files.items():
                (Path(folder) / name).write_bytes(content)
            _LOADED[key] = Predictor.load(folder)  # fully in memory: the folder can go
    return _LOADED[key]


def check_utf8(rows: pd.DataFrame) -> None:
    """Spark reads bytes that are not UTF-8 as U+FFFD, silently: refuse them, as the pandas
    engine refuses such a file, rather than write the replacement characters back."""
    for name in rows.columns:
        if rows[name].str.contains("\ufffd", regex=False, na=False).any():
            raise DataError(
                f"column '{name}' holds text that is not UTF-8; save the file as UTF-8 "
                "(spreadsheets: 'CSV UTF-8'; or iconv -f latin1 -t utf-8) and use that file"
            )


def score_partition(
    artifact: Any,
    names: list[str],
    csv_text: bool,
    counter: Any,
    batches: Iterator[pd.DataFrame],
) -> Iterator[pd.DataFrame]:
    """mapInPandas' function: the batches of one partition in, in order, with predictions.

    The batches' columns come positionally named (PySpark cannot pass a column named `a.b` to
    mapInPandas); `names` are their real names. A user error (a value that is not a number, ...)
    says which rows of which partition the batch holds: a row number in the message counts
    from the batch's start.
    """
    from pyspark import TaskContext

    context = TaskContext.get()
    threads = context.cpus() if context else 1
    predictor = worker_predictor(artifact.value, threads)
    start = 0
    for rows in batches:
        rows.columns = names
        try:
            if csv_text:
                check_utf8(rows)
            scored = score_chunk(predictor, rows, text=csv_text)
        except PipelineError as error:
            partition = context.partitionId() if context else 0
            where = f"in Spark's input partition {partition}, rows {start + 1}-{start + len(rows)}"
            raise type(error)(f"{error} ({where})") from None
        start += len(rows)
        counter.add(len(rows))
        yield scored
