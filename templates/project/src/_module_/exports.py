"""Exports: the trained model written in other formats, beside model.joblib, at training time.

Config `exports` lists the formats (skops, onnx, pmml). Each has its own module, export_<format>.py,
with the same two names: `FILE`, the file it writes in the version folder, and
`write(pipeline, folder, sample)`, which writes it (sample: training rows, for the input types).
A module may also offer `load(path, metadata)`, which returns a model to predict with.

Every export's sha256 is recorded in the version's metadata.json under "exports", next to the
joblib artifact's own, and checked before the file is used: a file changed after training is
refused, as a changed model.joblib is. An export that cannot be written stops training before
the version exists, so a version never lacks an export that config asked for.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from .artifact import file_sha256, verified_file
from .errors import ConfigError, ModelNotFoundError

log = logging.getLogger(__name__)

#: At most this many training rows are handed to an exporter (enough to know the input types).
SAMPLE_ROWS = 200


def exporter(name: str) -> ModuleType:
    """The module that writes (and perhaps loads) one format."""
    try:
        return importlib.import_module(f".export_{name}", __package__)
    except ModuleNotFoundError as error:
        module = f"{__package__}.export_{name}"
        if error.name == module:
            raise ConfigError(
                f"exports lists {name}, but this project has no {module} module: regenerate the "
                f"project with `mlpipeline --exports {name}` (or remove {name} from exports)"
            ) from None
        raise ConfigError(
            f"the {name} export needs the Python package {error.name!r}, which is not installed: "
            f"run `make install` (pyproject.toml lists it when the project exports {name})"
        ) from None


def write_exports(
    formats: list[str], pipeline: Any, folder: Path, sample: pd.DataFrame
) -> dict[str, dict[str, str]]:
    """Write each chosen format into `folder`; returns {format: {file, sha256}} for metadata."""
    records: dict[str, dict[str, str]] = {}
    rows = sample.head(SAMPLE_ROWS)
    for name in formats:
        path = exporter(name).write(pipeline, folder, rows)
        records[name] = {"file": path.name, "sha256": file_sha256(path)}
        log.info("exported %s to %s", name, path.name)
    return records


def checked_export(model_dir: Path, metadata: dict[str, Any], name: str) -> Path:
    """The path of a version's export, once its sha256 matches the one recorded at training."""
    record = metadata.get("exports", {}).get(name)
    if not isinstance(record, dict) or "file" not in record or "sha256" not in record:
        raise ModelNotFoundError(
            f"model {metadata.get('version')} has no {name} export: add {name} to exports in "
            "config and retrain (`make all`)"
        )
    path = model_dir / Path(str(record["file"])).name
    return verified_file(path, str(record["sha256"]), "retrain with `make all`")


def load_export(model_dir: Path, metadata: dict[str, Any], name: str) -> Any:
    """A model to predict with, read from a version's export (hash checked first)."""
    path = checked_export(model_dir, metadata, name)
    return exporter(name).load(path, metadata)
