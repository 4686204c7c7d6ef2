"""The prediction log: every answered request as one JSON line, for `monitor` to read.

A line holds the time (UTC), the request id, the model version, the request's input rows and
its predictions. A request only appends these objects to a list (no JSON, no disk, no thread to
wake); a background thread takes the whole list twice a second (FLUSH_SECONDS), turns it into
JSON lines and appends them in one write. Waking the writer once per request, and writing each
line on its own, cost several per cent of the API's throughput at saturation: the threads took
turns holding the interpreter for every request.

At most MAX_PENDING_ROWS rows wait: beyond, records are dropped and counted in the server's
log rather than slowing the API or filling its memory. A file that cannot be written (disk
full, folder gone) never fails a request: the error is logged once, its records are counted as
lost, and writing starts again when it can. Stopping the server writes what is waiting.

A rotating file must have one writer, so each server process writes its own file: it claims
the first free slot with a lock held for its lifetime (released by the system when the process
ends, however it ends). Slot 0 writes `path` itself, slot k writes `<name>-k<suffix>` beside it,
so `serve --workers N` (or two servers) keep N capped files and a restarted worker reuses a slot.
"""

from __future__ import annotations

import json
import logging
import os
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Any, BinaryIO

from filelock import FileLock, Timeout

from .config import PredictionLogConfig
from .errors import ConfigError

log = logging.getLogger(__name__)

#: Seconds between two writes of the waiting records (and at most lost if the process is killed).
FLUSH_SECONDS = 0.5
#: Rows waiting to be written at most; more are dropped (the disk is not keeping up).
MAX_PENDING_ROWS = 50_000
#: Dropped records are reported at most this often, in seconds.
DROP_REPORT_SECONDS = 60.0
#: Seconds that stopping the server waits for the last records to be written.
CLOSE_TIMEOUT = 30.0
MAX_SLOTS = 256
#: A client's own X-Request-ID is kept if it looks like an id; else one is made up.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
#: ASCII JSON (non-ASCII text escaped, so a line's characters are its bytes), made once.
ENCODER = json.JSONEncoder(default=str, separators=(",", ":"))

#: What a request leaves for the writer: time, request id, model version, rows, predictions.
Pending = tuple[float, str, str, list[dict[str, Any]], Any]


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


def as_line(item: Pending) -> bytes:
    """A record as one line of JSON, as bytes."""
    return (ENCODER.encode(as_record(*item)) + "\n").encode()


def unwritable(path: Path, error: OSError) -> ConfigError:
    """The one line that stops the server when the log cannot be written at all."""
    where = f" ({error.strerror}: {error.filename})" if error.filename else f" ({error})"
    return ConfigError(
        f"cannot write the prediction log {path}{where}; change "
        "monitor.prediction_log.path, or set monitor.prediction_log.enabled: false"
    )


