"""Reading runs from the runs view: what the run endpoints show (rolled back: hidden)."""

from uuid import UUID

from threadlog.projections.database import Row, Views
from threadlog.projections.filters import Where

TERMINAL = ("success", "error", "timeout", "interrupted")


class RunReads:
    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, thread_id: UUID, run_id: UUID, owner: str | None = None) -> Row | None:
        where = self._visible(owner).add("thread_id = ?", thread_id).add("run_id = ?", run_id)
        rows = self.views.query(f"SELECT * FROM {self.p}runs WHERE {where.sql}", where.params)
        return rows[0] if rows else None

    def find(self, run_id: UUID) -> Row | None:
        """A run whatever became of it (rolled back, deleted): for following it to its end."""
        rows = self.views.query(f"SELECT * FROM {self.p}runs WHERE run_id = ?", [run_id])
        return rows[0] if rows else None

    def of_thread(self, thread_id: UUID, *, owner: str | None = None, status: str | None = None,
             limit: int = 10, offset: int = 0) -> list[Row]:
        """A thread's runs, newest first."""
        where = self._visible(owner).add("thread_id = ?", thread_id).maybe("status = ?", status)
        return self.views.query(f"SELECT * FROM {self.p}runs WHERE {where.sql} ORDER BY seq DESC LIMIT ? OFFSET ?",
                                [*where.params, limit, offset])

    def in_flight(self, *, owner: str | None = None, thread_id: UUID | None = None,
                  run_ids: list[UUID] | None = None, statuses: tuple[str, ...] = ("pending", "running")) -> list[Row]:
        where = self._visible(owner).maybe("thread_id = ?", thread_id).one_of("run_id", run_ids)
        where.one_of("status", list(statuses))
        return self.views.query(f"SELECT run_id, thread_id, status FROM {self.p}runs WHERE {where.sql}", where.params)

    def _visible(self, owner: str | None) -> Where:
        where = Where(self.views.dialect).add("deleted = ?", False).add("rolled_back = ?", False)
        return where.maybe("owner = ?", owner)
