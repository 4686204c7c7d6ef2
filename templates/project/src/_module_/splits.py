"""The train/test split: a held-out test set that stays put when new data arrives.

Each raw file is split on its own, with `split.seed`: a new file adds its own train and test
rows and never moves the rows of the earlier files to the other side. So after a retrain, the
production model (the champion) and the new one (the challenger) are compared on test rows that
neither was trained on; one reshuffled split would put rows the champion learnt from into the
test set, and flatter it. With a single file this is the plain stratified split.
"""

from __future__ import annotations

import logging
import math

import pandas as pd

from .config import Config
from .sources import RawFile, shown

log = logging.getLogger(__name__)


def split(frame: pd.DataFrame, cfg: Config, source: str = "") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hold out a test set; stratified for classification so rare classes appear in both."""
    # Imported here: serving and batch prediction read tables through data.py but never split.
    from sklearn.model_selection import train_test_split

    stratify = None
    # A small file among several is often too small to stratify: that is no news to warn about.
    say, where = (log.info, f" ({source})") if source else (log.warning, "")
    if cfg.task == "classification" and cfg.split.stratify:
        counts = frame[cfg.data.target].value_counts()
        test_rows = math.ceil(cfg.split.test_size * len(frame))
        if counts.min() < 2:
            say("not stratifying%s: class %r has a single row", where, counts.idxmin())
        elif min(test_rows, len(frame) - test_rows) < len(counts):
            say("not stratifying%s: %d classes, %d test rows", where, len(counts), test_rows)
        else:
            stratify = frame[cfg.data.target]
    train, test = train_test_split(
        frame, test_size=cfg.split.test_size, random_state=cfg.split.seed, stratify=stratify
    )
    return train.reset_index(drop=True), test.reset_index(drop=True)


def split_by_file(files: list[RawFile], cfg: Config) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split each file's rows on its own (see the module's docstring), then put the parts
    together in file order. A file too small to hold out a row goes to training."""
    if len(files) == 1:
        return split(files[0].frame, cfg)
    columns = list(files[0].frame.columns)
    trains, tests = [], []
    for raw in files:
        frame = raw.frame[columns]
        if len(frame) - math.ceil(cfg.split.test_size * len(frame)) < 1:
            if len(frame):
                log.info("%s: %d row(s), all for training", shown(cfg, raw.path), len(frame))
            trains.append(frame)
            continue
        train, test = split(frame, cfg, shown(cfg, raw.path))
        trains.append(train)
        tests.append(test)
    if not tests:  # only tiny files: no file can hold out a row, so the rows are split together
        return split(pd.concat(trains, ignore_index=True), cfg)
    return pd.concat(trains, ignore_index=True), pd.concat(tests, ignore_index=True)
