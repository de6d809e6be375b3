"""A worker: claims pending runs, executes up to `concurrency` of them at once, obeys
cancel requests, heart-beats so that others can tell it is alive, and sweeps up runs
whose worker died (requeued under a new attempt, which fences the old worker off).
"""

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import UUID

from msgspec import Struct

from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.domain.errors import DomainError
from threadlog.domain.execution.graph_store import RunStore
from threadlog.domain.execution.graphs import GraphConfigError, GraphRegistry
from threadlog.domain.execution.recorder import RunRecorder
from threadlog.domain.execution.runner import RunExecution
from threadlog.domain.execution.saver import Offload
from threadlog.domain.ports import CheckpointReader, RunQueue, StoreReader, WorkerRegistry

log = logging.getLogger(__name__)
WAKING_EVENTS = (ev.RunCreated, ev.RunRequeued, ev.RunSucceeded, ev.RunFailed, ev.RunTimedOut, ev.RunInterrupted,
                 ev.RunRolledBack)
WATCHED_EVENTS = (*WAKING_EVENTS, ev.RunCancelRequested, ev.ThreadDeleted)  # all a worker needs to hear of


class WorkerSettings(Struct, frozen=True, kw_only=True):
    concurrency: int = 10
    flush_after: float = 0.02
    heartbeat_every: float = 2.0
    lease_seconds: float = 10.0
    run_timeout: float = 86_400.0
    poll_every: float = 1.0


