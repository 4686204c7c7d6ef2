"""Command line: one sub-command per pipeline step (`data`, `train`, `evaluate`, `predict`,
`serve`), and `models` to compare the trained versions. The Makefile calls these; they are thin
wrappers so all logic stays testable."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated

import typer
from dotenv import find_dotenv, load_dotenv

from .config import CONFIG_ENV_VAR, PACKAGE, Config, load_config
from .errors import ConfigError, PipelineError, one_line

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
    config_path: Path | None = None
    verbose: bool = False


state = State()


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def load_local_env() -> None:
    """Read the nearest .env (searching upwards, like the config) into the environment.

    Local settings (HOST, PORT, LOG_LEVEL) belong in an uncommitted .env file rather than in code
    or in config/config.yaml, which is shared; variables already set in the shell win.
    """
    path = find_dotenv(usecwd=True)
    try:
        load_dotenv(path, override=False)
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not UTF-8 text; save it as UTF-8 in your editor") from None


def setup_logging(level: str) -> None:
    """Log lines with time and level; third-party libraries stay at WARNING."""
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        force=True,
    )
    logging.getLogger(PACKAGE).setLevel(level)


@contextmanager
def steps() -> Iterator[None]:
    """The one error boundary: every failure becomes one line and exit code 1 (a traceback only
    with -v). A `PipelineError` says what to do; a file the step may not read or write is named;
    anything else is a bug, named by its type and message."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except PipelineError as error:
        log.error("%s", error, exc_info=state.verbose)
        raise typer.Exit(code=1) from None
    except OSError as error:  # e.g. a folder the step may not write into
        where = f"{error.filename}: " if error.filename else ""
        problem = error.strerror or one_line(error)
        log.error(
            "%s%s (check the path and its permissions)", where, problem, exc_info=state.verbose
        )
        raise typer.Exit(code=1) from None
    except Exception as error:
        hint = "" if state.verbose else " (run with -v for the traceback)"
        log.error("unexpected error: %s%s", one_line(error), hint, exc_info=state.verbose)
        raise typer.Exit(code=1) from None


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

    with steps():
        step.run(config())


@app.command()
def train(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """Cross-validate, fit and save a new model version under models/ (not yet promoted)."""
    from .train import train as step

    with steps():
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

    with steps():
        step.run(config(), model_dir)


@app.command("all")
def run_all(
    no_figures: Annotated[bool, typer.Option("--no-figures", help="Skip the figures.")] = False,
) -> None:
    """data, train and evaluate in one process: the libraries are imported once, not thrice."""
    from . import data as data_step
    from . import evaluate as evaluate_step
    from .train import train as train_step

    with steps():
        cfg = config()
        data_step.run(cfg)
        evaluate_step.run(cfg, train_step(cfg, figures=not no_figures))


@app.command()
def models() -> None:
    """List the model versions: scores, the gate's verdict, and the served one (*)."""
    from .reports import format_summaries, summaries

    with steps():
        cfg = config()
        rows = summaries(cfg.models_dir, cfg.gate.primary_metric)
        if not rows:
            log.info("no model in %s yet: run `make all`", cfg.models_dir)
            return
        typer.echo(format_summaries(rows, cfg.gate.primary_metric))


@app.command()
def predict(
    input_path: Annotated[Path, typer.Option("--input", "-i", help="CSV or Parquet to score.")],
    output_path: Annotated[
        Path, typer.Option("--output", "-o", help="Where to write (.csv or .parquet).")
    ],
    model_dir: ModelDirOption = None,
) -> None:
    """Batch prediction: input rows plus prediction (and proba_<class>) columns."""
    from .batch import predict_file

    with steps():
        predict_file(input_path, output_path, model_dir, config())


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(envvar="HOST", help="Default: serve.host.")] = None,
    port: Annotated[int | None, typer.Option(envvar="PORT", help="Default: serve.port.")] = None,
    model_dir: ModelDirOption = None,
) -> None:
    """Run the HTTP API (interactive docs at /docs)."""
    import uvicorn

    from .serve import create_app

    with steps():
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
