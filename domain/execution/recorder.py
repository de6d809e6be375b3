"""A run's progress on its way to the log: buffered briefly, then saved in one command.

Checkpoints, task writes and stream chunks gather for at most `flush_after` seconds
(or until the run ends, when they are saved with its outcome in the same transaction):
few, larger saves are what make the log fast. Every save carries the run's attempt, so
a worker whose run was taken over is refused (fenced) and stops.
"""

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.domain.errors import (
    DomainError,
    RunNotActiveError,
    RunNotRunningError,
    StaleAttemptError,
    ThreadDeletedError,
)
from threadlog.domain.execution.saver import Offload

FENCED = (StaleAttemptError, RunNotActiveError, RunNotRunningError, ThreadDeletedError)
log = logging.getLogger(__name__)


class RunRecorder:
    def __init__(
        self, app: Threads, thread_id: UUID, run_id: UUID, attempt: int, *,
        flush_after: float, offload: Offload, on_fenced: Callable[[], None],
    ) -> None:
        self.app, self.thread_id, self.run_id, self.attempt = app, thread_id, run_id, attempt
        self.flush_after, self.offload, self.on_fenced = flush_after, offload, on_fenced
        self.fenced: Exception | None = None
        self._pending: list[ev.Progress] = []
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None

    def add(self, item: ev.Progress) -> None:
        self._pending.append(item)
        if self._timer is None and self.flush_after > 0:
            self._timer = asyncio.get_running_loop().call_later(self.flush_after, self._start_flush)
        elif self.flush_after <= 0:
            self._start_flush()

    async def sync(self) -> None:
        await asyncio.shield(self._start_flush())

    async def finish(self, record: Callable[..., int], *args: Any, **kwargs: Any) -> int | None:
        """Record the outcome (after whatever is still buffered), once earlier saves are done."""
        self._cancel_timer()
        async with self._lock:
            if self.fenced:
                return None
            items, self._pending = self._pending, []
            call = partial(record, self.thread_id, self.run_id, self.attempt, *args, items=items, **kwargs)
            return await self._save(call)

    async def requeue(self, reason: str) -> None:
        """Save what is buffered, then give the run back to the queue (graceful shutdown)."""
        self._cancel_timer()
        async with self._lock:
            await self._save_pending()
            if not self.fenced:
                await self._save(partial(self.app.requeue_run, self.thread_id, self.run_id, self.attempt, reason))

    def _start_flush(self) -> asyncio.Task[None]:
        self._timer = None
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.get_running_loop().create_task(self._flush())
        return self._flushing

    async def _flush(self) -> None:
        async with self._lock:
            await self._save_pending()

    async def _save_pending(self) -> None:
        while self._pending and not self.fenced:
            items, self._pending = self._pending, []
            await self._save(partial(self.app.record_progress, self.thread_id, self.run_id, self.attempt, items))

    async def _save(self, call: Callable[[], int | None]) -> int | None:
        """Save, retrying while the store is unreachable: a run's progress and outcome must
        not be lost to an outage. Only fencing (the run is no longer ours) stops it."""
        pause = 0.1
        while True:
            try:
                # Shielded: once a save has started it completes, even if the run is cancelled.
                return await asyncio.shield(self.offload(call))
            except FENCED as e:
                self.fenced = e
                self.on_fenced()
                return None
            except DomainError:
                raise
            except Exception as e:  # the store is down or unreachable: wait and try again
                log.warning("run %s: saving failed (%s); retrying in %.1f s", self.run_id, e, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 2.0)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
