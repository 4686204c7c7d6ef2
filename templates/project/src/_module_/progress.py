"""The progress line of a long batch run: rows done, rows per second, and the time left.

On a terminal it is one line on stderr, redrawn in place by rich (installed with typer, whose
help pages it draws); elsewhere (a log file, CI) it is an INFO log line at most every
`LOG_EVERY` seconds. A run shorter than `DELAY` seconds shows nothing, and so does `-q`. The
time left is measured in work known in advance (a CSV file's bytes, a Parquet file's rows), so
it is estimated before the rows are counted. rich is imported only once a run lasts `DELAY`.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

log = logging.getLogger(__name__)

#: Runs shorter than this many seconds show no progress.
DELAY = 2.0
#: Without a terminal, at most one progress line in the log per this many seconds.
LOG_EVERY = 10.0


def summary(rows: int, fraction: float, elapsed: float) -> str:
    """'1,200,000 rows, 98,000 rows/s, about 0:00:08 left', from the share of the work done."""
    rate = rows / elapsed if elapsed > 0 else 0.0
    if fraction <= 0:
        left = "time left unknown"
    else:
        seconds = elapsed * (1 - min(fraction, 1.0)) / fraction
        left = f"about {timedelta(seconds=round(seconds))} left"
    return f"{rows:,} rows, {rate:,.0f} rows/s, {left}"


class ProgressLine:
    """Call `update` after each chunk, with the rows and the units of work (of `total`) done.

    `clock` and `console` are for tests: a fake clock, and a rich Console that says whether
    stderr is a terminal (by default, rich decides as it does for its own output).
    """

    def __init__(
        self,
        total: int,
        clock: Callable[[], float] = time.monotonic,
        console: Console | None = None,
    ) -> None:
        self.total, self.clock, self.console = max(total, 1), clock, console
        self.started = clock()
        self.shown = log.isEnabledFor(logging.INFO)
        self.display: Progress | None = None
        self.terminal: bool | None = None  # decided when the first line is due
        self.logged_at: float | None = None
        self.moved: list[tuple[logging.StreamHandler[Any], Any]] = []

    def update(self, rows: int, done: int) -> None:
        elapsed = self.clock() - self.started
        if not self.shown or elapsed < DELAY:
            return
        line = summary(rows, done / self.total, elapsed)
        if self.terminal is None:
            self.terminal = self._start_display()
        if self.display is not None:
            self.display.update(self.display.task_ids[0], completed=done, line=line, refresh=True)
        elif self.logged_at is None or elapsed - self.logged_at >= LOG_EVERY:
            log.info("predicted %s", line)
            self.logged_at = elapsed

    def _start_display(self) -> bool:
        """Start the in-place line when stderr is a terminal; False when it is not."""
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn

        console = self.console or Console(stderr=True)
        if not console.is_terminal or console.is_dumb_terminal:
            return False
        columns = (TextColumn("predicting"), BarColumn(), TextColumn("{task.fields[line]}"))
        self.display = Progress(*columns, console=console, auto_refresh=False, transient=True)
        self.display.add_task("predicting", total=self.total, line="")
        stderr = sys.stderr
        self.display.start()  # from here on, sys.stderr prints above the line
        # Log lines go to the stream that was stderr when logging was set up: send them
        # through rich too, so that a warning never lands in the middle of the line.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is stderr:
                self.moved.append((handler, handler.setStream(sys.stderr)))
        return True

    def close(self) -> None:
        """Remove the line (the run's last log line says how it went) and restore logging."""
        if self.display is not None:
            for handler, stream in self.moved:
                handler.setStream(stream)
            self.display.stop()
            self.display = None

    def __enter__(self) -> ProgressLine:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()
