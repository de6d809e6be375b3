"""Run bodies: creating runs (on a thread, or stateless), cancelling many; the run itself."""

from datetime import datetime
from typing import Annotated, Any, Literal

from msgspec import Meta, Struct
from threadlog.http.schemas.common import Checkpoint

Strategy = Literal["reject", "enqueue", "interrupt", "rollback"]
RunStatus = Literal["pending", "running", "success", "error", "timeout", "interrupted"]
StreamMode = Literal["values", "updates", "messages-tuple", "custom", "debug", "tasks", "checkpoints"]
AssistantRef = Annotated[str, Meta(min_length=1, description="An assistant's UUID, or a graph's name")]
Delay = Annotated[float, Meta(ge=0, le=366 * 86_400, description="Seconds to wait before the run may start")]


class Command(Struct, forbid_unknown_fields=True):
    update: Any = None
    resume: Any = None
    goto: Any = None


class RunOptions(Struct, forbid_unknown_fields=True, kw_only=True):
    """How a run is to execute: what run requests and cron jobs both say."""

    input: Any = None
    metadata: dict[str, Any] = {}
    config: dict[str, Any] = {}
    context: dict[str, Any] | None = None
    webhook: str | None = None
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None
    stream_mode: StreamMode | list[StreamMode] = "values"
    stream_subgraphs: bool = False
    stream_resumable: bool = False
    checkpoint_during: bool | None = None
    durability: Literal["sync", "async", "exit"] | None = None


class RunCreate(RunOptions, forbid_unknown_fields=True, kw_only=True):
    """What every run request may say; the two kinds below add their own fields and defaults."""

    assistant_id: AssistantRef
    command: Command | None = None
    feedback_keys: list[str] | None = None
    on_disconnect: Literal["cancel", "continue"] = "continue"
    after_seconds: Delay = 0
    langsmith_tracer: dict[str, Any] | None = None
    strict_resume: bool | None = None


class RunCreateStateless(RunCreate, forbid_unknown_fields=True):
    on_completion: Literal["delete", "keep"] = "delete"
    if_not_exists: Literal["create", "reject"] = "create"


class RunCreateStateful(RunCreate, forbid_unknown_fields=True):
    checkpoint: Checkpoint | None = None
    checkpoint_id: str | None = None
    multitask_strategy: Strategy = "enqueue"
    if_not_exists: Literal["create", "reject"] = "reject"
    on_completion: Literal["delete", "keep"] | None = None


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
