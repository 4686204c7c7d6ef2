"""Load and validate config/config.yaml: the single place where paths and settings are decided.

Everything that changes often (data file, target, features, model and hyper-parameters, split,
thresholds, serving) lives in the YAML file, so changing it never needs a code edit. Validation is
strict (unknown keys are errors) because a typo that is silently ignored trains the wrong model.
"""

from __future__ import annotations

import importlib.util
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from .errors import ConfigError, validation_message

PACKAGE = __name__.split(".")[0]
#: Environment variable that points at another config file (e.g. MY_PROJECT_CONFIG).
CONFIG_ENV_VAR = f"{PACKAGE.upper()}_CONFIG"
DEFAULT_CONFIG = Path("config") / "config.yaml"

Task = Literal["classification", "regression"]
#: Formats a trained model is also written in, beside model.joblib (see exports.py).
ExportFormat = Literal["skops", "onnx", "pmml"]


class _Strict(BaseModel):
    # extra="forbid": a misspelled key must fail loudly instead of being ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataConfig(_Strict):
    source: str
    #: One file, a glob (data/raw/*.csv) or a list of them: new labelled data arrives as new
    #: files, and the data step reads them all (sources.py).
    raw_path: Path | list[Path]
    processed_dir: Path = Path("data/processed")
    target: str = Field(min_length=1)

    @field_validator("raw_path", mode="before")
    @classmethod
    def _path_or_list(cls, value: Any) -> Any:
        """One message per mistake, instead of pydantic's one per member of the union."""
        example = "e.g. data/raw/*.csv, or [data/raw/first.csv, data/raw/new-*.csv]"
        entries = value if isinstance(value, list) else [value]
        if isinstance(value, list) and not value:
            raise ValueError(f"the list is empty: name at least one file or glob, {example}")
        for entry in entries:
            if not isinstance(entry, str | Path) or not str(entry).strip():
                raise ValueError(
                    f"must be a file path or a glob (text), or a list of them, {example}"
                )
        if len({str(entry) for entry in entries}) < len(entries):
            raise ValueError("names the same entry twice: list each file or glob once")
        return value

    @property
    def raw_entries(self) -> list[Path]:
        """data.raw_path as a list, as written (a single path is a list of one)."""
        return list(self.raw_path) if isinstance(self.raw_path, list) else [self.raw_path]

    @property
    def raw_spec(self) -> str:
        """data.raw_path as written, for messages and metadata (a list joined with commas)."""
        return ", ".join(entry.as_posix() for entry in self.raw_entries)


def is_glob(path: Path) -> bool:
    """Whether a data.raw_path entry is a pattern (*, ? or [...]) rather than one file."""
    return any(char in path.as_posix() for char in "*?[")


class CustomFeatureConfig(_Strict):
    """One custom transformer (transformers/): the columns it takes, and its constructor's
    arguments. Its columns go through it instead of the numeric or categorical steps."""

    columns: list[str] = []
    params: dict[str, Any] = {}

    @field_validator("columns", "params", mode="before")
    @classmethod
    def _empty(cls, value: Any, info: Any) -> Any:
        """`columns:` or `params:` left empty in the YAML means none."""
        return ([] if info.field_name == "columns" else {}) if value is None else value


