"""Reading assistants (and their versions) from the assistants views."""

from typing import Any
from uuid import UUID

from threadlog.projections.database import Row, Views
from threadlog.projections.filters import Where

ASSISTANT_SORTS = {"assistant_id", "graph_id", "name", "created_at", "updated_at"}


class AssistantReads:
    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, assistant_id: UUID, owner: str | None = None) -> Row | None:
        where = self._visible(owner).add("assistant_id = ?", assistant_id)
        rows = self.views.query(f"SELECT * FROM {self.p}assistants WHERE {where.sql}", where.params)
        return rows[0] if rows else None

    def search(
        self, *, owner: str | None = None, metadata: dict[str, Any] | None = None, graph_id: str | None = None,
        name: str | None = None, sort_by: str = "created_at", sort_order: str = "desc", limit: int = 10,
        offset: int = 0,
    ) -> tuple[list[Row], int]:
        where = self._filter(owner, metadata, graph_id, name)
        order = f"{sort_by if sort_by in ASSISTANT_SORTS else 'created_at'} {'ASC' if sort_order == 'asc' else 'DESC'}"
        with self.views.snapshot() as cursor:
            cursor.execute(f"SELECT * FROM {self.p}assistants WHERE {where.sql} ORDER BY {order}, assistant_id "
                           "LIMIT ? OFFSET ?", [*where.params, limit, offset])
            rows = cursor.fetchall()
            cursor.execute(f"SELECT COUNT(*) AS n FROM {self.p}assistants WHERE {where.sql}", where.params)
            total = cursor.fetchone()["n"]
        return rows, total

    def count(self, *, owner: str | None = None, metadata: dict[str, Any] | None = None,
              graph_id: str | None = None, name: str | None = None) -> int:
        where = self._filter(owner, metadata, graph_id, name)
        return self.views.query(f"SELECT COUNT(*) AS n FROM {self.p}assistants WHERE {where.sql}",
                                where.params)[0]["n"]

    def versions(self, assistant_id: UUID, *, metadata: dict[str, Any] | None = None, limit: int = 10,
                 offset: int = 0) -> list[Row]:
        where = Where(self.views.dialect).add("assistant_id = ?", assistant_id).contains("metadata", metadata)
        return self.views.query(
            f"SELECT * FROM {self.p}assistant_versions WHERE {where.sql} ORDER BY version DESC LIMIT ? OFFSET ?",
            [*where.params, limit, offset])

    def _filter(self, owner: str | None, metadata: dict[str, Any] | None, graph_id: str | None,
                name: str | None) -> Where:
        where = self._visible(owner).maybe("graph_id = ?", graph_id).contains("metadata", metadata)
        return where.maybe("name LIKE ?", None if name is None else f"%{name}%")

    def _visible(self, owner: str | None) -> Where:
        # Assistants without an owner (the graphs' defaults) are everyone's.
        where = Where(self.views.dialect).add("deleted = ?", False)
        return where if owner is None else where.add("(owner = ? OR owner IS NULL)", owner)
