"""A thread as it was at any point of its log: the projector's own fold, run in memory."""

from collections.abc import Iterable
from datetime import datetime

from msgspec import Struct

from threadlog.domain import events as ev
from threadlog.projections.changes import Changes
from threadlog.projections.database import Row, utc
from threadlog.projections.projector import fold


class Replayed(Struct):
    """The thread row and run rows the views held right after `position`."""

    position: int
    at: datetime
    thread: Row
    runs: list[Row]


def replay(events: Iterable[ev.ThreadEvent], *, position: int | None = None, at: datetime | None = None
           ) -> Replayed | None:
    """Fold a thread's events up to `position` (or time `at`); None if nothing was left to fold."""
    changes = Changes(cursor=None, prefix="")  # never loads or writes: memory only
    last: ev.ThreadEvent | None = None
    at = None if at is None else utc(at)
    for event in events:
        if (position is not None and event.originator_version > position) or (at is not None and event.timestamp > at):
            break
        fold(changes, event.originator_version, event)
        last = event
    if last is None:
        return None
    runs = sorted(changes.runs.values(), key=lambda run: run["seq"])
    return Replayed(position=last.originator_version, at=last.timestamp, thread=changes.threads[last.originator_id],
                    runs=runs)
