"""model_card.md: a version described for a reader who will decide whether to use it.

Written beside each version from its metadata when it is trained, and again when the gate has
judged it, so the card always says what the registry says: the data it learnt from, its
features, its scores next to the dummy baseline, the gate's verdict, its files (with their
sha256 and what reads each: joblib and the exports), what it is meant for and
where it should not be trusted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CARD_FILE = "model_card.md"


def _score(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, int | float) else "n/a"


def _metrics(metadata: dict[str, Any]) -> list[str]:
    metrics = metadata.get("metrics", {})
    holdout, baseline = metrics.get("holdout") or {}, metrics.get("baseline") or {}
    lines = ["| metric | model (test split) | dummy baseline |", "|---|---|---|"]
    for name, value in holdout.items():
        lines.append(f"| {name} | {_score(value)} | {_score(baseline.get(name))} |")
    return lines


def _features(metadata: dict[str, Any]) -> list[str]:
    lines = []
    for column in metadata.get("input_schema", []):
        detail = column.get("kind", "?")
        if column.get("categories") is not None:
            detail += f", {len(column['categories'])} categories seen"
        lines.append(f"- `{column.get('name')}` ({detail})")
    dropped = metadata.get("dropped_columns") or []
    if dropped:
        lines.append(f"- not used: {', '.join(f'`{name}`' for name in dropped)}")
    return lines


#: What reads each file a version may hold: the card says where the model can go.
READERS = {
    "joblib": "Python with this project installed (predict, serve)",
    "skops": "Python with skops; loads only trusted types (predict and serve use it when present)",
    "onnx": "onnxruntime, in any language (`serve.backend: onnx`)",
    "pmml": "a PMML engine such as JPMML, on the JVM",
}


def _files(metadata: dict[str, Any]) -> list[str]:
    artifact = metadata.get("artifact", {})
    records = {"joblib": artifact, **(metadata.get("exports") or {})}
    lines = ["| file | sha256 | read by |", "|---|---|---|"]
    for name, record in records.items():
        file, digest = record.get("file", "?"), record.get("sha256", "?")
        lines.append(f"| `{file}` | `{digest}` | {READERS.get(name, name)} |")
    return lines


def _gate(gate: dict[str, Any] | None) -> list[str]:
    if not gate:
        return ["Not evaluated yet: `make evaluate` checks it on the test split."]
    lines = ["Passed." if gate.get("passed") else "Refused:"]
    lines += [f"- {failure}" for failure in gate.get("failures", [])]
    champion = gate.get("champion")
    if champion:
        lines.append(f"Compared with production version {champion} on the same test split.")
    return lines


def model_card(metadata: dict[str, Any], gate: dict[str, Any] | None = None) -> str:
    """The card's Markdown text."""
    data = metadata.get("data", {})
    train, test = data.get("train", {}), data.get("test", {})
    model = metadata.get("model", {})
    task, target = metadata.get("task"), metadata.get("target")
    sections = [
        [f"# Model card: {metadata.get('version')}", ""],
        [
            f"A {task} model ({model.get('estimator')}, `model.name: {model.get('name')}`) that "
            f"predicts `{target}`; trained {metadata.get('created_at')} from commit "
            f"{metadata.get('git_commit') or 'unknown'}.",
        ],
        ["## Data", f"- raw data: `{data.get('raw_file')}` (sha256 {data.get('raw_sha256')})"]
        + [
            f"  - `{raw.get('file')}`: {raw.get('rows')} rows (sha256 {raw.get('sha256')})"
            for raw in data.get("raw_files") or []
            if len(data.get("raw_files") or []) > 1
        ]
        + [
            f"- {name} split: {split.get('rows')} rows (sha256 {split.get('sha256')})"
            for name, split in (("train", train), ("test", test))
        ],
        ["## Features", *_features(metadata)],
        ["## Metrics", *_metrics(metadata)],
        ["## Validation gate", *_gate(gate)],
        ["## Files", *_files(metadata)],
        [
            "## Intended use",
            f"Predicting `{target}` for rows like those of the training data, through this "
            "project's batch prediction or API, which check each row against the input schema.",
        ],
        [
            "## Limits",
            "- Scores hold for data drawn like the test split; other populations, later periods "
            "or unseen categories may score worse.",
            "- Unseen categories are encoded as unknown, and missing values are imputed.",
            "- It learnt correlations, not causes: do not read its predictions as effects of "
            "changing an input.",
        ],
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"


def write_model_card(
    folder: Path, metadata: dict[str, Any], gate: dict[str, Any] | None = None
) -> Path:
    """Write (or rewrite) model_card.md in a version's folder."""
    path = folder / CARD_FILE
    partial = folder / f".{CARD_FILE}.tmp"
    partial.write_text(model_card(metadata, gate), encoding="utf-8")
    partial.replace(path)
    return path
