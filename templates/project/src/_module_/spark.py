"""Batch prediction on Spark (`predict --engine spark`): the same artifact and the same rules as
the pandas engine (batch.py), spread over a cluster, or over this machine's cores.

Input and output are anything Spark reads and writes: a CSV or Parquet file, or a folder of
part files, on local disk or shared storage (hdfs://, s3://, dbfs:/). A CSV is read as text, so
its columns are written back exactly as they were; the model's columns are parsed as training
parsed them (spark_worker.py). A quoted CSV value may span lines, so Spark reads each CSV file
in one task: a folder of several files, or Parquet, spreads the work over the cores.

The output is a folder of part files, one per input partition, as Spark writes. Rows keep their
order within each part, and the parts follow the input's splits: for a single input file,
reading the part files in name order gives the input's order. Spark packs the files of an input
folder largest first, so across input files the order is not kept.
"""

from __future__ import annotations

import logging
import re
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from .artifact import promoted_version
from .batch import mismatch
from .config import Config, load_config
from .errors import DataError, InputError, PipelineError
from .predict import Predictor
from .spark_paths import check_output, input_format, output_format
from .spark_session import check_pyspark, command_session, root_cause, spark_error, spark_log
from .spark_worker import ARTIFACT_FILES, read_artifact, score_partition
from .tables import check_unique_names

log = logging.getLogger(__name__)

CSV_READ = {"header": "true", "escape": '"', "multiLine": "true", "mode": "FAILFAST"}
# Every value as read: no trimming, and an empty text written as an empty cell, like pandas.
CSV_WRITE = {
    "header": "true",
    "escape": '"',
    "emptyValue": "",
    "ignoreLeadingWhiteSpace": "false",
    "ignoreTrailingWhiteSpace": "false",
}
CASE_SENSITIVE = "spark.sql.caseSensitive"
#: A URI such as s3://bucket/models/v1 or dbfs:/models/v1 (not a Windows drive letter).
URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")


def predict_with_spark(
    input_path: str,
    output_path: str,
    model_dir: str | None,
    cfg: Config | None,
    verbose: bool = False,
    spark: Any = None,
) -> int:
    """Batch prediction with Spark: rows in, the same rows plus prediction columns out.

    `cfg` is needed only without `model_dir`, to find the promoted model. `spark`: a session to
    use (left running); by default the command's own (see spark_session.py), stopped at the end.
    Returns the number of rows predicted.
    """
    check_pyspark()
    owned = False
    if spark is None:
        spark, owned = command_session(verbose)
    spark_output = spark_log(spark) if owned else ""
    case_sensitive = spark.conf.get(CASE_SENSITIVE, "false")
    spark.conf.set(CASE_SENSITIVE, "true")  # `Age` and `age` are two columns, as in pandas
    try:
        return run(spark, input_path, output_path, model_dir, cfg)
    except PipelineError:
        raise
    except Exception as error:  # a Spark job failed: its cause in one line, and where its log is
        spark_output = ""
        raise spark_error(error, spark) from error
    finally:
        if owned:
            spark.stop()
        else:  # a caller's session is left as it was
            spark.conf.set(CASE_SENSITIVE, case_sensitive)
        if spark_output:  # nothing in it to read
            Path(spark_output).unlink(missing_ok=True)


def run(
    spark: Any, input_path: str, output_path: str, model_dir: str | None, cfg: Config | None
) -> int:
    fmt = input_format(spark, input_path)
    out_fmt = output_format(output_path, fmt)
    check_output(spark, input_path, output_path)
    predictor, files, folder = load_model(spark, model_dir, cfg)
    rows = read_rows(spark, input_path, fmt)
    missing = [name for name in predictor.columns if name not in rows.columns]
    if missing:
        raise mismatch(predictor.metadata, folder, model_dir is None, missing, input_path)
    rows = drop_old_predictions(rows, predictor)
    if rows.isEmpty():
        raise InputError(f"{input_path} has no rows to predict")
    context = spark.sparkContext
    artifact, counter = context.broadcast(files), context.accumulator(0)
    score = partial(score_partition, artifact, rows.columns, fmt == "csv", counter)
    positional = rows.toDF(*(f"_{index}" for index in range(len(rows.columns))))
    scored = positional.mapInPandas(score, output_schema(rows.schema, predictor))
    log.info("predicting %s with Spark (%d partitions)", input_path, rows.rdd.getNumPartitions())
    try:
        write_rows(scored, output_path, out_fmt)
    finally:
        artifact.destroy()
    log.info("wrote %d predictions to %s (a folder of part files)", counter.value, output_path)
    return int(counter.value)


