"""A thread's state: now, at a checkpoint, its history; and writing state."""

from uuid import UUID

from litestar import Controller, get, post
from litestar.params import Parameter

from threadlog.http.controllers.threads import visible_thread
from threadlog.http.paging import page_limit
from threadlog.http.schemas.common import Checkpoint
from threadlog.http.schemas.threads import HistoryRequest, StateAtCheckpoint, StateUpdate, StateUpdated, ThreadState
from threadlog.http.services import Services
from threadlog.http.state import history_of, state_of, update_state


class ThreadStateController(Controller):
    path = "/threads/{thread_id:str}"
    tags = ["thread state"]

    @get("/state", summary="The thread's current state")
    async def current(self, services: Services, owner: str | None, thread_id: str,
                      subgraphs: bool = Parameter(default=False)) -> ThreadState:
        return await state_of(services, await visible_thread(services, thread_id, owner), subgraphs=subgraphs)

    @get("/state/{checkpoint_id:str}", summary="The thread's state at a checkpoint")
    async def at_checkpoint(self, services: Services, owner: str | None, thread_id: str, checkpoint_id: str,
                            subgraphs: bool = Parameter(default=False)) -> ThreadState:
        thread = await visible_thread(services, thread_id, owner)
        return await state_of(services, thread, checkpoint_id=checkpoint_id, subgraphs=subgraphs)

    @post("/state/checkpoint", status_code=200, summary="The thread's state at a checkpoint (by body)")
    async def at_checkpoint_body(self, services: Services, owner: str | None, thread_id: str,
                                 data: StateAtCheckpoint) -> ThreadState:
        thread = await visible_thread(services, thread_id, owner)
        return await state_of(services, thread, checkpoint=data.checkpoint, subgraphs=data.subgraphs)

    @post("/state", status_code=200, summary="Write state as if a node had (no run may be in flight)")
    async def write(self, services: Services, owner: str | None, thread_id: str, data: StateUpdate) -> StateUpdated:
        thread = await visible_thread(services, thread_id, owner)
        position, written = await update_state(services, thread, data.values, data.as_node, data.checkpoint,
                                               data.checkpoint_id)
        await services.written(position)
        return StateUpdated(checkpoint=Checkpoint(
            thread_id=str(UUID(str(thread["thread_id"]))), checkpoint_ns=written.get("checkpoint_ns", ""),
            checkpoint_id=written.get("checkpoint_id"), checkpoint_map=written.get("checkpoint_map")))

    @post("/history", status_code=200, summary="The thread's states, newest first")
    async def history(self, services: Services, owner: str | None, thread_id: str, data: HistoryRequest
                      ) -> list[ThreadState]:
        thread = await visible_thread(services, thread_id, owner)
        return await history_of(services, thread, limit=page_limit(data.limit), before=data.before,
                                metadata=data.metadata, checkpoint=data.checkpoint)

    @get("/history", summary="The thread's states, newest first")
    async def history_get(self, services: Services, owner: str | None, thread_id: str,
                          limit: int = Parameter(default=10), before: str | None = Parameter(default=None)
                          ) -> list[ThreadState]:
        thread = await visible_thread(services, thread_id, owner)
        return await history_of(services, thread, limit=page_limit(limit), before=before, metadata=None,
                                checkpoint=None)
