"""onnxruntime in place of scikit-learn: model.onnx with the predict / predict_proba / classes_
of a fitted pipeline, for the Predictor (config serve.backend: onnx).

The graph (export_onnx.py) takes one input per column, of shape [rows, 1]:

- numeric columns: float32 (booleans as 1.0/0.0), NaN for missing;
- categorical columns: strings as the model spells them (`features.category_label`: True/False,
  1 rather than 1.0), the empty string for missing;
- date columns: float64 seconds since 1970-01-01 UTC, NaN for missing; the graph computes the date
  parts itself (onnx_dates.py).

Input names are the column names made identifiers by skl2onnx, so the file records the column and
kind of each input, in input order, under COLUMNS_KEY in its metadata.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime
import pandas as pd

from .dates import parse
from .errors import ModelNotFoundError, one_line
from .features import to_category_strings, to_float

#: The key, in the file's metadata_props, of the [column, kind] of each input, in input order.
COLUMNS_KEY = "columns"


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
