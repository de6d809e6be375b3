"""What the write side needs to read, as protocols: `projections/` implements them.

Execution reads checkpoints, the run queue and worker liveness from the views; the
dependency points inward (projections import domain), and ops wires the two together.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from msgspec import Struct

from threadlog.domain.events import SavedCheckpoint


class StoredWrite(Struct, frozen=True):
    """A pending write as stored: which task wrote it, where, and by which run."""

    task_id: str
    task_path: str
    idx: int
    channel: str
    type: str
    data: bytes
    run_id: UUID | None = None


class StoredCheckpoint(Struct, frozen=True):
    checkpoint: SavedCheckpoint
    writes: list[StoredWrite]
    run_id: UUID | None = None


class RunToExecute(Struct, frozen=True):
    """What a worker needs to know about a run it claimed."""

    run_id: UUID
    thread_id: UUID
    assistant_id: UUID
    kwargs: dict[str, Any]
    metadata: dict[str, Any]
    owner: str | None = None

    @property
    def graph_id(self) -> str | None:
        """The graph the run was created for (its assistant's, at the time)."""
        return ((self.kwargs.get("config") or {}).get("configurable") or {}).get("graph_id")


class StoredItem(Struct, frozen=True, kw_only=True):
    """An item of the store, as the views show it."""

    namespace: list[str]
    key: str
    value: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class StoreReader(Protocol):
    """An owner's store, read (writes go through the application)."""

    def get(self, owner: str | None, namespace: list[str], key: str) -> StoredItem | None: ...

    def search(self, owner: str | None, namespace_prefix: list[str], *, filter: dict[str, Any] | None,
               limit: int, offset: int) -> list[StoredItem]:
        """Items under the prefix whose values hold `filter`, newest first."""

    def namespaces(self, owner: str | None, *, prefix: list[str] | None, suffix: list[str] | None,
                   max_depth: int | None, limit: int, offset: int) -> list[list[str]]:
        """The namespaces in use, matching `prefix` and `suffix` ("*": any one label)."""


class CheckpointReader(Protocol):
    def get(self, thread_id: UUID, checkpoint_ns: str, checkpoint_id: str | None) -> StoredCheckpoint | None:
        """One checkpoint (the latest live one if `checkpoint_id` is None)."""

    def list(
        self, thread_id: UUID, checkpoint_ns: str | None, *, before: str | None = None,
        limit: int | None = None, metadata: dict[str, Any] | None = None,
    ) -> list[StoredCheckpoint]:
        """Live checkpoints, newest first."""


class RunQueue(Protocol):
    def due_threads(self, now: datetime, limit: int) -> list[UUID]:
        """Threads with a due pending run and no running one, oldest waiting first."""

    def next_due_time(self, now: datetime) -> datetime | None:
        """When the next delayed pending run becomes due, after `now`."""

    def run(self, run_id: UUID) -> RunToExecute | None: ...

    def cancel_requests(self, run_ids: Sequence[UUID]) -> dict[UUID, str]:
        """Which of these runs have a cancel request, and its action."""


class WorkerRegistry(Protocol):
    def heartbeat(self, worker_id: str, now: datetime) -> None: ...

    def forget(self, worker_id: str) -> None: ...

    def expired_runs(self, now: datetime, lease_seconds: float) -> list[tuple[UUID, UUID, int]]:
        """(thread, run, attempt) of running runs whose worker stopped heart-beating."""

    def running_on(self, worker_id: str, started_before: datetime) -> list[tuple[UUID, UUID, int]]:
        """(thread, run, attempt) of runs this worker started before then, still running."""
