"""Checkpoints as the LangGraph checkpointer reads them: from the view, live ones only."""

from __future__ import annotations  # the class defines a method named `list`

from typing import Any
from uuid import UUID

from threadlog.domain.codec import decode
from threadlog.domain.events import SavedCheckpoint
from threadlog.domain.ports import StoredCheckpoint, StoredWrite
from threadlog.projections.database import Row, Views
from threadlog.projections.filters import Where


class CheckpointView:
    """Implements domain.ports.CheckpointReader on the checkpoint view."""

    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, thread_id: UUID, checkpoint_ns: str, checkpoint_id: str | None) -> StoredCheckpoint | None:
        where = "thread_id = ? AND checkpoint_ns = ? AND rolled_back = ?"
        params: list[Any] = [thread_id, checkpoint_ns, False]
        if checkpoint_id:
            where, params = where + " AND checkpoint_id = ?", [*params, checkpoint_id]
        found = self._checkpoints(where, params, limit=1)
        return found[0] if found else None

    def list(
        self, thread_id: UUID, checkpoint_ns: str | None, *, before: str | None = None,
        limit: int | None = None, metadata: dict[str, Any] | None = None,
    ) -> list[StoredCheckpoint]:
        where = Where(self.views.dialect).add("thread_id = ?", thread_id).add("rolled_back = ?", False)
        where.maybe("checkpoint_ns = ?", checkpoint_ns).maybe("checkpoint_id < ?", before or None)
        where.contains("metadata", metadata)
        return self._checkpoints(where.sql, where.params, limit=limit)

    def _checkpoints(self, where: str, params: list[Any], limit: int | None) -> list[StoredCheckpoint]:
        statement = f"SELECT checkpoint, run_id FROM {self.p}checkpoints WHERE {where} ORDER BY checkpoint_id DESC"
        if limit is not None:
            statement, params = statement + " LIMIT ?", [*params, limit]
        with self.views.reading() as cursor:
            cursor.execute(statement, params)
            rows = cursor.fetchall()
            saved = [decode(row["checkpoint"], SavedCheckpoint) for row in rows]
            writes = self._writes(cursor, params[0], saved)
        return [
            StoredCheckpoint(s, writes.get((s.checkpoint_ns, s.checkpoint_id), []), _uuid(row["run_id"]))
            for s, row in zip(saved, rows, strict=True)
        ]

    def _writes(self, cursor: Any, thread_id: UUID, saved: list[SavedCheckpoint]) -> dict[tuple[str, str], list]:
        if not saved:
            return {}
        ids = list({s.checkpoint_id for s in saved})
        marks = ",".join("?" * len(ids))
        cursor.execute(
            f"SELECT * FROM {self.p}checkpoint_writes WHERE thread_id = ? AND rolled_back = ? "
            f"AND checkpoint_id IN ({marks})", [thread_id, False, *ids])
        found: dict[tuple[str, str], list[StoredWrite]] = {}
        for row in cursor.fetchall():
            found.setdefault((row["checkpoint_ns"], row["checkpoint_id"]), []).append(_write(row))
        return found


def _write(row: Row) -> StoredWrite:
    return StoredWrite(row["task_id"], row["task_path"], row["idx"], row["channel"], row["type"], bytes(row["data"]),
                       _uuid(row["run_id"]))


def _uuid(value: Any) -> UUID | None:
    return None if value is None else value if isinstance(value, UUID) else UUID(value)
