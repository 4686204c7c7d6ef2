"""The prediction log: every answered request as one JSON line, for `monitor` to read.

A line holds the time (UTC), the request id, the model version, the request's input rows and
its predictions. The request only puts these objects on a queue (no formatting, no disk): a
background thread turns them into JSON and writes them with the standard library's
RotatingFileHandler, which renames the file once it reaches `monitor.prediction_log.max_mb`
and keeps `backups` old ones. If the disk cannot keep up, records are dropped (and counted in
the server's log) rather than slowing the API or filling its memory.

A rotating file must have one writer, so each server process writes its own file: it claims
the first free slot with a lock held for its lifetime (released by the system when the process
ends, however it ends). Slot 0 writes `path` itself, slot k writes `<name>-k<suffix>` beside it,
so `serve --workers N` (or two servers) keep N capped files and a restarted worker reuses a slot.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
import uuid
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from .config import PredictionLogConfig
from .errors import ConfigError

log = logging.getLogger(__name__)

#: Records waiting to be written at most; more are dropped (the disk is not keeping up).
QUEUE_LIMIT = 10_000
MAX_SLOTS = 256
#: A client's own X-Request-ID is kept if it looks like an id; else one is made up.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id(given: str | None) -> str:
    return given if given and REQUEST_ID.match(given) else uuid.uuid4().hex


def slot_path(path: Path, slot: int) -> Path:
    return path if slot == 0 else path.with_name(f"{path.stem}-{slot}{path.suffix}")


def log_files(path: Path) -> list[Path]:
    """Every file of the log, rotated ones included, oldest first (by modification time)."""
    pattern = re.compile(rf"^{re.escape(path.stem)}(-\d+)?{re.escape(path.suffix)}(\.\d+)?$")
    if not path.parent.is_dir():
        return []
    found = [item for item in path.parent.iterdir() if pattern.match(item.name)]
    return sorted((item for item in found if item.is_file()), key=lambda item: item.stat().st_mtime)


def as_record(
    stamp: float, request: str, version: str, rows: list[dict[str, Any]], output: Any
) -> dict[str, Any]:
    """One line of the log; the time in UTC, to the millisecond."""
    moment = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))
    return {
        "time": f"{moment}.{int(stamp % 1 * 1000):03d}Z",
        "request_id": request,
        "model_version": version,
        "inputs": rows,
        "predictions": output.tolist() if hasattr(output, "tolist") else list(output),
    }


class _Handler(RotatingFileHandler):
    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        log.warning("cannot write the prediction log %s (the record is lost)", self.baseFilename)


class PredictionLog:
    """The writer of one server process: `record` on the request path, the rest in a thread."""

    def __init__(self, path: Path, settings: PredictionLogConfig) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._lock, slot = self._claim_slot(path)
            self.path = slot_path(path, slot)
            max_bytes = int(settings.max_mb * 1_000_000)
            self._handler = _Handler(
                self.path, maxBytes=max_bytes, backupCount=settings.backups, encoding="utf-8"
            )
        except OSError as error:
            where = f" ({error.strerror}: {error.filename})" if error.filename else f" ({error})"
            raise ConfigError(
                f"cannot write the prediction log {path}{where}; change "
                "monitor.prediction_log.path, or set monitor.prediction_log.enabled: false"
            ) from None
        self._queue: queue.Queue[tuple[Any, ...] | None] = queue.Queue(QUEUE_LIMIT)
        self.dropped = 0
        self._thread = threading.Thread(target=self._write, name="prediction-log", daemon=True)
        self._thread.start()
        log.info("logging predictions to %s", self.path)

    @staticmethod
    def _claim_slot(path: Path) -> tuple[FileLock, int]:
        for slot in range(MAX_SLOTS):
            lock = FileLock(str(path.parent / f".{path.name}.{slot}.lock"), timeout=0)
            try:
                lock.acquire()
            except Timeout:
                continue
            return lock, slot
        raise OSError(f"{MAX_SLOTS} processes already write the prediction log {path}")

    def record(self, request: str, version: str, rows: list[dict[str, Any]], output: Any) -> None:
        """Queue one request's record (no JSON here: that is the writer thread's job)."""
        try:
            self._queue.put_nowait((time.time(), request, version, rows, output))
        except queue.Full:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.warning("prediction log behind: %d record(s) dropped so far", self.dropped)

    def _write(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                text = json.dumps(as_record(*item), default=str, separators=(",", ":"))
            except (TypeError, ValueError) as error:  # a value JSON cannot hold: skip the record
                log.warning("prediction log: record not written (%s)", error)
                continue
            self._handler.emit(logging.makeLogRecord({"msg": text}))

    def close(self) -> None:
        """Write what is queued, then close the file and free the slot."""
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._handler.close()
        self._lock.release()