def write_rows(scored: Any, path: str, fmt: str) -> None:
    """Write the folder of part files. In CSV, booleans are written True and False, as pandas
    writes them (Spark would write true and false)."""
    if fmt == "parquet":
        scored.write.mode("overwrite").parquet(path)
        return
    from pyspark.sql import functions
    from pyspark.sql.types import BooleanType

    for field in scored.schema.fields:
        if isinstance(field.dataType, BooleanType):
            column = functions.col("`" + field.name.replace("`", "``") + "`")
            text = functions.when(column, "True").when(~column, "False")
            scored = scored.withColumn(field.name, text)
    scored.write.mode("overwrite").options(**CSV_WRITE).csv(path)


def load_model(
    spark: Any, model_dir: str | None, cfg: Config | None
) -> tuple[Predictor, Any, Path]:
    """The model (checked and loaded here first), the bytes the executors load it from, and its
    folder. A model on shared storage (s3://..., dbfs:/...) is fetched through Spark."""
    if model_dir is None or not URI.match(model_dir):
        folder = (
            Path(model_dir) if model_dir else promoted_version((cfg or load_config()).models_dir)
        )
        return Predictor.load(folder, cfg=cfg), read_artifact(folder), folder
    files = fetch_model(spark, model_dir)
    with tempfile.TemporaryDirectory(prefix="model-") as local:
        for name, content in files.items():
            (Path(local) / name).write_bytes(content)
        predictor = Predictor.load(local)
    return predictor, files, Path(model_dir.rstrip("/").rsplit("/", 1)[-1])


def fetch_model(spark: Any, uri: str) -> dict[str, bytes]:
    """The model files at `uri`, read by Spark from wherever it can read (HDFS, S3, DBFS)."""
    paths = ",".join(f"{uri.rstrip('/')}/{name}" for name in ARTIFACT_FILES)
    try:
        found = spark.sparkContext.binaryFiles(paths).collect()
    except Exception as error:
        raise DataError(f"cannot read the model in {uri}: {root_cause(error)}") from None
    return {
        name: bytes(data)
        for path, data in found
        for name in ARTIFACT_FILES
        if path.endswith(f"/{name}")
    }


def read_rows(spark: Any, path: str, fmt: str) -> Any:
    """The input as Spark reads it: CSV as text (every column a string), Parquet typed."""
    try:
        if fmt == "parquet":
            return spark.read.parquet(path)
        check_header(spark, path)
        rows = spark.read.options(**CSV_READ).csv(path)
    except PipelineError:
        raise
    except Exception as error:
        raise DataError(f"{path} is not a readable {fmt} input: {root_cause(error)}") from None
    if not rows.columns:
        raise DataError(f"{path} is empty: a CSV file needs a header row and data rows")
    return rows


def check_header(spark: Any, path: str) -> None:
    """Every column named once (Spark would rename a repeated `x` to `x0`, `x3`, so that the
    output's header would no longer be the input's), in UTF-8."""
    first = spark.read.options(**{**CSV_READ, "header": "false"}).csv(path).limit(1).collect()
    header = [str(name) for name in first[0] if name is not None] if first else []
    if any("\ufffd" in name for name in header):  # how Spark reads bytes that are not UTF-8
        raise DataError(
            f"{path} is not UTF-8 text (its header); save it as UTF-8 (spreadsheets: "
            "'CSV UTF-8'; or iconv -f latin1 -t utf-8) and use that file"
        )
    check_unique_names(header, path)


def drop_old_predictions(rows: Any, predictor: Predictor) -> Any:
    """Replace the prediction columns of an earlier run; warn about unused columns once."""
    stale = [name for name in rows.columns if name in predictor.output_columns]
    if stale:
        log.warning("replacing column(s) from an earlier prediction: %s", ", ".join(stale))
        rows = rows.drop(*stale)
    expected = {*predictor.columns, *predictor.known_extras}
    unknown = [name for name in rows.columns if name not in expected]
    if unknown:
        log.warning("ignoring column(s) the model does not use: %s", ", ".join(unknown))
    return rows


def output_schema(schema: Any, predictor: Predictor) -> Any:
    """The input's columns, then `prediction` and (classifiers) one `proba_<class>` per class."""
    from pyspark.sql.types import DoubleType, StructField, StructType

    fields = [StructField("prediction", prediction_type(predictor))]
    fields += [StructField(name, DoubleType()) for name in predictor.output_columns[1:]]
    return StructType([*schema.fields, *fields])


def prediction_type(predictor: Predictor) -> Any:
    """The Spark type of the predictions: numbers for regression, the classes' own type."""
    from pyspark.sql.types import BooleanType, DoubleType, LongType, StringType

    classes = predictor.classes
    if predictor.task != "classification" or classes is None:
        return DoubleType()
    if all(isinstance(name, bool) for name in classes):
        return BooleanType()
    if any(isinstance(name, bool) or not isinstance(name, int | float) for name in classes):
        return StringType()
    return LongType() if all(isinstance(name, int) for name in classes) else DoubleType()
