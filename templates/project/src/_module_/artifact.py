"""The model versions on disk: saving a version, finding one, checking it.

Training saves a new folder models/<version>/ (model.joblib, metadata.json, model_card.md) but
does not make it current: only the validation gate (`evaluate`) or `models promote` makes a
version production, in models/registry.json (registry.py). So a model that fails the gate is
never the one batch prediction and the API load. This module is the single place that knows the
file layout, shared by training, evaluation and prediction; what the metadata says is decided
in metadata.py.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import socket
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import joblib

from .card import write_model_card
from .errors import ModelNotFoundError, one_line

log = logging.getLogger(__name__)

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
LATEST_FILE = "latest.json"


def file_sha256(path: Path) -> str:
    """Fingerprint of a file: ties a model to its data, and its metadata to model.joblib."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json(payload: dict[str, Any], path: Path, indent: int | None = 2) -> None:
    """Indented JSON (readable in a diff); values JSON lacks (dates, paths) are written as text.

    Written to a temporary file beside `path`, flushed to disk, then renamed over it: a reader
    or a crash never sees a half-written file. The temporary name is unique but the file is
    opened as any other (mode from the umask, unlike tempfile's owner-only 0600), so a service
    running as another user of the group can read what training wrote.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, indent=indent, default=str) + "\n"
    partial = path.parent / f".{path.name}.{uuid.uuid4().hex}.tmp"
    try:
        with partial.open("x", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


# --- saving ---------------------------------------------------------------------------------
def new_version(models_dir: Path) -> str:
    """A UTC timestamp: sorts by time, and is unique (a suffix is added on collision)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    version, counter = stamp, 1
    while (models_dir / version).exists():
        counter += 1
        version = f"{stamp}-{counter}"
    return version


#: Prefix of a version being written: .partial.<host>.<pid>.<random>, renamed when complete.
PARTIAL = ".partial."


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def remove_abandoned(models_dir: Path) -> int:
    """Remove the half-written versions of trainings that were killed (SIGKILL, a lost machine)
    before renaming them into place: each can weigh as much as a model. Only folders named
    after this host and a process that no longer runs are removed; a training still running,
    or one on another machine sharing the folder, is left alone. Returns the bytes freed."""
    removed, freed = [], 0
    for folder in models_dir.glob(f"{PARTIAL}*"):
        host, _, rest = folder.name[len(PARTIAL) :].rpartition(".")[0].rpartition(".")
        if host != socket.gethostname() or not rest.isdigit() or _running(int(rest)):
            continue
        freed += sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    if removed:
        log.warning(
            "removed %d half-written version folder(s) left by a training that was killed: %s",
            len(removed),
            ", ".join(folder.name for folder in removed),
        )
    return freed


def save_artifact(
    pipeline: Any,
    metadata: dict[str, Any],
    models_dir: Path,
    write_extra: Callable[[Path], dict[str, Any]] | None = None,
) -> Path:
    """Write models/<version>/{model.joblib,metadata.json,model_card.md} and record the version
    as a candidate; the metadata gains the version and the artifact's sha256.

    `write_extra` writes more files into the version's folder (exports, see exports.py) and
    returns what the metadata records about them. The files are written in a hidden folder that
    is renamed into place once complete, so a crash, or an export that fails, never leaves a
    half-written version. It is not promoted here (see registry.py).
    """
    from . import registry  # registry.py builds on this module

    models_dir.mkdir(parents=True, exist_ok=True)
    remove_abandoned(models_dir)
    # Not tempfile.mkdtemp: its folder is owner-only (0700), and renamed into place it would
    # hide the version from a service running as another user; mkdir follows the umask.
    staging = models_dir / f"{PARTIAL}{socket.gethostname()}.{os.getpid()}.{uuid.uuid4().hex}"
    staging.mkdir()
    try:
        joblib.dump(pipeline, staging / MODEL_FILE)
        digest = file_sha256(staging / MODEL_FILE)
        extra = write_extra(staging) if write_extra else {}
        # Named under the registry's lock: two trainings in the same second get distinct versions.
        with registry.update(models_dir) as versions_on_record:
            version = new_version(models_dir)
            # What an earlier version recorded about its own files does not carry over.
            kept = {key: value for key, value in metadata.items() if key != "exports"}
            metadata = {
                "version": version,
                **kept,
                "artifact": {"file": MODEL_FILE, "sha256": digest},
                **extra,
            }
            write_json(metadata, staging / METADATA_FILE)
            write_model_card(staging, metadata)
            folder = models_dir / version
            staging.rename(folder)
            versions_on_record["versions"][version] = registry.entry_from(metadata)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # no half-written version left behind
        raise
    log.info("saved model %s to %s (not current until `make evaluate` passes)", version, folder)
    return folder


