"""The documentation site's generated pages: an MkDocs plugin (`make docs`, mkdocs.yml).

Three pages are written at every build from the project itself, so that they never go stale:
the data (data/processed/ as config/config.yaml describes it), the production model's card
(models/<version>/model_card.md, with its figures) and the API (the OpenAPI document of the app
that `make serve` runs, rendered by neoteroi-mkdocs' renderer; the raw document is published
beside it as api/openapi.json). A page whose source is not there yet says what to run instead,
so a fresh project's site builds, even with `mkdocs build --strict`.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from .artifact import promoted_version
from .card import CARD_FILE
from .config import CONFIG_ENV_VAR, DEFAULT_CONFIG, Config, load_config
from .errors import PipelineError
from .reports import FIGURES_DIR

log = logging.getLogger(__name__)

DATA_PAGE, MODEL_PAGE, API_PAGE = "data.md", "model-card.md", "api.md"
OPENAPI_FILE = "api/openapi.json"
#: Distinct values shown per column on the data page.
SHOWN_VALUES = 5


def missing(what: str, run: str) -> str:
    """An admonition saying what a page lacks and what to run for it."""
    return f'!!! warning "{what}"\n    Run `{run}`, then `make docs` again.\n'


def _describe(values: Any) -> str:
    """A column in a few words: its range for numbers, its most frequent values otherwise."""
    present = values.dropna()
    if present.empty:
        return "no values"
    if values.dtype.kind in "iuf":
        return f"{present.min():g} to {present.max():g}, mean {present.mean():.4g}"
    top = present.astype(str).value_counts().head(SHOWN_VALUES)
    more = ", ..." if present.nunique() > SHOWN_VALUES else ""
    return ", ".join(f"`{value}` ({count})" for value, count in top.items()) + more


def data_page(cfg: Config) -> str:
    """The data: where it comes from, the split, and each column of the train split."""
    from .data import load_split  # pandas: imported when the site is built, not with the plugin

    source = f"the bundled `{cfg.data.source}` sample" if cfg.data.source != "file" else "a file"
    lines = [
        "# Data",
        "",
        f"A {cfg.task} task: predict `{cfg.data.target}`. The raw data is {source}, "
        f"`{cfg.data.raw_path}` (never modified); `make data` checks it and holds out "
        f"{cfg.split.test_size:.0%} of the rows as the test split (seed {cfg.split.seed}).",
        "",
    ]
    if not (cfg.train_path.is_file() and cfg.test_path.is_file()):
        return "\n".join([*lines, missing("No data split yet", "make data")])
    train, test = load_split(cfg, "train"), load_split(cfg, "test")
    lines += [
        f"Train split: {len(train)} rows; test split: {len(test)} rows; {train.shape[1]} columns.",
        "",
        "| column | type | missing (train) | values (train) |",
        "|---|---|---|---|",
    ]
    for name in train.columns:
        role = " (target)" if name == cfg.data.target else ""
        values = train[name]
        cells = [f"`{name}`{role}", str(values.dtype), str(values.isna().sum()), _describe(values)]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines) + "\n"


def model_page(cfg: Config) -> tuple[str, list[Path]]:
    """The production model's card and its figures (published under figures/)."""
    try:
        folder = promoted_version(cfg.models_dir)
    except PipelineError:
        title = "# Model card\n\n"
        return title + missing("No model in production yet", "make all"), []
    card = (folder / CARD_FILE).read_text(encoding="utf-8")
    figures = sorted((folder / FIGURES_DIR).glob("*.png"))
    shown = [f"![{path.stem.replace('_', ' ')}]({FIGURES_DIR}/{path.name})" for path in figures]
    return card + ("\n## Figures\n\n" + "\n\n".join(shown) + "\n" if shown else ""), figures


def openapi_document(cfg: Config) -> dict[str, Any] | None:
    """The OpenAPI document of the API around the production model (None: no model yet).

    Building the app reads the model's metadata only (its request schema); it loads no model.
    """
    from .serve import create_app

    try:
        promoted_version(cfg.models_dir)
    except PipelineError:
        return None
    return create_app(cfg=cfg).openapi()


def api_page(document: dict[str, Any] | None) -> str:
    if document is None:
        return "# API\n\n" + missing("No model in production yet", "make all")
    from openapidocs.mk.v3 import OpenAPIV3DocumentationHandler

    rendered = OpenAPIV3DocumentationHandler(document, style="MKDOCS").write()
    download = f"The OpenAPI document itself: [openapi.json]({OPENAPI_FILE}).\n\n"
    return download + rendered


class ProjectPages(BasePlugin):  # type: ignore[type-arg]
    """Adds the generated pages to the site (`plugins: [<package>-pages]` in mkdocs.yml)."""

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            cfg = load_config(os.environ.get(CONFIG_ENV_VAR) or root / DEFAULT_CONFIG)
            model, figures = model_page(cfg)
            document = openapi_document(cfg)
            pages = {DATA_PAGE: data_page(cfg), MODEL_PAGE: model, API_PAGE: api_page(document)}
        except PipelineError as error:
            raise PluginError(f"the generated pages: {error}") from None
        for name, text in pages.items():
            files.append(File.generated(config, name, content=text))
        if document is not None:
            content = json.dumps(document, indent=2)
            files.append(File.generated(config, OPENAPI_FILE, content=content))
        for path in figures:
            name = f"{FIGURES_DIR}/{path.name}"
            files.append(File.generated(config, name, abs_src_path=str(path)))
        return files
