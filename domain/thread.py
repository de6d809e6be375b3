"""The Thread aggregate: a thread's runs and the rules they follow, decided without I/O.

A command method checks its rules, then records events; `apply` is the only place
state changes, and it is what replay runs. Runs that ended are dropped from the state
(the log keeps them), so a thread's state stays small however long it lives.
"""

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from msgspec import Struct, structs

from threadlog.domain import events as ev
from threadlog.domain.aggregate import Recorder, projector
from threadlog.domain.errors import (
    NoCancelRequestedError,
    RunActiveError,
    RunNotActiveError,
    RunNotRunningError,
    RunRejectedError,
    StaleAttemptError,
    ThreadBusyError,
    ThreadDeletedError,
)


class CancelRequest(Struct, frozen=True):
    action: ev.CancelAction
    reason: str
    by_run_id: UUID | None


class ActiveRun(Struct, frozen=True, kw_only=True):
    """A run that is pending or running; `seq` (its RunCreated version) orders the queue."""

    run_id: UUID
    status: Literal["pending", "running"]
    seq: int
    not_before: datetime
    attempt: int = 1
    started: bool = False
    base_checkpoint_id: str | None = None
    cancel: CancelRequest | None = None


class Thread(Struct, Recorder, kw_only=True, dict=True):
    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    metadata: dict[str, Any] = {}
    graph_id: str | None = None
    runs: dict[UUID, ActiveRun] = {}
    head_checkpoint_id: str | None = None
    owner: str | None = None
    deleted: bool = False

    # -- creation -----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        thread_id: UUID,
        *,
        now: datetime,
        metadata: dict[str, Any] | None = None,
        graph_id: str | None = None,
        copied_from: UUID | None = None,
        state: ev.StateSummary | None = None,
        owner: str | None = None,
    ) -> "Thread":
        thread = cls(id=thread_id, version=0, created_on=now, modified_on=now)
        thread._record(ev.ThreadCreated, now, metadata=metadata or {}, graph_id=graph_id, copied_from=copied_from,
                       state=state, owner=owner)
        return thread

    def recreate(self, *, now: datetime, metadata: dict[str, Any] | None = None, graph_id: str | None = None,
                 owner: str | None = None) -> None:
        """A deleted thread's id is taken again: a new life on the same log."""
        if not self.deleted:
            raise ThreadBusyError(self.id)
        self._record(ev.ThreadCreated, now, metadata=metadata or {}, graph_id=graph_id, owner=owner)

    def copy_checkpoint(self, checkpoint: ev.SavedCheckpoint, writes: list[ev.TaskWrites], *, now: datetime) -> None:
        self._check_alive()
        self._record(ev.CheckpointCopied, now, checkpoint=checkpoint, writes=writes)

    # -- thread commands ----------------------------------------------------------

    def update_metadata(self, patch: dict[str, Any], *, now: datetime) -> None:
        self._check_alive()
        self._record(ev.ThreadMetadataUpdated, now, patch=patch)

    def update_state(
        self, items: list[ev.Progress], as_node: str | None, *, now: datetime, state: ev.StateSummary | None = None
    ) -> None:
        """Write state as if `as_node` had: one event per checkpoint, its writes with it."""
        self._check_alive()
        if self.runs:
            raise ThreadBusyError(self.id)
        checkpoints = [i for i in items if isinstance(i, ev.SavedCheckpoint)]
        for n, checkpoint in enumerate(checkpoints):
            writes = [i for i in items if isinstance(i, ev.TaskWrites) and i.checkpoint_id == checkpoint.checkpoint_id]
            last = n == len(checkpoints) - 1
            self._record(ev.ThreadStateUpdated, now, checkpoint=checkpoint, as_node=as_node, writes=writes,
                         state=state if last else None)

    def delete_run(self, run_id: UUID, *, now: datetime) -> None:
        """Hide a finished run from the run endpoints (the caller checked it is this thread's)."""
        self._check_alive()
        if run_id in self.runs:
            raise RunActiveError(run_id)
        self._record(ev.RunDeleted, now, run_id=run_id)

    def delete(self, reason: str, *, now: datetime) -> None:
        """Delete the thread; runs still in flight end `interrupted` so each has one outcome."""
        self._check_alive()
        for run in list(self.runs.values()):
            self._record(ev.RunInterrupted, now, run_id=run.run_id, attempt=run.attempt, reason="thread deleted")
        self._record(ev.ThreadDeleted, now, reason=reason)

    # -- run lifecycle --------------------------------------------------------------

    def create_run(
        self,
        *,
        run_id: UUID,
        assistant_id: UUID,
        strategy: ev.Strategy,
        now: datetime,
        not_before: datetime | None = None,
        kwargs: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        graph_id: str | None = None,
    ) -> ev.RunCreated | ev.RunRejected:
        """Create a run, applying the multitask strategy to the runs already in flight."""
        self._check_alive()
        inflight = list(self.runs.values())
        if strategy == "reject" and inflight:
            return self._record(
                ev.RunRejected, now, run_id=run_id, assistant_id=assistant_id,
                reason=RunRejectedError.MESSAGE, active_run_ids=[r.run_id for r in inflight],
                metadata=metadata or {},
            )
        created = self._record(
            ev.RunCreated, now, run_id=run_id, assistant_id=assistant_id, kwargs=kwargs or {},
            metadata=metadata or {}, multitask_strategy=strategy, not_before=not_before or now, graph_id=graph_id,
        )
        if strategy in ("interrupt", "rollback"):
            reason = f"superseded by run {run_id} (multitask_strategy={strategy})"
            for run in inflight:
                self._cancel(run, strategy, reason, run_id, now)
        return created

    def start_next_run(self, worker_id: str, *, now: datetime) -> ev.RunStarted | None:
        """Start the oldest pending run that is due, unless a run is already running."""
        if self.deleted or any(r.status == "running" for r in self.runs.values()):
            return None
        due = [r for r in self.runs.values() if r.status == "pending" and r.not_before <= now]
        if not due:
            return None
        run = min(due, key=lambda r: r.seq)
        return self._record(ev.RunStarted, now, run_id=run.run_id, attempt=run.attempt, worker_id=worker_id)

    def record_progress(self, run_id: UUID, attempt: int, items: list[ev.Progress], *, now: datetime) -> None:
        self._running(run_id, attempt)
        for item in items:
            match item:
                case ev.SavedCheckpoint():
                    self._record(ev.CheckpointSaved, now, run_id=run_id, attempt=attempt, checkpoint=item)
                case ev.TaskWrites():
                    self._record(ev.WritesSaved, now, run_id=run_id, attempt=attempt, writes=item)
                case ev.StreamChunk():
                    self._record(ev.OutputStreamed, now, run_id=run_id, attempt=attempt, chunk=item)

    def request_cancel(
        self, run_id: UUID, action: ev.CancelAction, *, now: datetime, reason: str = "", by_run_id: UUID | None = None
    ) -> None:
        """Ask a run to stop; a pending run stops at once, a running one when its worker sees it."""
        self._check_alive()
        self._cancel(self._active(run_id), action, reason, by_run_id, now)

    def record_cancelled(
        self, run_id: UUID, attempt: int, *, now: datetime, state: ev.StateSummary | None = None
    ) -> ev.RunInterrupted | ev.RunRolledBack:
        """The worker stopped a running run because it was asked to: end it as asked."""
        run = self._running(run_id, attempt)
        if run.cancel is None:
            raise NoCancelRequestedError(run_id)
        return self._end_cancelled(run, now, state)

    def record_succeeded(self, run_id: UUID, attempt: int, *, now: datetime, state: ev.StateSummary | None = None) -> None:
        self._running(run_id, attempt)
        self._record(ev.RunSucceeded, now, run_id=run_id, attempt=attempt, state=state)

    def record_failed(
        self, run_id: UUID, attempt: int, error: ev.RunError, *, now: datetime, state: ev.StateSummary | None = None
    ) -> None:
        self._running(run_id, attempt)
        self._record(ev.RunFailed, now, run_id=run_id, attempt=attempt, error=error, state=state)

    def record_timed_out(self, run_id: UUID, attempt: int, *, now: datetime, state: ev.StateSummary | None = None) -> None:
        self._running(run_id, attempt)
        self._record(ev.RunTimedOut, now, run_id=run_id, attempt=attempt, state=state)

    def requeue_run(self, run_id: UUID, attempt: int, reason: str, *, max_attempts: int, now: datetime) -> ev.ThreadEvent:
        """Put a run whose worker is gone back in the queue under a new attempt, or fail it."""
        run = self._running(run_id, attempt)
        if run.cancel is not None:
            return self._end_cancelled(run, now)
        if attempt >= max_attempts:
            error = ev.RunError("MaxAttemptsExceeded", f"{reason}; gave up after {attempt} attempts")
            return self._record(ev.RunFailed, now, run_id=run_id, attempt=attempt, error=error)
        return self._record(ev.RunRequeued, now, run_id=run_id, attempt=attempt + 1, reason=reason)

    # -- rules shared by the commands -------------------------------------------------

    def _check_alive(self) -> None:
        if self.deleted:
            raise ThreadDeletedError(self.id)

    def _active(self, run_id: UUID) -> ActiveRun:
        run = self.runs.get(run_id)
        if run is None:
            raise RunNotActiveError(run_id)
        return run

    def _running(self, run_id: UUID, attempt: int) -> ActiveRun:
        """The fencing check: only the current attempt of a running run may write."""
        self._check_alive()
        run = self._active(run_id)
        if attempt != run.attempt:
            raise StaleAttemptError(run_id, attempt, run.attempt)
        if run.status != "running":
            raise RunNotRunningError(run_id)
        return run

    def _cancel(self, run: ActiveRun, action: ev.CancelAction, reason: str, by_run_id: UUID | None, now: datetime) -> None:
        self._record(ev.RunCancelRequested, now, run_id=run.run_id, action=action, reason=reason, by_run_id=by_run_id)
        if run.status == "pending":
            self._end_cancelled(self.runs[run.run_id], now)

    def _end_cancelled(
        self, run: ActiveRun, now: datetime, state: ev.StateSummary | None = None
    ) -> ev.RunInterrupted | ev.RunRolledBack:
        assert run.cancel is not None
        common = dict(
            run_id=run.run_id, attempt=run.attempt, reason=run.cancel.reason, by_run_id=run.cancel.by_run_id, state=state
        )
        if run.cancel.action == "interrupt":
            return self._record(ev.RunInterrupted, now, **common)
        restored = run.base_checkpoint_id if run.started else self.head_checkpoint_id
        return self._record(ev.RunRolledBack, now, restored_checkpoint_id=restored, **common)

    # -- recording and applying events --------------------------------------------------

    def apply(self, event: ev.ThreadEvent) -> None:
        match event:
            case ev.ThreadCreated():
                self.metadata, self.graph_id, self.runs, self.owner = event.metadata, event.graph_id, {}, event.owner
                self.head_checkpoint_id, self.deleted = None, False
            case ev.ThreadMetadataUpdated():
                self.metadata = {**self.metadata, **event.patch}
            case ev.ThreadStateUpdated() | ev.CheckpointSaved() | ev.CheckpointCopied():
                self._move_head(event.checkpoint)
            case ev.ThreadDeleted():
                self.deleted = True
            case ev.RunCreated():
                self.graph_id = event.graph_id or self.graph_id
                self.runs[event.run_id] = ActiveRun(
                    run_id=event.run_id, status="pending", seq=event.originator_version, not_before=event.not_before
                )
            case ev.RunStarted():
                run = self.runs[event.run_id]
                base = run.base_checkpoint_id if run.started else self.head_checkpoint_id
                self._replace_run(run, status="running", attempt=event.attempt, started=True, base_checkpoint_id=base)
            case ev.RunCancelRequested():
                self._replace_run(self.runs[event.run_id], cancel=CancelRequest(event.action, event.reason, event.by_run_id))
            case ev.RunRequeued():
                self._replace_run(self.runs[event.run_id], status="pending", attempt=event.attempt)
            case ev.RunRolledBack():
                del self.runs[event.run_id]
                self.head_checkpoint_id = event.restored_checkpoint_id
            case ev.RunInterrupted() | ev.RunSucceeded() | ev.RunFailed() | ev.RunTimedOut():
                del self.runs[event.run_id]
        self.version = event.originator_version
        self.modified_on = event.timestamp

    def _move_head(self, checkpoint: ev.SavedCheckpoint) -> None:
        if checkpoint.checkpoint_ns == "":
            self.head_checkpoint_id = checkpoint.checkpoint_id

    def _replace_run(self, run: ActiveRun, **changes: Any) -> None:
        self.runs[run.run_id] = structs.replace(run, **changes)

    def __deepcopy__(self, memo: dict[int, Any]) -> "Thread":
        # State values are replaced, never mutated in place, so copying the run table
        # is enough to keep the repository's cached copy safe from a failed command.
        return structs.replace(self, runs=dict(self.runs))


project_thread = projector(Thread)
