"""The four double-texting strategies, decided inside the aggregate when a run is created."""

from uuid import UUID, uuid4

import pytest

from tests.unit.history import ASSISTANT, Given, at, kinds, new_events
from threadlog.domain import events as ev
from threadlog.domain.errors import RunRejectedError

NEW = UUID("00000000-0000-0000-0000-0000000000ff")


def thread_with_inflight(count: int) -> tuple[Given, list[UUID]]:
    """A thread with `count` runs in flight: the first running, the rest pending."""
    given = Given().created()
    runs = [uuid4() for _ in range(count)]
    for i, run_id in enumerate(runs):
        given.run_created(run_id)
        if i == 0:
            given.run_started(run_id)
    return given, runs


def create(given: Given, strategy: ev.Strategy) -> list[ev.ThreadEvent]:
    thread = given.thread()
    thread.create_run(run_id=NEW, assistant_id=ASSISTANT, strategy=strategy, now=at(100))
    return new_events(thread)


@pytest.mark.parametrize("strategy", ["reject", "enqueue", "interrupt", "rollback"])
def test_every_strategy_creates_a_pending_run_on_an_idle_thread(strategy: ev.Strategy) -> None:
    given, _ = thread_with_inflight(0)
    events = create(given, strategy)
    assert kinds(events) == ["RunCreated"]
    assert events[0].multitask_strategy == strategy
    assert given.thread().runs == {} and NEW not in given.thread().runs


@pytest.mark.parametrize("inflight", [1, 2])
def test_reject_strategy_refuses_a_second_run_while_one_is_active(inflight: int) -> None:
    given, runs = thread_with_inflight(inflight)
    events = create(given, "reject")
    assert kinds(events) == ["RunRejected"]
    assert events[0].run_id == NEW
    assert events[0].active_run_ids == runs
    assert events[0].reason == RunRejectedError.MESSAGE


@pytest.mark.parametrize("inflight", [1, 2])
def test_enqueue_strategy_queues_the_run_behind_the_active_ones(inflight: int) -> None:
    given, runs = thread_with_inflight(inflight)
    thread = given.thread()
    thread.create_run(run_id=NEW, assistant_id=ASSISTANT, strategy="enqueue", now=at(100))
    assert kinds(new_events(thread)) == ["RunCreated"]
    assert list(thread.runs) == [*runs, NEW]
    assert thread.runs[runs[0]].status == "running"
    assert all(thread.runs[r].status == "pending" for r in [*runs[1:], NEW])


def test_interrupt_strategy_asks_the_running_run_to_stop() -> None:
    given, (running,) = thread_with_inflight(1)
    events = create(given, "interrupt")
    assert kinds(events) == ["RunCreated", "RunCancelRequested"]
    request = events[1]
    assert (request.run_id, request.action, request.by_run_id) == (running, "interrupt", NEW)
    assert "superseded by run" in request.reason


def test_interrupt_strategy_interrupts_pending_runs_at_once() -> None:
    given, (running, pending) = thread_with_inflight(2)
    events = create(given, "interrupt")
    assert kinds(events) == ["RunCreated", "RunCancelRequested", "RunCancelRequested", "RunInterrupted"]
    assert [e.run_id for e in events[1:]] == [running, pending, pending]
    assert events[3].by_run_id == NEW


def test_rollback_strategy_rolls_back_pending_runs_and_asks_the_running_one_to_stop() -> None:
    given, (running, pending) = thread_with_inflight(2)
    given.checkpoint_saved(running, "cp-1")
    thread = given.thread()
    thread.create_run(run_id=NEW, assistant_id=ASSISTANT, strategy="rollback", now=at(100))
    events = new_events(thread)
    assert kinds(events) == ["RunCreated", "RunCancelRequested", "RunCancelRequested", "RunRolledBack"]
    assert {e.action for e in events[1:3]} == {"rollback"}
    # A run that never started has no work of its own: the head stays where it is.
    assert events[3].run_id == pending and events[3].restored_checkpoint_id == "cp-1"
    assert list(thread.runs) == [running, NEW]
    assert thread.runs[running].cancel.action == "rollback"
