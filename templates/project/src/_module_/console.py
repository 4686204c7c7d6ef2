"""What every command shares: local settings from .env, the log format, and the one error
boundary, which turns any failure into one line and exit code 1 (the traceback only with -v).

cli.py declares the commands; each runs its step inside `one_line_errors`, so no command can end
in a traceback that the user did not ask for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from dotenv import find_dotenv, load_dotenv

from .config import PACKAGE
from .errors import ConfigError, PipelineError, one_line

log = logging.getLogger(PACKAGE)

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
def one_line_errors(verbose: bool = False) -> Iterator[None]:
    """The one error boundary: every failure becomes one line and exit code 1 (a traceback only
    when `verbose`). A `PipelineError` says what to do; a file the step may not read or write is
    named; anything else is a bug, named by its type and message."""
    try:
        yield
    except (typer.Exit, typer.Abort):
        raise
    except PipelineError as error:
        log.error("%s", error, exc_info=verbose)
        raise typer.Exit(code=1) from None
    except OSError as error:  # e.g. a folder the step may not write into
        where = f"{error.filename}: " if error.filename else ""
        problem = error.strerror or one_line(error)
        log.error("%s%s (check the path and its permissions)", where, problem, exc_info=verbose)
        raise typer.Exit(code=1) from None
    except Exception as error:
        hint = "" if verbose else " (run with -v for the traceback)"
        log.error("unexpected error: %s%s", one_line(error), hint, exc_info=verbose)
        raise typer.Exit(code=1) from None
