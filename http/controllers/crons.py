"""Cron jobs: runs started on a schedule, on one thread or each time on a new one."""

from uuid import UUID

import msgspec
from litestar import Controller, Response, delete, get, patch, post
from uuid_utils.compat import uuid7

from threadlog.domain import events as ev
from threadlog.domain.cron import schedule_problem
from threadlog.domain.errors import CronNotFoundError
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.http import present
from threadlog.http.controllers.threads import visible_thread
from threadlog.http.errors import InvalidInputError, parse_id
from threadlog.http.paging import page_limit, page_offset
from threadlog.http.run_requests import resolve_assistant
from threadlog.http.schemas.crons import (
    Cron,
    CronCount,
    CronCreate,
    CronPatch,
    CronSearch,
    ThreadCronCreate,
)
from threadlog.http.schemas.runs import RunOptions
from threadlog.http.services import Services
from threadlog.projections.database import Row

CRON_FIELDS = {"schedule", "timezone", "end_time", "enabled", "on_run_completed", "metadata"}
RUN_FIELDS = set(RunOptions.__struct_fields__)


async def visible_cron(services: Services, cron_id: str, owner: str | None) -> Row:
    parsed = parse_id(cron_id, "cron")
    row = await services.call(services.crons.get, parsed, owner)
    if row is None:
        raise CronNotFoundError(parsed)
    return row


class CronController(Controller):
    tags = ["crons"]

    @post("/runs/crons", status_code=200, summary="Create a cron whose every run gets a thread of its own")
    async def create(self, services: Services, owner: str | None, data: CronCreate) -> Cron:
        return await _create(services, owner, data, thread_id=None, on_run_completed=data.on_run_completed)

    @post("/threads/{thread_id:str}/runs/crons", status_code=200, summary="Create a cron that runs on this thread")
    async def create_for_thread(self, services: Services, owner: str | None, thread_id: str,
                                data: ThreadCronCreate) -> Cron:
        thread = await visible_thread(services, thread_id, owner)
        return await _create(services, owner, data, thread_id=UUID(str(thread["thread_id"])),
                             strategy=data.multitask_strategy)

    @get("/runs/crons/{cron_id:str}", summary="Get a cron")
    async def get_one(self, services: Services, owner: str | None, cron_id: str) -> Cron:
        return present.cron(await visible_cron(services, cron_id, owner))

    @patch("/runs/crons/{cron_id:str}", summary="Change a cron's schedule or the run it starts")
    async def update(self, services: Services, owner: str | None, cron_id: str, data: CronPatch) -> Cron:
        row = await visible_cron(services, cron_id, owner)
        given = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
        _check_schedule(given.get("schedule", row["schedule"]), given.get("timezone", row["timezone"]))
        changes = {k: v for k, v in given.items() if k in CRON_FIELDS}
        payload = msgspec.to_builtins({k: v for k, v in given.items() if k in RUN_FIELDS | {"metadata"}})
        position = await services.call(services.app.update_cron, UUID(str(row["cron_id"])), changes, payload)
        await services.written(position)
        return present.cron(await visible_cron(services, cron_id, owner))

    @delete("/runs/crons/{cron_id:str}", status_code=204, summary="Delete a cron (its runs stay)")
    async def delete_one(self, services: Services, owner: str | None, cron_id: str) -> None:
        row = await visible_cron(services, cron_id, owner)
        await services.written(await services.call(services.app.delete_cron, UUID(str(row["cron_id"]))))

    @post("/runs/crons/search", status_code=200, summary="Search crons")
    async def search(self, services: Services, owner: str | None, data: CronSearch) -> list[Cron]:
        rows = await services.call(lambda: services.crons.search(
            owner=owner, assistant_id=_assistant_filter(data.assistant_id),
            thread_id=parse_id(data.thread_id, "thread") if data.thread_id else None, enabled=data.enabled,
            metadata=data.metadata, sort_by=data.sort_by, sort_order=data.sort_order, limit=page_limit(data.limit),
            offset=page_offset(data.offset)))
        return [present.cron(r) for r in rows]

    @post("/runs/crons/count", status_code=200, summary="Count crons")
    async def count(self, services: Services, owner: str | None, data: CronCount) -> Response[int]:
        total = await services.call(lambda: services.crons.count(
            owner=owner, assistant_id=_assistant_filter(data.assistant_id),
            thread_id=parse_id(data.thread_id, "thread") if data.thread_id else None, metadata=data.metadata))
        return Response(total)


def _assistant_filter(assistant: str | None) -> str | None:
    """An assistant named in a filter, as crons keep it (an id): a graph's name stands for its
    default assistant."""
    if assistant is None:
        return None
    try:
        return str(UUID(assistant))
    except ValueError:
        return str(default_assistant_id(assistant))


async def _create(services: Services, owner: str | None, data: CronCreate | ThreadCronCreate, *,
                  thread_id: UUID | None, on_run_completed: str = "keep", strategy: str | None = None) -> Cron:
    _check_schedule(data.schedule, data.timezone)
    assistant = await resolve_assistant(services, data.assistant_id, owner)
    payload = msgspec.to_builtins({k: getattr(data, k) for k in RUN_FIELDS})
    payload["assistant_id"] = str(assistant["assistant_id"])
    if strategy:
        payload["multitask_strategy"] = strategy
    spec = ev.CronSpec(assistant_id=payload["assistant_id"], thread_id=thread_id, schedule=data.schedule,
                       timezone=data.timezone, end_time=data.end_time, payload=payload, metadata=data.metadata,
                       on_run_completed=on_run_completed, enabled=data.enabled)
    cron_id = uuid7()
    await services.written(await services.call(services.app.create_cron, cron_id, spec, owner))
    return present.cron(await visible_cron(services, str(cron_id), owner))


def _check_schedule(schedule: str, timezone: str | None) -> None:
    if problem := schedule_problem(schedule, timezone):
        raise InvalidInputError(problem)
