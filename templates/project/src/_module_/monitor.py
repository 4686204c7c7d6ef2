"""The `monitor` step: have live inputs drifted from what the model was trained on?

It compares the inputs and predictions in the prediction log (or in a CSV/Parquet file) with
the reference statistics saved with the model version (reference.py), column by column
(drift.py), and writes reports/drift.json, a readable reports/drift.md and a chart,
reports/drift.png. The command exits with DRIFT_EXIT_CODE when anything drifted, so that cron
or CI can act on it; 0 otherwise, including when there are too few rows for a verdict.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pandas as pd

from . import drift, monitor_input, plots
from .artifact import promoted_version, read_metadata, write_json
from .config import Config
from .predict import Predictor
from .reference import load_reference
from .registry import now
from .tables import read_table

log = logging.getLogger(__name__)

#: Exit code of `monitor` when something drifted (1 is an error, 2 a bad command line).
DRIFT_EXIT_CODE = 3
DRIFT_JSON, DRIFT_MARKDOWN, DRIFT_PLOT = "drift.json", "drift.md", "drift.png"


def file_inputs(path: Path, folder: Path, columns: list[str]) -> tuple[pd.DataFrame, pd.Series]:
    """A file's rows, and their predictions: its `prediction` column (as `predict` writes it),
    else the model's predictions of its rows."""
    frame = read_table(path)
    monitor_input.check_columns(frame, columns, str(path))
    if "prediction" in frame.columns:
        return frame, frame["prediction"]
    predicted = Predictor.load(folder).predict(frame[columns]).predictions
    return frame, pd.Series(predicted, index=frame.index)


def run(
    cfg: Config, input_path: Path | None, since: str | None, folder: Path | None
) -> dict[str, Any]:
    """Compare, write the reports, and return what drift.compare found (plus where from)."""
    folder = folder or promoted_version(cfg.models_dir)
    metadata = read_metadata(folder)
    reference = load_reference(folder)
    columns = [column["name"] for column in metadata["input_schema"]]
    if input_path is not None:
        if since is not None:
            log.warning("--since applies to the prediction log, not to --input: ignored")
        inputs, predictions = file_inputs(input_path, folder, columns)
        source = str(input_path)
    else:
        start = monitor_input.parse_since(since) if since else None
        inputs, predictions = monitor_input.logged(cfg.prediction_log_path, folder.name, start)
        monitor_input.check_columns(inputs, columns, "the prediction log")
        source = str(cfg.prediction_log_path) + (
            f" since {start:%Y-%m-%d %H:%M} UTC" if start else ""
        )
    result = drift.compare(reference, inputs, predictions, cfg.monitor)
    result = {
        "model_version": folder.name,
        "source": source,
        "checked_at": now(),
        "reference_rows": reference["rows"],
        "thresholds": cfg.monitor.model_dump(exclude={"prediction_log"}),
        **result,
    }
    write_reports(result, cfg.reports_dir)
    return result


def write_reports(result: dict[str, Any], reports_dir: Path) -> None:
    write_json(result, reports_dir / DRIFT_JSON)
    markdown = reports_dir / DRIFT_MARKDOWN
    markdown.write_text(as_markdown(result), encoding="utf-8")
    plots.plot_drift(
        result["columns"], result["thresholds"]["psi_threshold"], reports_dir / DRIFT_PLOT
    )
    log.info("wrote %s, %s and %s", reports_dir / DRIFT_JSON, markdown, reports_dir / DRIFT_PLOT)


def summary(result: dict[str, Any]) -> str:
    """The verdict in one line."""
    rows, version = result["rows"], result["model_version"]
    if not result["enough_rows"]:
        needed = result["thresholds"]["min_rows"]
        return (
            f"too few rows for a verdict: {rows} (monitor.min_rows is {needed}); no drift claimed"
        )
    if not result["drifted"]:
        return f"no drift: {rows} rows compared with model {version}'s training data"
    details = "; ".join(
        f"{name} ({', '.join(result['columns'][name]['drift_reasons'])})"
        for name in result["drifted"]
    )
    return f"drift in {len(result['drifted'])} column(s) over {rows} rows: {details}"


def _cell(value: Any, pattern: str = "{:.3g}") -> str:
    return "" if value is None else pattern.format(value)


def _text(value: str) -> str:
    """Text safe in a Markdown table cell."""
    return value.replace("|", "\\|").replace("\n", " ")


def as_markdown(result: dict[str, Any]) -> str:
    """reports/drift.md: the verdict, then one table row per column."""
    limits = result["thresholds"]
    lines = [
        f"# Drift report: model {result['model_version']}",
        "",
        f"**{summary(result)}**",
        "",
        f"Compared {result['rows']} rows of {result['source']} with "
        f"{result['reference_rows']} training rows on {result['checked_at']}.",
        f"A column drifts when its PSI is at least {limits['psi_threshold']:g} and its test's "
        f"p-value is under {result['alpha_per_test']:.2g} (alpha {limits['alpha']:g} shared by "
        f"the tests), when its missing rate moves by more than {limits['max_missing_change']:.0%}, "
        f"or when more than {limits['max_unseen_share']:.0%} of its values were never seen.",
        "",
        "![PSI of each column](drift.png)",
        "",
        "| column | kind | rows | PSI | test | p-value | missing (train -> now) | unseen | drift |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, column in result["columns"].items():
        missing = f"{column['reference_missing_rate']:.1%} -> {column['missing_rate']:.1%}"
        unseen = _text(", ".join(column.get("unseen", [])[:5]))
        verdict = "; ".join(column["drift_reasons"]) or "no"
        lines.append(
            f"| {_text(name)} | {column['kind']} | {column['rows']} | {_cell(column.get('psi'))} | "
            f"{column.get('test', 'not tested')} | {_cell(column.get('p_value'), '{:.2g}')} | "
            f"{missing} | {unseen} | {verdict} |"
        )
    return "\n".join(lines) + "\n"
