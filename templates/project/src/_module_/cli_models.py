"""`models`: list, show, promote, roll back and prune the trained versions in
models/registry.json (registry.py). A sub-app of cli.py, kept apart so each file has one job.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from .cli_state import config, state
from .config import PACKAGE
from .console import one_line_errors
from .locking import pipeline_lock

log = logging.getLogger(PACKAGE)

models_app = typer.Typer(
    help="The model versions in models/registry.json: list, show, promote, rollback, prune.",
    invoke_without_command=True,
)


@models_app.callback()
def models(context: typer.Context) -> None:
    """Without a sub-command: the same table as `models list`."""
    if context.invoked_subcommand is None:
        models_list()


@models_app.command("list")
def models_list() -> None:
    """The versions as a table: stage, scores, the gate's verdict (* marks production)."""
    from .reports import format_summaries, summaries

    with one_line_errors(state.verbose):
        cfg = config()
        rows = summaries(cfg.models_dir, cfg.gate.primary_metric)
        if not rows:
            log.info("no model in %s yet: run `make all`", cfg.models_dir)
            return
        typer.echo(format_summaries(rows, cfg.gate.primary_metric))


@models_app.command("show")
def models_show(
    version: Annotated[str, typer.Argument(help="A version from `models list`.")],
) -> None:
    """One version's record in the registry, and where its model card is."""
    import json

    from . import registry
    from .card import CARD_FILE

    with one_line_errors(state.verbose):
        cfg = config()
        found = registry.entry(registry.read(cfg.models_dir), version)
        typer.echo(json.dumps(found, indent=2, default=str))
        typer.echo(f"model card: {cfg.models_dir / version / CARD_FILE}")


@models_app.command("promote")
def models_promote(
    version: Annotated[str, typer.Argument(help="A version from `models list`.")],
    force: Annotated[
        bool, typer.Option("--force", help="Skip the gate (thresholds and champion).")
    ] = False,
) -> None:
    """Make VERSION production, through the validation gate unless --force."""
    from . import evaluate as step
    from . import registry
    from .artifact import promote
    from .reports import publish

    with one_line_errors(state.verbose):
        cfg = config()
        registry.entry(registry.read(cfg.models_dir), version)  # an unknown version stops here
        folder = cfg.models_dir / version
        if not force:
            with pipeline_lock(cfg):  # the gate reads the test split, which `data` rewrites
                step.run(cfg, folder)
        elif promote(cfg.models_dir, folder, reason="promoted with --force, gate skipped"):
            log.warning("model %s is production without passing the gate (--force)", version)
            publish(folder, cfg.reports_dir)


@models_app.command("rollback")
def models_rollback() -> None:
    """Make the previous production version production again."""
    from . import registry
    from .reports import publish

    with one_line_errors(state.verbose):
        cfg = config()
        left, back_to = registry.rollback(cfg.models_dir)
        publish(cfg.models_dir / back_to, cfg.reports_dir)
        log.info("rolled back: %s is production again (%s is archived)", back_to, left)


@models_app.command("prune")
def models_prune(
    keep: Annotated[int, typer.Option("--keep", help="How many of the newest versions to keep.")],
) -> None:
    """Delete old versions; production and the previous production version are always kept."""
    from .pruning import prune

    with one_line_errors(state.verbose):
        deleted, freed = prune(config().models_dir, keep)
        log.info("deleted %d version(s), freed %.1f MB", len(deleted), freed / 1e6)
