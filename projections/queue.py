"""The run queue and worker liveness, read from (and, for heartbeats, kept beside) the views."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from threadlog.domain.ports import RunToExecute
from threadlog.projections.checkpoints import _uuid
from threadlog.projections.database import Views, load_json, to_time


class RunQueueView:
    """Implements domain.ports.RunQueue on the runs view."""

    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def due_threads(self, now: datetime, limit: int) -> list[UUID]:
        rows = self.views.query(
            f"SELECT thread_id, MIN(not_before) AS due FROM {self.p}runs r "
            "WHERE status = ? AND deleted = ? AND not_before <= ? AND NOT EXISTS ("
            f"  SELECT 1 FROM {self.p}runs x WHERE x.thread_id = r.thread_id AND x.status = ?) "
            "GROUP BY thread_id ORDER BY due LIMIT ?",
            ["pending", False, now, "running", limit],
        )
        return [_uuid(r["thread_id"]) for r in rows]

    def next_due_time(self, now: datetime) -> datetime | None:
        rows = self.views.query(
            f"SELECT MIN(not_before) AS due FROM {self.p}runs WHERE status = ? AND deleted = ? AND not_before > ?",
            ["pending", False, now])
        return to_time(rows[0]["due"]) if rows and rows[0]["due"] is not None else None

    def run(self, run_id: UUID) -> RunToExecute | None:
        rows = self.views.query(
            f"SELECT run_id, thread_id, assistant_id, kwargs, metadata, owner FROM {self.p}runs WHERE run_id = ?",
            [run_id])
        if not rows:
            return None
        row = rows[0]
        return RunToExecute(_uuid(row["run_id"]), _uuid(row["thread_id"]), _uuid(row["assistant_id"]),
                            load_json(row["kwargs"]), load_json(row["metadata"]), row["owner"])

    def cancel_requests(self, run_ids: Sequence[UUID]) -> dict[UUID, str]:
        if not run_ids:
            return {}
        with self.views.reading() as cursor:
            rows = cursor.select_in(f"{self.p}runs", "run_id", list(run_ids))
        return {_uuid(r["run_id"]): r["cancel_action"] for r in rows if r["cancel_action"] and r["status"] == "running"}


class WorkerTable:
    """Implements domain.ports.WorkerRegistry: one heartbeat row per live worker."""

    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def heartbeat(self, worker_id: str, now: datetime) -> None:
        with self.views.transaction() as cursor:
            cursor.execute(
                f"INSERT INTO {self.p}workers (worker_id, started_at, heartbeat_at) VALUES (?, ?, ?) "
                "ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
                [worker_id, now, now])

    def forget(self, worker_id: str) -> None:
        with self.views.transaction() as cursor:
            cursor.execute(f"DELETE FROM {self.p}workers WHERE worker_id = ?", [worker_id])

    def expired_runs(self, now: datetime, lease_seconds: float) -> list[tuple[UUID, UUID, int]]:
        expired = now - timedelta(seconds=lease_seconds)
        with self.views.transaction() as cursor:
            cursor.execute(f"DELETE FROM {self.p}workers WHERE heartbeat_at < ?", [expired - timedelta(days=1)])
            cursor.execute(
                f"SELECT r.thread_id, r.run_id, r.attempt FROM {self.p}runs r "
                f"LEFT JOIN {self.p}workers w ON w.worker_id = r.worker_id "
                "WHERE r.status = ? AND (w.worker_id IS NULL OR w.heartbeat_at < ?)", ["running", expired])
            return [(_uuid(r["thread_id"]), _uuid(r["run_id"]), r["attempt"]) for r in cursor.fetchall()]

    def running_on(self, worker_id: str, started_before: datetime) -> list[tuple[UUID, UUID, int]]:
        rows = self.views.query(
            f"SELECT thread_id, run_id, attempt FROM {self.p}runs WHERE status = ? AND worker_id = ? "
            "AND updated_at < ?", ["running", worker_id, started_before])
        return [(_uuid(r["thread_id"]), _uuid(r["run_id"]), r["attempt"]) for r in rows]
