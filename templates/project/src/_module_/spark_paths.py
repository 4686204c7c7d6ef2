"""The input and output paths of `predict --engine spark`: their format, and the checks made
before any slow work, through Hadoop's file system API (the one Spark reads and writes with), so
that they hold for local paths and for hdfs://, s3:// or dbfs:/ alike.

The output is a folder that Spark replaces as a whole, so it may not be, hold or lie inside the
input, and an existing folder is replaced only when an earlier run wrote it (Spark's `_SUCCESS`
marker) or a failed run left it empty: never a folder of the user's own files.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .errors import DataError

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


def name_format(name: str) -> str | None:
    """'csv' for data.csv or part-0000.csv.gz, 'parquet' for part-0000.snappy.parquet."""
    found = [FORMATS[suffix] for suffix in Path(name).suffixes if suffix.lower() in FORMATS]
    return found[-1] if found else None


def hadoop_path(spark: Any, path: str) -> tuple[Any, Any]:
    """The file system that holds `path`, and `path` made absolute on it."""
    jvm = spark.sparkContext._jvm
    given = jvm.org.apache.hadoop.fs.Path(path)
    system = given.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    return system, system.makeQualified(given)


def input_format(spark: Any, path: str) -> str:
    """'csv' or 'parquet': by the name's extension, else by the files in the folder."""
    system, qualified = hadoop_path(spark, path)
    if not system.exists(qualified):
        raise DataError(f"file not found: {path}")
    by_name = name_format(path.rstrip("/"))
    if by_name:
        return by_name
    if not system.getFileStatus(qualified).isDirectory():
        suffix = Path(path).suffix
        raise DataError(f"unsupported file type '{suffix}' for {path}; use .csv or .parquet")
    names = [status.getPath().getName() for status in system.listStatus(qualified)]
    found = {name_format(name) for name in names if not name.startswith(("_", "."))} - {None}
    if len(found) != 1:
        held = "both CSV and Parquet files" if found else "no .csv or .parquet file"
        raise DataError(f"{path} holds {held}; give a folder of one kind, or a file")
    return str(found.pop())


def output_format(path: str, input_fmt: str) -> str:
    """The output's format by its extension; a name without one gets the input's format."""
    suffix = Path(path.rstrip("/")).suffix
    if not suffix:
        return input_fmt
    fmt = name_format(path.rstrip("/"))
    if fmt is None:
        raise DataError(f"unsupported file type '{suffix}' for {path}; use .csv or .parquet")
    return fmt


def check_output(spark: Any, input_path: str, output_path: str) -> None:
    """Refuse an output that is, holds or lies in the input; that is a file or a folder of
    other files; or (local paths) that cannot be written."""
    _, source = hadoop_path(spark, input_path)
    system, target = hadoop_path(spark, output_path)
    inside = [a.rstrip("/") + "/" for a in (source.toString(), target.toString())]
    if inside[0].startswith(inside[1]) or inside[1].startswith(inside[0]):
        raise DataError(
            f"--output {output_path} is, holds or lies inside the input {input_path}; write the "
            "predictions elsewhere (the input is never changed)"
        )
    if system.exists(target):
        if not system.getFileStatus(target).isDirectory():
            raise DataError(
                f"--output {output_path} is a file, and Spark writes a folder of part files: "
                "give a new path, or the folder of an earlier run to replace it"
            )
        names = {status.getPath().getName() for status in system.listStatus(target)}
        if "_SUCCESS" not in names and names - {"_temporary"}:
            raise DataError(
                f"--output {output_path} is a folder that no earlier run wrote (it has no "
                "_SUCCESS file); give a new path, or remove that folder first"
            )
    if target.toUri().getScheme() == "file":
        check_local_folder(Path(target.toUri().getPath()), output_path)


def check_local_folder(path: Path, given: str) -> None:
    """The folder Spark would write `path` in exists (or can be made) and is writable."""
    existing = next(folder for folder in (path, *path.parents) if folder.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise DataError(f"cannot write {given}: {existing} is not a writable folder")
