"""News from the log follower, on the event loop: which threads changed, how far the views are.

The follower runs in a thread; requests wait in asyncio. The hub bridges the two, so a
request waiting for a run, a stream, or its own write (read-your-writes) holds no thread.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any
from uuid import UUID

Offload = Callable[..., Awaitable[Any]]


class Hub:
    def __init__(self, projects_here: Callable[[], bool], projected: Callable[[], int],
                 views_position: Callable[[], int], offload: Offload) -> None:
        self.projects_here = projects_here
        self.projected = projected  # how far this process has projected the views
        self.views_position = views_position
        self.offload = offload
        self._loop: asyncio.AbstractEventLoop | None = None
        self._watches: dict[UUID, set["Watch"]] = {}
        self._positions: list[tuple[int, asyncio.Future[None]]] = []

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def on_batch(self, batch: list[tuple[int, Any]]) -> None:
        """The follower's subscriber (its thread): pass the news to the event loop."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._news, batch[-1][0], {e.originator_id for _, e in batch})

    def _news(self, position: int, thread_ids: set[UUID]) -> None:
        for thread_id in thread_ids:
            for watch in self._watches.get(thread_id, ()):
                watch.news(position)
        waiting, self._positions, projected = self._positions, [], self.projected()
        for wanted, waiter in waiting:
            if wanted <= projected:
                if not waiter.done():
                    waiter.set_result(None)
            else:
                self._positions.append((wanted, waiter))

    @contextmanager
    def watching(self, thread_id: UUID) -> Iterator["Watch"]:
        """Hear of every change to a thread from now on (register before reading, miss nothing)."""
        watch = Watch()
        self._watches.setdefault(thread_id, set()).add(watch)
        try:
            yield watch
        finally:
            watches = self._watches.get(thread_id)
            if watches is not None:
                watches.discard(watch)
                if not watches:
                    del self._watches[thread_id]

    async def reached(self, position: int | None, timeout: float = 10.0) -> bool:
        """Wait until the views reflect the log up to `position` (read-your-writes)."""
        if position is None:
            return True
        if self.projects_here():
            if self.projected() >= position:
                return True
            waiter = asyncio.get_running_loop().create_future()
            self._positions.append((position, waiter))
            try:
                await asyncio.wait_for(waiter, timeout)
                return True
            except TimeoutError:
                return False
        deadline = time.monotonic() + timeout
        while await self.offload(self.views_position) < position:  # another process projects
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.003)
        return True


class Watch:
    """Changes to one thread, as they come: `wait` returns the newest position, or None."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.position = 0

    def news(self, position: int) -> None:
        self.position = max(self.position, position)
        self._event.set()

    async def wait(self, timeout: float) -> int | None:
        try:
            await asyncio.wait_for(self._event.wait(), timeout)
        except TimeoutError:
            return None
        self._event.clear()
        return self.position
