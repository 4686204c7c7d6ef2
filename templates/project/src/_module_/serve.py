"""The HTTP API: a thin FastAPI layer around the same Predictor used for batch prediction.

The request schema is generated from the artifact's metadata (not hard-coded), so /docs always
shows the columns of the model actually being served, and a retrained model with different
features needs no code change here. The model is loaded once, when the app is created, so the
server never accepts a request it cannot answer.

No `from __future__ import annotations` here: FastAPI must see the real request model class
(built at runtime) in the endpoint's annotations.
"""

import keyword
import logging
import math
import re
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, create_model
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .config import Config, load_config
from .errors import InputError
from .predict import Predictor
from .threads import limit_threads_for

log = logging.getLogger(__name__)

#: NaN and Infinity are valid in Python's JSON but are not numbers a model can use: a missing
#: value is sent as null instead.
FiniteFloat = Annotated[float, Field(allow_inf_nan=False)]
PYTHON_TYPES: dict[str, Any] = {"number": FiniteFloat, "string": str, "boolean": bool}
#: Longer text inputs are cut in validation errors.
MAX_SHOWN_INPUT = 80


class BodySizeLimit:
    """Answer 413 to request bodies over `max_bytes`, before anything parses them.

    Content-Length is checked first; a body sent without it (chunked) is counted as it arrives.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def detail(self) -> str:
        return f"request body too large: the limit is {self.max_bytes} bytes (serve.max_body_bytes)"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.max_bytes:
            response = JSONResponse(status_code=413, content={"detail": self.detail()})
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                # Raised inside the endpoint's body read, so FastAPI turns it into the response.
                raise HTTPException(status_code=413, detail=self.detail())
            return message

        await self.app(scope, counting_receive, send)


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


def _shown_inputs(errors: list[Any]) -> list[Any]:
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


def create_app(
    predictor: Predictor | None = None,
    *,
    cfg: Config | None = None,
    model_dir: str | Path | None = None,
) -> FastAPI:
    """The FastAPI app around `predictor` (tests), or else the promoted model (or `model_dir`).

    The model is loaded here, once, never per request; a missing or broken model fails
    before the server starts listening instead of answering errors.
    """
    cfg = cfg or load_config()
    loaded = predictor or Predictor.load(model_dir, cfg=cfg)
    # Requests hold at most serve.max_instances rows: set the thread limit once for that size.
    limit_threads_for(cfg.serve.max_instances)
    metadata = loaded.metadata
    app = FastAPI(
        title=f"{metadata.get('target', 'model')} prediction API",
        version=loaded.version,
        description=f"{loaded.task} model {loaded.version}; see GET /metadata.",
    )
    app.add_middleware(BodySizeLimit, max_bytes=cfg.serve.max_body_bytes)
    payload_model = request_model(loaded.schema, cfg.serve.max_instances)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(error)})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = jsonable_encoder(_shown_inputs(list(error.errors())))
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.get("/health")
    def health() -> dict[str, Any]:
        """Liveness and readiness: the app only exists once the model is loaded."""
        return {"status": "ok", "model_loaded": True, "model_version": loaded.version}

    @app.get("/metadata")
    def get_metadata() -> dict[str, Any]:
        """The artifact's metadata: input schema, classes, metrics, versions."""
        return metadata

    @app.post("/predict", response_model=PredictResponse, response_model_exclude_none=True)
    def predict(body: payload_model) -> PredictResponse:  # type: ignore[valid-type]
        """Predict a batch of instances (one JSON object per row)."""
        rows = [item.model_dump(by_alias=True) for item in body.instances]  # type: ignore[attr-defined]
        result = loaded.predict(pd.DataFrame(rows, columns=loaded.columns))
        return PredictResponse(
            predictions=result.predictions.tolist(),
            probabilities=result.probability_records(),
            model_version=loaded.version,
        )

    return app
