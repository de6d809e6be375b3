"""Bodies of the event-native surface: a thread's log, its replay, the audit trail."""

from datetime import datetime
from typing import Any

from msgspec import Struct

from threadlog.projections.audit_read import Outcome


class LoggedEvent(Struct):
    """One event of a thread's log: its position in the thread, its kind, its data."""

    position: int
    type: str
    timestamp: datetime
    run_id: str | None
    data: Any


class EventPage(Struct):
    thread_id: str
    events: list[LoggedEvent]
    next_position: int | None


class ReplayedRun(Struct):
    run_id: str
    status: str
    attempt: int
    multitask_strategy: str
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    rolled_back: bool


class Replay(Struct):
    """A thread as it was after the event at `position`."""

    thread_id: str
    position: int
    at: datetime
    status: str
    metadata: Any
    values: Any
    next: list[str]
    interrupts: Any
    runs: list[ReplayedRun]
    queue: list[str]
    deleted: bool


class AuditEntry(Struct):
    run_id: str
    thread_id: str
    assistant_id: str
    outcome: Outcome
    reason: str
    caused_by_run_id: str | None
    error: Any
    attempts: int
    multitask_strategy: str | None
    queued_at: datetime | None
    started_at: datetime | None
    ended_at: datetime
    position: int
    owner: str | None
