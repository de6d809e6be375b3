"""Given-when-then helpers for the Thread aggregate: build a past, then look at what's new."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from threadlog.domain import events as ev
from threadlog.domain.thread import Thread, project_thread

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ASSISTANT = UUID("fe096781-5601-53d2-b2f6-0d3403f7e9ca")


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Given:
    """A thread's past, one event at a time: `Given().created().run_created(r1).thread()`."""

    def __init__(self) -> None:
        self.thread_id = uuid4()
        self.events: list[ev.ThreadEvent] = []

    def event(self, cls: type[ev.ThreadEvent], **fields: Any) -> "Given":
        version = len(self.events) + 1
        self.events.append(cls(originator_id=self.thread_id, originator_version=version, timestamp=at(version), **fields))
        return self

    def created(self, **fields: Any) -> "Given":
        return self.event(ev.ThreadCreated, **fields)

    def run_created(self, run_id: UUID, *, not_before: datetime | None = None, strategy: ev.Strategy = "enqueue") -> "Given":
        return self.event(
            ev.RunCreated, run_id=run_id, assistant_id=ASSISTANT, multitask_strategy=strategy,
            not_before=not_before or at(len(self.events) + 1),
        )

    def run_started(self, run_id: UUID, attempt: int = 1) -> "Given":
        return self.event(ev.RunStarted, run_id=run_id, attempt=attempt, worker_id="w1")

    def checkpoint_saved(self, run_id: UUID, checkpoint_id: str, attempt: int = 1) -> "Given":
        return self.event(ev.CheckpointSaved, run_id=run_id, attempt=attempt, checkpoint=checkpoint(checkpoint_id))

    def thread(self) -> Thread:
        thread = project_thread(None, self.events)
        assert thread is not None
        return thread


def checkpoint(checkpoint_id: str, parent: str | None = None, ns: str = "") -> ev.SavedCheckpoint:
    return ev.SavedCheckpoint(
        checkpoint_ns=ns, checkpoint_id=checkpoint_id, parent_checkpoint_id=parent,
        checkpoint={"v": 1, "id": checkpoint_id}, metadata={"step": 1},
    )


def new_events(thread: Thread) -> list[ev.ThreadEvent]:
    return thread.collect_events()


def kinds(events: list[ev.ThreadEvent]) -> list[str]:
    return [type(e).__name__ for e in events]
