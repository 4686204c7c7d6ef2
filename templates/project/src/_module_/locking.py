"""One pipeline run at a time: the data, train, evaluate and retrain steps of a project take a
lock (data/processed/.pipeline.lock, from the `filelock` library), so that two runs never mix
their files.

Without it, two retrains (or `make all` while a scheduled retrain runs) could interleave: one
writes train.csv, the other test.csv from other data, and a model is trained on rows it is then
tested on. The registry has its own, shorter lock (registry.py) for the commands that only
change models/registry.json.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from .config import Config
from .errors import PipelineBusy

log = logging.getLogger(__name__)

LOCK_FILE = ".pipeline.lock"


@contextmanager
def pipeline_lock(cfg: Config, wait: bool = True) -> Iterator[Config]:
    """Hold the project's pipeline lock (for the run of `cfg`, which is yielded back); when
    another run holds it, wait for it (saying so), or, with `wait=False` (a scheduled retrain),
    raise `PipelineBusy` at once."""
    cfg.processed_dir.mkdir(parents=True, exist_ok=True)
    path = cfg.processed_dir / LOCK_FILE
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise PipelineBusy(
                f"another data, train, evaluate or retrain run of this project is running (it "
                f"holds {path}); this one did nothing: run it again once that one has finished"
            ) from None
        log.info("waiting for another run of this project to finish (it holds %s)", path)
        lock.acquire()
    try:
        yield cfg
    finally:
        lock.release()
