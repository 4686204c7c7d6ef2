"""The HTTP API: a thin FastAPI layer around the same Predictor used for batch prediction.

`create_app` reads only the model's metadata, which is cheap and enough for the request schema
and /docs (see schemas.py). The model itself is loaded once, in the app's lifespan: the server
starts listening only after it is loaded, so it never accepts a request it cannot answer, and a
missing or broken model stops the server before it starts. Concurrent requests are predicted
together (batching.py); with an API key, every endpoint but /health requires it (auth.py).

No `from __future__ import annotations` here: FastAPI must see the real request model class
(built at runtime) in the endpoint's annotations.
"""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse

from .artifact import promoted_version, read_metadata
from .auth import UNAUTHORIZED, api_key_from_environment, key_check
from .batching import Batcher, batcher_for
from .config import PACKAGE, Config, load_config
from .errors import InputError
from .middleware import BodySizeLimit, OneLineStartupError
from .predict import Predictor
from .prediction_log import PredictionLog, request_id
from .schemas import (
    Health,
    InvalidRequest,
    PredictResponse,
    Refusal,
    request_model,
    shown_inputs,
)
from .threads import serving_threads, single_job

log = logging.getLogger(__name__)

#: The model folder that `serve --workers N` hands to each worker process.
MODEL_DIR_VARIABLE = f"{PACKAGE.upper()}_SERVE_MODEL_DIR"


async def current_predictor(request: Request) -> Predictor:
    """The model loaded by the lifespan (a dependency, so endpoints stay plain functions)."""
    return request.state.predictor


async def current_batcher(request: Request) -> Batcher:
    """How requests reach the model: batched, or each on its own (`serve.batching`)."""
    return request.state.batcher


Loaded = Annotated[Predictor, Depends(current_predictor)]
Batching = Annotated[Batcher, Depends(current_batcher)]


def create_app(
    predictor: Predictor | None = None,
    *,
    cfg: Config | None = None,
    model_dir: str | Path | None = None,
    tracebacks: bool = False,
    api_key: str | None = None,
) -> FastAPI:
    """The FastAPI app around `predictor` (tests), or else the promoted model (or `model_dir`).

    A missing model fails here, before any server starts; the model is loaded by the lifespan,
    once, never per request (use the app as `with TestClient(app)` in tests). A model that
    cannot be loaded stops the server with one line, or with the traceback if `tracebacks`.
    With `api_key`, every endpoint but /health requires it.
    """
    cfg = cfg or load_config()
    serve = cfg.serve
    folder: Path | None = None
    if predictor is None:
        folder = Path(model_dir) if model_dir is not None else promoted_version(cfg.models_dir)
    metadata = predictor.metadata if predictor else read_metadata(folder)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[dict[str, Any]]:
        loaded = predictor or Predictor.load(folder, cfg=cfg, backend=serve.backend)
        single_job(loaded.pipeline)
        largest = max(serve.max_instances, serve.batching.max_rows if serve.batching.enabled else 0)
        batcher = batcher_for(loaded, serve.batching, serving_threads(largest, serve.workers))
        logged = cfg.monitor.prediction_log
        writer = PredictionLog(cfg.prediction_log_path, logged) if logged.enabled else None
        try:
            yield {"predictor": loaded, "batcher": batcher, "prediction_log": writer}
        finally:
            batcher.close()
            if writer is not None:
                writer.close()

    version = str(metadata.get("version"))
    app = FastAPI(
        title=f"{metadata.get('target', 'model')} prediction API",
        version=version,
        description=f"{metadata.get('task')} model {version}; see GET /metadata.",
        lifespan=lifespan,
    )
    app.add_middleware(BodySizeLimit, max_bytes=serve.max_body_bytes)
    if not tracebacks:
        app.add_middleware(OneLineStartupError)
    payload_model = request_model(metadata["input_schema"], serve.max_instances)
    guarded: dict[str, Any] = {}
    if api_key:
        guarded = {"dependencies": [Depends(key_check(api_key))], "responses": UNAUTHORIZED}

    @app.exception_handler(InputError)
    async def input_error(_: Request, error: InputError) -> JSONResponse:
        problem = {"loc": ["body", "instances"], "msg": str(error), "type": "input_error"}
        return JSONResponse(status_code=422, content={"detail": [problem]})

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = jsonable_encoder(shown_inputs(list(error.errors())))
        return JSONResponse(status_code=422, content={"detail": detail})

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        """The interactive docs are the API's home page."""
        return RedirectResponse(app.docs_url or "/openapi.json")

    @app.get("/health")
    async def health(model: Loaded) -> Health:
        """Liveness and readiness: the server only listens once the model is loaded."""
        return Health(status="ok", model_loaded=True, model_version=model.version)

    @app.get("/metadata", **guarded)
    async def get_metadata(model: Loaded) -> dict[str, Any]:
        """The artifact's metadata (input schema, classes, metrics, versions, exports), and
        `served_from`: the version's file that answers, so its runtime is known."""
        return {**model.metadata, "served_from": model.source}

    @app.post(
        "/predict",
        response_model=PredictResponse,
        response_model_exclude_none=True,
        dependencies=guarded.get("dependencies"),
        responses={
            400: {"model": Refusal, "description": "The body is not UTF-8 encoded JSON."},
            **guarded.get("responses", {}),
            413: {"model": Refusal, "description": "The body exceeds serve.max_body_bytes."},
            422: {"model": InvalidRequest, "description": "The body does not fit the schema."},
        },
    )
    async def predict(
        body: payload_model,  # type: ignore[valid-type]
        model: Loaded,
        batcher: Batching,
        request: Request,
        response: Response,
    ) -> PredictResponse:
        """Predict a batch of instances (one JSON object per row). The answer's X-Request-ID
        header is the request's own, if it sent one, else a new id; the prediction log has it."""
        rows = [item.model_dump(by_alias=True) for item in body.instances]  # type: ignore[attr-defined]
        result = await batcher.predict(rows)
        if isinstance(result, InputError):
            raise result
        response.headers["X-Request-ID"] = identity = request_id(
            request.headers.get("x-request-id")
        )
        if request.state.prediction_log is not None:
            request.state.prediction_log.record(identity, model.version, rows, result.predictions)
        return PredictResponse(
            predictions=result.predictions.tolist(),
            probabilities=result.probability_records(),
            model_version=model.version,
            warnings=result.warnings or None,
        )

    return app


def app_from_environment() -> FastAPI:
    """The app of each worker process of `serve --workers N`, which uvicorn starts: the parent
    hands over the config file, the model folder and the log level in the environment."""
    from .console import setup_logging

    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    setup_logging(level)
    return create_app(
        cfg=load_config(),
        model_dir=os.environ[MODEL_DIR_VARIABLE],
        tracebacks=level == "DEBUG",
        api_key=api_key_from_environment(),
    )
