"""What every command shares: the options given before it (`--config`, `-v`), the config they
name, and the options that pick a model version.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .config import CONFIG_ENV_VAR, Config, load_config
from .errors import ConfigError

ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", "-c", envvar=CONFIG_ENV_VAR, help="Config file to use."),
]
ModelDirOption = Annotated[
    Path | None,
    typer.Option("--model-dir", help="Model folder; default: the production version."),
]
ModelVersionOption = Annotated[
    str | None,
    typer.Option("--model-version", help="A version from `models list`; default: production."),
]


class State:
    """The options given before the command, for every command to use."""

    config_path: Path | None = None
    verbose: bool = False


state = State()


def config() -> Config:
    return load_config(state.config_path)


def chosen_model(cfg: Config, model_dir: Path | None, model_version: str | None) -> Path | None:
    """The folder --model-dir or --model-version names (None: production)."""
    from . import registry

    if model_version is None:
        return model_dir
    if model_dir is not None:
        raise ConfigError("give --model-dir or --model-version, not both")
    registry.entry(registry.read(cfg.models_dir), model_version)
    return cfg.models_dir / model_version
