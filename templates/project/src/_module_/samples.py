"""The sample datasets that ship with scikit-learn (no download), and the valid data sources.

A new project trains on a sample until the user brings their own file (`data.source: file` and
`data.raw_path` in config/config.yaml), so that it works the moment it exists.
`BUNDLED_DATASETS` is the one list of the samples and their tasks.
"""

from __future__ import annotations

import re

import pandas as pd

from .config import Task
from .errors import DataError

#: scikit-learn's bundled sample datasets (shipped with it, no download) and their tasks.
BUNDLED_DATASETS: dict[str, Task] = {
    "iris": "classification",
    "wine": "classification",
    "breast_cancer": "classification",
    "diabetes": "regression",
}
#: data.source for the user's own file (data.raw_path) rather than a bundled sample.
OWN_FILE = "file"


def check_source(source: str, task: str) -> None:
    """Config check: data.source is a bundled dataset of the task, or the user's own file."""
    if source == OWN_FILE:
        return
    if source not in BUNDLED_DATASETS:
        choices = ", ".join([*BUNDLED_DATASETS, OWN_FILE])
        raise ValueError(f"data.source: unknown source '{source}'; choose one of: {choices}")
    if BUNDLED_DATASETS[source] != task:
        raise ValueError(
            f"data.source '{source}' is a {BUNDLED_DATASETS[source]} dataset but task is "
            f"'{task}'; change task or data.source"
        )


def snake_case(name: str) -> str:
    """'sepal length (cm)' -> 'sepal_length_cm': column names that are easy to type and serve."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", name).strip("_").lower()


def load_bundled(name: str) -> pd.DataFrame:
    """One of scikit-learn's bundled sample datasets (shipped with sklearn, no download).

    Columns are snake_cased and classification targets become class-name strings, so the sample
    looks like a real table and predictions read as labels ("setosa") rather than codes.
    """
    from sklearn import datasets

    if name not in BUNDLED_DATASETS:
        raise DataError(f"unknown bundled dataset '{name}'; choose one of {list(BUNDLED_DATASETS)}")
    # Each is sklearn.datasets.load_<name>; diabetes unscaled, so values read as measurements.
    options = {"scaled": False} if name == "diabetes" else {}
    bunch = getattr(datasets, f"load_{name}")(as_frame=True, **options)
    frame = bunch.frame.rename(columns=snake_case)
    if BUNDLED_DATASETS[name] == "classification":
        names = list(bunch.target_names)
        frame["target"] = [str(names[int(code)]) for code in frame["target"]]
    return frame
