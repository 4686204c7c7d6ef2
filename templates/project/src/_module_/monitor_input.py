"""What `monitor` looks at: the prediction log (prediction_log.py), or a CSV/Parquet file.

Every problem is a `DataError` that says what to do: no log yet, an empty one, a line that is
not a record, records of other model versions only, a --since that is unreadable or in the
future, a file without the model's columns.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError
from .prediction_log import log_files

DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*([mhdw])$")
UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
RECORD_KEYS = ("time", "model_version", "inputs", "predictions")
#: datetime.UTC, which Python 3.10 lacks.
UTC = timezone(timedelta(0))


def iso_time(text: str) -> datetime:
    """An ISO 8601 date or time; a final Z (UTC) is read on Python 3.10 too."""
    text = text.strip()
    return datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A duration back from now (30m, 24h, 7d, 2w) or an ISO 8601 date or time (UTC if the zone
    is not given)."""
    now = now or datetime.now(UTC)
    found = DURATION.match(text.strip().lower())
    if found:
        return now - timedelta(**{UNITS[found.group(2)]: float(found.group(1))})
    try:
        moment = iso_time(text)
    except ValueError:
        raise DataError(
            f"--since {text!r} is neither a duration (30m, 24h, 7d, 2w) nor a date or time "
            "(2025-01-31, 2025-01-31T12:00:00Z)"
        ) from None
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment > now:
        raise DataError(f"--since {text} is in the future: nothing can have been logged since")
    return moment


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of one log file; a line that is not one is an error naming the line. A last
    line without its newline is being written by the server: it is left for the next run."""
    records = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip() or not line.endswith("\n"):
                continue
            try:
                record = json.loads(line)
            except ValueError:
                record = None
            if not isinstance(record, dict) or any(key not in record for key in RECORD_KEYS):
                raise DataError(
                    f"{path}:{number} is not a prediction record (a damaged or foreign line): "
                    "delete that line, or the file, and run monitor again"
                )
            records.append(record)
    return records


def logged(path: Path, version: str, since: datetime | None) -> tuple[pd.DataFrame, pd.Series]:
    """The inputs and predictions the API logged for `version` (since `since`)."""
    files = log_files(path)
    if not files:
        raise DataError(
            f"no prediction log at {path} yet: serve the model (make serve) with "
            "monitor.prediction_log.enabled, or compare a file with --input FILE"
        )
    records = [record for file in files for record in read_records(file)]
    if since is not None:
        records = [record for record in records if _time(record) >= since]
    if not records:
        when = f" since {since:%Y-%m-%d %H:%M} UTC" if since else ""
        raise DataError(f"the prediction log {path} has no predictions{when}; nothing to compare")
    mine = [record for record in records if record["model_version"] == version]
    if not mine:
        others = ", ".join(sorted({str(record["model_version"]) for record in records}))
        raise DataError(
            f"the prediction log has {len(records)} request(s), none answered by model {version} "
            f"(logged versions: {others}); pass --model-version with one of them"
        )
    inputs = pd.DataFrame([row for record in mine for row in record["inputs"]])
    predictions = pd.Series([value for record in mine for value in record["predictions"]])
    return inputs, predictions


def _time(record: dict[str, Any]) -> datetime:
    try:
        moment = iso_time(str(record["time"]))
    except ValueError:
        raise DataError(
            f"a prediction record has the time {record['time']!r}, which is not an ISO 8601 time"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_columns(frame: pd.DataFrame, columns: list[str], source: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise DataError(
            f"{source} lacks the model's column(s) {', '.join(missing)}; the model takes: "
            f"{', '.join(columns)}"
        )
