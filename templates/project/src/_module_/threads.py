"""How many threads to use: for small data, one per fit and independent fits side by side;
for large data, every core within each fit.

Thread start-up costs more than it saves on small tables: hist_gradient_boosting on a few hundred
rows trains about 5x faster single-threaded, and a request of a few rows predicts faster too. The
cores are better used running independent fits (cross-validation folds, permutation importance)
at the same time. Large data keeps every core inside each fit. The API predicts in one thread per
process, which limits its own pools: its concurrency comes from batching and processes.
"""

from __future__ import annotations

import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from joblib import cpu_count
from threadpoolctl import threadpool_limits

#: Below this many rows, OpenMP runs single-threaded.
SMALL_DATA_ROWS = 20_000


def single_thread_if_small(rows: int) -> AbstractContextManager[object]:
    """Limit OpenMP to one thread for small data, for the duration of a `with` block.

    Only for single-threaded callers (training, evaluation): the limit is process-wide while
    the block runs.
    """
    if rows < SMALL_DATA_ROWS:
        return threadpool_limits(limits=1, user_api="openmp")
    return nullcontext()


def workers_for(rows: int, tasks: int) -> int:
    """Threads to spread `tasks` independent fits over (e.g. cross-validation folds).

    Small data: one per core, since each fit then runs single-threaded (`single_thread_if_small`)
    and most of scikit-learn's tree and solver code releases the GIL. Large data: one, since each
    fit already uses every core.
    """
    if rows >= SMALL_DATA_ROWS:
        return 1
    return max(1, min(tasks, cpu_count()))


def limit_threads_for(rows: int) -> None:
    """Set the OpenMP thread limit once, for a process that predicts batches of ~`rows` rows.

    Unlike `single_thread_if_small`, the limit is never undone: a threaded server must not
    toggle a process-wide setting per request, where concurrent requests would race on it.
    """
    if rows < SMALL_DATA_ROWS:
        threadpool_limits(limits=1, user_api="openmp")


def serving_threads(rows: int, processes: int) -> int:
    """Native threads for one prediction of up to `rows` rows in a server of `processes`.

    One for small batches: there, starting threads costs more than it saves, and the cores are
    better spent on the server's own concurrency (requests, batches, processes). Large batches
    share the cores among the processes.
    """
    if rows < SMALL_DATA_ROWS:
        return 1
    return max(1, cpu_count() // processes)


_limited = threading.local()


def limit_this_thread(threads: int) -> None:
    """Limit BLAS and OpenMP to `threads` for the calling thread, once per thread.

    OpenMP's limit belongs to the thread that sets it (BLAS's to the process): a limit set by the
    main thread does not reach the threads that predict, so each of them sets its own.
    """
    if getattr(_limited, "threads", None) != threads:
        threadpool_limits(limits=threads)
        _limited.threads = threads


def single_job(pipeline: Any) -> None:
    """Set n_jobs=1 on every step of `pipeline` that has it.

    A random forest saved with n_jobs=-1 (say) would start a pool of joblib threads for every
    prediction, which fights the server's own concurrency and costs more than a small batch.
    """
    params = pipeline.get_params() if hasattr(pipeline, "get_params") else {}
    jobs = {name: 1 for name in params if name == "n_jobs" or name.endswith("__n_jobs")}
    if jobs:
        pipeline.set_params(**jobs)
