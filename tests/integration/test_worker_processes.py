"""Worker processes on PostgreSQL: one killed mid-run (kill -9), and many double-texts."""

import random
from uuid import uuid4

import pytest
from msgspec.structs import replace

from tests.integration.execution import checkpoints_of, create_run, wait_run, wait_until
from tests.integration.processes import Process
from tests.integration.views import row
from threadlog.domain.history import run_problems
from threadlog.domain.errors import RunRejectedError
from threadlog.ops.runtime import Runtime

pytestmark = pytest.mark.postgres


@pytest.fixture
def fast(postgres_settings):
    return replace(postgres_settings, lease_seconds=2.0, heartbeat_seconds=0.3, worker_concurrency=20)


@pytest.fixture
def workers(fast, tmp_path):
    started: list[Process] = []

    def start(count: int) -> list[Process]:
        for _ in range(count):
            process = Process(["worker"], fast, tmp_path)
            process.wait_for_output("runs at once")
            started.append(process)
        return started[-count:]

    yield start
    for process in started:
        process.stop()


def replay_check(runtime: Runtime, thread_id) -> list[str]:
    """Problems in a thread's log (runs overlapping, runs without exactly one outcome)."""
    problems = run_problems(runtime.app.events.get(thread_id))
    if runtime.app.get_thread(thread_id).runs:
        problems.append("runs still in flight after the log was replayed")
    return problems


@pytest.mark.fault
def test_a_killed_worker_process_run_finishes_on_another_with_one_outcome(fast, workers) -> None:
    processes = workers(2)
    with Runtime(fast).start() as runtime:
        thread_id = uuid4()
        runtime.app.create_thread(thread_id)
        run_id = create_run(runtime, thread_id, "weather in sf", delay=0.5)
        wait_until(lambda: checkpoints_of(runtime, run_id) >= 2, what="a worker to start the run")
        owner = row(runtime, "runs", run_id=run_id)["worker_id"]
        (victim,) = [p for p in processes if owner.split(":")[1] == str(p.pid)]
        victim.kill()  # SIGKILL, mid-run: no chance to hand the run back
        ended = wait_run(runtime, run_id, timeout=30)
        assert (ended["status"], ended["attempt"]) == ("success", 2)
        assert ended["worker_id"] != owner
        assert replay_check(runtime, thread_id) == []  # one outcome, nothing left running


def test_fifty_threads_of_random_double_texts_under_two_worker_processes(fast, workers) -> None:
    workers(2)
    rng = random.Random(42)
    with Runtime(fast).start() as runtime:
        threads = [uuid4() for _ in range(50)]
        runs = []
        for thread_id in threads:
            runtime.app.create_thread(thread_id)
        for _ in range(5):
            for thread_id in threads:
                strategy = rng.choice(["reject", "enqueue", "interrupt", "rollback"])
                try:
                    runs.append(create_run(runtime, thread_id, "weather?", strategy=strategy,
                                           delay=rng.choice([0, 0, 0.05])))
                except RunRejectedError:
                    pass
        for run_id in runs:
            wait_run(runtime, run_id, timeout=120)
        problems = [f"{t}: {p}" for t in threads for p in replay_check(runtime, t)]
        assert problems == []
