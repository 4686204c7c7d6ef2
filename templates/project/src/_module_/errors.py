"""Every error a user can fix, in one place: the CLI turns these into one line and exit code 1.

A `PipelineError` means "the input, the data or the configuration is wrong, and the message
says what to do"; anything else is a bug and keeps its traceback. Keeping the types together
lets every module raise them without importing the step that usually does.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError


class PipelineError(Exception):
    """An error the user can fix; the CLI prints it without a traceback (unless -v)."""


class ConfigError(PipelineError):
    """The configuration file is missing or invalid."""


class DataError(PipelineError):
    """The data is missing or does not match the configuration."""


class InputError(PipelineError):
    """The input to predict does not match the model's input schema."""


class ModelNotFoundError(PipelineError):
    """No trained (or promoted) model where one was expected, or its files are damaged."""


class RegistryError(PipelineError):
    """models/registry.json is damaged, or a registry command cannot do what was asked."""


class ModelMismatch(PipelineError):
    """The model was trained for another task, target or test split than the config has now."""


class EngineError(PipelineError):
    """The chosen prediction engine cannot run here (an optional extra or Java is missing), or
    its job failed."""


class PipelineBusy(PipelineError):
    """Another data, train, evaluate or retrain run of this project holds its lock."""


class GateFailed(PipelineError):
    """The model did not meet the thresholds in config `gate`, so it was not promoted."""


def one_line(error: BaseException) -> str:
    """An unexpected exception as one line: its type and the first line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _allowed_keys(schema: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at the parent of `loc`, for a helpful 'unknown key' message."""
    model = schema
    for part in loc[:-1]:
        field = model.model_fields.get(str(part))
        annotation = field.annotation if field else None
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return list(model.model_fields)


def validation_message(error: ValidationError, schema: type[BaseModel], title: str) -> str:
    """pydantic's errors as one line per key: the key, what is wrong, and what is allowed.

    pydantic's own text is written for developers (model names, error URLs); a user editing a
    YAML file needs the dotted key they typed and the values it takes.
    """
    lines = [title]
    for item in error.errors():
        loc = tuple(item["loc"])
        key = ".".join(str(part) for part in loc) or "(top level)"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            allowed = ", ".join(_allowed_keys(schema, loc))
            lines.append(f"  {key}: unknown key; allowed keys: {allowed}")
        elif item["type"] == "value_error" and not loc:
            lines.append(f"  {message}")  # cross-field checks already name their keys
        else:
            got = "" if item["type"] == "value_error" else f" (got {item.get('input')!r})"
            lines.append(f"  {key}: {message}{got}")
    return "\n".join(lines)
