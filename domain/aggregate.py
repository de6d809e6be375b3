"""What the aggregates (Thread, Assistant, StoreItem) share: recording events and replaying them."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, TypeVar

from threadlog.domain.codec import Snapshot

A = TypeVar("A", bound="Recorder")


class Recorder:
    """Mixed into an aggregate Struct (with `dict=True`): records events and hands them over.

    `_record` applies an event before keeping it, so state only ever changes in `apply`,
    which is also what replay runs. Pending events live outside the Struct's fields, so
    they are never part of a snapshot.
    """

    id: Any
    version: int
    apply: Callable[[Any], None]  # each aggregate's own: the one place its state changes

    def _record(self, event_class: type[Any], now: datetime, **fields: Any) -> Any:
        event = event_class(originator_id=self.id, originator_version=self.version + 1, timestamp=now, **fields)
        self.apply(event)
        self.__dict__.setdefault("pending_events", []).append(event)
        return event

    def collect_events(self) -> list[Any]:
        """Hand over the events recorded since the aggregate was loaded (the library's hook)."""
        return self.__dict__.pop("pending_events", [])

    def has_new_events(self) -> bool:
        return bool(self.__dict__.get("pending_events"))


def projector(cls: type[A]) -> Callable[[A | None, Iterable[Any]], A | None]:
    """Replay for `cls`: fold stored events (after an optional snapshot) into an aggregate."""

    def project(aggregate: A | None, events: Iterable[Any]) -> A | None:
        for event in events:
            if isinstance(event, Snapshot):
                aggregate = event.restore()
                continue
            if aggregate is None:
                aggregate = cls(id=event.originator_id, version=0, created_on=event.timestamp,
                                modified_on=event.timestamp)
            aggregate.apply(event)
        return aggregate

    return project
