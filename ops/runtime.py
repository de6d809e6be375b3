"""The composition root: one process's application, views, follower and workers, wired."""

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from eventsourcing.utils import get_topic

from threadlog.domain.application import Threads
from threadlog.domain.execution.graphs import GraphRegistry
from threadlog.domain.execution.worker import WATCHED_EVENTS, Worker, WorkerSettings
from threadlog.ops.migrations import LIVE_PREFIX, migrate
from threadlog.ops.settings import Settings
from threadlog.ops.store import postgres_params, sqlite_path, store_env
from threadlog.projections.checkpoints import CheckpointView
from threadlog.projections.database import Views, open_views
from threadlog.projections.doorbell import Doorbell
from threadlog.projections.follower import Follower
from threadlog.projections.leadership import AdvisoryLock, FileLock, ProjectorLock
from threadlog.projections.notify import listener
from threadlog.projections.projector import ViewProjector
from threadlog.projections.queue import RunQueueView, WorkerTable
from threadlog.projections.store_read import StoreReads

SQLITE_POLL = 0.5  # a safety net behind the doorbell
POSTGRES_POLL = 1.0  # a safety net behind LISTEN/NOTIFY
EXAMPLE_GRAPHS = Path(__file__).parent / "examples" / "langgraph.json"


def graphs_config_path(settings: Settings) -> Path:
    """The graphs config: the setting, else ./langgraph.json, else the shipped example."""
    if settings.graphs_config:
        return Path(settings.graphs_config)
    local = Path("langgraph.json")
    return local if local.exists() else EXAMPLE_GRAPHS


class Runtime:
    """The write side, the views and (once started) the follower keeping them current."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = Threads(store_env(settings), max_attempts=settings.max_attempts)
        self.views: Views = open_views(self.app.factory.datastore)
        migrate(self.views)
        self.projector = ViewProjector(self.views, LIVE_PREFIX)
        self.checkpoints = CheckpointView(self.views, LIVE_PREFIX)
        self.queue = RunQueueView(self.views, LIVE_PREFIX)
        self.store = StoreReads(self.views, LIVE_PREFIX)
        self._doorbell: Doorbell | None = None
        self.follower = Follower(
            self.app, self.views, self.projector, lock=self.projector_lock(),
            poll_interval=POSTGRES_POLL if settings.uses_postgres else SQLITE_POLL, listen=self._listener(),
        )
        self._graphs: GraphRegistry | None = None
        # Blocking store calls from async code run here: at most as many at once as the
        # connection pool can serve, so waiting happens in asyncio, not in the pool.
        self._executor = ThreadPoolExecutor(settings.db_pool_size + settings.db_max_overflow,
                                            thread_name_prefix="threadlog-store")

    def _listener(self) -> Callable[[threading.Event, threading.Event], None]:
        """How this process hears that another one appended to the log."""
        if self.settings.uses_postgres:
            return listener(self._conninfo(), self.app.recorder.channel_name)
        self._doorbell = Doorbell(Path(sqlite_path(self.settings)).parent / "doorbells")
        self.app.add_listener(self._doorbell.ring)
        return self._doorbell.listen

    def projector_lock(self) -> ProjectorLock:
        if self.settings.uses_postgres:
            return AdvisoryLock(self._conninfo())
        return FileLock(Path(sqlite_path(self.settings)).with_suffix(".projector.lock"))

    @property
    def graphs(self) -> GraphRegistry:
        if self._graphs is None:
            self._graphs = GraphRegistry.from_config(graphs_config_path(self.settings))
        return self._graphs

    def offload(self, function: Callable[..., Any], *args: Any) -> Awaitable[Any]:
        """Run a blocking call (eventsourcing has no asyncio API) on a store thread."""
        return asyncio.get_running_loop().run_in_executor(self._executor, partial(function, *args))

    def worker(self) -> Worker:
        s = self.settings
        worker = Worker(
            self.app, self.graphs, self.checkpoints, self.queue, WorkerTable(self.views, LIVE_PREFIX), self.store,
            WorkerSettings(concurrency=s.worker_concurrency, flush_after=s.worker_flush_ms / 1000,
                           heartbeat_every=s.heartbeat_seconds, lease_seconds=s.lease_seconds,
                           run_timeout=s.run_timeout_seconds),
            offload=self.offload, views_at=self.follower.wait_for,
        )
        self.follower.subscribe(worker.on_events, topics=[get_topic(cls) for cls in WATCHED_EVENTS])
        return worker

    def start(self) -> "Runtime":
        self.follower.start()
        return self

    def close(self) -> None:
        self.follower.stop()
        self._executor.shutdown(wait=True)
        if self._doorbell is not None:
            self._doorbell.close()
        self.app.close()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conninfo(self) -> dict[str, str]:
        return postgres_params(self.settings)
