"""The HTTP API: a thin FastAPI layer around the same Predictor used for batch prediction.

The request schema is generated from the artifact's metadata (not hard-coded), so /docs always
shows the columns of the model actually being served, and a retrained model with different
features needs no code change here. The model is loaded once, at startup.

No `from __future__ import annotations` here: FastAPI must see the real request model class
(built at runtime) in the endpoint's annotations.
"""

import keyword
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, create_model

from .config import Config, load_config
from .predict import InputError, Predictor, read_metadata, resolve_model_dir

log = logging.getLogger(__name__)

PYTHON_TYPES: dict[str, Any] = {"number": float, "string": str, "boolean": bool}


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


def create_app(
    predictor: Predictor | None = None,
    *,
    cfg: Config | None = None,
    model_dir: str | Path | None = None,
) -> FastAPI:
    """The FastAPI app. Pass a `predictor` (tests) or let startup load the current model.

    Only metadata.json is read here (to build the request schema); the model itself is loaded
    once in the lifespan handler, never per request.
    """
    cfg = cfg or load_config()
    folder = Path(model_dir) if model_dir else None
    if predictor is not None:
        metadata = predictor.metadata
    else:
        folder = folder or resolve_model_dir(cfg.models_dir)
        metadata = read_metadata(folder)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.predictor is None:
            app.state.predictor = Predictor.load(folder, cfg=cfg)
        yield

    app = FastAPI(
        title=f"{metadata.get('target', 'model')} prediction API",
        version=str(metadata.get("version")),
        description=f"{metadata['task']} model {metadata.get('version')}; see GET /metadata.",
        lifespan=lifespan,
    )
    app.state.predictor = predictor
    payload_model = request_model(metadata["input_schema"], cfg.serve.max_instances)

    def current(request: Request) -> Predictor:
        loaded = request.app.state.predictor
        if loaded is None:
            raise HTTPException(status_code=503, detail="model not loaded yet")
        return loaded

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": str(error)})

    @app.get("/health")
    def health(request: Request) -> dict[str, Any]:
        """Liveness and readiness: 200 once the model is loaded."""
        loaded = current(request)
        return {"status": "ok", "model_loaded": True, "model_version": loaded.version}

    @app.get("/metadata")
    def get_metadata(request: Request) -> dict[str, Any]:
        """The artifact's metadata: input schema, classes, metrics, versions."""
        return current(request).metadata

    @app.post("/predict", response_model=PredictResponse, response_model_exclude_none=True)
    def predict(body: payload_model, request: Request) -> PredictResponse:  # type: ignore[valid-type]
        """Predict a batch of instances (one JSON object per row)."""
        loaded = current(request)
        rows = [item.model_dump(by_alias=True) for item in body.instances]  # type: ignore[attr-defined]
        result = loaded.predict(pd.DataFrame(rows, columns=loaded.columns))
        return PredictResponse(
            predictions=result.predictions.tolist(),
            probabilities=result.probability_records(),
            model_version=loaded.version,
        )

    return app
