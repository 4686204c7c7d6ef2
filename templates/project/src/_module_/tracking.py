"""Experiment tracking with MLflow: each trained version becomes one MLflow run.

The run is logged from the version's folder once training has saved it, so MLflow holds exactly
what the artifact is: its parameters (config `model`, `split`, `cv`), its scores (cross-validation,
test split, dummy baseline), its figures and its files (model.joblib, metadata.json, the model
card). The version folder and models/registry.json stay the source of truth for predict and
serve; MLflow is where versions are compared (`make mlflow-ui`).

MLflow takes seconds to import, so only training imports this module, and only when config
`mlflow.enabled` is true.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from .artifact import METADATA_FILE
from .config import PACKAGE, Config
from .errors import PipelineError, one_line
from .reports import FIGURES_DIR, METRICS_FILE

log = logging.getLogger(__name__)

#: The tag that ties a run to its version folder under models/.
VERSION_TAG = "model_version"
#: The database of a local store, inside the folder config `mlflow.tracking_uri` names.
LOCAL_DATABASE = "mlflow.db"


class TrackingError(PipelineError):
    """The model was saved, but MLflow could not record it."""


def tracking_uri(cfg: Config) -> str:
    """$MLFLOW_TRACKING_URI, else config `mlflow.tracking_uri`: a URI as is, a folder as a local
    store (a SQLite database, MLflow's default backend) resolved against the project root."""
    value = os.environ.get("MLFLOW_TRACKING_URI") or cfg.mlflow.tracking_uri
    if "://" in value or value.startswith(("file:", "databricks")):
        return value
    return f"sqlite:///{cfg.resolve(Path(value)).resolve() / LOCAL_DATABASE}"


def _experiment_id(client: Any, cfg: Config, uri: str) -> str:
    """The configured experiment, created on first use; a local store keeps its artifacts in
    its own folder (not in ./mlruns of whatever folder training ran from)."""
    name = cfg.mlflow.experiment or PACKAGE
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = None
    if uri.startswith("sqlite:///") and uri.endswith(LOCAL_DATABASE):
        location = (Path(uri.removeprefix("sqlite:///")).parent / "artifacts").as_uri()
    return client.create_experiment(name, artifact_location=location)


def run_params(cfg: Config, metadata: dict[str, Any]) -> dict[str, Any]:
    """What the run was trained with: the model and its hyper-parameters, the split, the data."""
    data = metadata.get("data", {})
    params: dict[str, Any] = {
        "task": cfg.task,
        "target": cfg.data.target,
        "model.name": cfg.model.name,
        "model.estimator": metadata.get("model", {}).get("estimator"),
        "split.test_size": cfg.split.test_size,
        "split.seed": cfg.split.seed,
        "cv.folds": cfg.cv.folds,
        "data.raw_file": data.get("raw_file"),
        "data.train_rows": data.get("train", {}).get("rows"),
        "features": ", ".join(column["name"] for column in metadata.get("input_schema", [])),
    }
    params.update({f"model.params.{key}": value for key, value in cfg.model.chosen_params.items()})
    return {key: "" if value is None else str(value) for key, value in params.items()}


def run_metrics(report: dict[str, Any]) -> dict[str, float]:
    """The scores of metrics.json, flat: test_<metric>, baseline_<metric>, cv_<metric>_mean/_std.

    A score that is undefined for this data (None) is left out: MLflow takes numbers only.
    """
    metrics: dict[str, Any] = {}
    for name, value in (report.get("holdout") or {}).items():
        metrics[f"test_{name}"] = value
    for name, value in (report.get("baseline") or {}).items():
        metrics[f"baseline_{name}"] = value
    for name, summary in (report.get("cv") or {}).items():
        metrics[f"cv_{name}_mean"] = summary.get("mean")
        metrics[f"cv_{name}_std"] = summary.get("std")
    return {key: float(value) for key, value in metrics.items() if isinstance(value, int | float)}


class Tracker:
    """The MLflow store and experiment, reached when training starts: a store that cannot be
    reached fails then, not after minutes of training."""

    def __init__(self, cfg: Config) -> None:
        import mlflow  # config validation checked that it is installed

        # MLflow retries a failed request 7 times with growing waits (minutes in all); a
        # tracking server that is down should fail in seconds. The environment still decides.
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "2")
        os.environ.setdefault("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", "1")
        self.cfg, self.uri = cfg, tracking_uri(cfg)
        if self.uri.startswith("sqlite:///"):
            Path(self.uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.client = mlflow.MlflowClient(tracking_uri=self.uri)
            self.experiment = _experiment_id(self.client, cfg, self.uri)
        except Exception as error:  # MLflow raises many kinds: store, network, permissions
            raise TrackingError(
                f"MLflow's tracking store at {self.uri} cannot be used: {one_line(error)}; fix "
                "mlflow.tracking_uri (or MLFLOW_TRACKING_URI), or set mlflow.enabled: false"
            ) from error

    def log(self, folder: Path) -> str:
        """Log the version saved in `folder` as one MLflow run; returns the run's id."""
        try:
            run_id = self._log_run(folder)
        except Exception as error:
            raise TrackingError(
                f"model {folder.name} was saved, but logging it to MLflow at {self.uri} failed: "
                f"{one_line(error)}; fix the tracking store (mlflow.tracking_uri or "
                "MLFLOW_TRACKING_URI) or set mlflow.enabled: false, then train again"
            ) from error
        log.info("logged model %s to MLflow (run %s at %s)", folder.name, run_id, self.uri)
        return run_id

    def _log_run(self, folder: Path) -> str:
        client = self.client
        metadata = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
        report = json.loads((folder / METRICS_FILE).read_text(encoding="utf-8"))
        tags = {VERSION_TAG: folder.name, "mlflow.source.git.commit": metadata.get("git_commit")}
        present = {key: value for key, value in tags.items() if value}
        run_id = client.create_run(self.experiment, run_name=folder.name, tags=present).info.run_id
        try:
            for key, value in run_params(self.cfg, metadata).items():
                client.log_param(run_id, key, value)
            for key, value in run_metrics(report).items():
                client.log_metric(run_id, key, value)
            for path in sorted(folder.iterdir()):
                if path.is_file():
                    client.log_artifact(run_id, str(path), artifact_path="model")
            if (folder / FIGURES_DIR).is_dir():
                client.log_artifacts(run_id, str(folder / FIGURES_DIR), artifact_path=FIGURES_DIR)
        except BaseException:
            client.set_terminated(run_id, status="FAILED")
            raise
        client.set_terminated(run_id)
        return run_id
