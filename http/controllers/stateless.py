"""Runs without a thread of the caller's (a temporary one), and cancelling many runs."""

from uuid import UUID

from litestar import Controller, Response, post
from litestar.params import Parameter

from threadlog.domain.errors import DomainError, RunNotFoundError
from threadlog.http import present
from threadlog.http.controllers.runs import CancelAction, created, result_response, stream_response
from threadlog.http.errors import InvalidInputError, parse_id
from threadlog.http.run_requests import check_body, resolve_assistant, start_run
from threadlog.http.schemas.runs import CancelMany, Run, RunCreateStateless
from threadlog.http.services import Services
from threadlog.http.streams import SSE
from litestar.response import Stream


class StatelessRunController(Controller):
    path = "/runs"
    tags = ["runs"]

    @post("/", status_code=200, summary="Create a run on a new temporary thread")
    async def create(self, services: Services, owner: str | None, data: RunCreateStateless) -> Response[Run]:
        return created(await start_run(services, None, data, owner=owner))

    @post("/stream", status_code=200, media_type=SSE, summary="Create a stateless run and stream its output (SSE)")
    async def create_and_stream(self, services: Services, owner: str | None, data: RunCreateStateless) -> Stream:
        row = await start_run(services, None, data, owner=owner)
        return stream_response(services, row, on_disconnect=data.on_disconnect)

    @post("/wait", status_code=200, summary="Create a stateless run and wait for its final values")
    async def create_and_wait(self, services: Services, owner: str | None, data: RunCreateStateless) -> Stream:
        return result_response(services, await start_run(services, None, data, owner=owner))

    @post("/batch", status_code=200, summary="Create many stateless runs")
    async def batch(self, services: Services, owner: str | None, data: list[RunCreateStateless]) -> list[Run]:
        assistants = []
        for body in data:  # all or none: a bad body refuses the batch before any run is written
            assistants.append(await resolve_assistant(services, body.assistant_id, owner))
            check_body(body, stateless=True)
        return [present.run(await start_run(services, None, body, owner=owner, assistant=assistant))
                for body, assistant in zip(data, assistants, strict=True)]

    @post("/cancel", status_code=204, summary="Cancel runs: some of a thread's, or all pending/running")
    async def cancel_many(self, services: Services, owner: str | None, data: CancelMany,
                          action: CancelAction = Parameter(default="interrupt")) -> None:
        if data.status and (data.thread_id or data.run_ids):
            raise InvalidInputError("Give either status, or thread_id and run_ids, not both")
        if not data.status and not (data.thread_id and data.run_ids):
            raise InvalidInputError("Give status, or thread_id and run_ids")
        statuses = {"pending": ("pending",), "running": ("running",)}.get(data.status or "", ("pending", "running"))
        rows = await services.call(lambda: services.runs.in_flight(
            owner=owner, thread_id=parse_id(data.thread_id, "thread") if data.thread_id else None,
            run_ids=[parse_id(r, "run") for r in data.run_ids] if data.run_ids else None, statuses=statuses))
        if not rows:
            raise RunNotFoundError("no matching runs to cancel")
        for row in rows:
            try:
                position = await services.call(services.app.request_cancel, UUID(str(row["thread_id"])),
                                               UUID(str(row["run_id"])), action, "cancelled by request")
                await services.written(position)
            except DomainError:
                pass  # it ended meanwhile
