"""Cron bodies: create (on a thread, or each time on a new one), patch, search, count; the cron."""

from datetime import datetime
from typing import Any, Literal

from msgspec import UNSET, Struct, UnsetType
from threadlog.http.schemas.runs import AssistantRef, RunOptions, Strategy, StreamMode

OnRunCompleted = Literal["delete", "keep"]
CronSort = Literal["cron_id", "assistant_id", "thread_id", "next_run_date", "end_time", "created_at", "updated_at"]


class CronSchedule(RunOptions, forbid_unknown_fields=True, kw_only=True):
    """When a cron starts its run, and the run it starts."""

    assistant_id: AssistantRef
    schedule: str
    timezone: str | None = None
    end_time: datetime | None = None
    enabled: bool = True


class CronCreate(CronSchedule, forbid_unknown_fields=True, kw_only=True):
    """A cron whose every run gets a thread of its own."""

    on_run_completed: OnRunCompleted = "delete"


class ThreadCronCreate(CronSchedule, forbid_unknown_fields=True, kw_only=True):
    """A cron whose runs all go to one thread."""

    multitask_strategy: Strategy = "enqueue"


class CronPatch(Struct, forbid_unknown_fields=True):
    schedule: str | UnsetType = UNSET
    timezone: str | None | UnsetType = UNSET
    end_time: datetime | None | UnsetType = UNSET  # null clears it
    enabled: bool | UnsetType = UNSET
    on_run_completed: OnRunCompleted | UnsetType = UNSET
    metadata: dict[str, Any] | UnsetType = UNSET
    input: Any = UNSET
    config: dict[str, Any] | UnsetType = UNSET
    context: dict[str, Any] | None | UnsetType = UNSET
    webhook: str | None | UnsetType = UNSET
    interrupt_before: Literal["*"] | list[str] | None | UnsetType = UNSET
    interrupt_after: Literal["*"] | list[str] | None | UnsetType = UNSET
    stream_mode: StreamMode | list[StreamMode] | UnsetType = UNSET
    stream_subgraphs: bool | UnsetType = UNSET
    stream_resumable: bool | UnsetType = UNSET
    durability: Literal["sync", "async", "exit"] | None | UnsetType = UNSET


class CronSearch(Struct, forbid_unknown_fields=True):
    assistant_id: str | None = None
    thread_id: str | None = None
    enabled: bool | None = None
    metadata: dict[str, Any] | None = None
    limit: int = 10
    offset: int = 0
    sort_by: CronSort = "created_at"
    sort_order: Literal["asc", "desc"] = "desc"
    select: list[str] | None = None


class CronCount(Struct, forbid_unknown_fields=True):
    assistant_id: str | None = None
    thread_id: str | None = None
    metadata: dict[str, Any] | None = None


class Cron(Struct):
    cron_id: str
    assistant_id: str
    thread_id: str | None
    schedule: str
    timezone: str | None
    end_time: datetime | None
    payload: dict[str, Any]
    metadata: dict[str, Any]
    enabled: bool
    on_run_completed: OnRunCompleted | None
    next_run_date: datetime | None
    user_id: str | None
    created_at: datetime
    updated_at: datetime
