"""The model registry on disk: saved versions, and which one is promoted ("current").

Training saves a new folder models/<version>/ but does not make it current; only the validation
gate (`evaluate`) promotes a version by pointing models/latest.json at it. So a model that fails
the gate is never the one batch prediction and the API load. This module is the single place
that knows the file layout, shared by training, evaluation and prediction.
"""

from __future__ import annotations

import json
import logging
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits

from .config import PipelineError

log = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
LATEST_FILE = "latest.json"
#: Below this many rows, OpenMP runs single-threaded (see `single_thread_if_small`).
SMALL_DATA_ROWS = 20_000


class ModelNotFoundError(PipelineError):
    """No trained (or promoted) model where one was expected."""


def single_thread_if_small(rows: int) -> AbstractContextManager[object]:
    """Limit OpenMP to one thread for small data, for the duration of a `with` block.

    Thread start-up costs more than it saves on small tables: hist_gradient_boosting on a few
    hundred rows trains about 5x faster single-threaded. Large data keeps all cores. Only for
    single-threaded callers (training): the limit is process-wide while the block runs.
    """
    if rows < SMALL_DATA_ROWS:
        return threadpool_limits(limits=1, user_api="openmp")
    return nullcontext()


def limit_threads_for(rows: int) -> None:
    """Set the OpenMP thread limit once, for a process that predicts batches of ~`rows` rows.

    Unlike `single_thread_if_small`, the limit is never undone: a threaded server must not
    toggle a process-wide setting per request, where concurrent requests would race on it.
    """
    if rows < SMALL_DATA_ROWS:
        threadpool_limits(limits=1, user_api="openmp")


def version_key(folder: Path) -> tuple[str, int]:
    """Sort key for version folders: '20250101T120000Z' < '...Z-2' < '...Z-10'."""
    stamp, _, counter = folder.name.partition("-")
    return stamp, int(counter) if counter.isdigit() else 1


def versions(models_dir: Path) -> list[Path]:
    """Every saved model folder (one with a metadata file), oldest first."""
    if not models_dir.is_dir():
        return []
    found = [path for path in models_dir.iterdir() if (path / METADATA_FILE).is_file()]
    return sorted(found, key=version_key)


def newest_version(models_dir: Path) -> Path:
    """The most recently trained version, promoted or not: what `evaluate` checks by default."""
    found = versions(models_dir)
    if not found:
        raise ModelNotFoundError(f"no trained model in {models_dir}; run `make train` first")
    return found[-1]


def promoted_version(models_dir: Path) -> Path:
    """The folder of the current model, as named by models/latest.json."""
    pointer = models_dir / LATEST_FILE
    if not pointer.is_file():
        raise ModelNotFoundError(
            f"no promoted model in {models_dir}: run `make all` (train then evaluate); a trained "
            "model becomes current only when it passes the validation gate"
        )
    version = json.loads(pointer.read_text(encoding="utf-8"))["version"]
    folder = models_dir / version
    if not folder.is_dir():
        raise ModelNotFoundError(f"{pointer} names version {version} but {folder} is missing")
    return folder


def promote(models_dir: Path, folder: Path) -> bool:
    """Point models/latest.json at `folder`; False when `folder` is not inside `models_dir`."""
    if folder.resolve().parent != models_dir.resolve():
        log.warning("not promoting %s: it is not a version folder inside %s", folder, models_dir)
        return False
    # Write-then-rename: a reader never sees a half-written pointer.
    pointer = models_dir / LATEST_FILE
    partial = pointer.with_suffix(".tmp")
    partial.write_text(json.dumps({"version": folder.name}, indent=2) + "\n", encoding="utf-8")
    partial.replace(pointer)
    log.info("promoted model %s: %s now names it", folder.name, pointer)
    return True


def read_metadata(model_dir: Path) -> dict[str, Any]:
    path = model_dir / METADATA_FILE
    if not path.is_file():
        raise ModelNotFoundError(f"{path} not found; is {model_dir} a model folder?")
    return json.loads(path.read_text(encoding="utf-8"))
