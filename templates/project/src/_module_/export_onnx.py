"""The ONNX export: model.onnx, the pipeline as an ONNX graph that onnxruntime runs anywhere.

It is converted by skl2onnx, with `float64` (double) inputs so that numbers keep the precision
scikit-learn computed with. The graph has one input per column, named like it, of shape [rows, 1]:

- numeric columns: doubles (booleans as 1.0/0.0), NaN for missing;
- categorical columns: strings as the model spells them (`features.category_label`: True/False,
  1 rather than 1.0), the empty string for missing;
- date columns: seconds since 1970-01-01 UTC as doubles, NaN for missing; the graph computes the
  date parts itself (see onnx_dates.py).

Outputs: `label` and `probabilities` (one column per class, in metadata "classes" order) for a
classifier, `variable` for a regressor. `OnnxModel` turns checked input rows into those inputs, so
the Predictor can use onnxruntime instead of scikit-learn (config serve.backend: onnx).
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
from .dates import parse
from .errors import ConfigError, ModelNotFoundError, one_line
from .features import to_category_strings, to_float

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
#: The key, in the file's metadata_props, of the [column, kind] of each input, in input order.
COLUMNS_KEY = "columns"


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
#: numpy's type of each kind of input
INPUT_DTYPES = {"numeric": "float32", "date": "float64"}


def _initial_types(kinds: dict[str, str]) -> list[tuple[str, Any]]:
    return [(column, INPUT_TYPES[kind]([None, 1])) for column, kind in kinds.items()]


def convert(pipeline: Pipeline) -> bytes:
    """The ONNX graph of a fitted pipeline; a part skl2onnx cannot convert is named, with a fix."""
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


def onnx_inputs(
    frame: pd.DataFrame, inputs: list[tuple[str, str, str]], formats: dict[str, str]
) -> dict[str, np.ndarray]:
    """The graph's inputs from rows as the Predictor checked them (see the module docstring);
    `inputs`: (input name, column, kind) of each."""
    feeds: dict[str, np.ndarray] = {}
    for name, column, kind in inputs:
        values = frame[[column]]
        if kind == "numeric":
            array = to_float(values).to_numpy(dtype="float32")
        elif kind == "categorical":
            array = to_category_strings(values).fillna("").to_numpy(dtype=object).astype(str)
        else:
            when = parse(values[column], formats.get(column, "ISO8601"))
            seconds = (when - pd.Timestamp(0)) / pd.Timedelta(seconds=1)
            array = seconds.to_numpy(dtype="float64", na_value=np.nan).reshape(-1, 1)
        feeds[name] = array
    return feeds


class OnnxModel:
    """model.onnx run by onnxruntime, with the predict / predict_proba / classes_ of a pipeline."""

    def __init__(self, path: Path, metadata: dict[str, Any], formats: dict[str, str]) -> None:
        options = onnxruntime.SessionOptions()
        # One thread per call: the server runs calls side by side, as with scikit-learn.
        options.intra_op_num_threads = 1
        try:
            self.session = onnxruntime.InferenceSession(
                str(path), options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # a damaged file fails inside onnxruntime
            raise ModelNotFoundError(
                f"{path} cannot be loaded by onnxruntime: {one_line(error)}"
            ) from None
        classes = metadata.get("classes")
        self.classes_ = None if classes is None else np.asarray(classes)
        self.formats = formats
        names = [node.name for node in self.session.get_inputs()]
        recorded = self.session.get_modelmeta().custom_metadata_map.get(COLUMNS_KEY, "[]")
        self.inputs = [
            (name, column, kind)
            for name, (column, kind) in zip(names, json.loads(recorded), strict=True)
        ]

    def _run(self, frame: pd.DataFrame) -> list[np.ndarray]:
        return self.session.run(None, onnx_inputs(frame, self.inputs, self.formats))

    def predict(self, frame: pd.DataFrame) -> np.ndarray:
        if self.classes_ is not None:
            return self.classes_[np.argmax(self.predict_proba(frame), axis=1)]
        return self._run(frame)[0].ravel()

    def predict_proba(self, frame: pd.DataFrame) -> np.ndarray:
        return self._run(frame)[1]


def load(path: Path, metadata: dict[str, Any]) -> OnnxModel:
    """The version's model.onnx as a model the Predictor can use (exports.load_export)."""
    log.info("predicting with onnxruntime %s on %s", onnxruntime.__version__, path.name)
    schema = metadata.get("input_schema", [])
    formats = {column["name"]: column["format"] for column in schema if column["kind"] == "date"}
    return OnnxModel(path, metadata, formats)
