"""Metrics, and the dummy baseline every model is measured against.

`METRICS` is the one list of metric names per task: cross-validation, the holdout scores, the
baseline and the gate in config/config.yaml all use it, so a metric cannot be computed under one
name and gated under another. Each name maps to True when greater is better.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from sklearn import metrics as skm
from sklearn.base import BaseEstimator
from sklearn.dummy import DummyClassifier, DummyRegressor

log = logging.getLogger(__name__)

METRICS: dict[str, dict[str, bool]] = {
    "classification": {
        "accuracy": True,
        "balanced_accuracy": True,
        "f1_macro": True,
        "roc_auc": True,
    },
    "regression": {"rmse": False, "mae": False, "r2": True},
}

Scores = dict[str, float | None]


def compute_metrics(
    task: str,
    y_true: pd.Series | np.ndarray,
    y_pred: np.ndarray,
    proba: np.ndarray | None = None,
    classes: list[Any] | None = None,
) -> Scores:
    """Every metric of the task; roc_auc is None when it is undefined (e.g. one class only)."""
    if task == "regression":
        return {
            "rmse": float(np.sqrt(skm.mean_squared_error(y_true, y_pred))),
            "mae": float(skm.mean_absolute_error(y_true, y_pred)),
            "r2": float(skm.r2_score(y_true, y_pred)),
        }
    result: Scores = {
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


def predict_all(
    estimator: BaseEstimator, task: str, features: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray | None, list[Any] | None]:
    """Predictions, and for classifiers the probabilities and classes, in one pass of the model:
    the predicted class is the most probable one, which is how scikit-learn's own `predict`
    decides for the models in estimators.py and for the dummy baseline."""
    if task != "classification":
        return estimator.predict(features), None, None
    proba = estimator.predict_proba(features)
    return estimator.classes_[np.argmax(proba, axis=1)], proba, list(estimator.classes_)


def score_estimator(
    estimator: BaseEstimator, task: str, features: pd.DataFrame, y_true: pd.Series
) -> Scores:
    """Metrics of any fitted estimator (pipeline or baseline) on one data split."""
    return compute_metrics(task, y_true, *predict_all(estimator, task, features))


def baseline_metrics(task: str, train: pd.DataFrame, test: pd.DataFrame, target: str) -> Scores:
    """A dummy model (class frequencies / the mean) that any useful model must beat."""
    dummy: BaseEstimator
    dummy = DummyClassifier(strategy="prior") if task == "classification" else DummyRegressor()
    dummy.fit(train.drop(columns=[target]), train[target])
    return score_estimator(dummy, task, test.drop(columns=[target]), test[target])


def beats(task: str, metric: str, model: float | None, baseline: float | None) -> bool:
    """True when `model` is strictly better than `baseline` on `metric`."""
    if model is None or baseline is None:
        return False
    return model > baseline if METRICS[task][metric] else model < baseline


def check_thresholds(
    task: str, primary: str, minimum: dict[str, float], maximum: dict[str, float]
) -> None:
    """Config check: the gate's metrics exist for the task; classification scores lie in 0..1."""
    allowed = METRICS[task]
    named = {"gate.primary_metric": [primary], "gate.min": list(minimum), "gate.max": list(maximum)}
    for key, names in named.items():
        for name in names:
            if name not in allowed:
                raise ValueError(
                    f"{key}: unknown metric '{name}' for {task}; allowed: {', '.join(allowed)}"
                )
    if task != "classification":
        return
    for key, bounds in (("gate.min", minimum), ("gate.max", maximum)):
        for name, bound in bounds.items():
            if not 0.0 <= bound <= 1.0:
                raise ValueError(
                    f"{key}.{name} = {bound}: {name} lies between 0 and 1 (e.g. 0.9 for 90%)"
                )


def format_metric(value: float | None) -> str:
    """A metric for log lines ("n/a" when undefined, e.g. roc_auc with one class)."""
    return "n/a" if value is None else f"{value:.4f}"


def log_scores(holdout: Scores, baseline: Scores) -> None:
    """One log line per metric, next to the baseline's score, so the gap is visible."""
    for name, value in holdout.items():
        shown = format_metric(baseline.get(name))
        log.info("holdout %-18s %s (baseline %s)", name, format_metric(value), shown)
