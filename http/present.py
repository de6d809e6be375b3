"""View rows as API bodies. JSON columns pass through as they are stored (never re-parsed);
store items arrive parsed, as graphs read them too."""

from typing import Any

import msgspec

from threadlog.domain.ports import StoredItem
from threadlog.http.schemas.assistants import Assistant
from threadlog.http.schemas.crons import Cron
from threadlog.http.schemas.events import AuditEntry
from threadlog.http.schemas.runs import Run
from threadlog.http.schemas.store import Item
from threadlog.http.schemas.threads import Thread
from threadlog.projections.database import Row, to_time


def raw(text: str | bytes | None) -> msgspec.Raw | None:
    """JSON text as it is, to be embedded in a response without decoding it."""
    if text is None:
        return None
    return msgspec.Raw(text.encode() if isinstance(text, str) else text)


def thread(row: Row) -> Thread:
    return Thread(
        thread_id=str(row["thread_id"]), created_at=to_time(row["created_at"]), updated_at=to_time(row["updated_at"]),
        state_updated_at=to_time(row["state_updated_at"]), metadata=raw(row["metadata"]), config={},
        status=row["status"], values=raw(row["state_values"]), interrupts=raw(row["interrupts"]),
        error=raw(row["error"]),
    )


def run(row: Row) -> Run:
    return Run(
        run_id=str(row["run_id"]), thread_id=str(row["thread_id"]), assistant_id=str(row["assistant_id"]),
        created_at=to_time(row["created_at"]), updated_at=to_time(row["updated_at"]), status=row["status"],
        metadata=raw(row["metadata"]), multitask_strategy=row["multitask_strategy"], kwargs=raw(row["kwargs"]),
    )


def assistant(row: Row) -> Assistant:
    return Assistant(
        assistant_id=str(row["assistant_id"]), graph_id=row["graph_id"], config=raw(row["config"]),
        context=raw(row["context"]), metadata=raw(row["metadata"]), name=row["name"],
        description=row["description"], version=row["version"],
        created_at=to_time(row["created_at"]), updated_at=to_time(row.get("updated_at") or row["created_at"]),
    )


def store_item(item: StoredItem) -> Item:
    return Item(namespace=item.namespace, key=item.key, value=item.value, created_at=item.created_at,
                updated_at=item.updated_at)


def cron(row: Row) -> Cron:
    def ts(key: str) -> Any:
        return None if row[key] is None else to_time(row[key])

    return Cron(
        cron_id=str(row["cron_id"]), assistant_id=row["assistant_id"],
        thread_id=None if row["thread_id"] is None else str(row["thread_id"]), schedule=row["schedule"],
        timezone=row["timezone"], end_time=ts("end_time"), payload=raw(row["payload"]), metadata=raw(row["metadata"]),
        enabled=bool(row["enabled"]), on_run_completed=None if row["thread_id"] else row["on_run_completed"],
        next_run_date=ts("next_run_date"), user_id=row["owner"], created_at=to_time(row["created_at"]),
        updated_at=to_time(row["updated_at"]),
    )


def audit_entry(row: Row) -> AuditEntry:
    def ts(key: str) -> Any:
        return None if row[key] is None else to_time(row[key])

    return AuditEntry(
        run_id=str(row["run_id"]), thread_id=str(row["thread_id"]), assistant_id=str(row["assistant_id"]),
        outcome=row["outcome"], reason=row["reason"],
        caused_by_run_id=None if row["caused_by_run_id"] is None else str(row["caused_by_run_id"]),
        error=raw(row["error"]), attempts=row["attempts"], multitask_strategy=row["multitask_strategy"],
        queued_at=ts("queued_at"), started_at=ts("started_at"), ended_at=to_time(row["ended_at"]),
        position=row["position"], owner=row["owner"],
    )


def run_result(row: Row) -> msgspec.Raw:
    """What /wait and /join answer: the run's final values, `__error__` if it failed,
    `__interrupt__` if it paused."""
    if row["status"] == "error":
        return msgspec.Raw(msgspec.json.encode({"__error__": msgspec.json.decode(row["error"] or "{}")}))
    output = row["output"] or "null"
    interrupts = msgspec.json.decode(row["interrupts"] or "{}")
    if not interrupts:
        return raw(output)
    values = msgspec.json.decode(output) or {}
    pending = [i for task_interrupts in interrupts.values() for i in task_interrupts]
    return msgspec.Raw(msgspec.json.encode({**values, "__interrupt__": pending}))
