"""The model registry: config names -> scikit-learn estimators, per task.

Hyper-parameters come from config as a plain dict and are passed straight to the estimator, so
any parameter scikit-learn knows can be tuned without a code edit. Unknown names are rejected
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
    """Config check: fail early, naming the bad key and the valid ones, if the model or one of
    its hyper-parameters is unknown."""
    models = REGISTRY[task]
    if name not in models:
        raise ValueError(
            f"model.name: unknown model '{name}' for {task}; choose one of: {', '.join(models)}"
        )
    allowed = valid_params(task, name)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        estimator = REGISTRY[task][name].__name__
        raise ValueError(
            f"model.params: unknown hyper-parameter(s) {', '.join(unknown)} for {estimator}; "
            f"valid: {', '.join(allowed)}"
        )
    # Value checks (types, ranges) normally happen inside `fit`; run them now instead.
    # `_validate_params` is sklearn's own checker (present since 1.2); skip it if absent.
    try:
        estimator = REGISTRY[task][name](**params)
        validate = getattr(estimator, "_validate_params", None)
        if validate is not None:
            validate()
    except (TypeError, ValueError) as error:
        raise ValueError(f"model.params: {error}") from None


def make_estimator(task: str, name: str, params: dict[str, Any], seed: int) -> BaseEstimator:
    """Build the estimator; the split seed is used as random_state unless params set one.

    `params` were checked (`check_params`) when the config was loaded, so not again here.
    """
    cls = REGISTRY[task][name]
    kwargs = dict(params)
    if "random_state" in cls().get_params() and "random_state" not in kwargs:
        kwargs["random_state"] = seed
    return cls(**kwargs)
