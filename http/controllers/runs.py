"""Runs on a thread: create (background, stream, wait), list, get, join, cancel, delete."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal
from uuid import UUID

import msgspec
from litestar import Controller, MediaType, Response, delete, get, post
from litestar.params import HeaderParameter, Parameter
from litestar.response import Stream

from threadlog.domain.errors import RunNotActiveError, RunNotFoundError
from threadlog.http import present
from threadlog.http.controllers.threads import visible_thread
from threadlog.http.errors import parse_id
from threadlog.http.paging import BEYOND_ANY, page_limit, page_offset
from threadlog.http.run_requests import result_body, start_run
from threadlog.http.schemas.runs import Run, RunCreateStateful
from threadlog.http.services import Services
from threadlog.http.streams import SSE, run_stream, wanted_modes
from threadlog.projections.database import Row

CancelAction = Literal["interrupt", "rollback"]


def run_path(row: Row) -> str:
    return f"/threads/{row['thread_id']}/runs/{row['run_id']}"


def created(row: Row) -> Response[Run]:
    """The run as created (pending), whatever a fast worker has made of it since."""
    body = msgspec.structs.replace(present.run(row), status="pending", updated_at=present.run(row).created_at)
    return Response(body, headers={"Content-Location": run_path(row)})


def stream_response(services: Services, row: Row, *, asked: list[str] | None = None, after: int | None = None,
                    on_disconnect: str = "continue") -> Stream:
    """A run's SSE stream; `on_disconnect="cancel"` interrupts the run if the client leaves early."""
    kwargs = msgspec.json.decode(row["kwargs"])
    thread_id, run_id = UUID(str(row["thread_id"])), UUID(str(row["run_id"]))
    frames = run_stream(services, thread_id, run_id, modes=wanted_modes(kwargs["stream_mode"], asked),
                        after=after, start=row["seq"])
    if on_disconnect == "cancel":
        frames = _cancel_if_abandoned(frames, lambda: services.call(
            services.app.request_cancel, thread_id, run_id, "interrupt", "the streaming client disconnected"))
    path = run_path(row)
    return Stream(frames, media_type=SSE,
                  headers={"Location": f"{path}/stream", "Content-Location": path, "Cache-Control": "no-store"})


def result_response(services: Services, row: Row) -> Stream:
    """/wait and /join: newlines while the run goes on, then its final values."""
    path = run_path(row)
    body = result_body(services, UUID(str(row["thread_id"])), UUID(str(row["run_id"])))
    return Stream(body, media_type=MediaType.JSON, headers={"Location": f"{path}/join", "Content-Location": path})


async def _cancel_if_abandoned(frames: AsyncIterator[bytes], cancel: Callable[[], Awaitable[object]]
                               ) -> AsyncIterator[bytes]:
    finished = False
    try:
        async for frame in frames:
            yield frame
        finished = True
    finally:
        if not finished:
            asyncio.get_running_loop().create_task(_quietly(cancel))


async def _quietly(call: Callable[[], Awaitable[object]]) -> None:
    try:
        await call()
    except RunNotActiveError:
        pass  # it had ended already


async def visible_run(services: Services, thread_id: str, run_id: str, owner: str | None) -> Row:
    thread = await visible_thread(services, thread_id, owner)
    parsed = parse_id(run_id, "run")
    row = await services.call(services.runs.get, UUID(str(thread["thread_id"])), parsed, owner)
    if row is None:
        raise RunNotFoundError(parsed)
    return row


class RunController(Controller):
    path = "/threads/{thread_id:str}/runs"
    tags = ["runs"]

    @post("/", status_code=200, summary="Create a background run")
    async def create(self, services: Services, owner: str | None, thread_id: str, data: RunCreateStateful
                     ) -> Response[Run]:
        return created(await start_run(services, parse_id(thread_id, "thread"), data, owner=owner))

    @post("/stream", status_code=200, media_type=SSE, summary="Create a run and stream its output (SSE)")
    async def create_and_stream(self, services: Services, owner: str | None, thread_id: str,
                                data: RunCreateStateful) -> Stream:
        row = await start_run(services, parse_id(thread_id, "thread"), data, owner=owner)
        return stream_response(services, row, on_disconnect=data.on_disconnect)

    @post("/wait", status_code=200, summary="Create a run and wait for its final values")
    async def create_and_wait(self, services: Services, owner: str | None, thread_id: str,
                              data: RunCreateStateful) -> Stream:
        return result_response(services, await start_run(services, parse_id(thread_id, "thread"), data, owner=owner))

    @get("/", summary="List a thread's runs, newest first")
    async def list_runs(self, services: Services, owner: str | None, thread_id: str,
                        limit: int = Parameter(default=10), offset: int = Parameter(default=0),
                        status: str | None = Parameter(default=None)) -> list[Run]:
        thread = await visible_thread(services, thread_id, owner)
        rows = await services.call(lambda: services.runs.of_thread(
            UUID(str(thread["thread_id"])), owner=owner, status=status, limit=page_limit(limit),
            offset=page_offset(offset)))
        return [present.run(r) for r in rows]

    @get("/{run_id:str}", summary="Get a run")
    async def get_one(self, services: Services, owner: str | None, thread_id: str, run_id: str) -> Run:
        return present.run(await visible_run(services, thread_id, run_id, owner))

    @delete("/{run_id:str}", status_code=204, summary="Delete a finished run (the log and audit keep it)")
    async def remove(self, services: Services, owner: str | None, thread_id: str, run_id: str) -> None:
        row = await visible_run(services, thread_id, run_id, owner)
        position = await services.call(services.app.delete_run, UUID(str(row["thread_id"])),
                                       UUID(str(row["run_id"])))
        await services.written(position)

    @get("/{run_id:str}/join", summary="Wait for a run and get its final values")
    async def join(self, services: Services, owner: str | None, thread_id: str, run_id: str) -> Stream:
        return result_response(services, await visible_run(services, thread_id, run_id, owner))

    @get("/{run_id:str}/stream", media_type=SSE,
         summary="Stream a run's output; Last-Event-ID resumes from the log")
    async def join_stream(
        self, services: Services, owner: str | None, thread_id: str, run_id: str,
        stream_mode: list[str] | None = Parameter(default=None),
        cancel_on_disconnect: bool = Parameter(default=False),
        last_event_id: int | None = HeaderParameter(name="Last-Event-ID", default=None, ge=0, le=BEYOND_ANY),
    ) -> Stream:
        row = await visible_run(services, thread_id, run_id, owner)
        return stream_response(services, row, asked=stream_mode, after=last_event_id,
                               on_disconnect="cancel" if cancel_on_disconnect else "continue")

    @post("/{run_id:str}/cancel", status_code=202, summary="Cancel a pending or running run")
    async def cancel(self, services: Services, owner: str | None, thread_id: str, run_id: str,
                     wait: bool = Parameter(default=False), action: CancelAction = Parameter(default="interrupt"),
                     ) -> Response[None] | Stream:
        row = await visible_run(services, thread_id, run_id, owner)
        if row["status"] not in ("pending", "running"):
            raise RunNotFoundError(f"{run_id}: no matching runs to cancel (it is {row['status']})")
        position = await services.call(services.app.request_cancel, UUID(str(row["thread_id"])),
                                       UUID(str(row["run_id"])), action, "cancelled by request")
        await services.written(position)
        if wait:
            return result_response(services, row)
        return Response(None, status_code=202)
