"""The skops export: model.skops, the fitted pipeline in a format that loads only trusted types.

Unpickling model.joblib can run any code the file names, so a joblib file is only as safe as
wherever it came from. skops stores the same pipeline as data, and loading it builds only the
types it is told to trust: scikit-learn's own estimators (skops trusts them by default) and the
few listed in TRUSTED_TYPES below, this project's own transformers (transformers/) among them,
each by its class path. A file that names any other type is refused before anything is built.
When a version has a model.skops, predict and serve load it instead of model.joblib.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd
import skops.io as sio
from sklearn.pipeline import Pipeline

from .errors import ConfigError, ModelNotFoundError, one_line
from .transformers import TRANSFORMERS

log = logging.getLogger(__name__)

FILE = "model.skops"
PACKAGE = __name__.rsplit(".", 1)[0]

#: Types a pipeline of this project holds beyond those skops trusts by default. Add a type here
#: only if you wrote it or trust where it comes from: loading builds it.
TRUSTED_TYPES = [
    # This project's own steps (features.py, dates.py).
    f"{PACKAGE}.dates.DateParts",
    f"{PACKAGE}.features.to_category_strings",
    f"{PACKAGE}.features.to_float",
    # This project's own transformers (transformers/, features.custom in config), by name.
    *sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in TRANSFORMERS.values()),
    # The arrays' element types, and the trees of the forest and gradient boosting models.
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    # knn: its neighbour search tree and distance (scikit-learn's defaults: KD tree, Euclidean).
    "sklearn.neighbors._kd_tree.KDTree",
    "sklearn.neighbors._ball_tree.BallTree",
    "sklearn.metrics._dist_metrics.EuclideanDistance64",
    # svm classification: the calibration that gives an SVC its class probabilities.
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration",
]


def untrusted(data: bytes) -> list[str]:
    """The types a skops file names that neither skops nor TRUSTED_TYPES trusts."""
    return sorted(set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES))


def write(pipeline: Pipeline, folder: Path, sample: pd.DataFrame) -> Path:
    """Write model.skops; a pipeline with a type this project does not trust is not exported,
    since it could not be loaded back."""
    data = sio.dumps(pipeline)
    refused = untrusted(data)
    if refused:
        raise ConfigError(
            f"the skops export holds type(s) not in TRUSTED_TYPES: {', '.join(refused)}; add "
            f"them to {__name__}.TRUSTED_TYPES if you trust them, or remove skops from exports"
        )
    path = folder / FILE
    path.write_bytes(data)
    return path


def load(path: Path, metadata: dict[str, Any]) -> Any:
    """The pipeline in model.skops, built from trusted types only (exports.load_export)."""
    data = path.read_bytes()
    refused = untrusted(data)
    if refused:
        raise ModelNotFoundError(
            f"{path} holds type(s) this project does not trust: {', '.join(refused)}; it was "
            "not loaded. Retrain with `make all` to write a new one"
        )
    try:
        pipeline = sio.loads(data, trusted=TRUSTED_TYPES)
    except Exception as error:  # a damaged or foreign file fails anywhere inside skops
        raise ModelNotFoundError(f"{path} cannot be loaded by skops: {one_line(error)}") from None
    log.info("loaded %s (trusted types only)", path.name)
    return pipeline
