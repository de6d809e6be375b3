"""Reading cron jobs from their view: one, a search, a count, and the ones now due."""

from datetime import datetime
from typing import Any
from uuid import UUID

from threadlog.projections.checkpoints import _uuid
from threadlog.projections.database import Row, Views, to_time
from threadlog.projections.filters import Where

CRON_SORTS = {"cron_id", "assistant_id", "thread_id", "next_run_date", "end_time", "created_at", "updated_at"}


class CronReads:
    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, cron_id: UUID, owner: str | None = None) -> Row | None:
        where = self._visible(owner).add("cron_id = ?", cron_id)
        rows = self.views.query(f"SELECT * FROM {self.p}crons WHERE {where.sql}", where.params)
        return rows[0] if rows else None

    def search(self, *, owner: str | None, assistant_id: str | None = None, thread_id: UUID | None = None,
               enabled: bool | None = None, metadata: dict[str, Any] | None = None, sort_by: str = "created_at",
               sort_order: str = "desc", limit: int = 10, offset: int = 0) -> list[Row]:
        where = self._filter(owner, assistant_id, thread_id, metadata).maybe("enabled = ?", enabled)
        order = f"{sort_by if sort_by in CRON_SORTS else 'created_at'} {'ASC' if sort_order == 'asc' else 'DESC'}"
        return self.views.query(f"SELECT * FROM {self.p}crons WHERE {where.sql} ORDER BY {order}, cron_id "
                                "LIMIT ? OFFSET ?", [*where.params, limit, offset])

    def count(self, *, owner: str | None, assistant_id: str | None = None, thread_id: UUID | None = None,
              metadata: dict[str, Any] | None = None) -> int:
        where = self._filter(owner, assistant_id, thread_id, metadata)
        return self.views.query(f"SELECT COUNT(*) AS n FROM {self.p}crons WHERE {where.sql}", where.params)[0]["n"]

    def due(self, now: datetime, limit: int = 100) -> list[tuple[UUID, datetime]]:
        """Crons (of every owner) whose next run is due by `now`, with that due time."""
        rows = self.views.query(
            f"SELECT cron_id, next_run_date FROM {self.p}crons WHERE deleted = ? AND enabled = ? "
            "AND next_run_date <= ? ORDER BY next_run_date LIMIT ?", [False, True, now, limit])
        return [(_uuid(r["cron_id"]), to_time(r["next_run_date"])) for r in rows]

    def _filter(self, owner: str | None, assistant_id: str | None, thread_id: UUID | None,
                metadata: dict[str, Any] | None) -> Where:
        where = self._visible(owner).maybe("assistant_id = ?", assistant_id).maybe("thread_id = ?", thread_id)
        return where.contains(f"{self.p}crons.metadata", metadata)

    def _visible(self, owner: str | None) -> Where:
        where = Where(self.views.dialect).add("deleted = ?", False)
        return where if owner is None else where.add("owner = ?", owner)
