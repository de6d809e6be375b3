"""The Cron aggregate: a schedule that starts runs, and when it next does.

Firing is a command like any other: of two schedulers that find a cron due, one records
CronFired for that due time and the other, re-running on fresh state, sees it has moved
on. So each due time starts at most one run, however many processes schedule.
"""

from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter
from msgspec import Struct, structs

from threadlog.domain import events as ev
from threadlog.domain.aggregate import Recorder, projector
from threadlog.domain.errors import CronNotFoundError


def schedule_problem(schedule: str, timezone: str | None) -> str | None:
    """Why a schedule (cron syntax, 5 fields, or 6 with seconds last) or timezone is unusable."""
    if not croniter.is_valid(schedule):
        return f"Invalid cron schedule: {schedule!r}"
    try:
        ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return f"Unknown timezone: {timezone!r}"
    return None


def next_run(spec: ev.CronSpec, after: datetime) -> datetime | None:
    """When the schedule next names after `after` (read in its timezone); None once disabled
    or past its end time."""
    if not spec.enabled:
        return None
    following = croniter(spec.schedule, after.astimezone(ZoneInfo(spec.timezone or "UTC"))).get_next(datetime)
    following = following.astimezone(UTC)
    return None if spec.end_time is not None and following > spec.end_time else following


class Cron(Struct, Recorder, kw_only=True, dict=True):
    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    spec: ev.CronSpec | None = None
    owner: str | None = None
    next_run_date: datetime | None = None
    deleted: bool = False

    @classmethod
    def create(cls, cron_id: UUID, spec: ev.CronSpec, *, owner: str | None, now: datetime) -> "Cron":
        cron = cls(id=cron_id, version=0, created_on=now, modified_on=now)
        cron._record(ev.CronCreated, now, spec=spec, owner=owner, next_run_date=next_run(spec, now))
        return cron

    def update(self, changes: dict[str, Any], payload: dict[str, Any], *, now: datetime) -> None:
        """Change the schedule's fields, and merge `payload` into the run it starts."""
        current = self._alive()
        spec = structs.replace(current, **changes, payload={**current.payload, **payload})
        self._record(ev.CronUpdated, now, spec=spec, next_run_date=next_run(spec, now))

    def fire(self, due: datetime, *, now: datetime) -> bool:
        """Start the run due at `due`, if it is still the one due; False if not (already started)."""
        spec = self._alive()
        if self.next_run_date != due or due > now:
            return False
        self._record(ev.CronFired, now, due=due, next_run_date=next_run(spec, max(due, now)))
        return True

    def delete(self, *, now: datetime) -> None:
        self._alive()
        self._record(ev.CronDeleted, now)

    def _alive(self) -> ev.CronSpec:
        if self.deleted or self.spec is None:
            raise CronNotFoundError(self.id)
        return self.spec

    def apply(self, event: ev.CronEvent) -> None:
        match event:
            case ev.CronCreated():
                self.spec, self.owner, self.next_run_date = event.spec, event.owner, event.next_run_date
            case ev.CronUpdated():
                self.spec, self.next_run_date = event.spec, event.next_run_date
            case ev.CronFired():
                self.next_run_date = event.next_run_date
            case ev.CronDeleted():
                self.deleted = True
        self.version = event.originator_version
        self.modified_on = event.timestamp


project_cron = projector(Cron)
