"""`models prune --keep N`: delete old versions, never the ones a rollback may need.

A version of a large forest can take hundreds of MB, and training never deletes one. Pruning
keeps the N newest versions, and always the production version and the previous production
version (where `models rollback` goes), then says how much space it freed. It also removes
the half-written folders of trainings that were killed (artifact.remove_abandoned).
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from . import registry
from .artifact import remove_abandoned
from .errors import RegistryError

log = logging.getLogger(__name__)


def folder_size(folder: Path) -> int:
    """Bytes used by the files under `folder`."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def prune(models_dir: Path, keep: int) -> tuple[list[str], int]:
    """Delete all but the `keep` newest versions and the protected ones; (deleted, bytes freed)."""
    if keep < 1:
        raise RegistryError(f"--keep must be 1 or more (got {keep}): how many versions to keep")
    freed = remove_abandoned(models_dir)
    with registry.update(models_dir) as record:
        protected = {registry.production(record), registry.previous_production(record)}
        names = list(record["versions"])  # oldest first
        doomed = [name for name in names[: max(len(names) - keep, 0)] if name not in protected]
        for name in doomed:
            folder = models_dir / name
            if folder.is_dir():
                freed += folder_size(folder)
                shutil.rmtree(folder)
            del record["versions"][name]
        # Older production versions that are gone can no longer be rolled back to.
        record["production_history"] = [
            step for step in record["production_history"] if step["version"] not in doomed
        ]
    for name in doomed:
        log.info("deleted model %s", name)
    return doomed, freed
