"""The train step: fit Pipeline(preparation + model), measure it, save ONE artifact.

The artifact (models/<version>/model.joblib + metadata.json) is the contract with everything
downstream: evaluation, batch prediction and the API load it and nothing else. Its metadata
(metadata.py) records what is needed to trust and use it later: input schema, metrics next to a
dummy baseline, library versions, the sha256 of the train and test files, the git commit, and
the artifact's own sha256. Its metrics and figures are written beside it (see reports.py).
Training does not make the new version current: `evaluate` promotes it once it passes the
validation gate.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.base import clone
from sklearn.inspection import permutation_importance
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.parallel import Parallel, delayed

from . import plots
from .artifact import save_artifact, write_json
from .columns import FeatureSpec, infer_features
from .config import Config
from .data import load_split
from .errors import DataError
from .estimators import estimator_name, make_estimator
from .exports import write_exports
from .features import build_preprocessor
from .metadata import model_metadata
from .metrics import (
    METRICS,
    Scores,
    baseline_metrics,
    compute_metrics,
    format_metric,
    log_scores,
    predict_all,
    score_estimator,
)
from .reference import build_reference, save_reference
from .reports import FIGURES_DIR, METRICS_FILE
from .threads import single_thread_if_small, workers_for

log = logging.getLogger(__name__)

#: Permutation importance is scored on at most this many test rows, to keep training fast.
IMPORTANCE_ROWS = 2000


def build_pipeline(cfg: Config, spec: FeatureSpec) -> Pipeline:
    """Preparation and model in one Pipeline, so one object goes from raw columns to answers."""
    model = make_estimator(cfg.task, cfg.model.name, cfg.model.chosen_params, cfg.split.seed)
    return Pipeline([("prepare", build_preprocessor(spec, cfg)), ("model", model)])


def _folds(cfg: Config, target: pd.Series) -> KFold | StratifiedKFold:
    folds, seed = cfg.cv.folds, cfg.split.seed
    if cfg.task == "classification" and target.value_counts().min() >= folds:
        return StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return KFold(n_splits=folds, shuffle=True, random_state=seed)


def _fold(
    cfg: Config, pipeline: Pipeline, features: pd.DataFrame, target: pd.Series, fold: Any
) -> Scores:
    """Fit a fresh copy of the pipeline on one fold's training rows, score it on the others."""
    number, (fit_rows, val_rows) = fold
    started = time.perf_counter()
    model = clone(pipeline).fit(features.iloc[fit_rows], target.iloc[fit_rows])
    scores = score_estimator(model, cfg.task, features.iloc[val_rows], target.iloc[val_rows])
    primary = cfg.gate.primary_metric
    seconds = time.perf_counter() - started
    shown = format_metric(scores[primary])
    log.info("cv fold %d/%d: %s = %s (%.1fs)", number, cfg.cv.folds, primary, shown, seconds)
    return scores


def cross_validate(
    cfg: Config, pipeline: Pipeline, features: pd.DataFrame, target: pd.Series
) -> dict[str, dict[str, Any]]:
    """k-fold CV on the train split: an estimate of the spread, not just one lucky split.

    The folds are independent: on small data they run side by side in threads (see threads.py),
    with scikit-learn's Parallel, which passes its settings on to them: an estimator running its
    own jobs inside a fold (CalibratedClassifierCV) expects that, and warns under joblib's.
    """
    if len(features) < cfg.cv.folds:
        raise DataError(f"cv.folds = {cfg.cv.folds} but only {len(features)} training rows")
    folds = enumerate(_folds(cfg, target).split(features, target), start=1)
    workers = workers_for(len(features), cfg.cv.folds)
    results = Parallel(n_jobs=workers, backend="threading")(
        delayed(_fold)(cfg, pipeline, features, target, fold) for fold in folds
    )
    summary: dict[str, dict[str, Any]] = {}
    for name in METRICS[cfg.task]:
        values = [scores[name] for scores in results]
        defined = [value for value in values if value is not None]
        summary[name] = {
            "mean": float(np.mean(defined)) if defined else None,
            "std": float(np.std(defined)) if defined else None,
            "folds": values,
        }
    return summary


