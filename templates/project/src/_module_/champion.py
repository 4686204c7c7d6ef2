"""Champion and challenger: a new model must not be worse than the production one.

Passing the thresholds says a model is good enough; it does not say it is better than the one
already serving. So `evaluate` also scores the production model (the champion) on the same test
split as the new one (the challenger) and refuses the challenger when its primary metric is worse
by more than `gate.tolerance`. The other metrics are shown for the reader, not judged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from .artifact import file_sha256, promoted_version
from .config import Config
from .errors import PipelineError
from .metrics import METRICS, Scores, compute_metrics, format_metric
from .predict import Predictor
from .sources import read_record
from .threads import single_thread_if_small

log = logging.getLogger(__name__)


@dataclass
class Comparison:
    """The champion's and the challenger's scores on the same rows, and the verdict."""

    champion: str
    metric: str
    tolerance: float
    champion_scores: Scores
    challenger_scores: Scores
    higher_is_better: bool

    def shortfall(self) -> float | None:
        """How much worse the challenger is on the primary metric (negative: better)."""
        mine, theirs = (
            self.challenger_scores.get(self.metric),
            self.champion_scores.get(self.metric),
        )
        if mine is None or theirs is None:
            return None
        return theirs - mine if self.higher_is_better else mine - theirs

    def failure(self) -> str | None:
        """Why the challenger is refused (None: it may replace the champion)."""
        gap = self.shortfall()
        if gap is None or gap <= self.tolerance:
            return None
        mine = format_metric(self.challenger_scores.get(self.metric))
        theirs = format_metric(self.champion_scores.get(self.metric))
        return (
            f"{self.metric} = {mine} is worse than production model {self.champion}'s {theirs} "
            f"by {gap:.4f}, more than gate.tolerance = {self.tolerance}"
        )

    def table(self) -> str:
        """metric, champion, challenger, difference, tolerance, verdict: one row per metric."""
        rows = [
            [
                "metric",
                f"champion {self.champion}",
                "challenger",
                "difference",
                "tolerance",
                "verdict",
            ]
        ]
        for name, mine in self.challenger_scores.items():
            theirs = self.champion_scores.get(name)
            difference = "n/a" if mine is None or theirs is None else f"{mine - theirs:+.4f}"
            if name != self.metric:
                verdict, tolerance = "not judged", ""
            else:
                verdict = "worse: refused" if self.failure() else "not worse: passed"
                tolerance = f"{self.tolerance}"
            rows.append(
                [name, format_metric(theirs), format_metric(mine), difference, tolerance, verdict]
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        return "\n".join(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows
        )


def holdout_scores(cfg: Config, predictor: Predictor, test: pd.DataFrame) -> Scores:
    """A predictor's scores on the test split, through the same loader batch and the API use."""
    inputs = test[[name for name in test.columns if name in predictor.columns]]
    with single_thread_if_small(len(test)):
        result = predictor.predict(inputs)
    return compute_metrics(
        cfg.task, test[cfg.data.target], result.predictions, result.probabilities, predictor.classes
    )


def same_test_rows(seen: dict[str, Any], now: dict[str, Any] | None) -> bool:
    """Whether no test row of today's split was among a model's training rows, though the split
    changed: same split settings, and each of today's files either one the model saw (the same
    bytes and rows kept) or one it never saw. Each file is split on its own (splits.py), so a
    file it saw gives the test rows it was tested on."""
    files = seen.get("raw_files")
    if not files or now is None or seen.get("split") != now.get("split"):
        return False
    names, hashes = {raw.get("file") for raw in files}, {raw.get("sha256") for raw in files}
    return all(
        raw in files or (raw.get("file") not in names and raw.get("sha256") not in hashes)
        for raw in now.get("raw_files", [])
    )


def challenge(
    cfg: Config, challenger: str, scores: Scores, test: pd.DataFrame
) -> Comparison | None:
    """Compare `challenger` with the production model (None: there is none to compare with)."""
    try:
        folder: Path = promoted_version(cfg.models_dir)
    except PipelineError:
        return None  # no production model yet: the thresholds alone decide
    if folder.name == challenger:
        return None
    try:
        champion = Predictor.load(folder, cfg=cfg)
    except PipelineError as error:
        log.warning("production model %s cannot be loaded (%s): not compared", folder.name, error)
        return None
    trained = (champion.metadata.get("task"), champion.metadata.get("target"))
    if trained != (cfg.task, cfg.data.target):
        log.warning("production model %s predicts another target: not compared", folder.name)
        return None
    seen = champion.metadata.get("data", {})
    tested = seen.get("test", {}).get("sha256")
    if (
        tested
        and tested != file_sha256(cfg.test_path)
        and not same_test_rows(seen, read_record(cfg))
    ):
        log.warning(
            "production model %s was trained on another split: some of today's test rows may "
            "have been in its training data, which flatters its scores",
            folder.name,
        )
    primary = cfg.gate.primary_metric
    return Comparison(
        champion=folder.name,
        metric=primary,
        tolerance=cfg.gate.tolerance,
        champion_scores=holdout_scores(cfg, champion, test),
        challenger_scores=scores,
        higher_is_better=METRICS[cfg.task][primary],
    )