class FeaturesConfig(_Strict):
    numeric: Literal["auto"] | list[str] = "auto"
    categorical: Literal["auto"] | list[str] = "auto"
    #: Text columns holding dates, turned into date parts (see dates.py).
    dates: Literal["auto"] | list[str] = "auto"
    drop: list[str] = []
    max_categories: int = Field(default=50, ge=2)
    #: This project's own transformers by name (transformers/__init__.py), each with its columns.
    custom: dict[str, CustomFeatureConfig] = {}

    @field_validator("custom", mode="before")
    @classmethod
    def _no_custom(cls, value: Any) -> Any:
        return {} if value is None else value  # `custom:` with every feature removed

    @field_validator("numeric", "categorical", "dates", mode="before")
    @classmethod
    def _auto_or_names(cls, value: Any) -> Any:
        """One clear message instead of pydantic's one-line-per-union-member errors."""
        if value == "auto":
            return value
        if not isinstance(value, list):
            raise ValueError(
                f"must be auto or a list of column names, e.g. [age, income]; got {value!r}"
            )
        for name in value:
            if not isinstance(name, str):
                raise ValueError(f"column names must be text: quote {name!r} in the YAML list")
        return value

    @model_validator(mode="after")
    def _no_overlap(self) -> FeaturesConfig:
        """A column in two lists (e.g. numeric and drop) has no single meaning: refuse it."""
        keys = ("numeric", "categorical", "dates", "drop")
        lists = {key: set(value) for key in keys if isinstance(value := getattr(self, key), list)}
        pairs = [(first, second) for i, first in enumerate(keys) for second in keys[i + 1 :]]
        # A custom feature's columns may also be listed as numeric, categorical or dates (their
        # kind as input), but not dropped, nor fed to two custom features.
        custom = [f"custom.{name}" for name in self.custom]
        lists.update({f"custom.{name}": set(f.columns) for name, f in self.custom.items()})
        pairs += [("drop", key) for key in custom]
        pairs += [(first, second) for i, first in enumerate(custom) for second in custom[i + 1 :]]
        for first, second in pairs:
            both = sorted(lists.get(first, set()) & lists.get(second, set()))
            if both:
                raise ValueError(
                    f"column(s) {', '.join(both)} listed in both features.{first} and "
                    f"features.{second}; keep each column in one list"
                )
        return self


class SplitConfig(_Strict):
    test_size: float = Field(default=0.2, gt=0.0, lt=1.0)
    seed: int = 42
    stratify: bool = True


class ModelConfig(_Strict):
    name: str
    #: Hyper-parameters per model name (model.params.<name>.<parameter>), so that switching
    #: models is a change of `name` alone. The shape is checked by estimators.check_params,
    #: whose messages say where a misplaced parameter belongs.
    params: dict[str, Any] = {}

    @field_validator("params", mode="before")
    @classmethod
    def _empty_params(cls, value: Any) -> Any:
        return {} if value is None else value  # `params:` with every block removed

    @property
    def chosen_params(self) -> dict[str, Any]:
        """The hyper-parameters of the chosen model (an empty or absent block: the defaults)."""
        return dict(self.params.get(self.name) or {})


class CVConfig(_Strict):
    folds: int = Field(default=5, ge=2, le=20)


class GateConfig(_Strict):
    primary_metric: str
    min: dict[str, float] = {}
    max: dict[str, float] = {}
    must_beat_baseline: bool = True
    #: How much worse than the production model (on primary_metric) a new model may score and
    #: still replace it: 0.0 means never worse.
    tolerance: float = Field(default=0.0, ge=0.0)
    #: The data the thresholds were chosen for (a data.source, or a data.raw_path): when the
    #: data changes, a failed gate can say that its thresholds were meant for other data.
    thresholds_for: str | None = None


class BatchingConfig(_Strict):
    """Micro-batching: concurrent requests predicted in one model call (see batching.py)."""

    enabled: bool = True
    #: How long a request may wait for others when the model is idle; 0: never (requests still
    #: gather while a prediction is running, which is where batching helps most).
    max_wait_ms: float = Field(default=0.0, ge=0.0, le=1000.0)
    #: Rows per model call at most (a larger request is predicted on its own).
    max_rows: int = Field(default=1000, ge=1)


class ServeConfig(_Strict):
    #: What runs the model: the scikit-learn pipeline (joblib, or skops when exported), or
    #: onnxruntime on the version's model.onnx (needs onnx in `exports`).
    backend: Literal["joblib", "onnx"] = "joblib"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: Server processes, each with its own copy of the model.
    workers: int = Field(default=1, ge=1, le=64)
    max_instances: int = Field(default=1000, ge=1)
    #: Larger request bodies are refused (413) before they are parsed: JSON parsing of a huge
    #: body costs memory and time even when validation would reject it afterwards.
    max_body_bytes: int = Field(default=10_000_000, ge=1024)
    batching: BatchingConfig = BatchingConfig()


class PredictConfig(_Strict):
    #: Batch prediction reads, predicts and writes this many rows at a time: memory grows with
    #: it (and with the number of columns), and so does the time saved per call of the model.
    chunk_rows: int = Field(default=100_000, ge=1)


