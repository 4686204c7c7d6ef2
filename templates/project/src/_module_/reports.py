"""Each model version's reports, and the served version's copy in reports/.

Training writes a version's metrics and figures into that version's folder (models/<version>/),
and evaluation adds the gate's verdict there. So a model that the gate refuses never overwrites
what the served model reported, and any two versions can be compared side by side. reports/
always shows the served (promoted) version: it is refreshed when a version is promoted, and only
then.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

from . import registry
from .artifact import METADATA_FILE

log = logging.getLogger(__name__)

#: Inside models/<version>/, and mirrored in reports/ for the served version.
METRICS_FILE = "metrics.json"
EVALUATION_FILE = "evaluation.json"
FIGURES_DIR = "figures"


def _copy(source: Path, destination: Path) -> None:
    """Copy through a temporary name, so a reader never sees a half-written report."""
    partial = destination.with_name(f".{destination.name}.tmp")
    shutil.copyfile(source, partial)
    partial.replace(destination)


def publish(folder: Path, reports_dir: Path) -> None:
    """Make reports/ show the version in `folder`: its metrics, evaluation and figures.

    Figures of the previously served version that this one does not have (e.g. after a change
    of task) are removed, so reports/figures never mixes two versions.
    """
    figures = reports_dir / FIGURES_DIR
    figures.mkdir(parents=True, exist_ok=True)
    new_figures = sorted((folder / FIGURES_DIR).glob("*.png"))
    kept = {path.name for path in new_figures}
    for old in figures.glob("*.png"):
        if old.name not in kept:
            old.unlink()
    for path in new_figures:
        _copy(path, figures / path.name)
    for name in (METRICS_FILE, EVALUATION_FILE):
        if (folder / name).is_file():
            _copy(folder / name, reports_dir / name)
        else:
            (reports_dir / name).unlink(missing_ok=True)
    log.info("%s now shows model %s", reports_dir, folder.name)


def _read(path: Path) -> dict[str, Any]:
    """A report, or {} when it is missing or unreadable: a listing must not stop on one folder."""
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def summaries(models_dir: Path, metric: str) -> list[dict[str, Any]]:
    """One row per version in the registry, oldest first: its stage, its `metric` and the gate's
    verdict."""
    record = registry.read(models_dir)
    rows = []
    for name, entry in record["versions"].items():
        folder = models_dir / name
        metadata = _read(folder / METADATA_FILE)
        gate = _read(folder / EVALUATION_FILE).get("gate", {})
        holdout = metadata.get("metrics", {}).get("holdout", {})
        cv = metadata.get("metrics", {}).get("cv", {}).get(metric, {})
        verdict = "not evaluated" if not gate else "passed" if gate.get("passed") else "failed"
        data = metadata.get("data", {})
        rows.append(
            {
                "version": name,
                "stage": entry.get("stage") if folder.is_dir() else "missing",
                "model": metadata.get("model", {}).get("name"),
                "data": _data_name(data),
                "rows": data.get("train", {}).get("rows"),
                "cv": cv.get("mean"),
                "holdout": holdout.get(metric),
                "gate": verdict,
            }
        )
    return rows


def _data_name(data: dict[str, Any]) -> str | None:
    """The raw file's name; for several files, how many and the start of their sha256."""
    files = data.get("raw_files") or []
    if len(files) > 1:
        return f"{len(files)} files {str(data.get('raw_sha256'))[:8]}"
    return Path(data["raw_file"]).name if data.get("raw_file") else None


def format_summaries(rows: list[dict[str, Any]], metric: str) -> str:
    """The rows as an aligned text table; `*` marks the served (production) version."""
    header = [
        "",
        "version",
        "stage",
        "model",
        "data",
        "train rows",
        f"cv {metric}",
        f"holdout {metric}",
    ]
    header.append("gate")
    lines = [header]
    for row in rows:
        lines.append(
            [
                "*" if row["stage"] == registry.PRODUCTION else "",
                row["version"],
                row["stage"],
                str(row["model"] or "?"),
                str(row["data"] or "?"),
                str(row["rows"] or "?"),
                _number(row["cv"]),
                _number(row["holdout"]),
                row["gate"],
            ]
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _number(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, int | float) else "n/a"
