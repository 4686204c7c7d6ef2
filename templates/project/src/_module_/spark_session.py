"""Getting a Spark session for `predict --engine spark`, and Spark's failures as one line.

PySpark is an optional extra and Spark needs Java: both are checked first, so that a missing one
is a sentence that says what to install rather than a Java gateway error. Under `spark-submit`
(or in a notebook on a cluster) the session that exists is used as it is. Otherwise a local one
is started on this machine's cores, with its Python workers on this interpreter. Spark's own
console output (start-up banner, warnings, Java stack traces) goes to a log file that an error
names; `-v` shows it as it comes instead.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .config import PACKAGE
from .errors import EngineError, PipelineError, one_line

log = logging.getLogger(__name__)

INSTALL_HINT = "`make install EXTRAS=spark` (or `pip install -e '.[spark]'`)"
#: Spark 4 runs on Java 17 or 21.
MIN_JAVA = 17
#: A user error raised in a Python worker, as its traceback ends: "<package>.errors.<Type>: ...".
WORKER_ERROR = re.compile(rf"^{re.escape(PACKAGE)}\.errors\.(\w+): (.+)$", re.MULTILINE)


def check_pyspark() -> None:
    """PySpark is installed, or one line that says how to install it."""
    if importlib.util.find_spec("pyspark") is None:
        raise EngineError(f"--engine spark needs PySpark, an optional extra: {INSTALL_HINT}")
    # PySpark warns about every pandas release newer than it was tested with; this project's
    # tests check the Spark engine's predictions against the pandas engine's instead.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def java_major(version_text: str) -> int:
    """17 for 'openjdk version "17.0.15"', 8 for 'java version "1.8.0_292"', 0 if unknown."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not found:
        return 0
    major, minor = found.groups()
    return int(minor or 0) if major == "1" else int(major)


def check_java() -> None:
    """A Java that Spark 4 runs on (17+), found as Spark finds it: $JAVA_HOME, else PATH."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home, "bin", "java")) if home else shutil.which("java")
    where = f"JAVA_HOME={home} has no bin/java" if home else "no java on PATH"
    install = "install a JDK (e.g. `apt install openjdk-17-jre-headless`), or set JAVA_HOME"
    if not java or not Path(java).is_file():
        raise EngineError(f"--engine spark needs Java {MIN_JAVA}+ ({where}): {install}")
    try:
        probe = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as error:
        raise EngineError(
            f"--engine spark needs Java {MIN_JAVA}+: {java} does not run ({error})"
        ) from None
    major = java_major(probe.stderr + probe.stdout)
    if major < MIN_JAVA:
        raise EngineError(
            f"--engine spark needs Java {MIN_JAVA}+, and {java} is Java {major or '(unknown)'}: "
            f"{install} to a newer one"
        )


@contextmanager
def stderr_to(path: Path | None) -> Iterator[None]:
    """Point file descriptor 2 at `path` while a child process is started, so that the process
    (the JVM, and the Python workers it starts) writes its console output there for good."""
    if path is None:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with path.open("ab") as log_file:
            os.dup2(log_file.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def local_session(master: str | None = None, verbose: bool = False, **conf: str) -> Any:
    """A Spark session on this machine (`master`: Spark's default local[*] unless given).

    The JVM's console output goes to a log file, whose path `spark_log(session)` gives, unless
    `verbose`. `conf` adds Spark settings, e.g. `**{"spark.ui.enabled": "false"}`.
    """
    check_pyspark()
    check_java()
    from pyspark.sql import SparkSession

    log_path = None if verbose else Path(tempfile.mkstemp(prefix="spark-", suffix=".log")[1])
    builder = SparkSession.builder.appName(f"{PACKAGE} predict")
    settings = {"spark.ui.showConsoleProgress": "false"} | conf
    if master:
        settings["spark.master"] = master
    # The Python workers run this interpreter, with this environment's packages (the project).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    for key, value in settings.items():
        builder = builder.config(key, value)
    with stderr_to(log_path):
        try:
            session = builder.getOrCreate()
        except Exception as error:
            where = f" (Spark's log: {log_path})" if log_path else ""
            raise EngineError(f"Spark did not start: {one_line(error)}{where}") from error
    session.sparkContext.setLogLevel("INFO" if verbose else "ERROR")
    session.conf.set(f"{PACKAGE}.log", str(log_path or ""))
    return session


def spark_log(session: Any) -> str:
    """Where Spark's console output goes, for error messages: '' when it is on the console."""
    return session.conf.get(f"{PACKAGE}.log", "")


def command_session(verbose: bool) -> tuple[Any, bool]:
    """The session to predict with, and whether this command started it (and must stop it):
    one that a notebook or a caller has started; else, under `spark-submit`, the one its
    settings (master, resources) make; else a local one."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active, False
    if os.environ.get("PYSPARK_GATEWAY_PORT"):  # spark-submit started the JVM for this process
        return SparkSession.builder.appName(f"{PACKAGE} predict").getOrCreate(), True
    return local_session(verbose=verbose), True


def root_cause(error: BaseException) -> str:
    """The most specific line of a Spark failure: the innermost Java cause, or the message."""
    java = getattr(error, "java_exception", None)
    if java is not None:
        while java.getCause() is not None:
            java = java.getCause()
        text = str(java.getMessage() or java.toString())
    else:
        text = str(error)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return re.sub(r"\s*SQLSTATE: \w+\.?$", "", lines[0]) if lines else type(error).__name__


def spark_error(error: Exception, session: Any) -> PipelineError:
    """A failure inside a Spark job as one line: a user error raised by a worker keeps its
    type and message; anything else is Spark's most specific line, and where its log is."""
    from . import errors

    found = WORKER_ERROR.findall(str(error))
    if found:
        name, message = found[-1]
        kind = getattr(errors, name, PipelineError)
        return kind(message) if issubclass(kind, PipelineError) else PipelineError(message)
    log_path = spark_log(session)
    where = f"; Spark's log: {log_path}" if log_path else ""
    return EngineError(f"the Spark job failed: {root_cause(error)}{where}")