class Worker:
    def __init__(
        self, app: Threads, graphs: GraphRegistry, reader: CheckpointReader, queue: RunQueue,
        registry: WorkerRegistry, store: StoreReader, settings: WorkerSettings, *, offload: Offload,
        views_at: Callable[[int], bool] = lambda _position: True,
    ) -> None:
        self.app, self.graphs, self.reader, self.queue, self.registry = app, graphs, reader, queue, registry
        self.store = store
        self.settings, self.offload, self.views_at = settings, offload, views_at
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.executions: dict[UUID, RunExecution] = {}
        self._starting: dict[UUID, str | None] = {}  # claimed, being prepared: a cancel asked meanwhile
        self._start_tasks: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake = asyncio.Event()
        self._hints: set[UUID] = set()  # threads the log says may have a run to start
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        await self.offload(self.registry.heartbeat, self.worker_id, _now())
        for loop in (self._claim_loop, self._heartbeat_loop, self._sweep_loop):
            self._tasks.append(asyncio.create_task(loop()))

    async def stop(self) -> None:
        """Stop claiming, hand running runs back to the queue at once, and go."""
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._start_tasks, return_exceptions=True)
        running = list(self.executions.values())
        for execution in running:
            execution.request_shutdown()
        await asyncio.gather(*(e.task for e in running if e.task), return_exceptions=True)
        await self.offload(self.registry.forget, self.worker_id)

    # -- what the log says (called from the follower's thread) ----------------------------

    def on_events(self, batch: list[tuple[int, ev.ThreadEvent]]) -> None:
        if self._loop is None or self._loop.is_closed():
            return
        self._loop.call_soon_threadsafe(self._handle, batch)

    def _handle(self, batch: list[tuple[int, ev.ThreadEvent]]) -> None:
        for _, event in batch:
            if isinstance(event, ev.RunCancelRequested) and (execution := self.executions.get(event.run_id)):
                execution.request_cancel(event.action)
            elif isinstance(event, ev.RunCancelRequested) and event.run_id in self._starting:
                self._starting[event.run_id] = event.action
            elif isinstance(event, ev.ThreadDeleted):
                for execution in self.executions.values():
                    if execution.run.thread_id == event.originator_id:
                        execution.request_cancel("interrupt")
            if isinstance(event, WAKING_EVENTS):
                self._hints.add(event.originator_id)
                self._wake.set()

    # -- claiming and executing ---------------------------------------------------------------

    async def _claim_loop(self) -> None:
        loop = asyncio.get_running_loop()
        next_look = loop.time()  # when to next ask the queue view (delayed runs, missed hints)
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=max(0.0, next_look - loop.time()))
                self._wake.clear()
                threads = self._take_hints()  # woken by the log: try where it points
            except TimeoutError:
                threads = await self._ask_queue()
                next_look = loop.time() + await self._idle_time()
            except Exception:
                log.exception("looking for runs failed; retrying")
                next_look, threads = loop.time() + self.settings.poll_every, []
            await self._claim(threads)

    async def _ask_queue(self) -> list[UUID]:
        try:
            return await self.offload(self.queue.due_threads, _now(), self.settings.concurrency)
        except Exception:
            log.exception("reading the run queue failed; retrying")
            return []

    def _take_hints(self) -> list[UUID]:
        hints, self._hints = self._hints, set()
        return list(hints)

    async def _claim(self, thread_ids: list[UUID]) -> None:
        """Claim runs on these threads, at once, as far as there is room."""
        busy = {e.run.thread_id for e in self.executions.values()}
        room = self.settings.concurrency - len(self.executions) - len(self._starting)
        wanted = [t for t in dict.fromkeys(thread_ids) if t not in busy]
        self._hints.update(wanted[max(room, 0):])  # no room now: try again when a run ends
        await asyncio.gather(*(self._claim_one(t) for t in wanted[:max(room, 0)]))

    async def _claim_one(self, thread_id: UUID) -> None:
        try:
            claimed = await self.offload(self.app.claim_next_run, thread_id, self.worker_id)
        except DomainError:
            return
        except Exception:
            log.exception("claiming a run on thread %s failed", thread_id)
            return
        if claimed is not None:
            position, started = claimed
            self._starting[started.run_id] = None
            task = asyncio.create_task(self._start(started, position))
            self._start_tasks.add(task)
            task.add_done_callback(self._start_tasks.discard)

    async def _start(self, started: ev.RunStarted, position: int) -> None:
        try:
            execution = await self._prepare(started, position)
        except Exception as e:  # the store failed us: give the run back rather than sit on it
            log.warning("run %s could not be started (%s); handing it back", started.run_id, e)
            await RunRecorder(self.app, started.originator_id, started.run_id, started.attempt, flush_after=0,
                              offload=self.offload, on_fenced=lambda: None).requeue(f"could not start: {e}")
            execution = None
        finally:
            cancel = self._starting.pop(started.run_id, None)
        if execution is None:
            self._wake.set()
            return
        self.executions[started.run_id] = execution
        execution.task = asyncio.create_task(self._execute(execution))
        if cancel:
            execution.request_cancel(cancel)

    async def _prepare(self, started: ev.RunStarted, position: int) -> RunExecution | None:
        """What the run needs: its kwargs (from the runs view) and its graph; or fail the run."""
        run = await self.offload(self.queue.run, started.run_id)
        if run is None:  # another process projects, and has not got this far yet
            await self.offload(self.views_at, position)
            run = await self.offload(self.queue.run, started.run_id)
        graph_id = run and (run.graph_id or self.graphs.graph_id_for(run.assistant_id))
        problem = None if graph_id else ev.RunError("GraphNotFound", f"no graph for assistant {run and run.assistant_id}")
        try:
            graph = self.graphs.load(graph_id) if graph_id else None
        except GraphConfigError as e:
            problem, graph = ev.RunError("GraphConfigError", str(e)), None
        if problem or graph is None or run is None:
            await self.offload(self.app.record_failed, started.originator_id, started.run_id, started.attempt,
                               problem)
            return None
        store = RunStore(self.app, self.store, run.owner, offload=self.offload, views_at=self.views_at)
        return RunExecution(self.app, graph, graph_id, self.reader, run, started, store=store, offload=self.offload,
                            flush_after=self.settings.flush_after, timeout=self.settings.run_timeout)

    async def _execute(self, execution: RunExecution) -> None:
        try:
            await execution.execute()
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("run %s: recording its outcome failed", execution.run.run_id)
        finally:
            self.executions.pop(execution.run.run_id, None)
            self._wake.set()

    async def _idle_time(self) -> float:
        now = _now()
        try:
            due = await self.offload(self.queue.next_due_time, now)
        except Exception:
            log.exception("reading the run queue failed; retrying")
            due = None
        if due is None:
            return self.settings.poll_every
        return max(0.001, min(self.settings.poll_every, (due - now).total_seconds()))

    # -- liveness ---------------------------------------------------------------------------

    async def _heartbeat_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.heartbeat_every)
            try:
                await self.offload(self.registry.heartbeat, self.worker_id, _now())
                await self._check_cancels()
            except Exception:
                log.exception("heartbeat failed; retrying")

    async def _check_cancels(self) -> None:
        """A safety net behind the log follower: cancel requests this worker did not hear of."""
        requested = await self.offload(self.queue.cancel_requests, list(self.executions))
        for run_id, action in requested.items():
            if execution := self.executions.get(run_id):
                execution.request_cancel(action)

    async def _sweep_loop(self) -> None:
        while True:
            await asyncio.sleep(self.settings.lease_seconds / 2)
            try:
                await self._sweep()
            except Exception:
                log.exception("sweeping expired leases failed; retrying")

    async def _sweep(self) -> None:
        now = _now()
        expired = await self.offload(self.registry.expired_runs, now, self.settings.lease_seconds)
        # Runs this worker claimed but lost track of (the claim was saved, its answer lost).
        forgotten = [run for run in await self.offload(self.registry.running_on, self.worker_id,
                                                       now - timedelta(seconds=self.settings.lease_seconds))
                     if run[1] not in self.executions and run[1] not in self._starting]
        for thread_id, run_id, attempt in [*expired, *forgotten]:
            try:
                await self.offload(self.app.requeue_run, thread_id, run_id, attempt, "lease expired")
                log.warning("run %s attempt %s: no worker was running it; requeued", run_id, attempt)
            except DomainError:
                pass  # someone else requeued or finished it first


def _now() -> datetime:
    return datetime.now(UTC)
