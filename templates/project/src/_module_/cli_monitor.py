"""`monitor`: compare live inputs with the training data (monitor.py). Kept apart from cli.py
so that each file has one job; cli.py registers it."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from .cli_state import ModelDirOption, ModelVersionOption, chosen_model, config, state
from .config import PACKAGE
from .console import one_line_errors

log = logging.getLogger(PACKAGE)


def monitor(
    input_path: Annotated[
        Path | None,
        typer.Option(
            "--input", "-i", help="CSV or Parquet to compare; default: the prediction log."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only logged predictions since: 24h, 7d, or 2025-01-31T12:00Z."),
    ] = None,
    model_dir: ModelDirOption = None,
    model_version: ModelVersionOption = None,
) -> None:
    """Drift of live inputs and predictions from the training data: reports/drift.{json,md,png};
    exit 3 when something drifted (monitor.* thresholds in the config), else 0."""
    from .monitor import DRIFT_EXIT_CODE, run, summary

    with one_line_errors(state.verbose):
        cfg = config()
        result = run(cfg, input_path, since, chosen_model(cfg, model_dir, model_version))
    line = summary(result)
    if result["drifted"]:
        log.warning("%s", line)
        raise typer.Exit(code=DRIFT_EXIT_CODE)
    log.info("%s", line)
