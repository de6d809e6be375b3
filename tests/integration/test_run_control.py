"""Cancel, human-in-the-loop, delays, timeouts and errors, through a real worker."""

import asyncio
import time
from uuid import uuid4

import pytest
from msgspec.structs import replace

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
from threadlog.domain.execution.graph_store import RunStore
from threadlog.domain.execution.runner import RunExecution
from threadlog.ops.runtime import Runtime


@pytest.fixture
def worker(runtime):
    with WorkerThread(runtime) as worker:
        yield worker


def new_thread(runtime):
    thread_id = uuid4()
    runtime.app.create_thread(thread_id)
    return thread_id


@pytest.mark.parametrize("action", ["interrupt", "rollback"])
def test_a_running_run_obeys_a_cancel_within_a_second_even_inside_a_long_step(runtime, worker, action) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "slow question", delay=30)
    wait_until(lambda: checkpoints_of(runtime, run_id) >= 2, what="the run to enter its first step")
    started = time.monotonic()
    runtime.app.request_cancel(thread_id, run_id, action, reason="user pressed stop")
    ended = wait_run(runtime, run_id, timeout=5)
    assert time.monotonic() - started < 1.0
    assert (ended["status"], ended["rolled_back"]) == ("interrupted", action == "rollback")
    audit = row(runtime, "run_audit", run_id=run_id)
    assert (audit["outcome"], audit["reason"]) == ({"interrupt": "interrupted", "rollback": "rolled_back"}[action],
                                                  "user pressed stop")
    expected = [("human", "slow question")] if action == "interrupt" else []
    assert messages(runtime, thread_id) == expected


def test_interrupt_inside_a_node_pauses_the_run_and_a_resume_command_continues_it(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    paused = create_run(runtime, thread_id, "weather in sf", configurable={"approve_tools": True})
    assert wait_run(runtime, paused)["status"] == "success"
    state = thread_state(runtime, thread_id)
    assert (state["status"], state["next"]) == ("interrupted", ["tools"])
    (asked,) = next(iter(state["interrupts"].values()))
    assert asked["value"] == {"question": "run the search?", "query": "weather in sf"}
    resumed = create_run(runtime, thread_id, configurable={"approve_tools": True}, command={"resume": "yes"})
    assert wait_run(runtime, resumed)["status"] == "success"
    state = thread_state(runtime, thread_id)
    assert (state["status"], state["interrupts"]) == ("idle", {})
    assert [kind for kind, _ in messages(runtime, thread_id)] == ["human", "ai", "tool", "ai"]
    assert "Sunny" in messages(runtime, thread_id)[-1][1]


@pytest.mark.parametrize(("option", "next_node"), [("interrupt_before", "tools"), ("interrupt_after", "tools")])
def test_run_level_interrupt_before_and_after_pause_the_thread(runtime, worker, option, next_node) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "weather in sf", **{option: ["tools"]})
    assert wait_run(runtime, run_id)["status"] == "success"
    state = thread_state(runtime, thread_id)
    assert state["status"] == "interrupted"
    expected_next = ["tools"] if option == "interrupt_before" else ["agent"]
    assert state["next"] == expected_next
    resumed = create_run(runtime, thread_id)  # no input: carry on from the pause
    assert wait_run(runtime, resumed)["status"] == "success"
    assert thread_state(runtime, thread_id)["status"] == "idle"
    assert [kind for kind, _ in messages(runtime, thread_id)] == ["human", "ai", "tool", "ai"]


def test_a_delayed_run_waits_for_its_time(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "later", after_seconds=0.6)
    time.sleep(0.3)
    assert row(runtime, "runs", run_id=run_id)["status"] == "pending"
    ended = wait_run(runtime, run_id)
    assert ended["status"] == "success"
    assert (ended["started_at"] - ended["created_at"]).total_seconds() >= 0.59


def test_an_error_in_the_graph_fails_the_run_and_keeps_the_error(runtime, worker) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "please fail")
    ended = wait_run(runtime, run_id)
    assert ended["status"] == "error"
    assert ended["error"] == {"error": "ValueError", "message": "cannot answer: 'please fail'"}
    state = thread_state(runtime, thread_id)
    assert state["status"] == "error" and state["error"]["error"] == "ValueError"
    after = create_run(runtime, thread_id, "better question")
    assert wait_run(runtime, after)["status"] == "success"
    assert thread_state(runtime, thread_id)["status"] == "idle"


def test_a_run_that_takes_too_long_times_out(settings) -> None:
    with Runtime(replace(settings, run_timeout_seconds=0.5)).start() as runtime, WorkerThread(runtime):
        thread_id = new_thread(runtime)
        run_id = create_run(runtime, thread_id, "slow", delay=10)
        ended = wait_run(runtime, run_id, timeout=10)
        assert ended["status"] == "timeout"
        assert thread_state(runtime, thread_id)["status"] == "error"
        assert row(runtime, "run_audit", run_id=run_id)["outcome"] == "timeout"


def claimed_execution(runtime, thread_id, run_id) -> RunExecution:
    """The run claimed by hand and set up as a worker would, not yet begun."""
    _, started = runtime.app.claim_next_run(thread_id, "test-worker")
    store = RunStore(runtime.app, runtime.store, None, offload=runtime.offload, views_at=runtime.follower.wait_for)
    return RunExecution(runtime.app, runtime.graphs.load("agent"), "agent", runtime.checkpoints,
                        runtime.queue.run(run_id), started, store=store, flush_after=0.01, timeout=60,
                        offload=runtime.offload)


def test_a_cancel_heard_before_the_run_begins_still_ends_it(runtime) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "question")
    execution = claimed_execution(runtime, thread_id, run_id)
    runtime.app.request_cancel(thread_id, run_id, "interrupt", reason="superseded")

    async def cancel_at_once() -> None:
        execution.task = asyncio.create_task(execution.execute())
        execution.request_cancel("interrupt")  # before the task has taken its first step
        await execution.task

    asyncio.run(cancel_at_once())
    assert wait_run(runtime, run_id, timeout=5)["status"] == "interrupted"


def test_repeated_cancels_do_not_cut_short_recording_the_first(runtime) -> None:
    thread_id = new_thread(runtime)
    run_id = create_run(runtime, thread_id, "slow question", delay=30)
    execution = claimed_execution(runtime, thread_id, run_id)

    async def cancel_twice() -> None:
        execution.task = asyncio.create_task(execution.execute())
        while checkpoints_of(runtime, run_id) < 2:
            await asyncio.sleep(0.02)
        await runtime.offload(runtime.app.request_cancel, thread_id, run_id, "interrupt")
        while not execution.task.done():  # asked again and again, as the heartbeat's safety net may
            execution.request_cancel("interrupt")
            await asyncio.sleep(0.001)
        await execution.task

    asyncio.run(cancel_twice())
    assert wait_run(runtime, run_id, timeout=5)["status"] == "interrupted"