# --- finding and checking -------------------------------------------------------------------
def version_key(folder: Path) -> tuple[str, int]:
    """Sort key for version folders: '20250101T120000Z' < '...Z-2' < '...Z-10'."""
    stamp, _, counter = folder.name.partition("-")
    return stamp, int(counter) if counter.isdigit() else 1


def versions(models_dir: Path) -> list[Path]:
    """Every saved model folder (one with a metadata file), oldest first."""
    if not models_dir.is_dir():
        return []
    found = [
        path
        for path in models_dir.iterdir()
        if not path.name.startswith(".") and (path / METADATA_FILE).is_file()
    ]
    return sorted(found, key=version_key)


def newest_version(models_dir: Path) -> Path:
    """The most recently trained version, promoted or not: what `evaluate` checks by default."""
    found = versions(models_dir)
    if not found:
        raise ModelNotFoundError(f"no trained model in {models_dir}; run `make train` first")
    return found[-1]


def read_json(path: Path, fix: str) -> Any:
    """A JSON file of the registry; a damaged one is an error that says how to recover."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelNotFoundError(f"{path} is not valid JSON ({error}); {fix}") from None


def promoted_version(models_dir: Path) -> Path:
    """The folder of the production model, as models/registry.json names it."""
    from . import registry  # registry.py builds on this module

    version = registry.production(registry.read(models_dir))
    if version is not None and (Path(version).name != version or version in {".", ".."}):
        raise ModelNotFoundError(f"{models_dir} names production version {version!r}: not a folder")
    if version is None:
        raise ModelNotFoundError(
            f"no promoted model in {models_dir}: run `make all` (train then evaluate); a trained "
            "model becomes current only when it passes the validation gate"
        )
    folder = models_dir / version
    if not folder.is_dir():
        raise ModelNotFoundError(
            f"production version {version} is missing from {models_dir}; run `models rollback` "
            "or `models promote VERSION`"
        )
    return folder


def read_metadata(model_dir: Path) -> dict[str, Any]:
    path = model_dir / METADATA_FILE
    if not path.is_file():
        raise ModelNotFoundError(f"{path} not found; is {model_dir} a model folder?")
    fix = "retrain with `make all`, or pass --model-dir with another version"
    metadata = read_json(path, fix)
    required = ("task", "input_schema")
    if not isinstance(metadata, dict) or any(key not in metadata for key in required):
        raise ModelNotFoundError(f"{path} lacks {' and '.join(required)}; {fix}")
    return metadata


def verified_file(path: Path, expected: str | None, fix: str) -> Path:
    """`path`, once its sha256 matches `expected` (the one recorded at training): a file swapped
    or corrupted since is refused instead of silently serving something else. `fix` says what
    to run instead."""
    if not path.is_file():
        raise ModelNotFoundError(f"{path} not found; {fix}")
    if expected is not None and file_sha256(path) != expected:
        raise ModelNotFoundError(
            f"{path} does not match the sha256 in its metadata (changed after training); {fix}"
        )
    return path


def checked_model_file(model_dir: Path, metadata: dict[str, Any]) -> Path:
    """model.joblib, verified against the sha256 in the version's metadata."""
    expected = metadata.get("artifact", {}).get("sha256")
    return verified_file(model_dir / MODEL_FILE, expected, "retrain with `make train`")


def load_pipeline(model_dir: Path, metadata: dict[str, Any]) -> Any:
    """The fitted pipeline in model_dir, checked against its metadata first.

    A matching hash proves the file is the one training wrote, not that it still loads: another
    scikit-learn version, or a file damaged before it was hashed, fails inside unpickling with any
    kind of exception, which is reported as the model's problem.
    """
    path = checked_model_file(model_dir, metadata)
    try:
        pipeline = joblib.load(path)
    except Exception as error:  # whatever unpickling raises, the file is unusable
        trained = metadata.get("libraries", {}).get("scikit-learn")
        hint = f" (trained with scikit-learn {trained})" if trained else ""
        raise ModelNotFoundError(
            f"{path} cannot be loaded{hint}: {one_line(error)}; retrain with `make all`"
        ) from error
    if not hasattr(pipeline, "predict"):
        raise ModelNotFoundError(f"{path} holds a {type(pipeline).__name__}, not a model")
    return pipeline


# --- promoting ------------------------------------------------------------------------------
def promote(models_dir: Path, folder: Path, reason: str = "passed the gate") -> bool:
    """Make `folder` the production version; False when it is not inside `models_dir`."""
    from . import registry  # registry.py builds on this module

    if folder.resolve().parent != models_dir.resolve():
        log.warning("not promoting %s: it is not a version folder inside %s", folder, models_dir)
        return False
    registry.set_production(models_dir, folder.name, reason)
    return True
