"""Leases: a dead or frozen worker's run is requeued under a new attempt, resumed from its
last checkpoint elsewhere, and the old worker is fenced off. Exactly one outcome per run."""

import time
from collections import Counter
from uuid import uuid4

import pytest
from msgspec.structs import replace

from tests.integration.execution import WorkerThread, checkpoints_of, create_run, messages, wait_run, wait_until
from tests.integration.views import row
from threadlog.domain import events as ev
from threadlog.ops.runtime import Runtime

FAST_LEASES = {"lease_seconds": 1.0, "heartbeat_seconds": 0.2}


@pytest.fixture
def leased(settings):
    """A runtime whose workers' leases expire after a second of silence."""
    with Runtime(replace(settings, **FAST_LEASES)).start() as runtime:
        yield runtime


def outcomes(runtime, thread_id, run_id) -> Counter:
    return Counter(type(e).__name__ for e in runtime.app.events.get(thread_id)
                   if isinstance(e, ev.RUN_OUTCOMES) and e.run_id == run_id)


def new_thread(runtime):
    thread_id = uuid4()
    runtime.app.create_thread(thread_id)
    return thread_id


def test_a_run_whose_worker_never_came_back_is_requeued_and_finished_elsewhere(leased) -> None:
    thread_id = new_thread(leased)
    run_id = create_run(leased, thread_id, "weather in sf")
    leased.app.claim_next_run(thread_id, "a-worker-that-died")  # no heartbeat will ever come
    with WorkerThread(leased):
        ended = wait_run(leased, run_id, timeout=10)
    assert (ended["status"], ended["attempt"]) == ("success", 2)
    assert outcomes(leased, thread_id, run_id) == Counter({"RunSucceeded": 1})
    assert [kind for kind, _ in messages(leased, thread_id)] == ["human", "ai", "tool", "ai"]


def test_a_frozen_worker_is_fenced_off_and_the_run_resumes_from_its_last_checkpoint(leased) -> None:
    thread_id = new_thread(leased)
    run_id = create_run(leased, thread_id, "weather in sf", delay=0.4)
    with WorkerThread(leased) as frozen:
        wait_until(lambda: checkpoints_of(leased, run_id) >= 3, what="attempt 1 to get going")
        frozen.loop.call_soon_threadsafe(time.sleep, 3.0)  # stop the world: no heartbeats, no progress
        with WorkerThread(leased):
            ended = wait_run(leased, run_id, timeout=15)
            time.sleep(3.5)  # let the frozen worker wake up and try to carry on
    assert (ended["status"], ended["attempt"]) == ("success", 2)
    assert outcomes(leased, thread_id, run_id) == Counter({"RunSucceeded": 1})
    # attempt 2 carried on from attempt 1's checkpoints: one question, one answer
    assert [kind for kind, _ in messages(leased, thread_id)] == ["human", "ai", "tool", "ai"]
    attempts = {e.attempt for e in leased.app.events.get(thread_id) if isinstance(e, ev.CheckpointSaved)}
    assert attempts == {1, 2}


def test_a_worker_that_shuts_down_hands_its_run_back_at_once(leased) -> None:
    thread_id = new_thread(leased)
    run_id = create_run(leased, thread_id, "weather in sf", delay=0.5)
    with WorkerThread(leased):
        wait_until(lambda: checkpoints_of(leased, run_id) >= 2, what="the run to start")
        stopped = time.monotonic()
    requeued = wait_run(leased, run_id, statuses={"pending"}, timeout=2)
    assert time.monotonic() - stopped < 1.0 and requeued["attempt"] == 2
    with WorkerThread(leased):
        assert wait_run(leased, run_id, timeout=10)["status"] == "success"
    assert outcomes(leased, thread_id, run_id) == Counter({"RunSucceeded": 1})


def test_a_run_fails_after_its_last_attempt(settings) -> None:
    with Runtime(replace(settings, max_attempts=2, **FAST_LEASES)).start() as runtime:
        thread_id = new_thread(runtime)
        run_id = create_run(runtime, thread_id, "weather in sf")
        runtime.app.claim_next_run(thread_id, "dead-1")
        runtime.app.requeue_run(thread_id, run_id, 1, "lease expired")
        runtime.app.claim_next_run(thread_id, "dead-2")
        with WorkerThread(runtime):
            ended = wait_run(runtime, run_id, timeout=10)
        assert ended["status"] == "error" and ended["error"]["error"] == "MaxAttemptsExceeded"
        assert row(runtime, "run_audit", run_id=run_id)["attempts"] == 2


def test_a_run_whose_claim_answer_was_lost_is_requeued_by_its_own_worker(leased) -> None:
    """The claim was saved but the worker never heard back (a dropped connection): the
    worker is alive and heart-beating, yet runs nothing for it; its sweeper notices."""
    thread_id = new_thread(leased)
    run_id = create_run(leased, thread_id, "weather in sf")
    worker = leased.worker()
    leased.app.claim_next_run(thread_id, worker.worker_id)  # saved, but the worker never learns of it
    with WorkerThread(leased, worker):
        ended = wait_run(leased, run_id, timeout=15)
    assert (ended["status"], ended["attempt"]) == ("success", 2)
    assert outcomes(leased, thread_id, run_id) == Counter({"RunSucceeded": 1})
