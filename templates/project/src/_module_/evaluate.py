"""The validation gate: score the saved model on the test split, and promote it if it passes.

The gate has two parts: the thresholds in config `gate`, and the production model (champion.py),
which the new model must not fall behind by more than `gate.tolerance`.

`evaluate` re-scores the SAVED artifact (not the in-memory model) on the held-out test split, so
what is checked is exactly what will be served. The gate is what makes a model current: a
version that passes is promoted (production in models/registry.json) and its reports are copied to
reports/; one that fails is not, and the exit code 1 lets `make all` or CI stop there while the
previous model keeps serving. Either way the verdict is kept with the version (evaluation.json).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from . import registry
from .artifact import file_sha256, newest_version, promote, write_json
from .card import write_model_card
from .champion import challenge, holdout_scores
from .config import Config
from .data import load_split
from .errors import DataError, GateFailed, ModelMismatch
from .metrics import Scores, baseline_metrics, beats, format_metric, log_scores
from .predict import Predictor  # the same loader the API and batch prediction use
from .reports import EVALUATION_FILE, publish
from .samples import BUNDLED_DATASETS, OWN_FILE
from .sources import raw_files

log = logging.getLogger(__name__)


def check_gate(cfg: Config, holdout: Scores, baseline: Scores) -> list[str]:
    """Every way the model misses the configured thresholds (empty list: gate passed)."""
    failures = []
    for metric, bound in cfg.gate.min.items():
        value = holdout.get(metric)
        if value is None or value < bound:
            failures.append(
                f"{metric} = {format_metric(value)} is below gate.min.{metric} = {bound}"
            )
    for metric, bound in cfg.gate.max.items():
        value = holdout.get(metric)
        if value is None or value > bound:
            failures.append(
                f"{metric} = {format_metric(value)} is above gate.max.{metric} = {bound}"
            )
    primary = cfg.gate.primary_metric
    if cfg.gate.must_beat_baseline and not beats(
        cfg.task, primary, holdout.get(primary), baseline.get(primary)
    ):
        failures.append(
            f"{primary} = {format_metric(holdout.get(primary))} does not beat the dummy baseline "
            f"({format_metric(baseline.get(primary))})"
        )
    return failures


def data_in_use(cfg: Config) -> str:
    """The data as gate.thresholds_for names it: a bundled sample's name, or the raw file."""
    return cfg.data.raw_spec if cfg.data.source == OWN_FILE else cfg.data.source


def _described(data: str) -> str:
    return f"the bundled {data} sample" if data in BUNDLED_DATASETS else data


def thresholds_elsewhere(cfg: Config) -> str | None:
    """Why the thresholds may not fit: they were chosen for other data (None: they were not)."""
    meant_for, in_use = cfg.gate.thresholds_for, data_in_use(cfg)
    if meant_for is None or meant_for == in_use:
        return None
    if cfg.data.source == OWN_FILE and cfg.resolve(Path(meant_for)).resolve() in in_files(cfg):
        return None  # the same file written another way, or one of the files read now
    return (
        f"the gate's thresholds were set for {_described(meant_for)} (gate.thresholds_for: "
        f"{meant_for}), not for the data in use, {_described(in_use)}"
    )


def in_files(cfg: Config) -> list[Path]:
    """The raw files data.raw_path names now, resolved (none when it names none)."""
    try:
        return [path.resolve() for path in raw_files(cfg)]
    except DataError:
        return []


def retune_advice(cfg: Config, holdout: Scores, baseline: Scores) -> str:
    """What a failed gate should tell: where its thresholds came from, this model's scores next
    to the baseline's, and which keys to change."""
    scores = ", ".join(
        f"{name} {format_metric(value)} (baseline {format_metric(baseline.get(name))})"
        for name, value in holdout.items()
    )
    lines = [f"This model scored: {scores}."]
    elsewhere = thresholds_elsewhere(cfg)
    if elsewhere:
        lines.insert(0, elsewhere[0].upper() + elsewhere[1:] + ".")
        lines.append(
            "To retune, set gate.min / gate.max in config/config.yaml to what is good enough "
            f"for this data, set gate.thresholds_for: {data_in_use(cfg)}, then run "
            "`make evaluate` again (it re-checks this model, no retraining)."
        )
    else:
        lines.append(
            "Improve the model (features, model.name, model.params in config/config.yaml) and "
            "run `make all`; or, if the thresholds ask too much of this data, lower gate.min / "
            "raise gate.max and run `make evaluate` again."
        )
    return "\n".join(lines)


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
    """The `evaluate` step: score a saved model on the test split, apply the gate (thresholds,
    then the production model as champion), and promote the model only if it passes both.
    Default: the newest trained version."""
    folder = model_dir or newest_version(cfg.models_dir)
    predictor = Predictor.load(folder, cfg=cfg)
    check_model_matches(predictor.metadata, cfg)
    train, test = load_split(cfg, "train"), load_split(cfg, "test")
    holdout = holdout_scores(cfg, predictor, test)
    baseline = baseline_metrics(cfg.task, train, test, cfg.data.target)
    failures = check_gate(cfg, holdout, baseline)
    comparison = challenge(cfg, folder.name, holdout, test)
    if comparison is not None:
        log.info(
            "production model (champion) against this one (challenger):\n%s", comparison.table()
        )
        failures += [comparison.failure()] if comparison.failure() else []
    gate = {
        "passed": not failures,
        "failures": failures,
        "min": cfg.gate.min,
        "max": cfg.gate.max,
        "tolerance": cfg.gate.tolerance,
        "champion": comparison.champion if comparison else None,
        "champion_holdout": comparison.champion_scores if comparison else None,
    }
    report = {
        "model_version": predictor.version,
        "task": cfg.task,
        "test_rows": len(test),
        "holdout": holdout,
        "baseline": baseline,
        "gate": gate,
    }
    write_json(report, folder / EVALUATION_FILE)
    write_model_card(folder, predictor.metadata, gate)
    in_registry = folder.resolve().parent == cfg.models_dir.resolve()
    if in_registry:
        registry.record_gate(cfg.models_dir, folder.name, gate)
    log_scores(holdout, baseline)
    if failures:
        raise GateFailed(
            f"validation gate failed; model {folder.name} was NOT promoted (its stage is "
            f"unchanged, and so are production and {cfg.reports_dir}; this one's reports are "
            f"in {folder}):\n  "
            + "\n  ".join(failures)
            + "\n"
            + retune_advice(cfg, holdout, baseline)
        )
    log.info("validation gate passed for model %s", folder.name)
    elsewhere = thresholds_elsewhere(cfg)
    if elsewhere:
        log.warning(
            "%s: check that they still mean good enough, then set gate.thresholds_for: %s",
            elsewhere,
            data_in_use(cfg),
        )
    if promote(cfg.models_dir, folder):
        publish(folder, cfg.reports_dir)
    return report
