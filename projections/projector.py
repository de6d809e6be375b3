"""What each event does to the views: threads, runs, checkpoints, the run audit,
assistants, store items and crons.

`ViewProjector.apply` takes a batch of (log position, event), folds it into row changes
and writes them with the tracking position in one transaction: a batch is applied
exactly once, or not at all.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import msgspec

from threadlog.domain import events as ev
from threadlog.domain.codec import encode
from threadlog.projections.changes import Changes, thread_status
from threadlog.projections.database import Row, Views, dump_json, json_text, load_json
from threadlog.projections.store_read import store_namespace
from threadlog.projections.rowcache import RowCache

Batch = Sequence[tuple[int, ev.ThreadEvent]]
OUTCOMES = {
    ev.RunSucceeded: "success",
    ev.RunFailed: "error",
    ev.RunTimedOut: "timeout",
    ev.RunInterrupted: "interrupted",
    ev.RunRolledBack: "rolled_back",
}


class ViewProjector:
    CACHED_ROWS = 5000  # per table: threads and runs in flight

    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.prefix = prefix
        self._threads = RowCache(self.CACHED_ROWS)
        self._runs = RowCache(self.CACHED_ROWS)

    def apply(self, batch: Batch, *, track: bool = True) -> None:
        if not batch:
            return
        try:
            changes = self._apply(batch, track)
        except BaseException:
            self.forget()
            raise
        self._threads.keep(changes.threads)
        ended = [run_id for run_id, run in changes.runs.items() if run["ended_at"] is not None]
        self._runs.keep({run_id: run for run_id, run in changes.runs.items() if run["ended_at"] is None})
        self._runs.drop(ended)

    def forget(self) -> None:
        """Drop cached rows: after a failed batch, or when another process may have written."""
        self._threads.clear()
        self._runs.clear()

    def _apply(self, batch: Batch, track: bool) -> Changes:
        with self.views.relaxed_transaction() as cursor:
            changes = Changes(cursor, self.prefix)
            thread_ids, run_ids, assistant_ids, cron_ids = _rows_to_load(batch)
            changes.threads.update(self._threads.take(thread_ids))
            changes.runs.update(self._runs.take(run_ids))
            changes.load(thread_ids - changes.threads.keys(), run_ids - changes.runs.keys(), assistant_ids, cron_ids)
            for position, event in batch:
                fold(changes, position, event)
            changes.write()
            if track:
                self.views.track(cursor, batch[-1][0])
        return changes


def _rows_to_load(batch: Batch) -> tuple[set[UUID], set[UUID], set[UUID], set[UUID]]:
    """The threads, runs, assistants and crons the batch touches that existed before it."""
    threads, runs, new_runs, assistants, crons = set(), set(), set(), set(), set()
    for _, event in batch:
        if isinstance(event, ev.AssistantEvent):
            assistants.add(event.originator_id)
            continue
        if isinstance(event, ev.CronEvent):
            crons.add(event.originator_id)
            continue
        if isinstance(event, ev.StoreEvent):
            continue
        threads.add(event.originator_id)
        if isinstance(event, ev.RunCreated):
            new_runs.add(event.run_id)
        elif not isinstance(event, ev.RunRejected) and (run_id := getattr(event, "run_id", None)):
            runs.add(run_id)
    return threads, runs - new_runs, assistants, crons


def fold(changes: Changes, position: int,
         event: ev.ThreadEvent | ev.AssistantEvent | ev.StoreEvent | ev.CronEvent) -> None:
    """What one event does to the rows of the views."""
    if isinstance(event, ev.AssistantEvent):
        _fold_assistant(changes, event)
        return
    if isinstance(event, ev.StoreEvent):
        _fold_store_item(changes, event)
        return
    if isinstance(event, ev.CronEvent):
        _fold_cron(changes, event)
        return
    if isinstance(event, ev.ThreadCreated):
        _thread_created(changes, event)
        return
    thread = changes.threads[event.originator_id]
    thread["updated_at"], thread["version"] = event.timestamp, event.originator_version
    match event:
        case ev.ThreadMetadataUpdated():
            # merged as the views keep keys (NUL as U+FFFD), whether the row came from the cache or not
            thread["metadata"] = load_json(dump_json({**thread["metadata"], **event.patch}))
        case ev.ThreadStateUpdated():
            _add_checkpoint(changes, event, event.checkpoint, None)
            for writes in event.writes:
                _add_writes(changes, event, writes, None)
            _settle(thread, event.state, event.timestamp, head=event.checkpoint.checkpoint_id)
        case ev.CheckpointCopied():
            _add_checkpoint(changes, event, event.checkpoint, None)
            for writes in event.writes:
                _add_writes(changes, event, writes, None)
        case ev.ThreadDeleted():
            thread["deleted"] = True
            changes.deletions.append((event.originator_id, event.originator_version))
        case ev.RunCreated():
            changes.runs[event.run_id] = _new_run(event, thread["owner"])
            thread["inflight"] += 1
            thread["graph_id"] = event.graph_id or thread["graph_id"]
        case ev.RunRejected():
            changes.audit.append(_rejected(event, position, thread["owner"]))
        case ev.RunDeleted():
            changes.deleted_runs.append(event.run_id)
        case ev.RunStarted():
            run = changes.runs[event.run_id]
            run.update(status="running", attempt=event.attempt, worker_id=event.worker_id, updated_at=event.timestamp)
            run["started_at"] = run["started_at"] or event.timestamp
        case ev.CheckpointSaved():
            _add_checkpoint(changes, event, event.checkpoint, event.run_id)
        case ev.WritesSaved():
            _add_writes(changes, event, event.writes, event.run_id)
        case ev.RunCancelRequested():
            changes.runs[event.run_id].update(cancel_action=event.action, updated_at=event.timestamp)
        case ev.RunRequeued():
            changes.runs[event.run_id].update(status="pending", attempt=event.attempt, worker_id=None,
                                              updated_at=event.timestamp)
        case ev.RunSucceeded() | ev.RunFailed() | ev.RunTimedOut() | ev.RunInterrupted() | ev.RunRolledBack():
            _run_ended(changes, thread, position, event)
    thread["status"] = thread_status(thread)


def _thread_created(changes: Changes, event: ev.ThreadCreated) -> None:
    if event.originator_id in changes.threads:  # a deleted thread's id taken again
        changes.resets.append((event.originator_id, event.originator_version))
    thread = {
        "thread_id": event.originator_id, "status": "idle", "metadata": event.metadata,
        "state_values": None, "interrupts": "{}", "next": [], "error": None, "head_checkpoint_id": None,
        "graph_id": event.graph_id, "copied_from": event.copied_from, "owner": event.owner, "inflight": 0,
        "last_outcome": None,
        "created_at": event.timestamp, "updated_at": event.timestamp, "state_updated_at": event.timestamp,
        "deleted": False, "version": event.originator_version,
    }
    if event.state is not None:
        _settle(thread, event.state, event.timestamp, head=event.state.checkpoint_id)
    thread["status"] = thread_status(thread)
    changes.threads[event.originator_id] = thread


def _settle(thread: Row, state: ev.StateSummary | None, at: datetime, head: str | None) -> None:
    """The thread's shown state moves to what the event's summary says."""
    thread["head_checkpoint_id"] = head
    if state is not None:
        thread["state_values"] = json_text(state.values)
        thread["interrupts"] = json_text(state.interrupts)
        thread["next"] = state.next
        thread["state_updated_at"] = at


def _new_run(event: ev.RunCreated, owner: str | None) -> Row:
    return {
        "run_id": event.run_id, "thread_id": event.originator_id, "assistant_id": event.assistant_id,
        "status": "pending", "multitask_strategy": event.multitask_strategy, "kwargs": event.kwargs,
        "metadata": event.metadata, "attempt": 1, "error": None, "output": None, "interrupts": None,
        "owner": owner, "cancel_action": None, "worker_id": None,
        "seq": event.originator_version, "created_at": event.timestamp, "updated_at": event.timestamp,
        "not_before": event.not_before, "started_at": None, "ended_at": None, "rolled_back": False,
        "deleted": False,
    }


def _run_ended(changes: Changes, thread: Row, position: int, event: Any) -> None:
    outcome = OUTCOMES[type(event)]
    run = changes.runs[event.run_id]
    error = msgspec.to_builtins(event.error) if isinstance(event, ev.RunFailed) else None
    run.update(status="interrupted" if outcome == "rolled_back" else outcome, ended_at=event.timestamp,
               updated_at=event.timestamp, error=error, rolled_back=outcome == "rolled_back")
    if event.state is not None:
        run.update(output=json_text(event.state.values), interrupts=json_text(event.state.interrupts))
    thread["inflight"] -= 1
    thread["last_outcome"] = outcome
    thread["error"] = error
    head = event.restored_checkpoint_id if outcome == "rolled_back" else thread["head_checkpoint_id"]
    if event.state is not None:
        head = event.state.checkpoint_id or head
    _settle(thread, event.state, event.timestamp, head)
    if outcome == "rolled_back":
        changes.rollbacks.append((event.originator_id, event.run_id))
    changes.audit.append((
        event.run_id, event.originator_id, run["assistant_id"], outcome,
        getattr(event, "reason", "") or (error or {}).get("message", ""), getattr(event, "by_run_id", None),
        dump_json(error), run["attempt"], run["multitask_strategy"], run["created_at"], run["started_at"],
        event.timestamp, position, run["owner"],
    ))


def _rejected(event: ev.RunRejected, position: int, owner: str | None) -> tuple:
    caused_by = event.active_run_ids[0] if event.active_run_ids else None
    return (event.run_id, event.originator_id, event.assistant_id, "rejected", event.reason, caused_by, None, 0,
            "reject", event.timestamp, None, event.timestamp, position, owner)


def _add_checkpoint(changes: Changes, event: ev.ThreadEvent, saved: ev.SavedCheckpoint, run_id: UUID | None) -> None:
    thread_id, seq = event.originator_id, event.originator_version
    changes.checkpoints.append((
        thread_id, saved.checkpoint_ns, saved.checkpoint_id, saved.parent_checkpoint_id, run_id,
        encode(saved), dump_json(saved.metadata), seq, event.timestamp, False,
    ))


def _add_writes(changes: Changes, event: ev.ThreadEvent, task: ev.TaskWrites, run_id: UUID | None) -> None:
    for write in task.writes:
        row = (event.originator_id, task.checkpoint_ns, task.checkpoint_id, task.task_id, write.idx, write.channel,
               write.type, write.data, task.task_path, run_id, event.originator_version, False)
        (changes.special_writes if write.idx < 0 else changes.writes).append(row)


def _fold_assistant(changes: Changes, event: ev.AssistantEvent) -> None:
    match event:
        case ev.AssistantCreated():
            changes.assistants[event.originator_id] = {
                "assistant_id": event.originator_id, **_spec_columns(event.spec), "version": 1,
                "created_at": event.timestamp, "updated_at": event.timestamp, "owner": event.owner, "deleted": False,
            }
            changes.assistant_versions.append(_version_row(event, 1, event.spec))
        case ev.AssistantUpdated():
            changes.assistants[event.originator_id].update(
                **_spec_columns(event.spec), version=event.version, updated_at=event.timestamp)
            changes.assistant_versions.append(_version_row(event, event.version, event.spec))
        case ev.AssistantVersionChosen():
            changes.assistants[event.originator_id].update(
                **_spec_columns(event.spec), version=event.version, updated_at=event.timestamp)
        case ev.AssistantDeleted():
            changes.assistants[event.originator_id].update(deleted=True, updated_at=event.timestamp)


def _fold_store_item(changes: Changes, event: ev.StoreEvent) -> None:
    item_id = event.originator_id
    match event:
        case ev.StoreItemPut() if item_id in changes.store_items:
            changes.store_items[item_id].update(value=dump_json(event.value), updated_at=event.timestamp)
        case ev.StoreItemPut():
            changes.store_items[item_id] = {
                "item_id": item_id, "owner": event.owner, "namespace": store_namespace(event.namespace),
                "key": event.key, "value": dump_json(event.value), "created_at": event.timestamp,
                "updated_at": event.timestamp,
            }
        case ev.StoreItemDeleted():
            changes.store_items.pop(item_id, None)
            changes.store_deletions.add(item_id)


def _fold_cron(changes: Changes, event: ev.CronEvent) -> None:
    match event:
        case ev.CronCreated():
            changes.crons[event.originator_id] = {
                "cron_id": event.originator_id, **_cron_columns(event.spec), "next_run_date": event.next_run_date,
                "created_at": event.timestamp, "updated_at": event.timestamp, "owner": event.owner, "deleted": False,
            }
        case ev.CronUpdated():
            changes.crons[event.originator_id].update(
                **_cron_columns(event.spec), next_run_date=event.next_run_date, updated_at=event.timestamp)
        case ev.CronFired():
            changes.crons[event.originator_id].update(next_run_date=event.next_run_date, updated_at=event.timestamp)
        case ev.CronDeleted():
            changes.crons[event.originator_id].update(deleted=True, updated_at=event.timestamp)


def _cron_columns(spec: ev.CronSpec) -> dict[str, Any]:
    return {"assistant_id": spec.assistant_id, "thread_id": spec.thread_id, "schedule": spec.schedule,
            "timezone": spec.timezone, "end_time": spec.end_time, "payload": spec.payload, "metadata": spec.metadata,
            "on_run_completed": spec.on_run_completed, "enabled": spec.enabled}


def _spec_columns(spec: ev.AssistantSpec) -> dict[str, Any]:
    return {"graph_id": spec.graph_id, "config": spec.config, "context": spec.context, "metadata": spec.metadata,
            "name": spec.name, "description": spec.description}


def _version_row(event: ev.AssistantEvent, version: int, spec: ev.AssistantSpec) -> tuple:
    return (event.originator_id, version, spec.graph_id, dump_json(spec.config), dump_json(spec.context),
            dump_json(spec.metadata), spec.name, spec.description, event.timestamp)
