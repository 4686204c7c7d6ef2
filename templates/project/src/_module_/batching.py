"""Micro-batching: the API predicts concurrent requests in one model call.

A model call has a fixed cost that dwarfs the cost of a row (a random forest of 200 trees takes
about 15 ms for 1 row and 0.03 ms a row in a batch of 1,000), so under load the API answers far
more requests by predicting them together. A lone request never waits for company: when the model
is idle it is predicted at once (or after `serve.batching.max_wait_ms`, 0 by default). Requests
that arrive while a prediction runs wait for it, then go together, up to `serve.batching.max_rows`
rows a call.

Each request keeps its own rows and its own errors. The rows of all requests are prepared together
(one pass over one frame) and predicted in one call; if either step fails or warns, each request
is predicted on its own, so that an error or a warning reaches only the request it is about.

One prediction runs at a time, in one thread with its native thread pools limited (threads.py),
while the event loop goes on receiving requests. More processes (`serve.workers`) use more cores.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import accumulate, chain, pairwise
from typing import Any

import pandas as pd
from starlette.concurrency import run_in_threadpool

from .config import BatchingConfig
from .errors import InputError, one_line
from .predict import Prediction, Predictor
from .threads import limit_this_thread

log = logging.getLogger(__name__)

Rows = list[dict[str, Any]]
#: What a request gets: its predictions, or the error that refuses it (422).
Outcome = Prediction | InputError


def predict_alone(predictor: Predictor, rows: Rows) -> Outcome:
    """One request's rows, predicted on their own (as without batching).

    A failure of the model on rows that passed validation is answered as this request's error
    (422), never as a server error; the traceback goes to the log.
    """
    try:
        return predictor.predict(pd.DataFrame(rows, columns=predictor.columns))
    except InputError as error:
        return error
    except Exception as error:
        log.exception("the model failed on a request's rows")
        return InputError(f"the model cannot predict these rows: {one_line(error)}")


def predict_together(predictor: Predictor, requests: list[Rows]) -> list[Outcome]:
    """Every request's rows in one frame and one model call; each request predicted alone if
    preparing them together fails or warns, or the model call fails."""
    if len(requests) > 1:
        notes: list[str] = []
        rows = list(chain.from_iterable(requests))
        try:
            prepared = predictor.prepare(pd.DataFrame(rows, columns=predictor.columns), notes)
            if not notes:
                return split(predictor.predict_prepared(prepared), [len(r) for r in requests])
        except Exception as error:
            log.debug("batch of %d requests: %s; predicting each alone", len(requests), error)
    return [predict_alone(predictor, rows) for rows in requests]


def split(prediction: Prediction, sizes: list[int]) -> list[Outcome]:
    """One batch's predictions cut back into each request's rows, in order."""
    probabilities = prediction.probabilities
    return [
        Prediction(
            prediction.predictions[start:stop],
            None if probabilities is None else probabilities[start:stop],
            prediction.classes,
        )
        for start, stop in pairwise(accumulate(sizes, initial=0))
    ]


@dataclass
class Queued:
    """A request waiting for its answer."""

    rows: Rows
    answer: asyncio.Future[Outcome]
    arrived: float


class MicroBatcher:
    """Gathers concurrent requests and predicts them together, one model call at a time.

    While the model is idle, a request waits only for company that is worth it: any request
    for `max_wait` after the oldest arrived, and the clients of the last batch, which tend to
    come back together once answered, for at most half the time of the last call (predicting
    them in a second call would cost a whole one). A client that sends one request after
    another never waits: the last batch then held only its own request.
    """

    def __init__(self, predictor: Predictor, settings: BatchingConfig, threads: int = 1) -> None:
        self.predictor = predictor
        self.max_wait = settings.max_wait_ms / 1000
        self.max_rows = settings.max_rows
        self._queue: deque[Queued] = deque()
        self._queued_rows = 0
        self._drainer: asyncio.Task[None] | None = None
        #: Resolved once `_wanted` requests (or `max_rows` rows) are queued.
        self._ready: asyncio.Future[None] | None = None
        self._wanted = 0
        #: Clients seen around the end of the last batch, and until when to wait for them.
        self._expected = 0
        self._patience_until = 0.0
        self._thread = ThreadPoolExecutor(
            max_workers=1, initializer=limit_this_thread, initargs=(threads,)
        )

    async def predict(self, rows: Rows) -> Outcome:
        """This request's predictions, or the error that refuses it."""
        loop = asyncio.get_running_loop()
        request = Queued(rows, loop.create_future(), loop.time())
        self._queue.append(request)
        self._queued_rows += len(rows)
        if self._ready and not self._ready.done() and self._enough(self._wanted):
            self._ready.set_result(None)
        if self._drainer is None:
            self._drainer = asyncio.create_task(self._drain())
        return await request.answer

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)

    async def _drain(self) -> None:
        """Predict what is queued, batch after batch, until the queue is empty."""
        loop = asyncio.get_running_loop()
        while self._queue:
            await self._gather(loop)
            batch = self._take()
            started = loop.time()
            try:
                outcomes = await loop.run_in_executor(
                    self._thread, predict_together, self.predictor, [r.rows for r in batch]
                )
            except RuntimeError:  # the thread is gone: the server is stopping
                outcomes = [InputError("not predicted: the server is stopping")] * len(batch)
            took = loop.time() - started
            log.debug("predicted %d request(s) in %.1f ms", len(batch), 1000 * took)
            for request, outcome in zip(batch, outcomes, strict=True):
                if not request.answer.done():  # else the client has gone
                    request.answer.set_result(outcome)
            self._expected = len(batch) + len(self._queue)
            self._patience_until = loop.time() + took / 2
        self._drainer = None

    async def _gather(self, loop: asyncio.AbstractEventLoop) -> None:
        """Let company in before a batch is taken (see the class's docstring)."""
        await self._wait(loop, self._queue[0].arrived + self.max_wait, sys.maxsize)
        await self._wait(loop, self._patience_until, self._expected)

    async def _wait(self, loop: asyncio.AbstractEventLoop, deadline: float, requests: int) -> None:
        """Wait until `deadline`, or until `requests` requests or `max_rows` rows are queued."""
        if deadline <= loop.time() or self._enough(requests):
            return
        self._wanted, self._ready = requests, loop.create_future()
        await asyncio.wait([self._ready], timeout=deadline - loop.time())
        self._ready = None

    def _enough(self, requests: int) -> bool:
        return len(self._queue) >= requests or self._queued_rows >= self.max_rows

    def _take(self) -> list[Queued]:
        """The oldest requests up to `max_rows` rows (at least one request, however large)."""
        batch = [self._queue.popleft()]
        rows = len(batch[0].rows)
        while self._queue and rows + len(self._queue[0].rows) <= self.max_rows:
            batch.append(self._queue.popleft())
            rows += len(batch[-1].rows)
        self._queued_rows -= rows
        return batch


class Unbatched:
    """Batching off (`serve.batching.enabled: false`): each request predicted on its own, in a
    thread of the server's pool, side by side with the others."""

    def __init__(self, predictor: Predictor, threads: int = 1) -> None:
        self.predictor = predictor
        self.threads = threads

    async def predict(self, rows: Rows) -> Outcome:
        return await run_in_threadpool(self._predict, rows)

    def _predict(self, rows: Rows) -> Outcome:
        limit_this_thread(self.threads)
        return predict_alone(self.predictor, rows)

    def close(self) -> None:
        pass


Batcher = MicroBatcher | Unbatched


def batcher_for(predictor: Predictor, settings: BatchingConfig, threads: int) -> Batcher:
    """The way requests reach the model, as `serve.batching` says."""
    if settings.enabled:
        return MicroBatcher(predictor, settings, threads)
    return Unbatched(predictor, threads)
