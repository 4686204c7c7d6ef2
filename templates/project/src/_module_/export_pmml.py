"""PMML export: the trained pipeline as model.pmml, for scoring engines outside Python.

PMML is the XML standard for fitted models that Java scoring engines read (JPMML-Evaluator,
Openscoring, and the PMML support of many data platforms). The file is written by sklearn2pmml,
which is licensed AGPL-3.0 and runs a Java converter: it needs Java 11 or later (`java` on PATH,
or JAVA_HOME) at training time.

The converter knows scikit-learn's own classes, so everything in the pipeline converts but two
kinds of step: the casts of features.py (`to_float`, `to_category_strings`), which are Python
functions, and `DateParts` (dates.py). The casts are left out, because in PMML they are the types
of the input fields: numbers are doubles, and categories are text spelled as in training (booleans
as "True"/"False", whole numbers without ".0"; see `features.category_label`). Date parts have
no PMML equivalent here, so a model with date features is refused with a message saying what to
do; so is a custom transformer of this project (features.custom), and any step the
converter does not know. tests/test_export_pmml.py checks that the PMML
predicts what the pipeline predicts on the test split.
"""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import re
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.compose import ColumnTransformer
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn2pmml import make_pmml_pipeline, sklearn2pmml

from .dates import DateParts
from .errors import ConfigError, EngineError
from .estimators import estimator_name
from .features import CUSTOM_PREFIX, to_category_strings, to_float
from .transformers import TRANSFORMERS

log = logging.getLogger(__name__)

FILE = "model.pmml"
#: The casts that become the PMML input fields' types (see the module docstring).
CASTS = (to_float, to_category_strings)
#: The PMML names the predicted field like this (the training data's target name is not known
#: to the pipeline); probabilities are the output fields "probability(<class>)".
TARGET_FIELD = "prediction"
#: Models whose PMML would not predict as the pipeline does, and why: refused before Java starts.
NO_PMML_FORM = {
    CalibratedClassifierCV: "sklearn2pmml has no converter for a calibrated classifier",
    KNeighborsClassifier: "its PMML gives no class probabilities, which predictions are made of",
}


def write(pipeline: Pipeline, folder: Path, sample: pd.DataFrame) -> Path:
    """Convert the fitted `pipeline` into `folder`/model.pmml; `sample`: training rows, whose
    columns are the PMML's input fields."""
    refuse_unconvertible(pipeline)
    converted = without_casts(pipeline)
    wrapped = make_pmml_pipeline(
        converted, active_fields=list(sample.columns), target_fields=[TARGET_FIELD]
    )
    path = folder / FILE
    output = io.StringIO()  # sklearn2pmml prints the converter's output and a banner
    try:
        with contextlib.redirect_stdout(output):
            sklearn2pmml(wrapped, str(path))
    except RuntimeError as error:
        raise EngineError(_failure(str(error), output.getvalue(), converted)) from None
    finally:
        log.debug("sklearn2pmml: %s", output.getvalue().strip())
    return path


def refuse_unconvertible(pipeline: Pipeline) -> None:
    """Stop before starting Java when a step is known to have no PMML form."""
    for name, step in _steps(pipeline):
        if isinstance(step, DateParts):
            columns = ", ".join(map(str, getattr(step, "feature_names_in_", [])))
            raise ConfigError(
                f"the PMML export cannot convert {name} (DateParts: the year, month, day and day "
                f"of week of the date column(s) {columns}): list them under features.drop, or "
                "give them as numbers in the data, or remove pmml from exports in config"
            )
        why = NO_PMML_FORM.get(type(step))
        if why is not None:
            raise ConfigError(
                f"the PMML export cannot convert {estimator_name(step)} ({why}): choose another "
                "model.name, or remove pmml from exports in config"
            )
        if isinstance(step, tuple(TRANSFORMERS.values())):
            feature = name.split(".")[-2].removeprefix(CUSTOM_PREFIX) if "." in name else name
            raise ConfigError(
                f"the PMML export cannot convert {name} ({type(step).__name__}, the custom "
                f"transformer of features.custom.{feature}): sklearn2pmml converts only the "
                f"classes it knows; empty features.custom.{feature}.columns, or remove pmml "
                "from exports in config"
            )


def without_casts(pipeline: Pipeline) -> Pipeline:
    """The fitted pipeline without the casts of features.py (PMML types do their job): the
    preparation is copied (it is small), the model is shared, not copied."""
    prepare = copy.deepcopy(pipeline[:-1])
    for _, step in _steps(prepare):
        if isinstance(step, Pipeline):
            step.steps = [(name, part) for name, part in step.steps if not _is_cast(part)]
    return Pipeline([*prepare.steps, pipeline.steps[-1]])


def _is_cast(step: Any) -> bool:
    return isinstance(step, FunctionTransformer) and step.func in CASTS


def _steps(estimator: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Every step of a pipeline, nested ones included, with a dotted name (prepare.dates.parts)."""
    found: list[tuple[str, Any]] = []
    if isinstance(estimator, Pipeline):
        children = list(estimator.steps)
    elif isinstance(estimator, ColumnTransformer):
        fitted = getattr(estimator, "transformers_", estimator.transformers)
        children = [(name, step) for name, step, _ in fitted]
    else:
        return found
    for name, step in children:
        dotted = f"{prefix}{name}"
        found.append((dotted, step))
        found += _steps(step, f"{dotted}.")
    return found


def _failure(error: str, output: str, converted: Pipeline) -> str:
    """One line from the converter's failure: why it failed and what to do."""
    if "Java is not installed" in error:
        return (
            "the PMML export needs Java 11 or later, and `java` was not found: install a Java "
            "runtime (e.g. `apt install default-jre-headless`), or remove pmml from exports in "
            "config"
        )
    reason = _java_reason(output)
    if "version" in reason and "not supported" in reason:
        return (
            f"sklearn2pmml cannot convert this scikit-learn version ({reason}): install the "
            "versions in the lock file (`make install`), or a newer sklearn2pmml that supports it"
        )
    named = [name for name, step in _steps(converted) if _class_path(step) in output]
    where = f" (step {', '.join(named)})" if named else ""
    return (
        f"the PMML export could not convert the {type(converted[-1]).__name__} pipeline{where}: "
        f"{reason}; remove pmml from exports in config, or use models and features that "
        "sklearn2pmml supports"
    )


def _class_path(step: Any) -> str:
    return f"{type(step).__module__}.{type(step).__qualname__}"


def _java_reason(output: str) -> str:
    """The converter's exception and its first cause (and any suggested solution)."""
    found = re.findall(r"^[\w.$]+(?:Exception|Error): (.+)$", output, re.MULTILINE)
    reason = ": ".join(found[:2]) if found else "see the converter's output with -v"
    solution = re.search(r"^Solution:\s*\n\s*(.+)$", output, re.MULTILINE)
    return f"{reason} ({solution.group(1).strip()})" if solution else reason
