"""The API's request and response bodies, built from the artifact's input schema.

The request model is generated from the model's metadata (not hard-coded), so /docs always shows
the columns of the model actually being served, and a retrained model with different features
needs no code change. Column names that are not Python identifiers keep their real name as the
JSON key (an alias).
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

#: NaN and Infinity are valid in Python's JSON but are not numbers a model can use: a missing
#: value is sent as null instead.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
PYTHON_TYPES: dict[str, Any] = {"number": FiniteFloat, "string": str, "boolean": bool}
#: Longer text inputs are cut in validation errors.
MAX_SHOWN_INPUT = 80


class PredictResponse(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    predictions: list[Any]
    probabilities: list[dict[str, float]] | None = Field(
        default=None, description="Classifiers only: one {class: probability} per instance."
    )
    model_version: str


def field_name(column: str, taken: set[str]) -> str:
    """A Python identifier for a column; the column's real name becomes the JSON alias."""
    name = re.sub(r"\W+", "_", column).strip("_") or "column"
    if name[0].isdigit():
        name = f"f_{name}"
    if keyword.iskeyword(name) or name.startswith("model_") or hasattr(BaseModel, name):
        name = f"{name}_"
    while name in taken:
        name = f"{name}_"
    taken.add(name)
    return name


def request_model(schema: list[dict[str, Any]], max_instances: int) -> type[BaseModel]:
    """Build the request body model from the artifact's input schema."""
    fields: dict[str, Any] = {}
    taken: set[str] = set()
    for column in schema:
        name = field_name(column["name"], taken)
        kind = PYTHON_TYPES[column["dtype"]]
        description = f"{column['kind']} feature"
        if column.get("categories"):
            shown = ", ".join(map(str, column["categories"][:20]))
            description += f"; seen in training: {shown}"
        alias = column["name"] if column["name"] != name else None
        fields[name] = (
            kind | None,
            Field(alias=alias, description=description, examples=[column.get("example")]),
        )
    instance = create_model(
        "Instance",
        __config__=ConfigDict(populate_by_name=True, extra="ignore", protected_namespaces=()),
        **fields,
    )
    example = {column["name"]: column.get("example") for column in schema}
    return create_model(
        "PredictRequest",
        instances=(
            list[instance],  # type: ignore[valid-type]
            Field(
                min_length=1,
                max_length=max_instances,
                description=f"Between 1 and {max_instances} rows to predict.",
                examples=[[example]],
            ),
        ),
    )


def shown_inputs(errors: list[Any]) -> list[Any]:
    """Validation errors that echo only a short, JSON-safe offending value.

    pydantic echoes the whole input: for 'too many instances' that is the entire request, and
    NaN/Infinity cannot even be written as JSON (the error response itself would fail).
    """
    shown = []
    for error in errors:
        value = error.get("input")
        error = {key: item for key, item in error.items() if key != "input"}
        if isinstance(value, str):
            cut = len(value) > MAX_SHOWN_INPUT
            error["input"] = value[:MAX_SHOWN_INPUT] + ("..." if cut else "")
        elif isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            error["input"] = value
        elif isinstance(value, float):
            error["input"] = str(value)  # 'nan', 'inf': not representable in JSON
        shown.append(error)
    return shown
