"""The event-native surface: a thread's raw log, the thread replayed to any point, the audit."""

from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.params import Parameter

from threadlog.domain import events as ev
from threadlog.domain.errors import NotFoundError
from threadlog.http import present
from threadlog.http.controllers.threads import visible_thread
from threadlog.http.errors import parse_id
from threadlog.http.paging import BEYOND_ANY, page_limit, page_offset
from threadlog.http.schemas.events import AuditEntry, EventPage, LoggedEvent, Replay, ReplayedRun
from threadlog.http.services import Services
from threadlog.projections.audit_read import Outcome
from threadlog.projections.replay import replay


def logged(event: ev.ThreadEvent) -> LoggedEvent:
    data = msgspec.to_builtins(event)
    for envelope in ("originator_id", "originator_version", "timestamp"):
        data.pop(envelope)
    if isinstance(event, ev.OutputStreamed):  # stream data is JSON already: show it as such
        data["chunk"]["data"] = msgspec.json.decode(event.chunk.data)
    if getattr(event, "state", None) is not None:
        data["state"] = {**data["state"], "values": msgspec.json.decode(event.state.values),
                         "interrupts": msgspec.json.decode(event.state.interrupts)}
    run_id = getattr(event, "run_id", None)
    return LoggedEvent(position=event.originator_version, type=type(event).__name__, timestamp=event.timestamp,
                       run_id=None if run_id is None else str(run_id), data=data)


def read_log(services: Services, thread_id: UUID, after: int, limit: int, kinds: set[str] | None,
             run_id: UUID | None) -> tuple[list[ev.ThreadEvent], int | None]:
    """Up to `limit` matching events after `after`, and where the next page starts (if any)."""
    found: list[ev.ThreadEvent] = []
    position = after
    while len(found) < limit:
        chunk = list(services.app.events.get(thread_id, gt=position, limit=500))
        if not chunk:
            return found, None
        for event in chunk:
            position = event.originator_version
            if (kinds is None or type(event).__name__ in kinds) and (
                    run_id is None or getattr(event, "run_id", None) == run_id):
                found.append(event)
                if len(found) == limit:
                    return found, position
    return found, position


class EventController(Controller):
    tags = ["event log"]

    @get("/threads/{thread_id:str}/events", summary="A thread's event log, oldest first, paged by position")
    async def log(
        self, services: Services, owner: str | None, thread_id: str,
        after: int = Parameter(default=0, ge=0, le=BEYOND_ANY, description="only events after this position"),
        limit: int = Parameter(default=100), type: list[str] | None = Parameter(default=None),
        run_id: str | None = Parameter(default=None),
    ) -> EventPage:
        thread = await visible_thread(services, thread_id, owner)
        tid = UUID(str(thread["thread_id"]))
        run = parse_id(run_id, "run") if run_id else None
        found, following = await services.call(read_log, services, tid, after, page_limit(limit),
                                               set(type) if type else None, run)
        return EventPage(thread_id=str(tid), events=[logged(e) for e in found], next_position=following)

    @get("/threads/{thread_id:str}/replay", summary="The thread as it was at a log position or a time")
    async def replay(
        self, services: Services, owner: str | None, thread_id: str,
        position: int | None = Parameter(default=None, ge=1, le=BEYOND_ANY),
        at: datetime | None = Parameter(default=None),
    ) -> Replay:
        thread = await visible_thread(services, thread_id, owner)
        tid = UUID(str(thread["thread_id"]))
        found = await services.call(lambda: replay(services.app.events.get(tid), position=position, at=at))
        if found is None:
            raise NotFoundError(f"Thread {tid} had no events by then")
        return _replay_body(tid, found)

    @get("/audit", summary="Run outcomes with their causes, the latest first")
    async def audit(
        self, services: Services, owner: str | None,
        thread_id: str | None = Parameter(default=None), assistant_id: str | None = Parameter(default=None),
        outcome: Outcome | None = Parameter(default=None), since: datetime | None = Parameter(default=None),
        until: datetime | None = Parameter(default=None), limit: int = Parameter(default=50),
        offset: int = Parameter(default=0, ge=0),
    ) -> list[AuditEntry]:
        rows = await services.call(lambda: services.audit.search(
            owner=owner, thread_id=parse_id(thread_id, "thread") if thread_id else None,
            assistant_id=parse_id(assistant_id, "assistant") if assistant_id else None, outcome=outcome,
            since=since, until=until, limit=page_limit(limit), offset=page_offset(offset)))
        return [present.audit_entry(r) for r in rows]


def _replay_body(thread_id: UUID, found: Any) -> Replay:
    thread = found.thread
    runs = [ReplayedRun(run_id=str(r["run_id"]), status="rolled_back" if r["rolled_back"] else r["status"],
                        attempt=r["attempt"], multitask_strategy=r["multitask_strategy"], created_at=r["created_at"],
                        started_at=r["started_at"], ended_at=r["ended_at"], rolled_back=r["rolled_back"])
            for r in found.runs]
    return Replay(
        thread_id=str(thread_id), position=found.position, at=found.at, status=thread["status"],
        metadata=thread["metadata"], values=present.raw(thread["state_values"]), next=thread["next"],
        interrupts=present.raw(thread["interrupts"]), runs=runs, deleted=thread["deleted"],
        queue=[str(r["run_id"]) for r in found.runs if r["status"] == "pending" and not r["deleted"]],
    )
