"""The events of the Thread aggregate: every run and checkpoint transition of a thread.

Stored events are identified by their topic (`threadlog.domain.events:ClassName`), so a
class here is never renamed or moved, and a field is never removed or retyped; new
fields always get a default.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from msgspec import Struct

CancelAction = Literal["interrupt", "rollback"]
Strategy = Literal["reject", "enqueue", "interrupt", "rollback"]


class ThreadEvent(Struct, frozen=True, kw_only=True):
    """What every event of a thread carries: its thread, its place and its time."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class ChannelBlob(Struct, frozen=True):
    """One serialised channel value of a checkpoint, at one channel version."""

    channel: str
    version: str
    type: str
    data: bytes


class SavedCheckpoint(Struct, frozen=True, kw_only=True):
    """A LangGraph checkpoint: its dict without channel values, then every channel value
    serialised (one blob each), so one checkpoint is enough to restore the state."""

    checkpoint_ns: str = ""
    checkpoint_id: str
    parent_checkpoint_id: str | None = None
    checkpoint: dict[str, Any]
    metadata: dict[str, Any] = {}
    blobs: list[ChannelBlob] = []


class ChannelWrite(Struct, frozen=True):
    """One pending write of a task: LangGraph's (channel, value) with its index."""

    idx: int
    channel: str
    type: str
    data: bytes


class TaskWrites(Struct, frozen=True, kw_only=True):
    """The writes one task made against one checkpoint."""

    checkpoint_ns: str = ""
    checkpoint_id: str
    task_id: str
    task_path: str = ""
    writes: list[ChannelWrite] = []


class StreamChunk(Struct, frozen=True):
    """One SSE event of a run's output: its event name and its JSON data."""

    event: str
    data: bytes


Progress = SavedCheckpoint | TaskWrites | StreamChunk
"""What a worker reports while a run executes, recorded under the run's attempt."""


class StateSummary(Struct, frozen=True, kw_only=True):
    """A thread's state as the API shows it, worked out by whoever holds the graph.

    Recorded when a run ends or state is written, so the read side can show values,
    pending nodes and interrupts without knowing the graph.
    """

    checkpoint_id: str | None = None
    values: bytes = b"null"
    next: list[str] = []
    interrupts: bytes = b"{}"


class RunError(Struct, frozen=True):
    """Why a run failed, as the API reports it: `{"error": type, "message": ...}`."""

    error: str
    message: str


class ThreadCreated(ThreadEvent, frozen=True, kw_only=True):
    metadata: dict[str, Any] = {}
    graph_id: str | None = None
    copied_from: UUID | None = None
    state: StateSummary | None = None
    owner: str | None = None


class ThreadMetadataUpdated(ThreadEvent, frozen=True, kw_only=True):
    patch: dict[str, Any]


class ThreadStateUpdated(ThreadEvent, frozen=True, kw_only=True):
    checkpoint: SavedCheckpoint
    as_node: str | None = None
    state: StateSummary | None = None
    writes: list[TaskWrites] = []


class ThreadDeleted(ThreadEvent, frozen=True, kw_only=True):
    reason: str = ""


