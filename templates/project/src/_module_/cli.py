"""Command line: one sub-command per pipeline step (`data`, `train`, `evaluate`, `predict`,
`serve`), `all` for the first three in one process, `retrain` for them as a scheduled job
(retrain.py), `models` (cli_models.py) to list, promote, roll back and prune the trained
versions, and `monitor` (cli_monitor.py) for drift. The Makefile calls these; they are thin
wrappers so all logic stays testable, and each runs its step inside the one error boundary
(console.py).
"""

from __future__ import annotations

import logging
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .cli_models import models_app
from .cli_monitor import monitor
from .cli_state import (
    ConfigOption,
    ModelDirOption,
    ModelVersionOption,
    chosen_model,
    config,
    state,
)
from .config import PACKAGE, find_config
from .console import LOG_LEVELS, load_local_env, one_line_errors, setup_logging
from .errors import ConfigError
from .locking import pipeline_lock

log = logging.getLogger(PACKAGE)

app = typer.Typer(
    help="Train, evaluate and serve the model. Settings live in config/config.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(models_app, name="models")
app.command()(monitor)


@app.callback()
def main(
    config_path: ConfigOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging and full tracebacks.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only warnings and errors.")] = False,
    log_level: Annotated[
        str, typer.Option("--log-level", envvar="LOG_LEVEL", help="DEBUG, INFO, WARNING or ERROR.")
    ] = "INFO",
) -> None:
    """Options shared by every command."""
    if log_level.upper() not in LOG_LEVELS:
        raise typer.BadParameter(f"must be one of {', '.join(LOG_LEVELS)}", param_hint="LOG_LEVEL")
    state.config_path, state.verbose = config_path, verbose
    setup_logging("DEBUG" if verbose else "WARNING" if quiet else log_level.upper())


@app.command()
def data() -> None:
    """Write/validate the raw data and split it into data/processed/{train,test}.csv."""
    from . import data as step

    with one_line_errors(state.verbose), pipeline_lock(config()) as cfg:
        step.run(cfg)


@app.command()
def train(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """Cross-validate, fit and save a new model version under models/ (not yet promoted)."""
    from .train import train as step

    with one_line_errors(state.verbose), pipeline_lock(config()) as cfg:
        step(cfg, figures=not no_figures)


@app.command()
def evaluate(
    model_dir: Annotated[
        Path | None,
        typer.Option("--model-dir", help="Model folder; default: the newest trained version."),
    ] = None,
) -> None:
    """Gate a trained model on the test split: promote it if it passes, else exit 1."""
    from . import evaluate as step

    with one_line_errors(state.verbose), pipeline_lock(config()) as cfg:
        step.run(cfg, model_dir)


@app.command("all")
def run_all(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """data, train and evaluate in one process: the libraries are imported once, not thrice."""
    from . import data as data_step
    from . import evaluate as evaluate_step
    from .train import train as train_step

    with one_line_errors(state.verbose), pipeline_lock(config()) as cfg:
        data_step.run(cfg)
        evaluate_step.run(cfg, train_step(cfg, figures=not no_figures))


@app.command()
def retrain(
    force: Annotated[
        bool, typer.Option("--force", help="Train even when nothing changed since a version.")
    ] = False,
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """data, train, gate against production: promote only if better. Exit 0: promoted, or
    nothing new; 1: failed; 3: refused (production kept); 75: another run was running."""
    from .retrain import retrain as step

    with one_line_errors(state.verbose):
        code = step(config(), force=force, figures=not no_figures)
    raise typer.Exit(code=code)


class Engine(Enum):
    """How `predict` runs: pandas in this process, or Spark (the `spark` extra)."""

    pandas = "pandas"
    spark = "spark"


@app.command()
def predict(
    input_path: Annotated[
        str, typer.Option("--input", "-i", help="CSV or Parquet to score (spark: or a folder).")
    ],
    output_path: Annotated[
        str, typer.Option("--output", "-o", help="Where to write (.csv or .parquet).")
    ],
    model_dir: ModelDirOption = None,
    model_version: ModelVersionOption = None,
    engine: Annotated[
        Engine,
        typer.Option(help="pandas, or spark (an optional extra): writes a folder of part files."),
    ] = Engine.pandas,
) -> None:
    """Batch prediction: input rows plus prediction (and proba_<class>) columns."""
    with one_line_errors(state.verbose):
        if engine is Engine.spark:
            from .spark import predict_with_spark

            # Given a model folder alone, Spark needs no project config: a cluster node has none.
            cfg = None if model_dir is not None and model_version is None else config()
            folder = model_dir if cfg is None else chosen_model(cfg, model_dir, model_version)
            shown = str(folder) if folder else None
            predict_with_spark(input_path, output_path, shown, cfg, state.verbose)
            return
        from .batch import predict_file

        cfg = config()
        folder = chosen_model(cfg, model_dir, model_version)
        predict_file(Path(input_path), Path(output_path), folder, cfg)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(envvar="HOST", help="Default: serve.host.")] = None,
    port: Annotated[int | None, typer.Option(envvar="PORT", help="Default: serve.port.")] = None,
    workers: Annotated[
        int | None,
        typer.Option(envvar="WORKERS", min=1, max=64, help="Processes; default: serve.workers."),
    ] = None,
    model_dir: ModelDirOption = None,
    model_version: ModelVersionOption = None,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    from .server import serve as run_server

    with one_line_errors(state.verbose):
        cfg = config()
        started = run_server(
            cfg,
            find_config(state.config_path),
            host=host or cfg.serve.host,
            port=port or cfg.serve.port,
            workers=workers or cfg.serve.workers,
            model_dir=chosen_model(cfg, model_dir, model_version),
            verbose=state.verbose,
        )
    if not started:
        raise typer.Exit(code=1)


def run() -> None:
    """Console-script entry point: local settings from .env first, then the command."""
    try:
        load_local_env()
    except ConfigError as error:  # logging is not set up yet: the command line decides how
        typer.echo(f"error: {error}", err=True)
        raise SystemExit(1) from None
    app()


if __name__ == "__main__":
    run()
