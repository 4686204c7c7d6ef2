"""Drift: how far live inputs and predictions are from a model version's reference statistics.

Each column gets:
- the population stability index (PSI) over the reference's bins (numbers) or categories;
- a test of "same distribution": two-sample Kolmogorov-Smirnov for numbers (against the
  reference's quantile function), chi-square for categories (scipy.stats);
- the change of its missing rate, and for categories the share of values never seen in training.

A column drifts when its PSI reaches `monitor.psi_threshold` AND its test is significant, or when
its missing rate or its unseen share moves past their limits. Both conditions, because each alone
misleads: on a few hundred rows the PSI of an unchanged column is noisy, and on a million rows
any test finds a difference too small to matter. The significance level `monitor.alpha` is
shared by all the tests of one run (Bonferroni), so thirty features do not make thirty chances
of a false alarm. The predictions are compared the same way (prediction drift).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from .config import MonitorConfig
from .features import to_float
from .reference import bin_shares, category_counts

#: Shares below this are raised to it in the PSI, whose logarithm is infinite at zero.
PSI_FLOOR = 1e-4
UNSEEN = "(unseen)"
OTHER = "(other)"


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index: the symmetric Kullback-Leibler divergence of two sets of
    shares (scipy.special.rel_entr), with empty bins raised to PSI_FLOOR."""
    expected = np.maximum(expected, PSI_FLOOR)
    actual = np.maximum(actual, PSI_FLOOR)
    expected, actual = expected / expected.sum(), actual / actual.sum()
    return float(np.sum(special.rel_entr(actual, expected) + special.rel_entr(expected, actual)))


def numeric_drift(reference: dict[str, Any], values: pd.Series) -> dict[str, Any]:
    """PSI over the reference's bins and the two-sample Kolmogorov-Smirnov test."""
    present = values.dropna().to_numpy(dtype="float64")
    shares = bin_shares(present, reference["bin_edges"])
    test = stats.ks_2samp(np.asarray(reference["ks_points"]), present)
    return {
        "test": "kolmogorov-smirnov",
        "psi": psi(np.asarray(reference["bin_shares"]), shares),
        "statistic": float(test.statistic),
        "p_value": float(test.pvalue),
        "live_mean": float(present.mean()),
        "reference_mean": reference.get("mean"),
    }


def categorical_drift(reference: dict[str, Any], values: pd.Series) -> dict[str, Any]:
    """PSI over the categories and the chi-square test of the 2 x k table of counts; values
    never seen in training form one more category, and are listed."""
    known = reference["shares"]
    counts = category_counts(values)
    seen = counts.index.isin(list(known))
    unseen = float(counts[~seen].sum())
    # When training had more categories than were kept, a value not kept may have been seen.
    truncated = reference.get("other_share", 0.0) > 0.0
    live = pd.Series({**{name: 0 for name in known}, OTHER: 0, UNSEEN: 0}, dtype="float64")
    live[counts.index[seen]] = counts[seen].to_numpy()
    live[OTHER if truncated else UNSEEN] = unseen
    expected = pd.Series({**known, OTHER: reference.get("other_share", 0.0), UNSEEN: 0.0})
    total = float(live.sum())
    table = np.vstack([expected.to_numpy() * reference["rows"], live.to_numpy()])
    table = table[:, table.sum(axis=0) > 0]
    result: dict[str, Any] = {
        "test": "chi-square",
        "psi": psi(expected.to_numpy(), (live / total).to_numpy()),
        "unseen_share": 0.0 if truncated else unseen / total,
        "unseen": [] if truncated else [str(name) for name in counts.index[~seen][:20]],
    }
    if table.shape[1] < 2:  # one category on both sides: nothing to test
        return {**result, "statistic": 0.0, "p_value": 1.0}
    test = stats.chi2_contingency(table)
    return {**result, "statistic": float(test.statistic), "p_value": float(test.pvalue)}


def column_drift(
    reference: dict[str, Any], values: pd.Series, settings: MonitorConfig
) -> dict[str, Any]:
    """One column's figures; whether it drifted is decided later, once the number of tests is
    known. In a numeric column, what is not a number counts as missing, as in training."""
    if reference["kind"] == "numeric":
        values = to_float(values.to_frame()).iloc[:, 0]
    missing = float(values.isna().mean())
    result: dict[str, Any] = {
        "kind": reference["kind"],
        "rows": int(values.notna().sum()),
        "missing_rate": missing,
        "reference_missing_rate": reference["missing_rate"],
        "missing_change": missing - reference["missing_rate"],
    }
    testable = reference["kind"] != "date" and reference.get("rows", 0) > 0
    if testable and result["rows"] >= settings.min_rows:
        compare = numeric_drift if reference["kind"] == "numeric" else categorical_drift
        result.update(compare(reference, values))
    return result


def reasons(result: dict[str, Any], settings: MonitorConfig, alpha: float) -> list[str]:
    """Why a column drifted (empty: it did not)."""
    found = []
    p_value, score = result.get("p_value"), result.get("psi")
    if score is not None and score >= settings.psi_threshold and p_value < alpha:
        found.append(f"PSI {score:.2f}, {result['test']} p = {p_value:.2g}")
    if abs(result["missing_change"]) > settings.max_missing_change:
        shown = f"{result['reference_missing_rate']:.0%} -> {result['missing_rate']:.0%}"
        found.append(f"missing values {shown}")
    if result.get("unseen_share", 0.0) > settings.max_unseen_share:
        found.append(f"{result['unseen_share']:.0%} unseen categories")
    return found


def compare(
    reference: dict[str, Any],
    inputs: pd.DataFrame,
    predictions: pd.Series | None,
    settings: MonitorConfig,
) -> dict[str, Any]:
    """Every column's figures and verdict, the predictions', and the list of what drifted."""
    columns = {
        name: column_drift(stats_, inputs[name], settings)
        for name, stats_ in reference["features"].items()
    }
    if predictions is not None:
        columns["(prediction)"] = column_drift(reference["prediction"], predictions, settings)
    tests = sum(1 for result in columns.values() if "p_value" in result)
    alpha = settings.alpha / max(tests, 1)
    enough = len(inputs) >= settings.min_rows
    for result in columns.values():
        result["drift_reasons"] = reasons(result, settings, alpha) if enough else []
        result["drifted"] = bool(result["drift_reasons"])
    return {
        "rows": len(inputs),
        "enough_rows": enough,
        "alpha_per_test": alpha,
        "columns": columns,
        "drifted": [name for name, result in columns.items() if result["drifted"]],
    }
