"""One batch's changes to the views: rows loaded once, changed in memory, written once.

Folding a batch into row changes first (rather than one statement per event) is what
lets the views keep up with the log: a run's ten events become one runs-row upsert.
"""

from typing import Any
from uuid import UUID

from threadlog.projections.database import Cursor, Row, dump_json, load_json, to_bool, to_time

THREAD_JSON = ("metadata", "next", "error")
RUN_JSON = ("kwargs", "metadata", "error")
ASSISTANT_JSON = ("config", "context", "metadata")
CRON_JSON = ("payload", "metadata")


def thread_status(row: Row) -> str:
    """The reference server's rule: busy, else error, else interrupted, else idle."""
    if row["inflight"] > 0:
        return "busy"
    if row["last_outcome"] in ("error", "timeout"):
        return "error"
    return "interrupted" if row["next"] else "idle"


class Changes:
    """The rows a batch touches and the rows it adds, for tables named `{prefix}...`."""

    def __init__(self, cursor: Cursor, prefix: str) -> None:
        self.cursor = cursor
        self.p = prefix
        self.threads: dict[UUID, Row] = {}
        self.runs: dict[UUID, Row] = {}
        self.assistants: dict[UUID, Row] = {}
        self.assistant_versions: list[tuple] = []
        self.crons: dict[UUID, Row] = {}
        self.store_items: dict[UUID, Row] = {}  # put in this batch, as last put
        self.store_deletions: set[UUID] = set()  # deleted in this batch (before any later put)
        self.checkpoints: list[tuple] = []
        self.writes: list[tuple] = []
        self.special_writes: list[tuple] = []
        self.audit: list[tuple] = []
        self.rollbacks: list[tuple[UUID, UUID]] = []
        self.deleted_runs: list[UUID] = []
        self.deletions: list[tuple[UUID, int]] = []
        self.resets: list[tuple[UUID, int]] = []

    # -- loading ------------------------------------------------------------------------

    def load(self, thread_ids: set[UUID], run_ids: set[UUID], assistant_ids: set[UUID] = frozenset(),
             cron_ids: set[UUID] = frozenset()) -> None:
        for row in self._select("threads", "thread_id", thread_ids):
            self.threads[_uuid(row["thread_id"])] = _load(row, THREAD_JSON, times=("created_at", "updated_at",
                                                                                   "state_updated_at"))
        for row in self._select("runs", "run_id", run_ids):
            self.runs[_uuid(row["run_id"])] = _load(row, RUN_JSON, times=("created_at", "updated_at", "not_before",
                                                                          "started_at", "ended_at"))
        for row in self._select("assistants", "assistant_id", assistant_ids):
            self.assistants[_uuid(row["assistant_id"])] = _load(row, ASSISTANT_JSON, times=("created_at", "updated_at"))
        for row in self._select("crons", "cron_id", cron_ids):
            self.crons[_uuid(row["cron_id"])] = _load(row, CRON_JSON, times=(
                "end_time", "next_run_date", "created_at", "updated_at"))

    def _select(self, table: str, key: str, ids: set[UUID]) -> list[Row]:
        return self.cursor.select_in(f"{self.p}{table}", key, list(ids)) if ids else []

    # -- writing -----------------------------------------------------------------------

    def write(self) -> None:
        c, p = self.cursor, self.p
        _upsert(c, f"{p}threads", "thread_id", [_dump(r, THREAD_JSON) for r in self.threads.values()])
        _upsert(c, f"{p}runs", "run_id", [_dump(r, RUN_JSON) for r in self.runs.values()])
        _upsert(c, f"{p}assistants", "assistant_id", [_dump(r, ASSISTANT_JSON) for r in self.assistants.values()])
        c.insert_many(f"{p}assistant_versions", self.assistant_versions, "ON CONFLICT DO NOTHING")
        _upsert(c, f"{p}crons", "cron_id", [_dump(r, CRON_JSON) for r in self.crons.values()])
        c.executemany(f"DELETE FROM {p}store_items WHERE item_id = ?", [(i,) for i in self.store_deletions])
        if self.store_items:  # a put keeps the item's created_at, unless it is new (again)
            rows = list(self.store_items.values())
            c.insert_many(f"{p}store_items", [list(r.values()) for r in rows],
                          "ON CONFLICT (item_id) DO UPDATE SET value = excluded.value, "
                          "updated_at = excluded.updated_at", list(rows[0]))
        c.insert_many(f"{p}checkpoints", self.checkpoints, "ON CONFLICT DO NOTHING")
        c.insert_many(f"{p}checkpoint_writes", self.writes, "ON CONFLICT DO NOTHING")
        # LangGraph's rule: special writes (errors, interrupts, resumes) replace, others don't.
        latest = {row[:5]: row for row in self.special_writes}  # one row per key per statement
        c.insert_many(
            f"{p}checkpoint_writes", list(latest.values()),
            "ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE SET "
            "channel = excluded.channel, type = excluded.type, data = excluded.data, run_id = excluded.run_id, "
            "seq = excluded.seq, rolled_back = excluded.rolled_back",
        )
        c.insert_many(f"{p}run_audit", self.audit, "ON CONFLICT DO NOTHING")
        for table in ("checkpoints", "checkpoint_writes"):
            c.executemany(f"UPDATE {p}{table} SET rolled_back = ? WHERE thread_id = ? AND run_id = ?",
                          [(True, t, r) for t, r in self.rollbacks])
        c.executemany(f"UPDATE {p}runs SET deleted = ? WHERE thread_id = ? AND seq <= ?",
                      [(True, t, s) for t, s in self.deletions])
        c.executemany(f"UPDATE {p}runs SET deleted = ? WHERE run_id = ?", [(True, r) for r in self.deleted_runs])
        for table in ("checkpoints", "checkpoint_writes"):
            c.executemany(f"DELETE FROM {p}{table} WHERE thread_id = ? AND seq < ?", self.resets)


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def _load(row: Row, json_columns: tuple[str, ...], times: tuple[str, ...]) -> Row:
    for column in json_columns:
        row[column] = load_json(row[column])
    for column in times:
        if row[column] is not None:
            row[column] = to_time(row[column])
    for column in ("deleted", "rolled_back", "enabled"):
        if column in row:
            row[column] = to_bool(row[column])
    return row


def _dump(row: Row, json_columns: tuple[str, ...]) -> Row:
    return {k: (dump_json(v) if k in json_columns else v) for k, v in row.items()}


def _upsert(cursor: Cursor, table: str, key: str, rows: list[Row]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    cursor.insert_many(
        table, [[row[c] for c in columns] for row in rows], f"ON CONFLICT ({key}) DO UPDATE SET {updates}", columns
    )
