"""Run the API under uvicorn: in this process, or in `serve.workers` processes.

One process suffices for most loads: micro-batching (batching.py) keeps a core busy predicting
while the event loop receives requests. More processes use more cores for a model whose calls
are slow even in batches, at the cost of one copy of the model per process; uvicorn starts them,
and each builds its app with `serve.app_from_environment`.
"""

from __future__ import annotations

import logging
import os
from contextlib import suppress
from pathlib import Path

from joblib import cpu_count

from .artifact import promoted_version
from .auth import api_key_from_environment, exposure_warning
from .config import CONFIG_ENV_VAR, PACKAGE, Config

log = logging.getLogger(__name__)


def serve(
    cfg: Config,
    config_file: Path,
    *,
    host: str,
    port: int,
    workers: int,
    model_dir: Path | None = None,
    verbose: bool = False,
) -> bool:
    """Serve until stopped (Ctrl-C); False if the server could not start (uvicorn said why)."""
    api_key = api_key_from_environment()
    warning = exposure_warning(host, api_key)
    if warning:
        log.warning("%s", warning)
    if workers > cpu_count():
        log.warning(
            "%d worker processes on %d cores: they compete for the cores; "
            "use at most one per core (serve.workers, --workers)",
            workers,
            cpu_count(),
        )
    if workers == 1:
        return _serve_here(cfg, host, port, model_dir, verbose, api_key)
    return _serve_in_processes(cfg, config_file, host, port, workers, model_dir, verbose)


def _serve_here(
    cfg: Config, host: str, port: int, model_dir: Path | None, verbose: bool, api_key: str | None
) -> bool:
    import uvicorn

    from .serve import create_app

    # Fails here when no model is promoted; a model that cannot load stops the lifespan.
    api = create_app(cfg=cfg, model_dir=model_dir, tracebacks=verbose, api_key=api_key)
    log_level = "debug" if verbose else "info"
    server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level=log_level))
    log.info("serving on http://%s:%d (docs at /docs)", host, port)
    # Ctrl-C is a normal stop. uvicorn exits with its own code (3) when it cannot start: a
    # model that the lifespan cannot load, or a port in use; it has printed why.
    with suppress(KeyboardInterrupt, SystemExit):
        server.run()
    return server.started


def _serve_in_processes(
    cfg: Config,
    config_file: Path,
    host: str,
    port: int,
    workers: int,
    model_dir: Path | None,
    verbose: bool,
) -> bool:
    import uvicorn

    from .predict import Predictor
    from .serve import MODEL_DIR_VARIABLE

    # Every worker serves this very folder, even if another model is promoted meanwhile.
    folder = (model_dir or promoted_version(cfg.models_dir)).resolve()
    # Loaded once here, so that a broken model stops `serve` with one line instead of failing
    # in every worker; then dropped: each worker loads its own.
    Predictor.load(folder, cfg=cfg, backend=cfg.serve.backend)
    level = logging.getLevelName(logging.getLogger(PACKAGE).getEffectiveLevel())
    os.environ.update(
        {CONFIG_ENV_VAR: str(config_file), MODEL_DIR_VARIABLE: str(folder), "LOG_LEVEL": level}
    )
    log.info("serving on http://%s:%d with %d processes (docs at /docs)", host, port, workers)
    try:
        uvicorn.run(
            f"{PACKAGE}.serve:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="debug" if verbose else "info",
        )
    except KeyboardInterrupt:
        pass
    except SystemExit as stop:  # e.g. the port is in use: uvicorn has said so
        return stop.code in (0, None)
    return True
