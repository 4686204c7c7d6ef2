"""Metrics, figures and the validation gate.

`evaluate` re-scores the SAVED artifact (not the in-memory model) on the held-out test split, so
what is checked is exactly what will be served. The gate is what makes a model current: a
version that passes is promoted (models/latest.json names it); one that fails is not, and the
exit code 1 lets `make all` or CI stop there while the previous model keeps serving.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier, DummyRegressor

from .artifact import newest_version, promote, single_thread_if_small
from .config import METRICS, Config, PipelineError
from .data import file_sha256, load_split

log = logging.getLogger(__name__)


class GateFailed(PipelineError):
    """The model did not meet the thresholds in config `gate`."""


class ModelMismatch(PipelineError):
    """The model was trained for another task, target or test split than the config has now."""


def compute_metrics(
    task: str,
    y_true: pd.Series | np.ndarray,
    y_pred: np.ndarray,
    proba: np.ndarray | None = None,
    classes: list[Any] | None = None,
) -> dict[str, float | None]:
    """Holdout metrics for the task; roc_auc is None when it is undefined (one class only)."""
    if task == "regression":
        return {
            "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
            "mae": float(skm.mean_absolute_error(y_true, y_pred)),
            "r2": float(skm.r2_score(y_true, y_pred)),
        }
    result: dict[str, float | None] = {
        "accuracy": float(skm.accuracy_score(y_true, y_pred)),
        "balanced_accuracy": float(skm.balanced_accuracy_score(y_true, y_pred)),
        "f1_macro": float(skm.f1_score(y_true, y_pred, average="macro", zero_division=0)),
        "roc_auc": None,
    }
    if proba is not None and classes is not None and len(classes) >= 2:
        try:
            if len(classes) == 2:
                positive = np.asarray(y_true) == classes[1]
                result["roc_auc"] = float(skm.roc_auc_score(positive, proba[:, 1]))
            else:
                result["roc_auc"] = float(
                    skm.roc_auc_score(y_true, proba, multi_class="ovr", labels=classes)
                )
        except ValueError as error:  # e.g. a class missing from the test split
            log.warning("roc_auc undefined on this split: %s", error)
    return result


def score_estimator(
    estimator: BaseEstimator, task: str, features: pd.DataFrame, y_true: pd.Series
) -> dict[str, float | None]:
    """Metrics of any fitted estimator (pipeline or baseline) on one data split."""
    predicted = estimator.predict(features)
    proba, classes = None, None
    if task == "classification":
        proba = estimator.predict_proba(features)
        classes = list(estimator.classes_)
    return compute_metrics(task, y_true, predicted, proba, classes)


def baseline_metrics(
    task: str, train: pd.DataFrame, test: pd.DataFrame, target: str
) -> dict[str, float | None]:
    """A dummy model (majority class / mean) that any useful model must beat."""
    dummy: BaseEstimator
    dummy = DummyClassifier(strategy="prior") if task == "classification" else DummyRegressor()
    dummy.fit(train.drop(columns=[target]), train[target])
    return score_estimator(dummy, task, test.drop(columns=[target]), test[target])


def beats(task: str, metric: str, model: float | None, baseline: float | None) -> bool:
    """True when `model` is strictly better than `baseline` on `metric`."""
    if model is None or baseline is None:
        return False
    return model > baseline if METRICS[task][metric] else model < baseline


def check_gate(
    cfg: Config, holdout: dict[str, float | None], baseline: dict[str, float | None]
) -> list[str]:
    """Every way the model misses the configured thresholds (empty list: gate passed)."""
    failures = []
    for metric, bound in cfg.gate.min.items():
        value = holdout.get(metric)
        if value is None or value < bound:
            failures.append(f"{metric} = {value} is below gate.min.{metric} = {bound}")
    for metric, bound in cfg.gate.max.items():
        value = holdout.get(metric)
        if value is None or value > bound:
            failures.append(f"{metric} = {value} is above gate.max.{metric} = {bound}")
    primary = cfg.gate.primary_metric
    if cfg.gate.must_beat_baseline and not beats(
        cfg.task, primary, holdout.get(primary), baseline.get(primary)
    ):
        failures.append(
            f"{primary} = {holdout.get(primary)} does not beat the dummy baseline "
            f"({baseline.get(primary)})"
        )
    return failures


def write_json(payload: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")


# --- figures (matplotlib with the Agg backend: works without a display, e.g. in CI) ---------
def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_confusion_matrix(y_true: pd.Series, y_pred: np.ndarray, path: Path) -> Path:
    plt = _pyplot()
    display = skm.ConfusionMatrixDisplay.from_predictions(
        y_true, y_pred, xticks_rotation="vertical", colorbar=False
    )
    display.ax_.set_title("Confusion matrix (test split)")
    return _save(plt, display.figure_, path)


def plot_predicted_vs_actual(y_true: pd.Series, y_pred: np.ndarray, path: Path) -> Path:
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(5, 5))
    axis.scatter(y_true, y_pred, alpha=0.6, s=14)
    low, high = float(np.min(y_true)), float(np.max(y_true))
    axis.plot([low, high], [low, high], color="grey", linestyle="--", label="perfect")
    axis.set(xlabel="actual", ylabel="predicted", title="Predicted vs actual (test split)")
    axis.legend()
    return _save(plt, figure, path)


def plot_importance(importance: dict[str, float], path: Path, top: int = 20) -> Path:
    plt = _pyplot()
    ranked = sorted(importance.items(), key=lambda item: item[1])[-top:]
    figure, axis = plt.subplots(figsize=(6, 0.35 * len(ranked) + 1.2))
    axis.barh([name for name, _ in ranked], [value for _, value in ranked])
    axis.set(xlabel="drop in score when shuffled", title="Permutation importance (test split)")
    return _save(plt, figure, path)


def _save(plt: Any, figure: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    log.info("wrote %s", path)
    return path


def check_model_matches(metadata: dict[str, Any], cfg: Config) -> None:
    """Refuse to gate a model on data it was not trained for: the scores would mean nothing,
    or (a changed test split) could include rows the model was trained on."""
    version = metadata.get("version")
    trained = (metadata.get("task"), metadata.get("target"))
    if trained != (cfg.task, cfg.data.target):
        raise ModelMismatch(
            f"model {version} was trained for task '{trained[0]}' with target '{trained[1]}', "
            f"but config/config.yaml has task '{cfg.task}' with target '{cfg.data.target}'; "
            "run `make train` first, or pass --model-dir with a matching model"
        )
    expected = metadata.get("data", {}).get("test", {}).get("sha256")
    if expected and expected != file_sha256(cfg.test_path):
        raise ModelMismatch(
            f"{cfg.test_path} changed since model {version} was trained (the data step ran "
            "again on different data), so its test rows may have been used for training; "
            "run `make train` and then `make evaluate`"
        )


def run(cfg: Config, model_dir: Path | None = None) -> dict[str, Any]:
    """The `evaluate` step: score a saved model on the test split, apply the gate, and promote
    the model (make it current) only if it passes. Default: the newest trained version."""
    from .predict import Predictor  # the same loader the API and batch prediction use

    folder = model_dir or newest_version(cfg.models_dir)
    predictor = Predictor.load(folder, cfg=cfg)
    check_model_matches(predictor.metadata, cfg)
    target = cfg.data.target
    train, test = load_split(cfg, "train"), load_split(cfg, "test")
    # Only the model's columns: the target and columns dropped at training are expected extras.
    inputs = test[[name for name in test.columns if name in predictor.columns]]
    with single_thread_if_small(len(test)):
        result = predictor.predict(inputs)
    holdout = compute_metrics(
        cfg.task, test[target], result.predictions, result.probabilities, predictor.classes
    )
    baseline = baseline_metrics(cfg.task, train, test, target)
    failures = check_gate(cfg, holdout, baseline)
    report = {
        "model_version": predictor.version,
        "task": cfg.task,
        "test_rows": len(test),
        "holdout": holdout,
        "baseline": baseline,
        "gate": {
            "passed": not failures,
            "failures": failures,
            "min": cfg.gate.min,
            "max": cfg.gate.max,
        },
    }
    write_json(report, cfg.reports_dir / "evaluation.json")
    for name, value in holdout.items():
        log.info("holdout %-18s %s (baseline %s)", name, fmt(value), fmt(baseline.get(name)))
    if failures:
        raise GateFailed(
            f"validation gate failed; model {folder.name} was NOT promoted (the current model, if "
            "any, is unchanged):\n  " + "\n  ".join(failures)
        )
    log.info("validation gate passed for model %s", folder.name)
    promote(cfg.models_dir, folder)
    return report


def fmt(value: float | None) -> str:
    """A metric for log lines (None when undefined, e.g. roc_auc with one class)."""
    return "n/a" if value is None else f"{value:.4f}"
