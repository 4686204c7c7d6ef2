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
from sklearn.metrics import (
    ConfusionMatrixDisplay,
    auc,
    average_precision_score,
    precision_recall_curve,
    roc_curve,
)

log = logging.getLogger(__name__)

DPI = 110
#: Multiclass curves: one per class up to this many classes (the first ones, in class order).
MAX_CURVES = 10


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


def _one_vs_rest(
    y_true: pd.Series, proba: np.ndarray, classes: list[Any]
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(class, is-that-class, its probability) for each curve to draw: for two classes, the
    positive one (the second, as for roc_auc); for more, each class against the rest."""
    actual = np.asarray(y_true)
    indexes = [1] if len(classes) == 2 else list(range(len(classes)))
    if len(indexes) > MAX_CURVES:
        log.info("drawing the curves of the first %d of %d classes", MAX_CURVES, len(indexes))
    curves = []
    for index in indexes[:MAX_CURVES]:
        positive = actual == classes[index]
        if positive.all() or not positive.any():
            log.info(
                "no curve for class %r: the test split needs rows in and out of it", classes[index]
            )
            continue
        curves.append((str(classes[index]), positive, proba[:, index]))
    return curves


def _title(name: str, classes: list[Any]) -> str:
    scope = f"class {classes[1]!s}" if len(classes) == 2 else "one vs rest"
    return f"{name} (test split, {scope})"


def plot_roc_curves(y_true: pd.Series, proba: np.ndarray, classes: list[Any], path: Path) -> Path:
    """True vs false positive rate as the decision threshold moves; the diagonal is chance."""
    figure, axis = _pyplot().subplots(figsize=(5.5, 5))
    for label, positive, score in _one_vs_rest(y_true, proba, classes):
        false_positive, true_positive, _ = roc_curve(positive, score)
        area = auc(false_positive, true_positive)
        axis.plot(false_positive, true_positive, label=f"{label} (AUC {area:.3f})")
    axis.plot([0, 1], [0, 1], color="grey", linestyle="--", label="chance")
    axis.set(xlabel="false positive rate", ylabel="true positive rate")
    axis.set_title(_title("ROC curve", classes))
    axis.legend(loc="lower right", fontsize="small")
    return _save(figure, path)


def plot_precision_recall_curves(
    y_true: pd.Series, proba: np.ndarray, classes: list[Any], path: Path
) -> Path:
    """Precision vs recall as the decision threshold moves: what ROC hides for a rare class.
    A dotted line marks each class's share of the rows, the precision of guessing."""
    figure, axis = _pyplot().subplots(figsize=(5.5, 5))
    for number, (label, positive, score) in enumerate(_one_vs_rest(y_true, proba, classes)):
        precision, recall, _ = precision_recall_curve(positive, score)
        average = average_precision_score(positive, score)
        (line,) = axis.step(recall, precision, where="post", label=f"{label} (AP {average:.3f})")
        chance = "chance (share of the class)" if number == 0 else "_nolegend_"
        axis.axhline(positive.mean(), color=line.get_color(), linestyle=":", label=chance)
    axis.set(xlabel="recall", ylabel="precision", ylim=(0.0, 1.02))
    axis.set_title(_title("Precision-recall curve", classes))
    axis.legend(loc="lower left", fontsize="small")
    return _save(figure, path)


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


def plot_drift(columns: dict[str, dict[str, Any]], threshold: float, path: Path) -> Path:
    """PSI of each column against the threshold; drifted columns in red, untested ones absent."""
    scored = {name: result for name, result in columns.items() if "psi" in result}
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 0.35 * len(scored) + 1.6))
    names = list(scored)[::-1]
    colors = ["tab:red" if scored[name]["drifted"] else "tab:blue" for name in names]
    axes.barh(names, [scored[name]["psi"] for name in names], color=colors)
    if not scored:
        axes.text(
            0.5, 0.5, "no column tested (too few rows)", ha="center", transform=axes.transAxes
        )
    axes.axvline(threshold, color="black", linestyle="--", label=f"threshold {threshold:g}")
    axes.set_xlabel("population stability index (red: drifted, with a significant test)")
    axes.set_title("Drift of each column against the training data")
    axes.legend(loc="lower right")
    return _save(figure, path)
