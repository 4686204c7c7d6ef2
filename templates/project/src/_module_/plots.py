"""Every figure the pipeline draws, one function per figure, each written to a PNG file.

matplotlib runs with the Agg backend, which needs no display, so figures are drawn the same way
on a laptop, a server and in CI. pyplot is imported on first use rather than at the top, so
`train --no-figures` never pays for it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import ConfusionMatrixDisplay

log = logging.getLogger(__name__)

DPI = 110


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    _pyplot().close(figure)
    log.info("wrote %s", path)
    return path


def plot_confusion_matrix(y_true: pd.Series, y_pred: np.ndarray, path: Path) -> Path:
    """Counts of true vs predicted class: which classes the model confuses."""
    _pyplot()  # selects the Agg backend before scikit-learn draws
    display = ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, xticks_rotation="vertical", colorbar=False
    )
    display.ax_.set_title("Confusion matrix (test split)")
    return _save(display.figure_, path)


def plot_predicted_vs_actual(y_true: pd.Series, y_pred: np.ndarray, path: Path) -> Path:
    """Each test row as a point; the dashed diagonal is a perfect model."""
    figure, axis = _pyplot().subplots(figsize=(5, 5))
    axis.scatter(y_true, y_pred, alpha=0.6, s=14)
    low, high = float(np.min(y_true)), float(np.max(y_true))
    axis.plot([low, high], [low, high], color="grey", linestyle="--", label="perfect")
    axis.set(xlabel="actual", ylabel="predicted", title="Predicted vs actual (test split)")
    axis.legend()
    return _save(figure, path)


def plot_importance(importance: dict[str, float], path: Path, top: int = 20) -> Path:
    """The `top` input columns by how much the score drops when each one is shuffled."""
    ranked = sorted(importance.items(), key=lambda item: item[1])[-top:]
    figure, axis = _pyplot().subplots(figsize=(6, 0.35 * len(ranked) + 1.2))
    axis.barh([name for name, _ in ranked], [value for _, value in ranked])
    axis.set(xlabel="drop in score when shuffled", title="Permutation importance (test split)")
    return _save(figure, path)