def importances(cfg: Config, pipeline: Pipeline, test: pd.DataFrame) -> dict[str, float]:
    """Permutation importance of each raw input column on (a sample of) the test split."""
    target = cfg.data.target
    sample = test.sample(min(len(test), IMPORTANCE_ROWS), random_state=cfg.split.seed)
    scorer = {"rmse": "neg_root_mean_squared_error", "mae": "neg_mean_absolute_error"}
    metric = cfg.gate.primary_metric
    if metric == "roc_auc":
        metric = "roc_auc" if sample[target].nunique() == 2 else "roc_auc_ovr"
    features = sample.drop(columns=[target])
    # The same policy as the OpenMP limit around this call, which is set by the test split's size.
    workers = workers_for(len(test), features.shape[1])
    with parallel_config(backend="threading"):  # threads: no new processes to start
        result = permutation_importance(
            pipeline,
            features,
            sample[target],
            scoring=scorer.get(metric, metric),
            n_repeats=5,
            random_state=cfg.split.seed,
            n_jobs=workers,
        )
    pairs = zip(features.columns, result.importances_mean, strict=True)
    return {str(name): float(value) for name, value in pairs}


def train(cfg: Config, *, figures: bool = True) -> Path:
    """The `train` step. Returns the new model's folder."""
    tracker = None
    if cfg.mlflow.enabled:  # only then: MLflow takes seconds to import
        from .tracking import Tracker

        tracker = Tracker(cfg)  # an MLflow store that cannot be reached fails before training
    target = cfg.data.target
    train_frame, test_frame = load_split(cfg, "train"), load_split(cfg, "test")
    # Column roles are inferred on all rows: on a random split alone a row-number column is no
    # longer consecutive and would pass as a feature (a leak).
    spec = infer_features(pd.concat([train_frame, test_frame], ignore_index=True), cfg)
    pipeline = build_pipeline(cfg, spec)
    features, labels = train_frame[spec.columns], train_frame[target]
    log.info("model: %s with params %s", estimator_name(pipeline[-1]), cfg.model.chosen_params)
    log.info("cross-validating (%d folds) on %d rows", cfg.cv.folds, len(train_frame))
    with single_thread_if_small(len(train_frame)):
        cv = cross_validate(cfg, pipeline, features, labels)
        started = time.perf_counter()
        pipeline.fit(features, labels)
    log.info("fitted on the full train split in %.1fs", time.perf_counter() - started)
    # One pass over the test split, shared by the holdout scores and the figures.
    test_predictions = predict_all(pipeline, cfg.task, test_frame[spec.columns])
    holdout = compute_metrics(cfg.task, test_frame[target], *test_predictions)
    baseline = baseline_metrics(cfg.task, train_frame, test_frame, target)
    metrics = {"cv": cv, "holdout": holdout, "baseline": baseline}
    metadata = model_metadata(cfg, pipeline, spec, train_frame, test_frame, metrics)
    exports = _exports_writer(cfg, pipeline, train_frame[spec.columns])
    folder = save_artifact(pipeline, metadata, cfg.models_dir, exports)
    # The version's own report: reports/ is only updated when the gate promotes a version.
    report = {"model_version": folder.name, "features": asdict(spec), **metrics}
    write_json(report, folder / METRICS_FILE)
    # What `monitor` compares live inputs with (reference.py).
    save_reference(build_reference(train_frame, spec, test_predictions[0], cfg.task), folder)
    log_scores(holdout, baseline)
    if figures:
        with single_thread_if_small(len(test_frame)):
            _figures(cfg, pipeline, test_frame, spec, test_predictions, folder / FIGURES_DIR)
    if tracker is not None:
        tracker.log(folder)
    return folder


def _exports_writer(
    cfg: Config, pipeline: Pipeline, sample: pd.DataFrame
) -> Callable[[Path], dict[str, Any]] | None:
    """What writes the exports config asks for into the new version's folder (None: none)."""
    if not cfg.exports:
        return None
    return lambda folder: {"exports": write_exports(list(cfg.exports), pipeline, folder, sample)}


def _figures(
    cfg: Config,
    pipeline: Pipeline,
    test: pd.DataFrame,
    spec: FeatureSpec,
    predictions: tuple[np.ndarray, np.ndarray | None, list[Any] | None],
    out: Path,
) -> None:
    """The version's figures, from the test split and the model's predictions on it."""
    actual = test[cfg.data.target]
    predicted, proba, classes = predictions
    if proba is not None and classes is not None:
        plots.plot_confusion_matrix(actual, predicted, out / "confusion_matrix.png")
        plots.plot_roc_curves(actual, proba, classes, out / "roc_curve.png")
        pr_path = out / "precision_recall_curve.png"
        plots.plot_precision_recall_curves(actual, proba, classes, pr_path)
    else:
        plots.plot_predicted_vs_actual(actual, predicted, out / "predicted_vs_actual.png")
    log.info("computing permutation importance")
    ranking = importances(cfg, pipeline, test[[*spec.columns, cfg.data.target]])
    plots.plot_importance(ranking, out / "feature_importance.png")
