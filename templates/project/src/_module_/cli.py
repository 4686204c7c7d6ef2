"""Command line: one sub-command per pipeline step (`data`, `train`, `evaluate`, `predict`,
`serve`), `all` for the first three in one process, and `models` to compare the trained
versions. The Makefile calls these; they are thin wrappers so all logic stays testable, and
each runs its step inside the one error boundary (console.py).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from .config import CONFIG_ENV_VAR, PACKAGE, Config, load_config
from .console import LOG_LEVELS, load_local_env, one_line_errors, setup_logging
from .errors import ConfigError

log = logging.getLogger(PACKAGE)

app = typer.Typer(
    help="Train, evaluate and serve the model. Settings live in config/config.yaml.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", envvar=CONFIG_ENV_VAR, help="Config file to use."),
]
ModelDirOption = Annotated[
    Path | None,
    typer.Option(
        "--model-dir", help="Model folder; default: the promoted one (models/latest.json)."
    ),
]


class State:
    """The options given before the command, for every command to use."""

    config_path: Path | None = None
    verbose: bool = False


state = State()


def config() -> Config:
    return load_config(state.config_path)


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

    with one_line_errors(state.verbose):
        step.run(config())


@app.command()
def train(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """Cross-validate, fit and save a new model version under models/ (not yet promoted)."""
    from .train import train as step

    with one_line_errors(state.verbose):
        step(config(), figures=not no_figures)


@app.command()
def evaluate(
    model_dir: Annotated[
        Path | None,
        typer.Option("--model-dir", help="Model folder; default: the newest trained version."),
    ] = None,
) -> None:
    """Gate a trained model on the test split: promote it if it passes, else exit 1."""
    from . import evaluate as step

    with one_line_errors(state.verbose):
        step.run(config(), model_dir)


@app.command("all")
def run_all(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """data, train and evaluate in one process: the libraries are imported once, not thrice."""
    from . import data as data_step
    from . import evaluate as evaluate_step
    from .train import train as train_step

    with one_line_errors(state.verbose):
        cfg = config()
        data_step.run(cfg)
        evaluate_step.run(cfg, train_step(cfg, figures=not no_figures))


@app.command()
def models() -> None:
    """List the model versions: scores, the gate's verdict, and the served one (*)."""
    from .reports import format_summaries, summaries

    with one_line_errors(state.verbose):
        cfg = config()
        rows = summaries(cfg.models_dir, cfg.gate.primary_metric)
        if not rows:
            log.info("no model in %s yet: run `make all`", cfg.models_dir)
            return
        typer.echo(format_summaries(rows, cfg.gate.primary_metric))


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
    model_dir: Annotated[
        str | None,
        typer.Option(
            "--model-dir", help="Model folder; default: the promoted one (models/latest.json)."
        ),
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(help="pandas, or spark (an optional extra): writes a folder of part files."),
    ] = Engine.pandas,
) -> None:
    """Batch prediction: input rows plus prediction (and proba_<class>) columns."""
    with one_line_errors(state.verbose):
        if engine is Engine.spark:
            from .spark import predict_with_spark

            # Given a model folder, it needs no project config: a cluster node has none.
            cfg = config() if model_dir is None else None
            predict_with_spark(input_path, output_path, model_dir, cfg, state.verbose)
            return
        from .batch import predict_file

        folder = Path(model_dir) if model_dir else None
        predict_file(Path(input_path), Path(output_path), folder, config())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(envvar="HOST", help="Default: serve.host.")] = None,
    port: Annotated[int | None, typer.Option(envvar="PORT", help="Default: serve.port.")] = None,
    model_dir: ModelDirOption = None,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    import uvicorn

    from .serve import create_app

    with one_line_errors(state.verbose):
        cfg = config()
        # Fails here when no model is promoted; a model that cannot load stops the lifespan.
        api = create_app(cfg=cfg, model_dir=model_dir, tracebacks=state.verbose)
        host, port = host or cfg.serve.host, port or cfg.serve.port
        log_level = "debug" if state.verbose else "info"
        server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level=log_level))
        log.info("serving on http://%s:%d (docs at /docs)", host, port)
        # Ctrl-C is a normal stop. uvicorn exits with its own code (3) when it cannot start: a
        # model that the lifespan cannot load, or a port in use; it has printed why.
        with suppress(KeyboardInterrupt, SystemExit):
            server.run()
    if not server.started:
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
