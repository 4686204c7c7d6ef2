"""The ONNX export: model.onnx, the pipeline as an ONNX graph that onnxruntime runs anywhere.

It is converted by skl2onnx, with one input per column, of shape [rows, 1] (onnx_model.py says
which types, and turns checked rows into them). onnxruntime runs trees, linear models and scaling
in float32, so the file is checked against scikit-learn on training rows before it is kept: a
difference above TOLERANCE stops training. The converters of features.py are left out of the
graph (its inputs are already typed) and dates.DateParts gets its own converter (onnx_dates.py).
This project's own transformers (features.custom) have none: a pipeline using one is refused,
naming it.

Outputs: `label` and `probabilities` (one column per class, in metadata "classes" order) for a
classifier, `variable` for a regressor.
"""

from __future__ import annotations

import copy
import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime
import pandas as pd
from skl2onnx import to_onnx
from skl2onnx.common.data_types import DoubleTensorType, FloatTensorType, StringTensorType
from sklearn.base import is_classifier
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from . import onnx_dates
from .errors import ConfigError, one_line
from .features import custom_steps, to_category_strings, to_float
from .onnx_model import COLUMNS_KEY, OnnxModel

log = logging.getLogger(__name__)

FILE = "model.onnx"
#: ONNX operator sets the graph uses: onnxruntime 1.17 and later run them.
TARGET_OPSET = {"": 18, "ai.onnx.ml": 3}
#: The largest difference from scikit-learn accepted when the export is checked (probabilities
#: or predicted values, relative to their size): double inputs keep both within rounding error.
TOLERANCE = 1e-4
#: The kind of each column, from the name of the preparation step that takes it (features.py).
KINDS = {"numeric": "numeric", "categorical": "categorical", "dates": "date"}
#: The steps of features.py that type the input columns; onnx_inputs does their work.
CONVERTERS = (to_float, to_category_strings)


def column_kinds(pipeline: Pipeline) -> dict[str, str]:
    """Each input column of the fitted pipeline and its kind: numeric, categorical or date."""
    kinds: dict[str, str] = {}
    for name, _, columns in pipeline.named_steps["prepare"].transformers_:
        if name in KINDS:
            kinds.update({str(column): KINDS[name] for column in columns})
    return kinds


def date_formats(pipeline: Pipeline) -> dict[str, str]:
    """The format of each date column, as the fitted DateParts step found it."""
    for name, steps, _ in pipeline.named_steps["prepare"].transformers_:
        if name == "dates":
            return dict(steps.named_steps["parts"].formats_)
    return {}


def _onnx_ready(pipeline: Pipeline) -> Pipeline:
    """A copy of the fitted pipeline that skl2onnx can convert, computing the same numbers.

    The two converters of features.py are left out: the graph's inputs are already typed as they
    make them (see `onnx_inputs`). The categorical imputer then sees "" for missing, since a
    string tensor has no NaN.
    """
    ready = copy.deepcopy(pipeline)
    for name, steps, _ in ready.named_steps["prepare"].transformers_:
        if name not in KINDS:
            continue
        steps.steps = [
            (step_name, step)
            for step_name, step in steps.steps
            if not (isinstance(step, FunctionTransformer) and step.func in CONVERTERS)
        ]
        for step in steps.named_steps.values():
            if name == "categorical" and isinstance(step, SimpleImputer):
                step.missing_values = ""
    return ready


INPUT_TYPES = {
    "numeric": FloatTensorType,
    "categorical": StringTensorType,
    "date": DoubleTensorType,
}


def _initial_types(kinds: dict[str, str]) -> list[tuple[str, Any]]:
    return [(column, INPUT_TYPES[kind]([None, 1])) for column, kind in kinds.items()]


def refuse_custom(pipeline: Pipeline) -> None:
    """Name a custom transformer (features.custom) before skl2onnx fails on it: skl2onnx knows
    scikit-learn's classes, and this project's own only through a converter (like onnx_dates.py)."""
    for name, step in custom_steps(pipeline):
        raise ConfigError(
            f"the ONNX export cannot convert the custom transformer {type(step).__name__} "
            f"(features.custom.{name}, {type(step).__module__}): skl2onnx has no converter for "
            "it. Register one (onnx_dates.py does so for DateParts), empty "
            f"features.custom.{name}.columns, or remove onnx from exports"
        )


def convert(pipeline: Pipeline) -> bytes:
    """The ONNX graph of a fitted pipeline; a part skl2onnx cannot convert is named, with a fix."""
    refuse_custom(pipeline)
    model, ready = pipeline[-1], _onnx_ready(pipeline)
    options = {id(ready[-1]): {"zipmap": False}} if is_classifier(model) else None
    onnx_dates.register()
    try:
        graph = to_onnx(
            ready,
            initial_types=_initial_types(column_kinds(pipeline)),
            target_opset=TARGET_OPSET,
            options=options,
        )
    except Exception as error:  # skl2onnx raises many types; each means "cannot convert"
        cause = one_line(error.__cause__ or error)[:300]
        raise ConfigError(
            f"the ONNX export cannot convert this {type(model).__name__} pipeline ({cause}); "
            "choose another model.name, or remove onnx from exports"
        ) from None
    # skl2onnx makes input names identifiers ("sepal length (cm)" -> "sepal_length__cm_"): the
    # columns they stand for are recorded in the file, in input order.
    columns = [[column, kind] for column, kind in column_kinds(pipeline).items()]
    onnx.helper.set_model_props(graph, {COLUMNS_KEY: json.dumps(columns)})
    return graph.SerializeToString()


def write(pipeline: Pipeline, folder: Path, sample: pd.DataFrame) -> Path:
    """Write model.onnx, after checking that onnxruntime agrees with scikit-learn on `sample`."""
    path = folder / FILE
    path.write_bytes(convert(pipeline))
    expected = _sklearn_outputs(pipeline, sample)
    got = OnnxModel(path, {"classes": getattr(pipeline, "classes_", None)}, date_formats(pipeline))
    actual = got.predict_proba(sample) if is_classifier(pipeline[-1]) else got.predict(sample)
    gap = largest_gap(expected, actual)
    if gap > TOLERANCE:
        raise ConfigError(
            f"the ONNX export of this {type(pipeline[-1]).__name__} differs from scikit-learn by "
            f"{gap:.2g} on training rows (more than {TOLERANCE}); remove onnx from exports"
        )
    return path


def _sklearn_outputs(pipeline: Pipeline, sample: pd.DataFrame) -> np.ndarray:
    if is_classifier(pipeline[-1]):
        return pipeline.predict_proba(sample)
    return pipeline.predict(sample)


def largest_gap(expected: np.ndarray, actual: np.ndarray) -> float:
    """The largest difference, relative to the size of the values (absolute below 1)."""
    expected, actual = np.asarray(expected, dtype="float64"), np.asarray(actual, dtype="float64")
    scale = np.maximum(np.abs(expected), 1.0)
    return float(np.max(np.abs(expected - actual) / scale)) if expected.size else 0.0


def load(path: Path, metadata: dict[str, Any]) -> OnnxModel:
    """The version's model.onnx as a model the Predictor can use (exports.load_export)."""
    log.info("predicting with onnxruntime %s on %s", onnxruntime.__version__, path.name)
    schema = metadata.get("input_schema", [])
    formats = {column["name"]: column["format"] for column in schema if column["kind"] == "date"}
    return OnnxModel(path, metadata, formats)
