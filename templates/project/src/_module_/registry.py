"""models/registry.json: every model version with its scores, data fingerprints and stage.

A version is a `candidate` when trained, `production` once the gate (or `models promote`) makes
it the served one, and `archived` when another replaces it. The registry also keeps the stack of
production versions, so `models rollback` knows where to go back to and `models prune` what it
must never delete. models/latest.json stays as a one-line view of the production version, for
tools that read it, and so a deleted registry.json can be rebuilt from the version folders.

Writes go through `update()`: one process at a time (a file lock that works across processes
and platforms, from the `filelock` library), and each write replaces the file atomically, so a
crash or a second command never leaves a half-written or mixed registry. Reading takes no lock
and writes nothing, so prediction works from a read-only models/ folder.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .artifact import LATEST_FILE, METADATA_FILE, read_json, version_key, versions, write_json
from .errors import ModelNotFoundError, RegistryError

log = logging.getLogger(__name__)

REGISTRY_FILE = "registry.json"
LOCK_FILE = ".registry.lock"
#: How long a command waits for another one to finish changing the registry.
LOCK_TIMEOUT_SECONDS = 60.0
CANDIDATE, PRODUCTION, ARCHIVED = "candidate", "production", "archived"


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def entry_from(metadata: dict[str, Any]) -> dict[str, Any]:
    """What the registry keeps of a version's metadata: enough to list and compare versions."""
    data = metadata.get("data", {})
    metrics = metadata.get("metrics", {})
    return {
        "version": metadata.get("version"),
        "stage": CANDIDATE,
        "created_at": metadata.get("created_at"),
        "task": metadata.get("task"),
        "target": metadata.get("target"),
        "model": metadata.get("model", {}).get("name"),
        "metrics": {"holdout": metrics.get("holdout"), "baseline": metrics.get("baseline")},
        "data": {
            "raw_file": data.get("raw_file"),
            "raw_sha256": data.get("raw_sha256"),
            "raw_files": data.get("raw_files"),
            "train_sha256": data.get("train", {}).get("sha256"),
            "test_sha256": data.get("test", {}).get("sha256"),
            "train_rows": data.get("train", {}).get("rows"),
        },
        "gate": None,
    }


# --- reading --------------------------------------------------------------------------------
def read(models_dir: Path) -> dict[str, Any]:
    """The registry, reconciled with the version folders on disk (nothing is written).

    Without registry.json (a project from before the registry, or a deleted file) it is built
    from the folders, with the version models/latest.json names as production.
    """
    path = models_dir / REGISTRY_FILE
    if path.is_file():
        registry = _parse(path)
    else:
        registry = {"versions": {}, "production_history": []}
        pointer = models_dir / LATEST_FILE
        if pointer.is_file():
            fix = "fix it, or run `make evaluate` to promote the newest model again"
            named = read_json(pointer, fix)
            if isinstance(named, dict) and isinstance(named.get("version"), str):
                registry["production_history"] = [{"version": named["version"], "at": None}]
    known = registry["versions"]
    for folder in versions(models_dir):
        if folder.name not in known:
            metadata = read_json(folder / METADATA_FILE, "delete or retrain this version")
            known[folder.name] = entry_from({**metadata, "version": folder.name})
    registry["versions"] = dict(sorted(known.items(), key=lambda item: version_key(Path(item[0]))))
    _set_stages(registry)
    return registry


def _parse(path: Path) -> dict[str, Any]:
    fix = (
        f"restore it from a backup, or delete it and run `models list` to rebuild it from the "
        f"version folders (production stays the one {LATEST_FILE} names)"
    )
    try:
        registry = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RegistryError(f"{path} is not valid JSON ({error}); {fix}") from None
    if not (
        isinstance(registry, dict)
        and isinstance(registry.get("versions"), dict)
        and isinstance(registry.get("production_history"), list)
        and all(isinstance(entry, dict) for entry in registry["versions"].values())
    ):
        raise RegistryError(f"{path} lacks its 'versions' or 'production_history'; {fix}")
    return registry


def _set_stages(registry: dict[str, Any]) -> None:
    """Stages follow the production history: its top is production, a demoted one archived."""
    current = production(registry)
    for name, entry in registry["versions"].items():
        if name == current:
            entry["stage"] = PRODUCTION
        elif entry.get("stage") == PRODUCTION:
            entry["stage"] = ARCHIVED


def production(registry: dict[str, Any]) -> str | None:
    """The production version's name (None before any version passed the gate)."""
    history = registry["production_history"]
    return history[-1]["version"] if history else None


def previous_production(registry: dict[str, Any]) -> str | None:
    """The version `models rollback` returns to (None when there is none)."""
    history = registry["production_history"]
    return history[-2]["version"] if len(history) > 1 else None


def entry(registry: dict[str, Any], version: str) -> dict[str, Any]:
    """One version's record; an unknown version is an error that lists the known ones."""
    found = registry["versions"].get(version)
    if found is None:
        known = ", ".join(registry["versions"]) or "none yet (run `make train`)"
        raise ModelNotFoundError(f"no model version '{version}'; known versions: {known}")
    return found


# --- writing --------------------------------------------------------------------------------
@contextmanager
def update(models_dir: Path) -> Iterator[dict[str, Any]]:
    """Lock, read, let the caller change the registry, then write it and latest.json atomically."""
    models_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(models_dir / LOCK_FILE), timeout=LOCK_TIMEOUT_SECONDS)
    try:
        lock.acquire()
    except Timeout:
        raise RegistryError(
            f"another command has been changing {models_dir} for {LOCK_TIMEOUT_SECONDS:.0f} s; "
            "wait for it to finish and try again"
        ) from None
    try:
        registry = read(models_dir)
        yield registry
        _set_stages(registry)
        write_json(registry, models_dir / REGISTRY_FILE)
        current = production(registry)
        if current is not None:
            write_json({"version": current}, models_dir / LATEST_FILE)
    finally:
        lock.release()


def record_gate(models_dir: Path, version: str, gate: dict[str, Any]) -> None:
    """Keep the gate's verdict (and the champion comparison) with the version."""
    with update(models_dir) as registry:
        entry(registry, version)["gate"] = {**gate, "at": now()}


def set_production(models_dir: Path, version: str, reason: str) -> None:
    """Make `version` production; the one it replaces becomes archived."""
    if not (models_dir / version / METADATA_FILE).is_file():
        raise RegistryError(
            f"{models_dir / version} is missing or damaged: it cannot be production"
        )
    with update(models_dir) as registry:
        entry(registry, version)
        if production(registry) == version:
            return
        registry["production_history"].append({"version": version, "at": now(), "by": reason})
    log.info("model %s is now production (%s)", version, reason)


def rollback(models_dir: Path) -> tuple[str, str]:
    """Return production to the previous production version; (from, to)."""
    with update(models_dir) as registry:
        current, previous = production(registry), previous_production(registry)
        if current is None or previous is None:
            raise RegistryError(
                "no previous production version to roll back to; `models list` shows the "
                "versions, `models promote VERSION` makes one production"
            )
        if not (models_dir / previous).is_dir():
            raise RegistryError(
                f"the previous production version {previous} was deleted; "
                "`models promote VERSION` makes another version production"
            )
        registry["production_history"].pop()
        registry["versions"][current]["stage"] = ARCHIVED
    return current, previous
