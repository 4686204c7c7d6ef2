"""How many threads scikit-learn's OpenMP code may use: one for small data, all cores otherwise.

Thread start-up costs more than it saves on small tables: hist_gradient_boosting on a few hundred
rows trains about 5x faster single-threaded, and a request of a few rows predicts faster too.
Large data keeps every core.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

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


def limit_threads_for(rows: int) -> None:
    """Set the OpenMP thread limit once, for a process that predicts batches of ~`rows` rows.

    Unlike `single_thread_if_small`, the limit is never undone: a threaded server must not
    toggle a process-wide setting per request, where concurrent requests would race on it.
    """
    if rows < SMALL_DATA_ROWS:
        threadpool_limits(limits=1, user_api="openmp")
