"""The `retrain` command: data -> train -> gate against the champion -> promote only if better.

New labelled data arrives as new files in data/raw (data.raw_path a glob or a list); `retrain`
reads them all, trains a challenger, and promotes it only if it passes the gate (the thresholds,
and not worse than production beyond `gate.tolerance`). It is made to run unattended (cron), so
its outcomes have their own exit codes:

- 0: the challenger is production now; or nothing changed since a version was trained on these
  very files with these settings (nothing to do; `--force` trains anyway);
- 1: it failed (bad data or config, a damaged model...): the message says what to do;
- 3: the challenger was refused by the gate: it stays a candidate, production is untouched;
- 75: another data, train, evaluate or retrain run of this project was running: nothing done.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

from . import data, evaluate, registry
from .config import Config
from .errors import GateFailed, PipelineBusy
from .locking import pipeline_lock
from .metadata import training_config_sha256
from .sources import read_record

log = logging.getLogger(__name__)

EXIT_PROMOTED = 0
EXIT_REFUSED = 3
#: sysexits.h's EX_TEMPFAIL: try again later.
EXIT_BUSY = 75


def retrain(cfg: Config, force: bool = False, figures: bool = True) -> int:
    """Run the whole cycle under the pipeline lock; the exit code says how it ended."""
    log.info("retrain started at %s", time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()))
    try:
        with pipeline_lock(cfg, wait=False):
            return _cycle(cfg, force, figures)
    except PipelineBusy as busy:
        log.warning("%s", busy)
        return EXIT_BUSY


def _cycle(cfg: Config, force: bool, figures: bool) -> int:
    from .train import train  # scikit-learn and the plots: imported once they are needed

    data.run(cfg)
    seen = read_record(cfg) or {}
    champion = registry.production(registry.read(cfg.models_dir))
    fingerprint = (seen.get("raw_sha256"), training_config_sha256(cfg))
    done = None if force else trained_on(cfg, fingerprint)
    if done is not None:
        stage = registry.entry(registry.read(cfg.models_dir), done).get("stage")
        again = (
            f"`models promote {done}` gates it again (say, after a change of gate), "
            if stage == registry.CANDIDATE
            else ""
        )
        log.info(
            "nothing new: version %s (%s) was trained on these same files with these settings; "
            "production stays %s. %s`retrain --force` trains again anyway",
            done,
            stage,
            champion or "none",
            again,
        )
        return EXIT_PROMOTED
    log_new_files(cfg, seen, champion)
    folder = train(cfg, figures=figures)
    try:
        evaluate.run(cfg, folder)
    except GateFailed as refusal:
        log.warning("%s", refusal)
        log.warning(
            "retrain: challenger %s refused; it stays a candidate and production stays %s",
            folder.name,
            champion or "none (no version has passed the gate yet)",
        )
        return EXIT_REFUSED
    log.info("retrain: %s is production now (it replaces %s)", folder.name, champion or "none")
    return EXIT_PROMOTED


def _metadata(folder: Path) -> dict[str, Any]:
    """A version's metadata, or {} when it is unreadable (it then matches nothing)."""
    try:
        found = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def trained_on(cfg: Config, fingerprint: tuple[str | None, str]) -> str | None:
    """The newest version trained on exactly these raw files with these settings, if any."""
    for version in reversed(registry.read(cfg.models_dir)["versions"]):
        metadata = _metadata(cfg.models_dir / version)
        key = (metadata.get("data", {}).get("raw_sha256"), metadata.get("config_sha256"))
        if fingerprint[0] is not None and key == fingerprint:
            return version
    return None


def log_new_files(cfg: Config, seen: dict[str, Any], champion: str | None) -> None:
    """Which raw files production was not trained on: what this retrain adds."""
    if champion is None:
        return
    known = {
        (raw.get("file"), raw.get("sha256"))
        for raw in _metadata(cfg.models_dir / champion).get("data", {}).get("raw_files") or []
    }
    new = [raw for raw in seen.get("raw_files", []) if (raw["file"], raw["sha256"]) not in known]
    if new:
        listed = ", ".join(f"{raw['file']} ({raw['rows']} rows)" for raw in new)
        log.info("new or changed since production %s: %s", champion, listed)
