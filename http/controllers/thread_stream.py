"""A thread followed live over SSE: every run's output, runs starting and ending, state updates."""

from typing import cast, get_args
from uuid import UUID

import msgspec
from litestar import Controller, get
from litestar.params import HeaderParameter, Parameter
from litestar.response import Stream

from threadlog.http.controllers.threads import visible_thread
from threadlog.http.errors import InvalidInputError
from threadlog.http.paging import BEYOND_ANY
from threadlog.http.services import Services
from threadlog.http.state import state_of
from threadlog.http.streams import SSE, ThreadMode, thread_stream


class ThreadStreamController(Controller):
    path = "/threads/{thread_id:str}"
    tags = ["threads"]

    @get("/stream", media_type=SSE, summary="Follow a thread: its runs' output, their starts and ends, state updates")
    async def follow(
        self, services: Services, owner: str | None, thread_id: str,
        stream_modes: str | None = Parameter(default=None, description="comma-separated: run_modes (the default), "
                                                                       "lifecycle, state_update"),
        stream_mode: list[ThreadMode] | None = Parameter(default=None, description="the same, as langgraph_sdk "
                                                                                   "sends it"),
        last_event_id: int | None = HeaderParameter(name="Last-Event-ID", default=None, ge=0, le=BEYOND_ANY),
    ) -> Stream:
        thread = await visible_thread(services, thread_id, owner)
        modes = _modes(stream_modes, stream_mode)
        start = thread["version"] if last_event_id is None else last_event_id  # from now, or from where it left

        async def state_at(position: int, checkpoint_id: str) -> bytes:
            await services.hub.reached(position)
            state = await state_of(services, thread, checkpoint_id=checkpoint_id)
            return msgspec.json.encode({"state": state, "thread_id": str(thread["thread_id"])})

        frames = thread_stream(services, UUID(str(thread["thread_id"])), modes=modes, after=start, state_at=state_at)
        return Stream(frames, media_type=SSE, headers={"Cache-Control": "no-store"})


def _modes(comma_separated: str | None, listed: list[ThreadMode] | None) -> set[ThreadMode]:
    given = [m.strip() for m in (comma_separated or "").split(",") if m.strip()] + list(listed or [])
    if unknown := [m for m in given if m not in get_args(ThreadMode)]:
        raise InvalidInputError(f"Invalid stream mode: {unknown[0]}")
    return {cast(ThreadMode, m) for m in given} or {"run_modes"}