class RunCreated(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    assistant_id: UUID
    kwargs: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    multitask_strategy: Strategy = "enqueue"
    not_before: datetime
    graph_id: str | None = None


class RunRejected(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    assistant_id: UUID
    reason: str
    active_run_ids: list[UUID] = []
    metadata: dict[str, Any] = {}


class RunStarted(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    worker_id: str


class CheckpointSaved(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    checkpoint: SavedCheckpoint


class WritesSaved(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    writes: TaskWrites


class OutputStreamed(ThreadEvent, frozen=True, kw_only=True):
    """One chunk of a run's stream output, kept so a stream can resume from the log."""

    run_id: UUID
    attempt: int
    chunk: StreamChunk


class CheckpointCopied(ThreadEvent, frozen=True, kw_only=True):
    """A checkpoint taken over from the thread this one was copied from."""

    checkpoint: SavedCheckpoint
    writes: list[TaskWrites] = []


class RunCancelRequested(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    action: CancelAction
    reason: str = ""
    by_run_id: UUID | None = None


class RunInterrupted(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int = 0
    reason: str = ""
    by_run_id: UUID | None = None
    state: StateSummary | None = None


class RunRolledBack(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int = 0
    restored_checkpoint_id: str | None = None
    reason: str = ""
    by_run_id: UUID | None = None
    state: StateSummary | None = None


class RunSucceeded(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    state: StateSummary | None = None


class RunFailed(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    error: RunError
    state: StateSummary | None = None


class RunTimedOut(ThreadEvent, frozen=True, kw_only=True):
    run_id: UUID
    attempt: int
    state: StateSummary | None = None


class RunRequeued(ThreadEvent, frozen=True, kw_only=True):
    """A run goes back to pending under a new attempt number (its old one is fenced off)."""

    run_id: UUID
    attempt: int
    reason: str = ""


RUN_OUTCOMES = (RunInterrupted, RunRolledBack, RunSucceeded, RunFailed, RunTimedOut)


class RunDeleted(ThreadEvent, frozen=True, kw_only=True):
    """A finished run hidden from the run endpoints; the log and the audit keep it."""

    run_id: UUID


class AssistantEvent(Struct, frozen=True, kw_only=True):
    """What every event of an assistant carries."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class AssistantSpec(Struct, frozen=True, kw_only=True):
    """One version of an assistant: a graph and how to configure it."""

    graph_id: str
    config: dict[str, Any] = {}
    context: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    name: str = "Untitled"
    description: str | None = None


class AssistantCreated(AssistantEvent, frozen=True, kw_only=True):
    spec: AssistantSpec
    owner: str | None = None


class AssistantUpdated(AssistantEvent, frozen=True, kw_only=True):
    """A new version, which becomes the latest."""

    version: int
    spec: AssistantSpec


class AssistantVersionChosen(AssistantEvent, frozen=True, kw_only=True):
    """An earlier version made the latest again (its spec repeated, for readers)."""

    version: int
    spec: AssistantSpec


class AssistantDeleted(AssistantEvent, frozen=True, kw_only=True):
    pass


class StoreEvent(Struct, frozen=True, kw_only=True):
    """What every event of a store item carries."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class StoreItemPut(StoreEvent, frozen=True, kw_only=True):
    """A value put under a namespace and key (the first time, or again)."""

    namespace: list[str]
    key: str
    value: dict[str, Any]
    owner: str | None = None


class StoreItemDeleted(StoreEvent, frozen=True, kw_only=True):
    pass


class CronEvent(Struct, frozen=True, kw_only=True):
    """What every event of a cron job carries."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class CronSpec(Struct, frozen=True, kw_only=True):
    """A schedule and the run it starts: on a thread, or each time on a thread of its own."""

    assistant_id: str  # as the run body names it: an assistant's id or a graph's name
    thread_id: UUID | None = None
    schedule: str
    timezone: str | None = None
    end_time: datetime | None = None
    payload: dict[str, Any] = {}  # the run body, as /runs takes it
    metadata: dict[str, Any] = {}
    on_run_completed: Literal["delete", "keep"] = "delete"
    enabled: bool = True


class CronCreated(CronEvent, frozen=True, kw_only=True):
    spec: CronSpec
    owner: str | None = None
    next_run_date: datetime | None = None


class CronUpdated(CronEvent, frozen=True, kw_only=True):
    spec: CronSpec
    next_run_date: datetime | None = None


class CronFired(CronEvent, frozen=True, kw_only=True):
    """The run due at `due` is being started; the next one is due at `next_run_date`."""

    due: datetime
    next_run_date: datetime | None = None


class CronDeleted(CronEvent, frozen=True, kw_only=True):
    pass
