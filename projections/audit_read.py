"""Reading the run audit trail: every run outcome, with its cause."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from threadlog.projections.database import Row, Views, utc
from threadlog.projections.filters import Where

Outcome = Literal["success", "error", "timeout", "interrupted", "rolled_back", "rejected"]


class AuditReads:
    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def search(
        self, *, owner: str | None = None, thread_id: UUID | None = None, assistant_id: UUID | None = None,
        outcome: Outcome | None = None, since: datetime | None = None, until: datetime | None = None,
        limit: int = 50, offset: int = 0,
    ) -> list[Row]:
        """Run outcomes, the latest first."""
        where = Where(self.views.dialect).maybe("owner = ?", owner).maybe("thread_id = ?", thread_id)
        where.maybe("assistant_id = ?", assistant_id).maybe("outcome = ?", outcome)
        where.maybe("ended_at >= ?", since and utc(since)).maybe("ended_at < ?", until and utc(until))
        return self.views.query(
            f"SELECT * FROM {self.p}run_audit WHERE {where.sql} ORDER BY ended_at DESC, position DESC "
            "LIMIT ? OFFSET ?", [*where.params, limit, offset])
