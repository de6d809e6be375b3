"""The Threads application: the only writer of the thread log.

Every command loads a thread, lets the aggregate decide, saves what it recorded and
returns the log position (notification id) of the last event saved, or None when the
command had nothing to record. A version conflict (another writer saved first) re-runs
the command on fresh state, a bounded number of times.
"""

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Mapper, Recording
from eventsourcing.utils import Environment, EnvType

from threadlog.domain import events as ev
from threadlog.domain.aggregate import Recorder
from threadlog.domain.assistant import Assistant, project_assistant
from threadlog.domain.codec import MsgspecMapper, Snapshot
from threadlog.domain.cron import Cron, project_cron
from threadlog.domain.errors import (
    AssistantExistsError,
    AssistantNotFoundError,
    ConcurrencyError,
    CronExistsError,
    CronNotFoundError,
    RunRejectedError,
    ThreadExistsError,
    ThreadNotFoundError,
)
from threadlog.domain.history import live_checkpoints
from threadlog.domain.store_item import StoreItem, project_store_item, store_item_id
from threadlog.domain.thread import Thread, project_thread

T = TypeVar("T")
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Threads(Application[UUID]):
    name = "threads"  # names the tables: never change it
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Thread: 100, Assistant: 100, StoreItem: 100, Cron: 100}
    snapshotting_projectors: ClassVar[dict[type[Any], Any]] = {
        Thread: project_thread, Assistant: project_assistant, StoreItem: project_store_item, Cron: project_cron}
    snapshot_class = Snapshot
    command_attempts = 50
    lock_stripes = 64

    def __init__(self, env: EnvType, *, clock: Clock = utc_now, max_attempts: int = 3) -> None:
        self.clock = clock
        self.max_attempts = max_attempts
        self._locks = [threading.Lock() for _ in range(self.lock_stripes)]
        self._listeners: list[Callable[[int], None]] = []
        super().__init__(env)

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        # Configuration is passed in explicitly; unlike the library default, the
        # process environment is not read here (ops/settings.py reads it, once).
        return Environment(name, {"IS_SNAPSHOTTING_ENABLED": "y", **(env or {})})

    def construct_mapper(self) -> Mapper[UUID]:
        return MsgspecMapper(compressor=self.factory.compressor(), cipher=self.factory.cipher())

    def add_listener(self, listener: Callable[[int], None]) -> None:
        """Call `listener(position)` after each save in this process (wakes local readers)."""
        self._listeners.append(listener)

    def _notify(self, recordings: list[Recording[UUID]]) -> None:
        if recordings:
            for listener in self._listeners:
                listener(recordings[-1].notification.id)

    # -- thread commands ------------------------------------------------------------

    def create_thread(
        self, thread_id: UUID, *, metadata: dict[str, Any] | None = None, graph_id: str | None = None,
        owner: str | None = None,
    ) -> int:
        """Create a thread (or give a deleted thread's id a new life); ThreadExistsError if live."""
        with self._lock(thread_id):
            try:
                thread = self.get_thread(thread_id)
            except ThreadNotFoundError:
                thread = Thread.create(thread_id, now=self.clock(), metadata=metadata, graph_id=graph_id, owner=owner)
                return self._save_new(thread, ThreadExistsError)
            if not thread.deleted:
                raise ThreadExistsError(thread_id)
            thread.recreate(now=self.clock(), metadata=metadata, graph_id=graph_id, owner=owner)
            return self._save_new(thread, ThreadExistsError)

    def copy_thread(self, source_id: UUID, new_id: UUID, state: ev.StateSummary | None = None) -> int:
        """Copy a thread's metadata and live checkpoints (not its runs) to a new thread;
        `state` is the source's state summary as the read side shows it."""
        source = self.get_thread(source_id)
        if source.deleted:
            raise ThreadNotFoundError(source_id)
        copy = Thread.create(new_id, now=self.clock(), metadata=source.metadata, graph_id=source.graph_id,
                             copied_from=source_id, state=state, owner=source.owner)
        history = self.events.get(source_id, lte=source.version)
        for checkpoint, writes in live_checkpoints(history):
            copy.copy_checkpoint(checkpoint, writes, now=self.clock())
        return self._save_new(copy, ThreadExistsError)

    def update_metadata(self, thread_id: UUID, patch: dict[str, Any]) -> int:
        return self._command(thread_id, lambda t: t.update_metadata(patch, now=self.clock()))[0]

    def update_state(
        self, thread_id: UUID, items: Sequence[ev.Progress], as_node: str | None = None,
        state: ev.StateSummary | None = None,
    ) -> int:
        return self._command(thread_id, lambda t: t.update_state(list(items), as_node, now=self.clock(),
                                                                  state=state))[0]

    def delete_thread(self, thread_id: UUID, reason: str = "") -> int:
        return self._command(thread_id, lambda t: t.delete(reason, now=self.clock()))[0]

    def delete_run(self, thread_id: UUID, run_id: UUID) -> int:
        return self._command(thread_id, lambda t: t.delete_run(run_id, now=self.clock()))[0]

    # -- run commands -----------------------------------------------------------------

    def create_run(
        self,
        thread_id: UUID,
        *,
        run_id: UUID,
        assistant_id: UUID,
        strategy: ev.Strategy = "enqueue",
        after_seconds: float = 0,
        kwargs: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        graph_id: str | None = None,
    ) -> int:
        """Create a pending run; RunRejectedError (after recording RunRejected) on reject."""

        def decide(thread: Thread) -> ev.RunCreated | ev.RunRejected:
            now = self.clock()
            return thread.create_run(
                run_id=run_id, assistant_id=assistant_id, strategy=strategy, now=now,
                not_before=now + timedelta(seconds=after_seconds), kwargs=kwargs, metadata=metadata,
                graph_id=graph_id,
            )

        position, decision = self._command(thread_id, decide)
        if isinstance(decision, ev.RunRejected):
            raise RunRejectedError(run_id, position)
        return position

    def claim_next_run(self, thread_id: UUID, worker_id: str) -> tuple[int, ev.RunStarted] | None:
        """Start the thread's next due run for this worker, if no run is running there."""
        position, started = self._command(thread_id, lambda t: t.start_next_run(worker_id, now=self.clock()))
        return None if started is None else (position, started)

    def record_progress(self, thread_id: UUID, run_id: UUID, attempt: int, items: list[ev.Progress]) -> int | None:
        return self._command(thread_id, lambda t: t.record_progress(run_id, attempt, items, now=self.clock()))[0]

    def request_cancel(
        self, thread_id: UUID, run_id: UUID, action: ev.CancelAction, reason: str = "", by_run_id: UUID | None = None
    ) -> int:
        def decide(thread: Thread) -> None:
            thread.request_cancel(run_id, action, now=self.clock(), reason=reason, by_run_id=by_run_id)

        return self._command(thread_id, decide)[0]

    def record_cancelled(self, thread_id: UUID, run_id: UUID, attempt: int, *,
                         items: Sequence[ev.Progress] = (), state: ev.StateSummary | None = None) -> int:
        """End a running run that stopped on request: interrupted or rolled back, as asked."""
        return self._finish(thread_id, run_id, attempt, items, lambda t, now: t.record_cancelled(
            run_id, attempt, now=now, state=state))

    def record_succeeded(self, thread_id: UUID, run_id: UUID, attempt: int, *,
                         items: Sequence[ev.Progress] = (), state: ev.StateSummary | None = None) -> int:
        return self._finish(thread_id, run_id, attempt, items, lambda t, now: t.record_succeeded(
            run_id, attempt, now=now, state=state))

    def record_failed(self, thread_id: UUID, run_id: UUID, attempt: int, error: ev.RunError, *,
                      items: Sequence[ev.Progress] = (), state: ev.StateSummary | None = None) -> int:
        return self._finish(thread_id, run_id, attempt, items, lambda t, now: t.record_failed(
            run_id, attempt, error, now=now, state=state))

    def record_timed_out(self, thread_id: UUID, run_id: UUID, attempt: int, *,
                         items: Sequence[ev.Progress] = (), state: ev.StateSummary | None = None) -> int:
        return self._finish(thread_id, run_id, attempt, items, lambda t, now: t.record_timed_out(
            run_id, attempt, now=now, state=state))

    def requeue_run(self, thread_id: UUID, run_id: UUID, attempt: int, reason: str) -> int:
        def decide(thread: Thread) -> None:
            thread.requeue_run(run_id, attempt, reason, max_attempts=self.max_attempts, now=self.clock())

        return self._command(thread_id, decide)[0]

    # -- assistant commands -----------------------------------------------------------

    def create_assistant(self, assistant_id: UUID, spec: ev.AssistantSpec, owner: str | None = None) -> int:
        assistant = Assistant.create(assistant_id, spec, now=self.clock(), owner=owner)
        with self._lock(assistant_id):
            return self._save_new(assistant, AssistantExistsError)

    def update_assistant(self, assistant_id: UUID, changes: dict[str, Any]) -> int:
        return self._command(assistant_id, lambda a: a.update(changes, now=self.clock()), self.get_assistant)[0]

    def choose_assistant_version(self, assistant_id: UUID, version: int) -> int:
        return self._command(assistant_id, lambda a: a.choose_version(version, now=self.clock()), self.get_assistant)[0]

    def delete_assistant(self, assistant_id: UUID) -> int:
        return self._command(assistant_id, lambda a: a.delete(now=self.clock()), self.get_assistant)[0]

    # -- store commands -------------------------------------------------------------------

    def put_store_item(self, owner: str | None, namespace: list[str], key: str, value: dict[str, Any]) -> int:
        item_id = store_item_id(owner, namespace, key)
        return self._command(item_id, lambda item: item.put(namespace, key, value, owner=owner, now=self.clock()),
                             lambda i: self._store_item(i, namespace, key))[0]

    def delete_store_item(self, owner: str | None, namespace: list[str], key: str) -> int:
        item_id = store_item_id(owner, namespace, key)
        return self._command(item_id, lambda item: item.delete(now=self.clock()),
                             lambda i: self._store_item(i, namespace, key))[0]

    def _store_item(self, item_id: UUID, namespace: list[str], key: str) -> StoreItem:
        """The item, or a blank one (deleted until put) if it was never put."""
        try:
            return self.repository.get(item_id, projector_func=project_store_item)
        except AggregateNotFoundError:
            now = self.clock()
            return StoreItem(id=item_id, version=0, created_on=now, modified_on=now, namespace=namespace, key=key)

    # -- cron commands ---------------------------------------------------------------------

    def create_cron(self, cron_id: UUID, spec: ev.CronSpec, owner: str | None = None) -> int:
        cron = Cron.create(cron_id, spec, owner=owner, now=self.clock())
        with self._lock(cron_id):
            return self._save_new(cron, CronExistsError)

    def update_cron(self, cron_id: UUID, changes: dict[str, Any], payload: dict[str, Any]) -> int:
        return self._command(cron_id, lambda c: c.update(changes, payload, now=self.clock()), self.get_cron)[0]

    def fire_cron(self, cron_id: UUID, due: datetime) -> int | None:
        """Record that the run due at `due` starts (None: another scheduler got there first)."""
        return self._command(cron_id, lambda c: c.fire(due, now=self.clock()), self.get_cron)[0]

    def delete_cron(self, cron_id: UUID) -> int:
        return self._command(cron_id, lambda c: c.delete(now=self.clock()), self.get_cron)[0]

    def get_cron(self, cron_id: UUID) -> Cron:
        try:
            return self.repository.get(cron_id, projector_func=project_cron)
        except AggregateNotFoundError:
            raise CronNotFoundError(cron_id) from None

    # -- reading the write side ---------------------------------------------------------

    def get_thread(self, thread_id: UUID, version: int | None = None) -> Thread:
        """The thread as it is now, or as it was at `version` (replay)."""
        try:
            return self.repository.get(thread_id, version=version, projector_func=project_thread)
        except AggregateNotFoundError:
            raise ThreadNotFoundError(thread_id) from None

    def get_assistant(self, assistant_id: UUID) -> Assistant:
        try:
            return self.repository.get(assistant_id, projector_func=project_assistant)
        except AggregateNotFoundError:
            raise AssistantNotFoundError(assistant_id) from None

    # -- the command loop -------------------------------------------------------------------

    def _finish(
        self, thread_id: UUID, run_id: UUID, attempt: int, items: Sequence[ev.Progress],
        record: Callable[[Thread, datetime], Any],
    ) -> int:
        """Flush a run's last progress and record its outcome, in one save."""

        def decide(thread: Thread) -> None:
            now = self.clock()
            if items:
                thread.record_progress(run_id, attempt, list(items), now=now)
            record(thread, now)

        return self._command(thread_id, decide)[0]

    def _command(
        self, aggregate_id: UUID, decide: Callable[[Any], T], load: Callable[[UUID], Recorder] | None = None
    ) -> tuple[int | None, T]:
        """Load, decide, save; on a version conflict, again on fresh state (bounded)."""
        load = load or self.get_thread
        with self._lock(aggregate_id):
            for attempt in range(1, self.command_attempts + 1):
                aggregate = load(aggregate_id)
                result = decide(aggregate)
                if not aggregate.has_new_events():
                    return None, result
                try:
                    return self._save(aggregate), result
                except IntegrityError:
                    time.sleep(random.uniform(0, 0.002 * attempt))  # noqa: S311 - jitter, not crypto
        raise ConcurrencyError(aggregate_id, self.command_attempts)

    def _save(self, aggregate: Recorder) -> int:
        return self.save(aggregate)[-1].notification.id

    def _save_new(self, aggregate: Recorder, exists: type[Exception]) -> int:
        try:
            return self._save(aggregate)
        except IntegrityError:
            raise exists(aggregate.id) from None

    @contextmanager
    def _lock(self, thread_id: UUID) -> Iterator[None]:
        # Commands on one thread in this process take turns, so they don't waste
        # round trips losing version races to each other; other processes still race.
        with self._locks[thread_id.int % self.lock_stripes]:
            yield
