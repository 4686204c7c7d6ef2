"""The Predictor: load one artifact and predict. Batch files, the API and tests all use it.

Input is checked against the artifact's own schema (not the training code's assumptions), so a
missing column or a wrong type fails with a message naming the column instead of an obscure
error deep inside scikit-learn.

Which model is "current": models/latest.json names the version (train writes it after saving a
model). Pass a model folder explicitly to use another version.
"""

from __future__ import annotations

import json
import logging
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn

from .config import Config, PipelineError, load_config
from .data import file_sha256, read_table, write_table
from .train import LATEST_FILE, METADATA_FILE, MODEL_FILE, single_thread_if_small

log = logging.getLogger(__name__)


class ModelNotFoundError(PipelineError):
    """No trained model where one was expected."""


class InputError(PipelineError):
    """The input data does not match the model's input schema."""


def resolve_model_dir(models_dir: Path) -> Path:
    """The folder of the current model, as named by models/latest.json."""
    pointer = models_dir / LATEST_FILE
    if not pointer.is_file():
        raise ModelNotFoundError(f"no trained model in {models_dir}; run `make train` first")
    version = json.loads(pointer.read_text(encoding="utf-8"))["version"]
    folder = models_dir / version
    if not folder.is_dir():
        raise ModelNotFoundError(f"{pointer} names version {version} but {folder} is missing")
    return folder


def read_metadata(model_dir: Path) -> dict[str, Any]:
    path = model_dir / METADATA_FILE
    if not path.is_file():
        raise ModelNotFoundError(f"{path} not found; is {model_dir} a model folder?")
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Prediction:
    """Predictions in input order; `probabilities` has one column per class (classifiers)."""

    predictions: np.ndarray
    probabilities: np.ndarray | None
    classes: list[Any] | None

    def probability_records(self) -> list[dict[str, float]] | None:
        """[{class: probability}, ...], the JSON-friendly form used by the API."""
        if self.probabilities is None or self.classes is None:
            return None
        names = [str(name) for name in self.classes]
        return [dict(zip(names, map(float, row), strict=True)) for row in self.probabilities]

    def to_frame(self) -> pd.DataFrame:
        frame = pd.DataFrame({"prediction": self.predictions})
        if self.probabilities is not None and self.classes is not None:
            for index, name in enumerate(self.classes):
                frame[f"proba_{name}"] = self.probabilities[:, index]
        return frame


class Predictor:
    """A loaded artifact: the fitted pipeline plus its metadata."""

    def __init__(self, pipeline: Any, metadata: dict[str, Any]) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.schema: list[dict[str, Any]] = metadata["input_schema"]

    @classmethod
    def load(cls, model_dir: str | Path | None = None, cfg: Config | None = None) -> Predictor:
        """Load `model_dir`, or the current model (models/latest.json) of the project config.

        The artifact's sha256 is checked against its metadata, so a swapped or corrupted
        model.joblib is refused instead of silently serving something else.
        """
        if model_dir is None:
            cfg = cfg or load_config()
            folder = resolve_model_dir(cfg.models_dir)
        else:
            folder = Path(model_dir)
        metadata = read_metadata(folder)
        artifact = folder / MODEL_FILE
        if not artifact.is_file():
            raise ModelNotFoundError(f"{artifact} not found")
        expected = metadata.get("artifact", {}).get("sha256")
        if expected and file_sha256(artifact) != expected:
            raise ModelNotFoundError(
                f"{artifact} does not match the sha256 in its metadata; retrain with `make train`"
            )
        trained_with = metadata.get("libraries", {}).get("scikit-learn")
        if trained_with and trained_with != sklearn.__version__:
            log.warning(
                "model trained with scikit-learn %s, running %s; retrain if predictions look off",
                trained_with,
                sklearn.__version__,
            )
        log.info("loaded model %s from %s", metadata.get("version"), folder)
        return cls(joblib.load(artifact), metadata)

    @property
    def version(self) -> str:
        return str(self.metadata.get("version"))

    @property
    def task(self) -> str:
        return str(self.metadata["task"])

    @property
    def classes(self) -> list[Any] | None:
        return self.metadata.get("classes")

    @property
    def columns(self) -> list[str]:
        return [column["name"] for column in self.schema]

    def prepare(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Check and order the input columns; numeric columns are converted to numbers."""
        if frame.empty:
            raise InputError("no rows to predict")
        missing = [name for name in self.columns if name not in frame.columns]
        if missing:
            raise InputError(
                f"missing column(s): {', '.join(missing)}; the model expects: "
                f"{', '.join(self.columns)}"
            )
        extra = [str(name) for name in frame.columns if name not in self.columns]
        if extra:
            log.warning("ignoring column(s) the model does not use: %s", ", ".join(extra))
        prepared = frame[self.columns].copy()
        for column in self.schema:
            if column["kind"] == "numeric" and column["dtype"] != "boolean":
                prepared[column["name"]] = _to_number(prepared[column["name"]], column["name"])
        return prepared

    def predict(self, frame: pd.DataFrame) -> Prediction:
        """Predict a whole frame at once (batched: far cheaper per row than one at a time)."""
        prepared = self.prepare(frame)
        with warnings.catch_warnings(), single_thread_if_small(len(prepared)):
            # Unseen categories are expected in production and are encoded as all-zeros.
            warnings.filterwarnings("ignore", message=".*unknown categor.*")
            predictions = self.pipeline.predict(prepared)
            probabilities = None
            if self.task == "classification" and hasattr(self.pipeline, "predict_proba"):
                probabilities = self.pipeline.predict_proba(prepared)
        return Prediction(predictions, probabilities, self.classes)


def _to_number(series: pd.Series, name: str) -> pd.Series:
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    converted = pd.to_numeric(series, errors="coerce")
    bad = converted.isna() & series.notna()
    if bad.any():
        examples = series[bad].astype(str).unique()[:3].tolist()
        raise InputError(f"column '{name}' must be numeric; got {examples}")
    return converted.astype("float64")


def predict_file(input_path: Path, output_path: Path, model_dir: Path | None, cfg: Config) -> int:
    """Batch prediction: CSV/Parquet in, the same rows plus prediction columns out."""
    predictor = Predictor.load(model_dir, cfg=cfg)
    frame = read_table(input_path)
    log.info("predicting %d rows from %s", len(frame), input_path)
    result = predictor.predict(frame).to_frame()
    output = pd.concat([frame.reset_index(drop=True), result], axis=1)
    write_table(output, output_path)
    log.info("wrote %d predictions to %s", len(output), output_path)
    return len(output)
