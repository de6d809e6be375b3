"""Starting the runs of crons that are due: a loop in every API process.

Several processes may run it at once: firing a due time is a command on the cron, so one
of them records it and starts the run; the others find the cron already moved on. A run
that cannot start (its thread or assistant is gone) is logged, and the cron goes on.
"""

import asyncio
import logging
from datetime import UTC, datetime
from uuid import UUID

import msgspec

from threadlog.domain.errors import DomainError
from threadlog.http.run_requests import start_run
from threadlog.http.schemas.runs import RunCreateStateful, RunCreateStateless
from threadlog.http.services import Services

log = logging.getLogger(__name__)
EVERY = 1.0  # seconds between looks: the finest schedule (6 fields, seconds last) is per second


async def schedule_crons(services: Services) -> None:
    """Fire due crons until cancelled."""
    while True:
        try:
            await fire_due(services)
        except Exception:
            log.exception("starting due cron runs failed; retrying")
        await asyncio.sleep(EVERY)


async def fire_due(services: Services) -> int:
    """Start the run of every cron due now; return how many this process started."""
    started = 0
    for cron_id, due in await services.call(services.crons.due, datetime.now(UTC)):
        try:
            if await services.call(services.app.fire_cron, cron_id, due) is None:
                continue  # another process fired it
            await _start(services, cron_id)
            started += 1
        except (DomainError, msgspec.ValidationError) as e:
            log.warning("cron %s: its run due at %s was not started: %s", cron_id, due, e)
    return started


async def _start(services: Services, cron_id: UUID) -> None:
    cron = await services.call(services.crons.get, cron_id)
    payload = msgspec.json.decode(cron["payload"])  # the views hand JSON columns back as text
    owner = cron["owner"]
    if cron["thread_id"] is not None:
        body = msgspec.convert(payload, RunCreateStateful)
        await start_run(services, UUID(str(cron["thread_id"])), body, owner=owner)
    else:
        body = msgspec.convert({**payload, "on_completion": cron["on_run_completed"]}, RunCreateStateless)
        await start_run(services, None, body, owner=owner)
