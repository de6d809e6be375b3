"""Run bodies: creating runs (on a thread, or stateless), cancelling many; the run itself."""

from datetime import datetime
from typing import Any, Literal

from msgspec import Struct

from threadlog.http.schemas.common import Checkpoint

Strategy = Literal["reject", "enqueue", "interrupt", "rollback"]
RunStatus = Literal["pending", "running", "success", "error", "timeout", "interrupted"]
StreamMode = Literal["values", "updates", "messages-tuple", "custom", "debug", "tasks", "checkpoints"]


class Command(Struct, forbid_unknown_fields=True):
    update: Any = None
    resume: Any = None
    goto: Any = None


class RunCreateStateless(Struct, forbid_unknown_fields=True):
    assistant_id: str
    input: Any = None
    command: Command | None = None
    metadata: dict[str, Any] = {}
    config: dict[str, Any] = {}
    context: dict[str, Any] | None = None
    webhook: str | None = None
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None
    stream_mode: StreamMode | list[StreamMode] = "values"
    stream_subgraphs: bool = False
    stream_resumable: bool = False
    feedback_keys: list[str] | None = None
    on_disconnect: Literal["cancel", "continue"] = "continue"
    on_completion: Literal["delete", "keep"] = "delete"
    after_seconds: float = 0
    checkpoint_during: bool | None = None
    durability: Literal["sync", "async", "exit"] | None = None
    if_not_exists: Literal["create", "reject"] = "create"
    langsmith_tracer: dict[str, Any] | None = None
    strict_resume: bool | None = None


class RunCreateStateful(Struct, forbid_unknown_fields=True):
    assistant_id: str
    input: Any = None
    command: Command | None = None
    checkpoint: Checkpoint | None = None
    checkpoint_id: str | None = None
    metadata: dict[str, Any] = {}
    config: dict[str, Any] = {}
    context: dict[str, Any] | None = None
    webhook: str | None = None
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None
    stream_mode: StreamMode | list[StreamMode] = "values"
    stream_subgraphs: bool = False
    stream_resumable: bool = False
    feedback_keys: list[str] | None = None
    on_disconnect: Literal["cancel", "continue"] = "continue"
    multitask_strategy: Strategy = "enqueue"
    if_not_exists: Literal["create", "reject"] = "reject"
    after_seconds: float = 0
    checkpoint_during: bool | None = None
    durability: Literal["sync", "async", "exit"] | None = None
    on_completion: Literal["delete", "keep"] | None = None
    langsmith_tracer: dict[str, Any] | None = None
    strict_resume: bool | None = None


class CancelMany(Struct, forbid_unknown_fields=True):
    thread_id: str | None = None
    run_ids: list[str] | None = None
    status: Literal["pending", "running", "all"] | None = None


class Run(Struct):
    run_id: str
    thread_id: str
    assistant_id: str
    created_at: datetime
    updated_at: datetime
    status: RunStatus
    metadata: Any
    multitask_strategy: Strategy
    kwargs: Any
