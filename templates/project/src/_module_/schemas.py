"""The API's request and response bodies, built from the artifact's input schema.

The request model is generated from the model's metadata (not hard-coded), so /docs always shows
the columns of the model actually being served, and a retrained model with different features
needs no code change. Column names that are not Python identifiers keep their real name as the
JSON key (an alias).

Validation is strict: the API takes exactly what its OpenAPI document describes. A number field
takes a JSON number (not `"5.1"`, not `true`), a text field takes a string, a boolean field takes
`true`/`false`. Guessing would answer a malformed request with a confident prediction.
"""

from __future__ import annotations

import keyword
import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, create_model

from .data import MAX_NUMBER

#: NaN and Infinity are valid in Python's JSON but are not numbers a model can use (a missing
#: value is sent as null instead), and neither is a number beyond float32, which scikit-learn's
#: trees compute in. The bounds are in the schema, so /docs and the OpenAPI document show them.
ModelNumber = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_NUMBER, le=MAX_NUMBER)]


def encodable(text: str) -> str:
    """JSON may escape half a UTF-16 pair ("\\ud800"), which is no text at all: the data frame
    the model reads stores text as UTF-8 and would fail on it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (a lone surrogate is not)") from None
    return text


Text = Annotated[str, AfterValidator(encodable)]
PYTHON_TYPES: dict[str, Any] = {"number": ModelNumber, "string": Text, "boolean": bool}

#: Regular expressions for the parts of a date, by strftime code. Years stay within what pandas can
#: hold (1700-2259); a value of the right form that is no calendar date (2024-02-30) is taken as
#: missing, with a warning in the answer, as training takes it.
DATE_PARTS = {
    "Y": "(1[7-9][0-9]{2}|2[01][0-9]{2}|22[0-5][0-9])",
    "y": "[0-9]{2}",
    "m": "(0?[1-9]|1[0-2])",
    "d": "(0?[1-9]|[12][0-9]|3[01])",
    "H": "([01]?[0-9]|2[0-3])",
    "I": "(0?[1-9]|1[0-2])",
    "M": "[0-5]?[0-9]",
    "S": "[0-5]?[0-9]",
    "f": "[0-9]{1,6}",
    "p": "(AM|PM|am|pm)",
    "b": "[A-Za-z]{3}",
    "B": "[A-Za-z]{3,9}",
    "a": "[A-Za-z]{3}",
    "A": "[A-Za-z]{6,9}",
    "%": "%",
}
ISO_TIME = (
    r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,9})?)?"  # time, seconds, fraction
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?)?"  # time zone
)
ISO_DATE = DATE_PARTS["Y"] + "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])" + ISO_TIME


def date_pattern(fmt: str) -> str:
    """The dates a column takes: ISO 8601, or as written in the training data (`fmt`)."""
    pieces, rest = [], fmt
    while rest:
        if rest.startswith("%") and len(rest) > 1 and rest[1] in DATE_PARTS:
            pieces.append(DATE_PARTS[rest[1]])
            rest = rest[2:]
        elif rest.startswith("%"):
            return f"^{ISO_DATE}$"  # a code this table does not know: ISO 8601 only
        else:
            pieces.append(re.escape(rest[0]))
            rest = rest[1:]
    written = "".join(pieces)
    return f"^({ISO_DATE})$" if fmt == "ISO8601" else f"^({ISO_DATE}|{written})$"


def date_type(fmt: str) -> Any:
    """A date column's field: text of one of the forms `date_pattern` allows."""
    return Annotated[str, StringConstraints(pattern=date_pattern(fmt)), AfterValidator(encodable)]


#: Longer text inputs are cut in validation errors.
MAX_SHOWN_INPUT = 80


class Problem(BaseModel):
    """One reason a request was refused: where (`loc`), what (`msg`), a code (`type`)."""

    loc: list[str | int] = Field(description="Where: body, instances, row number, field name.")
    msg: str
    type: str
    input: Any = Field(default=None, description="The offending value, when it is short.")
    ctx: dict[str, Any] | None = Field(default=None, description="Details, e.g. a limit.")


class InvalidRequest(BaseModel):
    """The body of every 422 answer: one item per problem found in the request."""

    detail: list[Problem]


class Refusal(BaseModel):
    """The body of a 400 (not UTF-8 JSON) or 413 (body too large) answer."""

    detail: str


class Health(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    status: str
    model_loaded: bool
    model_version: str


class PredictResponse(BaseModel):
    model_config = ConfigDict(protected_namespaces=())

    predictions: list[Any]
    probabilities: list[dict[str, float]] | None = Field(
        default=None, description="Classifiers only: one {class: probability} per instance."
    )
    model_version: str
    warnings: list[str] | None = Field(
        default=None, description="Values taken as missing although given (a date that is not one)."
    )


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
        if column["kind"] == "date":
            kind = date_type(column["format"])
            description = (
                "date, in ISO 8601 (2024-03-01, 2024-03-01T10:30:00) or as written in the training"
                " data; a value of that form that is no calendar date is taken as missing"
            )
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
        # Fields are read by their real column names only (the aliases the schema shows).
        __config__=ConfigDict(strict=True, extra="ignore", protected_namespaces=()),
        **fields,
    )
    example = {column["name"]: column.get("example") for column in schema}
    return create_model(
        "PredictRequest",
        __config__=ConfigDict(strict=True),
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


def shown_inputs(errors: list[Any]) -> list[dict[str, Any]]:
    """Validation errors that echo only a short, JSON-safe offending value.

    pydantic echoes the whole input: for 'too many instances' that is the entire request; NaN and
    Infinity cannot be written as JSON, nor can a lone surrogate ("\\ud800") as UTF-8, so the
    error answer itself would fail.
    """
    shown = []
    for error in errors:
        value = error.get("input")
        error = {key: item for key, item in error.items() if key not in {"input", "url"}}
        if isinstance(value, str):
            cut = value[:MAX_SHOWN_INPUT] + ("..." if len(value) > MAX_SHOWN_INPUT else "")
            error["input"] = cut.encode("utf-8", "backslashreplace").decode("utf-8")
        elif isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            error["input"] = value
        elif isinstance(value, float):
            error["input"] = str(value)  # 'nan', 'inf': not representable in JSON
        if error.get("type") in {"greater_than_equal", "less_than_equal"}:
            bounds = f"{-MAX_NUMBER:.7g} and {MAX_NUMBER:.7g}"
            error["msg"] = f"Input should be between {bounds}, the range of a 32-bit float"
        shown.append(error)
    return shown
