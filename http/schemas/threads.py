"""Thread bodies: create, patch, search, state and history; the thread and its state."""

from datetime import datetime
from typing import Any, Literal

from msgspec import Struct

from threadlog.http.schemas.common import Checkpoint, IfExists, SortOrder

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
ThreadSort = Literal["thread_id", "status", "created_at", "updated_at", "state_updated_at"]


class ThreadCreate(Struct, forbid_unknown_fields=True):
    thread_id: str | None = None
    metadata: dict[str, Any] = {}
    if_exists: IfExists = "raise"


class ThreadPatch(Struct, forbid_unknown_fields=True):
    metadata: dict[str, Any] = {}


class ThreadSearch(Struct, forbid_unknown_fields=True):
    ids: list[str] | None = None
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: ThreadStatus | None = None
    limit: int = 10
    offset: int = 0
    sort_by: ThreadSort = "created_at"
    sort_order: SortOrder = "desc"
    select: list[str] | None = None


class ThreadCount(Struct, forbid_unknown_fields=True):
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: ThreadStatus | None = None


class Thread(Struct):
    thread_id: str
    created_at: datetime
    updated_at: datetime
    state_updated_at: datetime
    metadata: Any
    config: dict[str, Any]
    status: ThreadStatus
    values: Any
    interrupts: Any
    error: Any = None


class ThreadState(Struct):
    values: Any
    next: list[str]
    tasks: list[Any]
    metadata: Any
    created_at: str | None
    checkpoint: Checkpoint | None
    parent_checkpoint: Checkpoint | None
    interrupts: list[Any]
    checkpoint_id: str | None
    parent_checkpoint_id: str | None


class StateUpdate(Struct, forbid_unknown_fields=True):
    values: Any = None
    as_node: str | None = None
    checkpoint_id: str | None = None
    checkpoint: Checkpoint | None = None


class StateUpdated(Struct):
    checkpoint: Checkpoint


class StateAtCheckpoint(Struct, forbid_unknown_fields=True):
    checkpoint: Checkpoint
    subgraphs: bool = False
    select: list[str] | None = None


class HistoryRequest(Struct, forbid_unknown_fields=True):
    limit: int = 10
    before: str | Checkpoint | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: Checkpoint | None = None
    select: list[str] | None = None