class PredictionLogConfig(_Strict):
    """The API's log of every prediction, which `monitor` compares with the training data."""

    enabled: bool = True
    #: The file of the first server process; others write beside it (prediction_log.py).
    path: Path = Path("logs/predictions.jsonl")
    #: Size at which the file is rotated, in megabytes; `backups` rotated files are kept.
    max_mb: float = Field(default=20.0, gt=0.0, le=10_000.0)
    backups: int = Field(default=4, ge=0, le=100)


class MonitorConfig(_Strict):
    """What `monitor` compares and when it calls a difference drift (see drift.py)."""

    prediction_log: PredictionLogConfig = PredictionLogConfig()
    #: A feature drifts when its population stability index reaches this...
    psi_threshold: float = Field(default=0.2, gt=0.0)
    #: ...and its test (Kolmogorov-Smirnov or chi-square) is significant at this level, shared
    #: by all the features tested (Bonferroni), so that many features do not mean false alarms.
    alpha: float = Field(default=0.01, gt=0.0, lt=1.0)
    #: A change of a column's share of missing values by more than this is drift.
    max_missing_change: float = Field(default=0.1, gt=0.0, le=1.0)
    #: A categorical column drifts when more than this share of its values was never seen.
    max_unseen_share: float = Field(default=0.05, ge=0.0, le=1.0)
    #: Fewer rows than this give no verdict: too few for a test to mean anything.
    min_rows: int = Field(default=30, ge=5)


class PathsConfig(_Strict):
    models_dir: Path = Path("models")
    reports_dir: Path = Path("reports")


class MlflowConfig(_Strict):
    """Experiment tracking (tracking.py): off unless the project was set up for MLflow."""

    enabled: bool = False
    #: The MLflow experiment the runs go to; default: the project's package name.
    experiment: str | None = Field(default=None, min_length=1)
    #: A folder (a local store: SQLite database and artifacts) or any MLflow tracking URI;
    #: $MLFLOW_TRACKING_URI overrides it.
    tracking_uri: str = Field(default="mlruns", min_length=1)

    @model_validator(mode="after")
    def _installed(self) -> MlflowConfig:
        """Refused before training rather than after: the tracking module and MLflow must exist
        (looked up, not imported: MLflow takes seconds to import)."""
        if self.enabled and find_spec(f"{PACKAGE}.tracking") is None:
            raise ValueError(
                "enabled is true but this project was not set up for MLflow: run `mlpipeline "
                "add mlflow` in it, or set mlflow.enabled: false"
            )
        if self.enabled and find_spec("mlflow") is None:
            raise ValueError(
                "enabled is true but MLflow is not installed: run `make install`, or set "
                "mlflow.enabled: false"
            )
        return self


