"""The HTTP API: a thin FastAPI layer around the same Predictor used for batch prediction.

`create_app` reads only the model's metadata, which is cheap and enough for the request schema
and /docs (see schemas.py). The model itself is loaded once, in the app's lifespan: the server
starts listening only after it is loaded, so it never accepts a request it cannot answer, and a
missing or broken model stops the server before it starts.

No `from __future__ import annotations` here: FastAPI must see the real request model class
(built at runtime) in the endpoint's annotations.
"""

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .artifact import promoted_version, read_metadata
from .config import Config, load_config
from .errors import InputError, PipelineError, one_line
from .predict import Predictor
from .schemas import (
    Health,
    InvalidRequest,
    PredictResponse,
    Refusal,
    request_model,
    shown_inputs,
)
from .threads import limit_threads_for

log = logging.getLogger(__name__)


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


class OneLineStartupError:
    """Report a model that cannot be loaded in one line, not a traceback (unless -v).

    When the lifespan fails, Starlette hands the server the whole traceback, which uvicorn
    prints. For an error the user can fix (a `PipelineError`), its message says all there is to
    say; anything else is named by type and message. Starlette sends the failure while it
    handles the exception, so `sys.exc_info` has it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def short_send(message: Message) -> None:
            error = sys.exc_info()[1]
            if message["type"] == "lifespan.startup.failed" and error is not None:
                if isinstance(error, PipelineError):
                    short = str(error)
                else:
                    short = f"{one_line(error)} (run with -v for the traceback)"
                message = {**message, "message": short}
            await send(message)

        await self.app(scope, receive, short_send)


def current_predictor(request: Request) -> Predictor:
    """The model loaded by the lifespan (a dependency, so endpoints stay plain functions)."""
    return request.state.predictor


Loaded = Annotated[Predictor, Depends(current_predictor)]


def create_app(
    predictor: Predictor | None = None,
    *,
    cfg: Config | None = None,
    model_dir: str | Path | None = None,
    tracebacks: bool = False,
) -> FastAPI:
    """The FastAPI app around `predictor` (tests), or else the promoted model (or `model_dir`).

    A missing model fails here, before any server starts; the model is loaded by the lifespan,
    once, never per request (use the app as `with TestClient(app)` in tests). A model that
    cannot be loaded stops the server with one line, or with the traceback if `tracebacks`.
    """
    cfg = cfg or load_config()
    folder: Path | None = None
    if predictor is None:
        folder = Path(model_dir) if model_dir is not None else promoted_version(cfg.models_dir)
    metadata = predictor.metadata if predictor else read_metadata(folder)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        loaded = predictor or Predictor.load(folder, cfg=cfg)
        # Requests hold at most serve.max_instances rows: set the thread limit once for that size.
        limit_threads_for(cfg.serve.max_instances)
        yield {"predictor": loaded}

    version = str(metadata.get("version"))
    app = FastAPI(
        title=f"{metadata.get('target', 'model')} prediction API",
        version=version,
        description=f"{metadata.get('task')} model {version}; see GET /metadata.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=cfg.serve.max_body_bytes)
    if not tracebacks:
        app.add_middleware(OneLineStartupError)
    payload_model = request_model(metadata["input_schema"], cfg.serve.max_instances)

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        problem = {"loc": ["body", "instances"], "msg": str(error), "type": "input_error"}
        return JSONResponse(status_code=422, content={"detail": [problem]})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = jsonable_encoder(shown_inputs(list(error.errors())))
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        """The interactive docs are the API's home page."""
        return RedirectResponse(app.docs_url or "/openapi.json")

    @app.get("/health")
    def health(model: Loaded) -> Health:
        """Liveness and readiness: the server only listens once the model is loaded."""
        return Health(status="ok", model_loaded=True, model_version=model.version)

    @app.get("/metadata")
    def get_metadata(model: Loaded) -> dict[str, Any]:
        """The artifact's metadata: input schema, classes, metrics, versions."""
        return model.metadata

    @app.post(
        "/predict",
        response_model=PredictResponse,
        response_model_exclude_none=True,
        responses={
            400: {"model": Refusal, "description": "The body is not UTF-8 encoded JSON."},
            413: {"model": Refusal, "description": "The body exceeds serve.max_body_bytes."},
            422: {"model": InvalidRequest, "description": "The body does not fit the schema."},
        },
    )
    def predict(body: payload_model, model: Loaded) -> PredictResponse:  # type: ignore[valid-type]
        """Predict a batch of instances (one JSON object per row)."""
        rows = [item.model_dump(by_alias=True) for item in body.instances]  # type: ignore[attr-defined]
        result = model.predict(pd.DataFrame(rows, columns=model.columns))
        return PredictResponse(
            predictions=result.predictions.tolist(),
            probabilities=result.probability_records(),
            model_version=model.version,
            warnings=result.warnings or None,
        )

    return app
