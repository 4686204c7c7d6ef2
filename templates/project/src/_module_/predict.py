"""The Predictor: load one artifact and predict. Batch files, the API and tests all use it.

Input is checked against the artifact's own schema (not the training code's assumptions), so a
missing column or a wrong type fails with a message naming the column instead of an obscure
error deep inside scikit-learn.

Which model is "current": the production version in models/registry.json, which `evaluate`
changes only when a model passes the validation gate. Pass a model folder to use another one.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn

from .artifact import (
    MODEL_FILE,
    checked_model_file,
    load_pipeline,
    promoted_version,
    read_metadata,
)
from .config import Config, load_config
from .data import number_problem
from .dates import blank_non_dates
from .errors import InputError
from .exports import load_export

log = logging.getLogger(__name__)


@dataclass
class Prediction:
    """Predictions in input order; `probabilities` has one column per class (classifiers)."""

    predictions: np.ndarray
    probabilities: np.ndarray | None
    classes: list[Any] | None
    #: What was taken as missing although given (a date that is not one); the API answers it.
    warnings: list[str] = field(default_factory=list)

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

    def __init__(self, pipeline: Any, metadata: dict[str, Any], source: str = MODEL_FILE) -> None:
        self.pipeline = pipeline
        self.metadata = metadata
        self.schema: list[dict[str, Any]] = metadata["input_schema"]
        #: The version's file that answers (model.joblib, model.skops or model.onnx): /metadata
        #: names it, so a client can tell which runtime served it.
        self.source = source

    @classmethod
    def load(
        cls,
        model_dir: str | Path | None = None,
        cfg: Config | None = None,
        backend: str = "joblib",
    ) -> Predictor:
        """Load `model_dir`, or the production model (models/registry.json) of the project config.

        The file's sha256 is checked against its metadata first. `backend` "onnx" predicts with
        onnxruntime on the version's model.onnx (config serve.backend).
        """
        if model_dir is None:
            cfg = cfg or load_config()
            folder = promoted_version(cfg.models_dir)
        else:
            folder = Path(model_dir)
        metadata = read_metadata(folder)
        pipeline = load_model(folder, metadata, backend)
        trained_with = metadata.get("libraries", {}).get("scikit-learn")
        if trained_with and trained_with != sklearn.__version__:
            log.warning(
                "model trained with scikit-learn %s, running %s; retrain if predictions look off",
                trained_with,
                sklearn.__version__,
            )
        source = model_source(metadata, backend)
        log.info("loaded model %s from %s", metadata.get("version"), folder / source)
        # Set once per process, not per call: warning filters are process-wide state that a
        # threaded server must not toggle per request. Unseen categories are expected in
        # production and are encoded as all-zeros.
        warnings.filterwarnings("ignore", message=".*unknown categor.*", category=UserWarning)
        return cls(pipeline, metadata, source)

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

    @property
    def known_extras(self) -> set[str]:
        """Columns of the training data the model does not take: the target, and the columns
        training dropped (IDs, constants, features.drop). Expected in input; never warned about."""
        return {str(self.metadata.get("target")), *self.metadata.get("dropped_columns", {})}

    @property
    def output_columns(self) -> list[str]:
        """The columns `Prediction.to_frame` adds: prediction, and proba_<class> (classifiers)."""
        return ["prediction", *(f"proba_{name}" for name in self.classes or [])]

    def prepare(self, frame: pd.DataFrame, notes: list[str] | None = None) -> pd.DataFrame:
        """Check and order the input columns; numeric columns are converted to numbers. Values
        that are not dates in a date column become missing, as in training; each such column adds
        a line to `notes` (and a warning to the log)."""
        if frame.empty:
            raise InputError("no rows to predict")
        missing = [name for name in self.columns if name not in frame.columns]
        if missing:
            raise InputError(
                f"missing column(s): {', '.join(missing)}; the model expects: "
                f"{', '.join(self.columns)}"
            )
        used = {*self.columns, *self.known_extras}
        extra = [str(name) for name in frame.columns if name not in used]
        if extra:
            log.warning("ignoring column(s) the model does not use: %s", ", ".join(extra))
        prepared = frame[self.columns].copy()
        for column in self.schema:
            if column["kind"] == "numeric" and column["dtype"] != "boolean":
                prepared[column["name"]] = _to_number(prepared[column["name"]], column["name"])
            elif column["kind"] == "date":
                name = column["name"]
                prepared[name], warning = blank_non_dates(prepared[name], name, column["format"])
                if warning:
                    log.warning("%s", warning)
                    if notes is not None:
                        notes.append(warning)
        return prepared

    def predict(self, frame: pd.DataFrame) -> Prediction:
        """Predict a whole frame at once (batched: far cheaper per row than one at a time).

        Classifiers run the model once: the predicted class is the most probable one, which is
        how scikit-learn's own `predict` decides for the models in estimators.py.
        """
        notes: list[str] = []
        return self.predict_prepared(self.prepare(frame, notes), notes)

    def predict_prepared(
        self, prepared: pd.DataFrame, notes: list[str] | None = None
    ) -> Prediction:
        """The model alone, on a frame that `prepare` returned: the API prepares each request on
        its own, then predicts many requests in one call (see batching.py)."""
        notes = notes or []
        if self.task == "classification" and hasattr(self.pipeline, "predict_proba"):
            probabilities = self.pipeline.predict_proba(prepared)
            predictions = self.pipeline.classes_[np.argmax(probabilities, axis=1)]
            return Prediction(predictions, probabilities, self.classes, notes)
        return Prediction(self.pipeline.predict(prepared), None, self.classes, notes)


def model_source(metadata: dict[str, Any], backend: str = "joblib") -> str:
    """The file that predicts for a version: model.onnx when onnxruntime is asked for, else
    model.skops when the version has one (it loads only trusted types), else model.joblib."""
    exports = metadata.get("exports", {})
    if backend == "onnx":
        return str(exports.get("onnx", {}).get("file", "model.onnx"))
    if "skops" in exports:
        return str(exports["skops"].get("file", "model.skops"))
    return MODEL_FILE


def load_model(folder: Path, metadata: dict[str, Any], backend: str = "joblib") -> Any:
    """What predicts for a version (`model_source`), loaded.

    model.joblib is checked in every case, though not unpickled: a version whose files are
    not the ones training wrote is refused, whichever file answers.
    """
    if model_source(metadata, backend) == MODEL_FILE:
        return load_pipeline(folder, metadata)
    checked_model_file(folder, metadata)
    return load_export(folder, metadata, "onnx" if backend == "onnx" else "skops")


def _to_number(series: pd.Series, name: str) -> pd.Series:
    """A numeric column as float64; missing values stay NaN (imputed), infinities are refused."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        converted = series.astype("float64")
    else:
        converted = pd.to_numeric(series, errors="coerce").astype("float64")
        bad = converted.isna() & series.notna()
        if bad.any():
            examples = series[bad].astype(str).unique()[:3].tolist()
            raise InputError(f"column '{name}' must be numeric; got {examples}")
    found = number_problem(converted)
    if found:
        problem, position = found
        # A RangeIndex counts the rows: from 0 for a request, from a chunk's start in a file.
        index = series.index
        row = index[position] + 1 if isinstance(index, pd.RangeIndex) else position + 1
        raise InputError(
            f"column '{name}' contains {problem} (first in row {row}); replace them "
            "with numbers, or leave the cells empty to treat them as missing"
        )
    return converted