class RotatingFile:
    """An append-only file of whole lines, cut at `max_bytes`: the full file becomes
    `<name>.1`, older ones move up to `<name>.<backups>` and the oldest is deleted; with no
    backups, the file starts over.

    Not logging's RotatingFileHandler: it checks the size with two `stat` calls and formats a
    record twice for every line, and it never rotates with no backups (the file grows without
    limit). Lines are written many at a time, cut only where the next line would pass the cap.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups
        self._file: BinaryIO | None = path.open("ab")
        self._size = self._file.tell()
        #: Lines written since the start.
        self.lines = 0

    def write(self, lines: list[bytes]) -> None:
        """Append `lines`; an OSError leaves the lines written before it (`self.lines`) in the
        file, and the next write first cuts off what the failed one left of a line."""
        try:
            self._write(lines)
        except OSError:
            self._close()
            raise

    def _write(self, lines: list[bytes]) -> None:
        if self._file is None:
            self._reopen()
        start = 0
        while start < len(lines):
            stop, size = start, self._size
            while stop < len(lines) and size + len(lines[stop]) <= self.max_bytes:
                size += len(lines[stop])
                stop += 1
            if stop == start and self._size:
                self._rotate()
                continue
            if stop == start:  # a line longer than the cap: alone in a file
                stop, size = start + 1, len(lines[start])
            assert self._file is not None
            self._file.write(b"".join(lines[start:stop]))
            self._file.flush()
            self._size, self.lines, start = size, self.lines + stop - start, stop

    def _rotate(self) -> None:
        self._close()
        for number in range(self.backups, 0, -1):
            older = self._numbered(number - 1)
            if older.exists():
                os.replace(older, self._numbered(number))
        self._file, self._size = self.path.open("wb"), 0

    def _numbered(self, number: int) -> Path:
        return self.path if number == 0 else self.path.with_name(f"{self.path.name}.{number}")

    def _reopen(self) -> None:
        file = self.path.open("ab")
        if file.tell() > self._size:
            file.truncate(self._size)
        self._file, self._size = file, min(file.tell(), self._size)

    def _close(self) -> None:
        file, self._file = self._file, None
        if file is not None:
            try:
                file.close()
            except OSError:  # what it had buffered is lost, as the caller is told
                pass

    def close(self) -> None:
        self._close()


class PredictionLog:
    """The writer of one server process: `record` on the request path, the rest in a thread."""

    def __init__(
        self,
        path: Path,
        settings: PredictionLogConfig,
        *,
        interval: float = FLUSH_SECONDS,
        max_pending_rows: int = MAX_PENDING_ROWS,
    ) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._lock, slot = self._claim_slot(path)
        except OSError as error:
            raise unwritable(path, error) from None
        self.path = slot_path(path, slot)
        try:
            self._file = RotatingFile(self.path, int(settings.max_mb * 1_000_000), settings.backups)
        except OSError as error:
            self._lock.release()
            raise unwritable(path, error) from None
        self.interval, self.max_pending_rows = interval, max_pending_rows
        self._pending: list[Pending] = []
        self._pending_rows = 0
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        #: Records dropped because too many rows waited, and records a write error lost.
        self.dropped = self.lost = 0
        self._reported_drops, self._reported_at = 0, float("-inf")
        self._failing = False
        self._thread = threading.Thread(target=self._run, name="prediction-log", daemon=True)
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
        """Leave one request's record for the writer: no JSON and no disk here, and no wait."""
        item = (time.time(), request, version, rows, output)
        with self._guard:  # a request larger than the bound is kept when nothing waits
            if self._pending and self._pending_rows + len(rows) > self.max_pending_rows:
                self.dropped += 1
                return
            self._pending.append(item)
            self._pending_rows += len(rows)
            early = self._pending_rows * 2 >= self.max_pending_rows
        if early and not self._wake.is_set():  # a burst: write before the list is full
            self._wake.set()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self.interval)
            self._wake.clear()
            self._flush()
        self._flush()

    def _flush(self) -> None:
        """Write every waiting record, in one go."""
        with self._guard:
            batch, self._pending, self._pending_rows = self._pending, [], 0
        self._report_drops()
        if not batch:
            return
        lines = []
        for item in batch:
            try:
                lines.append(as_line(item))
            except (TypeError, ValueError) as error:  # a value JSON cannot hold: skip the record
                log.warning("prediction log: record %s not written (%s)", item[1], error)
        before = self._file.lines
        try:
            self._file.write(lines)
        except OSError as error:
            self._failed(error, len(lines) - (self._file.lines - before))
            return
        if self._failing:
            self._failing = False
            log.warning("prediction log %s written again (%d record(s) lost)", self.path, self.lost)

    def _failed(self, error: OSError, lost: int) -> None:
        """Count the lost records; say so once, until a write succeeds again."""
        self.lost += lost
        if not self._failing:
            self._failing = True
            log.error(
                "cannot write the prediction log %s (%s): its records are lost until it can be "
                "written again; the API answers as usual",
                self.path,
                error.strerror or error,
            )

    def _report_drops(self, force: bool = False) -> None:
        now = time.monotonic()
        if self.dropped > self._reported_drops and (
            force or now - self._reported_at >= DROP_REPORT_SECONDS
        ):
            log.warning(
                "prediction log behind: %d record(s) dropped so far (more than %d rows waited "
                "to be written)",
                self.dropped,
                self.max_pending_rows,
            )
            self._reported_drops, self._reported_at = self.dropped, now

    def close(self) -> None:
        """Write what is waiting, then close the file and free the slot."""
        self._stopping = True
        self._wake.set()
        self._thread.join(timeout=CLOSE_TIMEOUT)
        if self._thread.is_alive():
            log.error("prediction log: stopped before its last records were written")
        self._report_drops(force=True)
        self._file.close()
        self._lock.release()
