"""Attempt numbers fence off workers whose lease was taken over; requeues are bounded."""

from uuid import uuid4

import pytest

from tests.unit.history import Given, at, checkpoint, kinds, new_events
from threadlog.domain import events as ev
from threadlog.domain.errors import StaleAttemptError


def requeued_run() -> tuple[Given, object]:
    run = uuid4()
    given = Given().created().run_created(run).run_started(run)
    given.event(ev.RunRequeued, run_id=run, attempt=2, reason="lease expired")
    return given, run


def test_a_requeued_run_is_pending_again_under_the_next_attempt() -> None:
    given, run = requeued_run()
    thread = given.thread()
    assert (thread.runs[run].status, thread.runs[run].attempt) == ("pending", 2)
    assert thread.start_next_run("w2", now=at(50)).attempt == 2


@pytest.mark.parametrize(
    "stale_write",
    [
        lambda t, r: t.record_progress(r, 1, [checkpoint("late")], now=at(60)),
        lambda t, r: t.record_succeeded(r, 1, now=at(60)),
        lambda t, r: t.record_failed(r, 1, ev.RunError("E", "m"), now=at(60)),
        lambda t, r: t.requeue_run(r, 1, "again", max_attempts=3, now=at(60)),
    ],
)
def test_a_worker_with_a_stale_attempt_cannot_write(stale_write) -> None:
    given, run = requeued_run()
    given.run_started(run, attempt=2)
    thread = given.thread()
    with pytest.raises(StaleAttemptError):
        stale_write(thread, run)
    assert new_events(thread) == []


def test_a_run_fails_once_it_has_used_all_its_attempts() -> None:
    given, run = requeued_run()
    given.run_started(run, attempt=2)
    thread = given.thread()
    outcome = thread.requeue_run(run, 2, "lease expired", max_attempts=2, now=at(60))
    assert isinstance(outcome, ev.RunFailed)
    assert outcome.error.error == "MaxAttemptsExceeded"
    assert run not in thread.runs


def test_a_run_whose_worker_died_after_a_cancel_request_ends_as_cancelled_not_requeued() -> None:
    run = uuid4()
    given = Given().created().run_created(run).run_started(run)
    given.event(ev.RunCancelRequested, run_id=run, action="interrupt", reason="stop")
    thread = given.thread()
    thread.requeue_run(run, 1, "lease expired", max_attempts=3, now=at(60))
    assert kinds(new_events(thread)) == ["RunInterrupted"]


def test_a_requeued_run_keeps_the_checkpoint_it_first_started_from() -> None:
    run = uuid4()
    given = Given().created()
    given.event(ev.ThreadStateUpdated, checkpoint=checkpoint("base"))
    given.run_created(run).run_started(run).checkpoint_saved(run, "cp-1")
    given.event(ev.RunRequeued, run_id=run, attempt=2, reason="lease expired")
    given.run_started(run, attempt=2).checkpoint_saved(run, "cp-2", attempt=2)
    thread = given.thread()
    thread.request_cancel(run, "rollback", now=at(60))
    assert thread.record_cancelled(run, 2, now=at(61)).restored_checkpoint_id == "base"
