"""The model registry: config names -> scikit-learn estimators, per task.

Hyper-parameters come from config as one plain dict per model and are passed straight to the
estimator, so any parameter scikit-learn knows can be tuned without a code edit, and switching
models is a change of `model.name` alone. Unknown names are rejected
with the list of valid ones, because sklearn would otherwise fail late, deep inside `fit`.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import BaseEstimator
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LogisticRegression, Ridge

REGISTRY: dict[str, dict[str, type[BaseEstimator]]] = {
    "classification": {
        "linear": LogisticRegression,
        "random_forest": RandomForestClassifier,
        "hist_gradient_boosting": HistGradientBoostingClassifier,
    },
    "regression": {
        "linear": Ridge,
        "random_forest": RandomForestRegressor,
        "hist_gradient_boosting": HistGradientBoostingRegressor,
    },
}
#: Models that are sensitive to feature scale; only these get a StandardScaler.
NEEDS_SCALING = {"linear"}


def valid_params(task: str, name: str) -> list[str]:
    """Hyper-parameter names accepted by the estimator behind `name`."""
    return sorted(REGISTRY[task][name]().get_params())


def check_params(task: str, name: str, params: dict[str, Any]) -> None:
    """Config check of `model`: the chosen model exists, and `params` maps model names to
    hyper-parameters that their estimators accept. Every model's block is checked, not only the
    chosen one's, so that switching models never meets a typo that was there all along."""
    models = REGISTRY[task]
    if name not in models:
        raise ValueError(
            f"model.name: unknown model '{name}' for {task}; choose one of: {', '.join(models)}"
        )
    misplaced = [key for key in params if key not in models]
    if misplaced:
        raise ValueError(_misplaced_message(task, name, misplaced))
    for model, block in params.items():
        if block is not None and not isinstance(block, dict):
            raise ValueError(
                f"model.params.{model} must be a mapping of hyper-parameters, e.g. "
                f"{{{valid_params(task, model)[0]}: ...}}; got {block!r}"
            )
        _check_block(task, model, block or {})


def _misplaced_message(task: str, name: str, keys: list[str]) -> str:
    """Keys under model.params that are not model names: flat hyper-parameters, or a typo."""
    shown, models = ", ".join(map(str, keys)), ", ".join(REGISTRY[task])
    if set(keys) <= set(valid_params(task, name)):
        return (
            f"model.params: {shown} must go under model.params.{name} (hyper-parameters are "
            f"kept per model: model.params.<model>.<parameter>, models: {models})"
        )
    return (
        f"model.params: unknown model(s) {shown}; params holds one block per model "
        f"(model.params.<model>.<parameter>), models: {models}"
    )


def _check_block(task: str, model: str, params: dict[str, Any]) -> None:
    cls = REGISTRY[task][model]
    allowed = valid_params(task, model)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise ValueError(
            f"model.params.{model}: unknown hyper-parameter(s) {', '.join(unknown)} for "
            f"{cls.__name__}; valid: {', '.join(allowed)}"
        )
    # Value checks (types, ranges) normally happen inside `fit`; run them now instead.
    # `_validate_params` is sklearn's own checker (present since 1.2); skip it if absent.
    try:
        estimator = cls(**params)
        validate = getattr(estimator, "_validate_params", None)
        if validate is not None:
            validate()
    except (TypeError, ValueError) as error:
        raise ValueError(f"model.params.{model}: {error}") from None


def make_estimator(task: str, name: str, params: dict[str, Any], seed: int) -> BaseEstimator:
    """Build the estimator; the split seed is used as random_state unless params set one.

    `params` were checked (`check_params`) when the config was loaded, so not again here.
    """
    cls = REGISTRY[task][name]
    kwargs = dict(params)
    if "random_state" in cls().get_params() and "random_state" not in kwargs:
        kwargs["random_state"] = seed
    return cls(**kwargs)
