"""A run's output, or a whole thread's, as server-sent events read from the thread's log.

Every frame's `id:` is the position of its event in the thread's log, so a client that
reconnects with `Last-Event-ID` resumes exactly where it was, for any run, finished or
not, however long ago. A run's stream ends after the run's outcome (an `error` event if
it failed); a thread's goes on until the thread is deleted. While nothing happens, a
heartbeat comment keeps the connection alive.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Literal
from uuid import UUID

import msgspec

from threadlog.domain import events as ev
from threadlog.http.services import Services

SSE = "text/event-stream"
HEARTBEAT = b": heartbeat\r\n\r\n"
API_MODE = {"messages": "messages-tuple"}
ThreadMode = Literal["run_modes", "lifecycle", "state_update"]
StateAt = Callable[[int, str], Awaitable[bytes]]  # (log position, checkpoint id) -> the state as JSON


def frame(event: str, data: bytes, event_id: int | None = None) -> bytes:
    head = f"event: {event}\r\ndata: ".encode()
    tail = b"\r\n" if event_id is None else f"\r\nid: {event_id}\r\n".encode()
    return head + data + tail + b"\r\n"


def wanted_modes(run_modes: list[str], asked: list[str] | None) -> set[str]:
    """The API stream modes to send: what was asked, within what the run records. (The SDK
    sends `stream_mode=` empty when it means "all".)"""
    asked = [mode for mode in asked or () if mode]
    return set(run_modes) & set(asked) if asked else set(run_modes)


async def run_stream(
    services: Services, thread_id: UUID, run_id: UUID, *, modes: set[str], after: int | None, start: int,
) -> AsyncIterator[bytes]:
    """Frames for one run: `metadata` first (unless resuming), its chunks, then the end."""
    position = start if after is None else after
    if after is None:
        yield frame("metadata", msgspec.json.encode({"run_id": str(run_id), "attempt": 1}), start)
    with services.hub.watching(thread_id) as watch:
        while True:
            found = await services.call(lambda: list(services.app.events.get(thread_id, gt=position)))
            for event in found:
                position = event.originator_version
                if getattr(event, "run_id", None) != run_id:
                    continue
                if isinstance(event, ev.OutputStreamed) and _mode(event.chunk.event) in modes:
                    yield frame(event.chunk.event, event.chunk.data, position)
                elif isinstance(event, ev.RunFailed):
                    yield frame("error", msgspec.json.encode(event.error), position)
                    return
                elif isinstance(event, ev.RUN_OUTCOMES):
                    return
            if await watch.wait(services.settings.heartbeat_seconds) is None:
                yield HEARTBEAT


def _mode(event_name: str) -> str:
    base = event_name.split("|", 1)[0]
    return API_MODE.get(base, base)


async def thread_stream(
    services: Services, thread_id: UUID, *, modes: set[ThreadMode], after: int, state_at: StateAt,
) -> AsyncIterator[bytes]:
    """Frames for everything that happens on a thread after log position `after`: each run's
    frames (`run_modes`), its start and end as `metadata` (`lifecycle`, and `run_modes`),
    states written from outside a run (`state_update`)."""
    position = after
    with services.hub.watching(thread_id) as watch:
        while True:
            found = await services.call(lambda: list(services.app.events.get(thread_id, gt=position)))
            for event in found:
                position = event.originator_version
                for name, data in _thread_frames(event, modes):
                    yield frame(name, data, position)
                if isinstance(event, ev.ThreadStateUpdated) and "state_update" in modes:
                    yield frame("state_update", await state_at(position, event.checkpoint.checkpoint_id), position)
                elif isinstance(event, ev.ThreadDeleted):
                    return
            if await watch.wait(services.settings.heartbeat_seconds) is None:
                yield HEARTBEAT


def _thread_frames(event: ev.ThreadEvent, modes: set[ThreadMode]) -> list[tuple[str, bytes]]:
    lifecycle = bool(modes & {"run_modes", "lifecycle"})
    if isinstance(event, ev.RunStarted) and lifecycle:
        return [("metadata", msgspec.json.encode({"run_id": str(event.run_id), "attempt": event.attempt}))]
    if isinstance(event, ev.OutputStreamed) and "run_modes" in modes:
        return [(event.chunk.event, event.chunk.data)]
    if not isinstance(event, ev.RUN_OUTCOMES):
        return []
    frames = []
    if isinstance(event, ev.RunFailed) and "run_modes" in modes:
        frames.append(("error", msgspec.json.encode(event.error)))
    if lifecycle:
        frames.append(("metadata", msgspec.json.encode({"status": "run_done", "run_id": str(event.run_id)})))
    return frames
