"""A run goes pending -> running -> one outcome; at most one runs per thread, in FIFO order."""

from uuid import uuid4

import pytest

from tests.unit.history import Given, at, checkpoint, kinds, new_events
from threadlog.domain import events as ev
from threadlog.domain.errors import NoCancelRequestedError, RunNotActiveError, RunNotRunningError


def test_a_created_run_is_pending_until_a_worker_starts_it() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).thread()
    assert thread.runs[run].status == "pending"
    started = thread.start_next_run("w1", now=at(50))
    assert (started.run_id, started.attempt, started.worker_id) == (run, 1, "w1")
    assert thread.runs[run].status == "running"


def test_no_second_run_starts_while_one_is_running() -> None:
    first, second = uuid4(), uuid4()
    thread = Given().created().run_created(first).run_created(second).run_started(first).thread()
    assert thread.start_next_run("w2", now=at(50)) is None
    assert new_events(thread) == []


def test_pending_runs_start_in_the_order_they_were_created() -> None:
    runs = [uuid4() for _ in range(3)]
    given = Given().created()
    for run in runs:
        given.run_created(run)
    thread = given.thread()
    order = []
    for _ in runs:
        started = thread.start_next_run("w1", now=at(50))
        order.append(started.run_id)
        thread.record_succeeded(started.run_id, 1, now=at(51))
    assert order == runs


def test_a_run_does_not_start_before_its_not_before_time_and_does_not_block_later_runs() -> None:
    delayed, later = uuid4(), uuid4()
    thread = Given().created().run_created(delayed, not_before=at(60)).run_created(later).thread()
    assert thread.start_next_run("w1", now=at(10)).run_id == later
    thread.record_succeeded(later, 1, now=at(11))
    assert thread.start_next_run("w1", now=at(30)) is None
    assert thread.start_next_run("w1", now=at(60)).run_id == delayed


@pytest.mark.parametrize(
    ("finish", "outcome"),
    [
        (lambda t, r: t.record_succeeded(r, 1, now=at(9)), "RunSucceeded"),
        (lambda t, r: t.record_failed(r, 1, ev.RunError("ValueError", "boom"), now=at(9)), "RunFailed"),
        (lambda t, r: t.record_timed_out(r, 1, now=at(9)), "RunTimedOut"),
    ],
)
def test_a_running_run_ends_with_exactly_one_outcome(finish, outcome: str) -> None:
    run = uuid4()
    thread = Given().created().run_created(run).run_started(run).thread()
    finish(thread, run)
    assert kinds(new_events(thread)) == [outcome]
    assert run not in thread.runs
    with pytest.raises(RunNotActiveError):
        thread.record_succeeded(run, 1, now=at(10))
    assert new_events(thread) == []


def test_a_pending_run_cannot_report_an_outcome() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).thread()
    with pytest.raises(RunNotRunningError):
        thread.record_succeeded(run, 1, now=at(9))


def test_cancel_of_a_pending_run_ends_it_at_once() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).thread()
    thread.request_cancel(run, "interrupt", now=at(9))
    assert kinds(new_events(thread)) == ["RunCancelRequested", "RunInterrupted"]
    assert thread.runs == {}


def test_cancel_of_a_running_run_waits_for_its_worker_then_interrupts_it() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).run_started(run).checkpoint_saved(run, "cp-1").thread()
    thread.request_cancel(run, "interrupt", now=at(9), reason="user asked")
    assert kinds(new_events(thread)) == ["RunCancelRequested"]
    assert thread.runs[run].status == "running"
    outcome = thread.record_cancelled(run, 1, now=at(10))
    assert isinstance(outcome, ev.RunInterrupted) and outcome.reason == "user asked"
    # Interrupt keeps the run's work: the head stays on its last checkpoint.
    assert thread.head_checkpoint_id == "cp-1"


def test_rollback_restores_the_checkpoint_the_run_started_from() -> None:
    first, second = uuid4(), uuid4()
    given = Given().created().run_created(first).run_started(first).checkpoint_saved(first, "cp-1")
    given.event(ev.RunSucceeded, run_id=first, attempt=1)
    given.run_created(second).run_started(second).checkpoint_saved(second, "cp-2").checkpoint_saved(second, "cp-3")
    thread = given.thread()
    thread.request_cancel(second, "rollback", now=at(20))
    outcome = thread.record_cancelled(second, 1, now=at(21))
    assert isinstance(outcome, ev.RunRolledBack)
    assert outcome.restored_checkpoint_id == "cp-1"
    assert thread.head_checkpoint_id == "cp-1"


def test_a_worker_cannot_report_a_cancel_nobody_asked_for() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).run_started(run).thread()
    with pytest.raises(NoCancelRequestedError):
        thread.record_cancelled(run, 1, now=at(9))


def test_a_later_rollback_request_overrides_an_interrupt_request() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).run_started(run).thread()
    thread.request_cancel(run, "interrupt", now=at(9))
    thread.request_cancel(run, "rollback", now=at(10))
    assert isinstance(thread.record_cancelled(run, 1, now=at(11)), ev.RunRolledBack)


def test_progress_is_recorded_only_for_the_running_attempt() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).run_started(run).thread()
    chunk = ev.StreamChunk("values", b'{"messages":[]}')
    writes = ev.TaskWrites(checkpoint_id="cp-1", task_id="t1", writes=[ev.ChannelWrite(0, "messages", "msgpack", b"x")])
    thread.record_progress(run, 1, [checkpoint("cp-1"), writes, chunk], now=at(9))
    assert kinds(new_events(thread)) == ["CheckpointSaved", "WritesSaved", "OutputStreamed"]
    assert thread.head_checkpoint_id == "cp-1"