class Config(_Strict):
    """The validated configuration. Paths are resolved against the project root."""

    task: Task
    data: DataConfig
    features: FeaturesConfig = FeaturesConfig()
    split: SplitConfig = SplitConfig()
    model: ModelConfig
    cv: CVConfig = CVConfig()
    gate: GateConfig
    serve: ServeConfig = ServeConfig()
    predict: PredictConfig = PredictConfig()
    monitor: MonitorConfig = MonitorConfig()
    paths: PathsConfig = PathsConfig()
    #: Written beside model.joblib at training, each with its sha256 in the metadata.
    exports: list[ExportFormat] = []
    mlflow: MlflowConfig = MlflowConfig()
    _root: Path = PrivateAttr(default_factory=Path.cwd)

    @model_validator(mode="after")
    def _check_consistency(self) -> Config:
        """Cross-field checks, so that a bad combination fails before any data is read.

        Dataset, model and metric names are checked by the modules that own those lists. They
        are imported here, not at the top: the CLI imports this module for every command,
        including --help, which should not pay for importing pandas and scikit-learn.
        """
        from .estimators import check_params
        from .metrics import check_thresholds
        from .samples import OWN_FILE, check_source

        check_source(self.data.source, self.task)
        if self.data.source != OWN_FILE and is_glob(self.data.raw_entries[0]):
            raise ValueError(
                f"data.raw_path: the bundled '{self.data.source}' sample is written to one file, "
                f"so the first entry must be a file, not the pattern {self.data.raw_entries[0]}; "
                "e.g. raw_path: [data/raw/sample.csv, data/raw/new-*.csv]"
            )
        check_thresholds(self.task, self.gate.primary_metric, self.gate.min, self.gate.max)
        target = self.data.target
        for key in ("numeric", "categorical", "dates", "drop"):
            listed = getattr(self.features, key)
            if isinstance(listed, list) and target in listed:
                raise ValueError(f"features.{key} lists the target '{target}'; remove it")
        for name, feature in self.features.custom.items():
            if target in feature.columns:
                raise ValueError(
                    f"features.custom.{name}.columns lists the target '{target}'; remove it"
                )
        if self.features.custom:
            from .features import check_custom

            check_custom({name: f.params for name, f in self.features.custom.items()})
        check_params(self.task, self.model.name, self.model.params)
        if len(set(self.exports)) != len(self.exports):
            raise ValueError("exports lists a format twice; list each once")
        for name in self.exports:
            if importlib.util.find_spec(f"{PACKAGE}.export_{name}") is None:
                raise ValueError(
                    f"exports lists {name}, but this project has no {PACKAGE}.export_{name} "
                    f"module: regenerate it with `mlpipeline --exports {name}`, or remove {name}"
                )
        if self.serve.backend == "onnx" and "onnx" not in self.exports:
            raise ValueError(
                "serve.backend is onnx but exports does not list onnx: add it to exports and "
                "retrain (`make all`), or set serve.backend: joblib"
            )
        return self

    # --- paths: the one place that decides where things live -----------------------------
    @property
    def root(self) -> Path:
        return self._root

    def resolve(self, path: Path) -> Path:
        """Resolve a config path against the project root (absolute paths are kept)."""
        return path if path.is_absolute() else self._root / path

    @property
    def raw_path(self) -> Path:
        """The first entry of data.raw_path: the one file, or where a bundled sample goes."""
        return self.resolve(self.data.raw_entries[0])

    @property
    def raw_entries(self) -> list[Path]:
        """Every entry of data.raw_path (files or globs), resolved; sources.py expands them."""
        return [self.resolve(entry) for entry in self.data.raw_entries]

    @property
    def processed_dir(self) -> Path:
        return self.resolve(self.data.processed_dir)

    @property
    def train_path(self) -> Path:
        return self.processed_dir / "train.csv"

    @property
    def test_path(self) -> Path:
        return self.processed_dir / "test.csv"

    @property
    def models_dir(self) -> Path:
        return self.resolve(self.paths.models_dir)

    @property
    def reports_dir(self) -> Path:
        return self.resolve(self.paths.reports_dir)

    @property
    def prediction_log_path(self) -> Path:
        return self.resolve(self.monitor.prediction_log.path)

    @property
    def figures_dir(self) -> Path:
        return self.reports_dir / "figures"


def find_config(path: str | Path | None = None) -> Path:
    """Locate the config file: explicit path, then $<PACKAGE>_CONFIG, then search upwards.

    Searching upwards from the working directory lets every command run from any sub-folder
    (e.g. notebooks/) and still find the project root.
    """
    if path is None:
        path = os.environ.get(CONFIG_ENV_VAR) or None
    if path is not None:
        candidate = Path(path).expanduser().resolve()
        if not candidate.is_file():
            raise ConfigError(f"config file not found: {candidate}")
        return candidate
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_CONFIG
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"no {DEFAULT_CONFIG} found in {here} or its parents; run from the project folder, "
        f"pass --config, or set {CONFIG_ENV_VAR}"
    )


def parse_config(data: dict[str, Any], root: Path, source: Path | None = None) -> Config:
    """Validate a config mapping; `root` is the directory that relative paths start from."""
    try:
        config = Config.model_validate(data)
    except ValidationError as error:
        title = f"invalid configuration in {source or root / DEFAULT_CONFIG}:"
        raise ConfigError(validation_message(error, Config, title)) from None
    config._root = root.resolve()
    return config


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate the project configuration (see `find_config` for the lookup order)."""
    source = find_config(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        raise ConfigError(
            f"{source} is not UTF-8 text (byte 0x{error.object[error.start]:02x} on line "
            f"{line}); save it as UTF-8 in your editor"
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{source} is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must contain a mapping of settings at the top level")
    # The project root is the folder that holds config/config.yaml.
    root = source.parent.parent if source.parent.name == "config" else source.parent
    return parse_config(data, root, source)
