"""Threads: create, read, update, delete, search, count, copy."""

from uuid import UUID, uuid4

import msgspec
from litestar import Controller, Request, Response, delete, get, patch, post
from uuid_utils.compat import uuid7

from threadlog.domain import events as ev
from threadlog.domain.errors import ThreadExistsError, ThreadNotFoundError
from threadlog.http import present
from threadlog.http.errors import parse_id
from threadlog.http.paging import page_limit, page_offset, pagination_headers
from threadlog.http.schemas.threads import Thread, ThreadCount, ThreadCreate, ThreadPatch, ThreadSearch
from threadlog.http.services import Services
from threadlog.projections.database import Row


async def visible_thread(services: Services, thread_id: str, owner: str | None) -> Row:
    """The thread, if it exists and the caller may see it (404 otherwise: ids don't leak)."""
    parsed = parse_id(thread_id, "thread")
    row = await services.call(services.threads.get, parsed, owner)
    if row is None:
        raise ThreadNotFoundError(parsed)
    return row


class ThreadController(Controller):
    path = "/threads"
    tags = ["threads"]

    @post("/", status_code=200, summary="Create a thread")
    async def create(self, services: Services, owner: str | None, data: ThreadCreate) -> Thread:
        thread_id = parse_id(data.thread_id, "thread") if data.thread_id else uuid4()
        graph_id = data.metadata.get("graph_id") if isinstance(data.metadata.get("graph_id"), str) else None
        try:
            position = await services.call(lambda: services.app.create_thread(
                thread_id, metadata=data.metadata, graph_id=graph_id, owner=owner))
        except ThreadExistsError:
            if data.if_exists != "do_nothing":
                raise
            return present.thread(await visible_thread(services, str(thread_id), owner))
        await services.written(position)
        return present.thread(await visible_thread(services, str(thread_id), owner))

    @get("/{thread_id:str}", summary="Get a thread")
    async def get_one(self, services: Services, owner: str | None, thread_id: str) -> Thread:
        return present.thread(await visible_thread(services, thread_id, owner))

    @patch("/{thread_id:str}", summary="Merge metadata into a thread")
    async def update(self, services: Services, owner: str | None, request: Request, thread_id: str,
                     data: ThreadPatch) -> Response[Thread | None]:
        row = await visible_thread(services, thread_id, owner)
        position = await services.call(services.app.update_metadata, UUID(str(row["thread_id"])), data.metadata)
        await services.written(position)
        if request.headers.get("prefer") == "return=minimal":
            return Response(None, status_code=204)
        return Response(present.thread(await visible_thread(services, thread_id, owner)))

    @delete("/{thread_id:str}", status_code=204, summary="Delete a thread (its log stays, for audit)")
    async def remove(self, services: Services, owner: str | None, thread_id: str) -> None:
        row = await visible_thread(services, thread_id, owner)
        position = await services.call(services.app.delete_thread, UUID(str(row["thread_id"])), "deleted by request")
        await services.written(position)

    @post("/search", status_code=200, summary="Search threads")
    async def search(self, services: Services, owner: str | None, data: ThreadSearch) -> Response[list[Thread]]:
        ids = [parse_id(i, "thread") for i in data.ids] if data.ids is not None else None
        rows, total = await services.call(lambda: services.threads.search(
            owner=owner, ids=ids, metadata=data.metadata, values=data.values, status=data.status,
            sort_by=data.sort_by, sort_order=data.sort_order, limit=page_limit(data.limit),
            offset=page_offset(data.offset)))
        return Response([present.thread(r) for r in rows], headers=pagination_headers(total, data.offset, len(rows)))

    @post("/count", status_code=200, summary="Count threads")
    async def count(self, services: Services, owner: str | None, data: ThreadCount) -> int:
        return await services.call(lambda: services.threads.count(
            owner=owner, metadata=data.metadata, values=data.values, status=data.status))

    @post("/{thread_id:str}/copy", status_code=200, summary="Copy a thread: metadata and checkpoints, not runs")
    async def copy(self, services: Services, owner: str | None, thread_id: str) -> Thread:
        row = await visible_thread(services, thread_id, owner)
        copy_id = uuid7()
        state = ev.StateSummary(
            checkpoint_id=row["head_checkpoint_id"], values=(row["state_values"] or "null").encode(),
            next=msgspec.json.decode(row["next"]) if isinstance(row["next"], str) else row["next"],
            interrupts=(row["interrupts"] or "{}").encode())
        position = await services.call(services.app.copy_thread, UUID(str(row["thread_id"])), copy_id, state)
        await services.written(position)
        return present.thread(await visible_thread(services, str(copy_id), owner))
