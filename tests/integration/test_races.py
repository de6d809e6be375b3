"""Racing commands on one thread, from several applications at once, on real PostgreSQL."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import pytest

from tests.unit.history import ASSISTANT
from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.domain.errors import RunRejectedError
from threadlog.ops.store import store_env

RACERS = 20
APPS = 4  # separate pools and caches, as separate processes would have


@pytest.fixture
def apps(postgres_settings):
    apps = [Threads(store_env(postgres_settings)) for _ in range(APPS)]
    yield apps
    for app in apps:
        app.close()


def race(apps: list[Threads], thread_id, strategy: ev.Strategy) -> list[object]:
    """Create RACERS runs on one thread at the same moment; return each one's result."""
    start = threading.Barrier(RACERS)

    def create(i: int) -> object:
        start.wait()
        try:
            return apps[i % APPS].create_run(thread_id, run_id=uuid4(), assistant_id=ASSISTANT, strategy=strategy)
        except RunRejectedError as e:
            return e

    with ThreadPoolExecutor(RACERS) as pool:
        return list(pool.map(create, range(RACERS)))


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(10))
def test_racing_rejects_on_an_idle_thread_accept_exactly_one(apps, round_: int) -> None:
    thread_id = uuid4()
    apps[0].create_thread(thread_id)
    results = race(apps, thread_id, "reject")
    assert sum(isinstance(r, int) for r in results) == 1
    assert sum(isinstance(r, RunRejectedError) for r in results) == RACERS - 1
    log = Counter(type(e).__name__ for e in apps[0].events.get(thread_id))
    assert log == Counter({"ThreadCreated": 1, "RunCreated": 1, "RunRejected": RACERS - 1})


@pytest.mark.postgres
@pytest.mark.parametrize("round_", range(3))
def test_racing_enqueues_all_land_in_one_order_that_replay_reproduces(apps, postgres_settings, round_: int) -> None:
    thread_id = uuid4()
    apps[0].create_thread(thread_id)
    results = race(apps, thread_id, "enqueue")
    assert all(isinstance(r, int) for r in results) and len(set(results)) == RACERS
    logged = [e.run_id for e in apps[0].events.get(thread_id) if isinstance(e, ev.RunCreated)]
    assert len(logged) == RACERS
    with Threads(store_env(postgres_settings)) as fresh:
        replayed = fresh.get_thread(thread_id)
    assert list(replayed.runs) == logged
    assert all(run.status == "pending" for run in replayed.runs.values())
    assert [run.seq for run in replayed.runs.values()] == sorted(run.seq for run in replayed.runs.values())
