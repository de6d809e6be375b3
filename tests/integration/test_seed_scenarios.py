"""The seed documents' scenarios, through the application and a real worker (no HTTP)."""

from uuid import uuid4

import pytest

from tests.integration.execution import (
    WorkerThread,
    checkpoints_of,
    create_run,
    messages,
    thread_state,
    wait_run,
    wait_until,
)
from tests.integration.views import row
from threadlog.domain.errors import RunRejectedError

SF, NYC = "what's the weather in sf?", "what's the weather in nyc?"
ONE_EXCHANGE = ["human", "ai", "tool", "ai"]


@pytest.fixture
def worker(runtime):
    with WorkerThread(runtime) as worker:
        yield worker


def kinds(runtime, thread_id) -> list[str]:
    return [kind for kind, _ in messages(runtime, thread_id)]


def new_thread(runtime):
    thread_id = uuid4()
    runtime.app.create_thread(thread_id)
    return thread_id


def test_reject_refuses_the_second_run_and_the_first_completes(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    first = create_run(runtime, thread_id, SF, delay=0.2)
    with pytest.raises(RunRejectedError):
        create_run(runtime, thread_id, NYC, strategy="reject")
    assert wait_run(runtime, first)["status"] == "success"
    assert kinds(runtime, thread_id) == ONE_EXCHANGE
    assert messages(runtime, thread_id)[0] == ("human", SF)


def test_enqueue_runs_the_second_after_the_first_and_the_thread_holds_both(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    first = create_run(runtime, thread_id, SF, delay=0.1)
    second = create_run(runtime, thread_id, NYC, strategy="enqueue")
    assert wait_run(runtime, second)["status"] == "success"
    assert row(runtime, "runs", run_id=first)["status"] == "success"
    assert row(runtime, "runs", run_id=first)["ended_at"] <= row(runtime, "runs", run_id=second)["started_at"]
    assert kinds(runtime, thread_id) == ONE_EXCHANGE * 2
    assert [m for m in messages(runtime, thread_id) if m[0] == "human"] == [("human", SF), ("human", NYC)]


def test_interrupt_keeps_the_first_runs_partial_work_then_runs_the_second(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    first = create_run(runtime, thread_id, SF, delay=0.3)
    wait_until(lambda: checkpoints_of(runtime, first) >= 4, what="the first run to get its tool result")
    second = create_run(runtime, thread_id, NYC, strategy="interrupt")
    assert wait_run(runtime, second)["status"] == "success"
    assert row(runtime, "runs", run_id=first)["status"] == "interrupted"
    # partial first exchange (question, tool call, tool result), then the whole second one
    assert kinds(runtime, thread_id) == ["human", "ai", "tool", *ONE_EXCHANGE]
    assert [m for m in messages(runtime, thread_id) if m[0] == "human"] == [("human", SF), ("human", NYC)]
    audit = row(runtime, "run_audit", run_id=first)
    assert (audit["outcome"], audit["caused_by_run_id"]) == ("interrupted", second)


def test_rollback_forgets_the_first_run_and_runs_the_second_as_if_it_never_happened(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    first = create_run(runtime, thread_id, SF, delay=0.3)
    wait_until(lambda: checkpoints_of(runtime, first) >= 4, what="the first run to get its tool result")
    second = create_run(runtime, thread_id, NYC, strategy="rollback")
    assert wait_run(runtime, second)["status"] == "success"
    first_row = row(runtime, "runs", run_id=first)
    assert first_row["rolled_back"] is True
    assert messages(runtime, thread_id)[0] == ("human", NYC)
    assert kinds(runtime, thread_id) == ONE_EXCHANGE
    assert row(runtime, "run_audit", run_id=first)["outcome"] == "rolled_back"
    live = runtime.views.query("SELECT COUNT(*) AS n FROM tl_checkpoints WHERE run_id = ? AND rolled_back = ?",
                               [first, False])
    assert live[0]["n"] == 0


def test_a_background_run_is_pending_then_succeeds_and_the_state_has_its_messages(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "what's the weather in sf", after_seconds=0.3)
    assert row(runtime, "runs", run_id=run_id)["status"] == "pending"
    assert wait_run(runtime, run_id)["status"] == "success"
    state = thread_state(runtime, thread_id)
    assert state["status"] == "idle"
    assert kinds(runtime, thread_id) == ONE_EXCHANGE
    assert messages(runtime, thread_id)[-1][1].startswith("Here is what I found.")
