"""Reading threads from the threads view: one, a search, a count."""

from typing import Any
from uuid import UUID

from threadlog.projections.database import Row, Views
from threadlog.projections.filters import Where

THREAD_SORTS = {"thread_id", "status", "created_at", "updated_at", "state_updated_at"}


class ThreadReads:
    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, thread_id: UUID, owner: str | None = None) -> Row | None:
        where = self._visible(owner).add("thread_id = ?", thread_id)
        rows = self.views.query(f"SELECT * FROM {self.p}threads WHERE {where.sql}", where.params)
        return rows[0] if rows else None

    def search(
        self, *, owner: str | None = None, ids: list[UUID] | None = None, metadata: dict[str, Any] | None = None,
        values: dict[str, Any] | None = None, status: str | None = None, sort_by: str = "created_at",
        sort_order: str = "desc", limit: int = 10, offset: int = 0,
    ) -> tuple[list[Row], int]:
        """A page of threads, and how many match in all."""
        where = self._filter(owner, ids, metadata, values, status)
        order = f"{sort_by if sort_by in THREAD_SORTS else 'created_at'} {'ASC' if sort_order == 'asc' else 'DESC'}"
        with self.views.snapshot() as cursor:
            cursor.execute(f"SELECT * FROM {self.p}threads WHERE {where.sql} ORDER BY {order}, thread_id "
                           "LIMIT ? OFFSET ?", [*where.params, limit, offset])
            rows = cursor.fetchall()
            cursor.execute(f"SELECT COUNT(*) AS n FROM {self.p}threads WHERE {where.sql}", where.params)
            total = cursor.fetchone()["n"]
        return rows, total

    def count(self, *, owner: str | None = None, metadata: dict[str, Any] | None = None,
              values: dict[str, Any] | None = None, status: str | None = None) -> int:
        where = self._filter(owner, None, metadata, values, status)
        return self.views.query(f"SELECT COUNT(*) AS n FROM {self.p}threads WHERE {where.sql}", where.params)[0]["n"]

    def _filter(self, owner: str | None, ids: list[UUID] | None, metadata: dict[str, Any] | None,
                values: dict[str, Any] | None, status: str | None) -> Where:
        where = self._visible(owner).one_of("thread_id", ids).maybe("status = ?", status)
        return where.contains("metadata", metadata).contains("state_values", values)

    def _visible(self, owner: str | None) -> Where:
        return Where(self.views.dialect).add("deleted = ?", False).maybe("owner = ?", owner)
