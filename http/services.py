"""What the HTTP layer works with, handed in by the composition root (ops)."""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from threadlog.domain.application import Threads
from threadlog.domain.execution.graphs import GraphRegistry
from threadlog.http.hub import Hub
from threadlog.projections.assistants_read import AssistantReads
from threadlog.projections.audit_read import AuditReads
from threadlog.projections.checkpoints import CheckpointView
from threadlog.projections.crons_read import CronReads
from threadlog.projections.runs_read import RunReads
from threadlog.projections.store_read import StoreReads
from threadlog.projections.threads_read import ThreadReads


class StoreTimeoutError(Exception):
    """The store did not answer in time (down, or overwhelmed): the request is given up."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"The store did not answer within {seconds:g} s; try again shortly.")


class ViewsBehindError(Exception):
    """A write was saved, but the views did not show it in time (the store is struggling)."""

    def __init__(self, position: int | None) -> None:
        super().__init__(f"Saved at log position {position}, but the views are behind; read it again shortly.")


@dataclass(frozen=True)
class ApiSettings:
    max_body_bytes: int = 10 * 1024 * 1024
    heartbeat_seconds: float = 5.0
    write_timeout_seconds: float = 10.0
    store_timeout_seconds: float = 5.0


@dataclass(frozen=True)
class Services:
    app: Threads
    graphs: GraphRegistry
    hub: Hub
    offload: Callable[..., Awaitable[Any]]
    threads: ThreadReads
    runs: RunReads
    assistants: AssistantReads
    audit: AuditReads
    checkpoints: CheckpointView
    store: StoreReads
    crons: CronReads
    settings: ApiSettings

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """A blocking call (the store) off the event loop; a 503 if it takes too long (an
        outage should fail requests fast, not hold them while the driver retries)."""
        try:
            return await asyncio.wait_for(self.offload(function, *args), self.settings.store_timeout_seconds)
        except TimeoutError:
            raise StoreTimeoutError(self.settings.store_timeout_seconds) from None

    async def written(self, position: int | None) -> None:
        """Read-your-writes: return once the views show the write at `position`."""
        if not await self.hub.reached(position, self.settings.write_timeout_seconds):
            raise ViewsBehindError(position)
