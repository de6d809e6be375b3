"""Crashes on PostgreSQL: the API killed mid-write, the projector killed mid-batch, the
database gone for a few seconds. Nothing acknowledged is lost; the views equal a rebuild."""

import time
from uuid import UUID

import httpx
import psycopg
import pytest
from msgspec.structs import replace
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from tests.e2e.server import Server
from tests.faults.load import Load
from tests.integration.test_projection_guarantees import check_views
from tests.integration.test_worker_processes import replay_check
from tests.integration.workload import Workload
from threadlog.ops.runtime import Runtime

pytestmark = [pytest.mark.postgres, pytest.mark.fault]


@pytest.fixture
def settings_for_faults(postgres_settings, tmp_path):
    return replace(postgres_settings, lease_seconds=2.0, heartbeat_seconds=0.3, data_dir=str(tmp_path),
                   store_timeout_seconds=1.5)


def wait_all_ended(http: httpx.Client, runs: dict[str, str], timeout: float = 60) -> dict[str, str]:
    deadline, statuses = time.monotonic() + timeout, {}
    for run_id, thread_id in runs.items():
        while True:
            response = http.get(f"/threads/{thread_id}/runs/{run_id}")
            assert response.status_code == 200, f"acknowledged run {run_id} is missing: {response.text}"
            if response.json()["status"] not in ("pending", "running"):
                statuses[run_id] = response.json()["status"]
                break
            if time.monotonic() > deadline:
                events = http.get(f"/threads/{thread_id}/events", params={"limit": 1000}).json()["events"]
                story = [(e["position"], e["type"], e["run_id"], e["timestamp"]) for e in events]
                raise AssertionError(f"run {run_id} never ended; its thread's log: {story}")
            time.sleep(0.1)
    return statuses


def assert_consistent(settings, thread_ids, *, every_run_ended: bool = True) -> None:
    """The views equal a rebuild from the log; and (if all runs should be over) each run has
    exactly one outcome and none overlapped."""
    with Runtime(settings).start() as runtime:
        head = runtime.app.recorder.max_notification_id()
        assert runtime.follower.wait_for(head, timeout=60)
        if every_run_ended:
            assert [p for t in thread_ids for p in replay_check(runtime, UUID(t))] == []
        assert check_views(runtime)[1] == []


def test_the_api_killed_mid_write_loses_nothing_it_acknowledged(settings_for_faults, tmp_path) -> None:
    server = Server(settings_for_faults, tmp_path)
    with Load(server.url, clients=6) as load:
        time.sleep(1.5)
        server.process.kill()  # SIGKILL while requests are in flight
    assert load.acknowledged_runs, "the load never got going"
    restarted = Server(settings_for_faults, tmp_path)
    try:
        with httpx.Client(base_url=restarted.url, timeout=15) as http:
            for thread_id in load.acknowledged_threads:
                assert http.get(f"/threads/{thread_id}").status_code == 200
            statuses = wait_all_ended(http, load.acknowledged_runs)
        assert set(statuses.values()) <= {"success", "interrupted"}
    finally:
        restarted.stop()
    assert_consistent(settings_for_faults, load.acknowledged_threads)


def test_a_projector_killed_mid_batch_resumes_to_views_equal_to_a_rebuild(settings_for_faults, tmp_path) -> None:
    with Runtime(settings_for_faults) as runtime:  # a backlog for the views to catch up on
        workload = Workload(runtime.app, seed=11, threads=40)
        workload.run(2500)
        behind = (runtime.app.recorder.max_notification_id() or 0) - runtime.views.position()
    assert behind > 1000
    server = Server(settings_for_faults, tmp_path, "--no-workers")
    time.sleep(0.4)
    server.process.kill()  # while it works through the backlog, batch by batch
    restarted = Server(settings_for_faults, tmp_path, "--no-workers")
    try:
        assert_consistent(settings_for_faults, [str(t) for t in workload.threads], every_run_ended=False)
    finally:
        restarted.stop()


def test_the_database_gone_for_seconds_gives_503s_then_recovers_with_nothing_lost(
    settings_for_faults, tmp_path, postgres_dsn
) -> None:
    server = Server(settings_for_faults, tmp_path)
    dbname = conninfo_to_dict(settings_for_faults.database_url)["dbname"]
    try:
        with Load(server.url, clients=4) as load:
            time.sleep(1.0)
            with psycopg.connect(postgres_dsn, autocommit=True) as admin:
                admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(sql.Identifier(dbname)))
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = %s AND pid <> pg_backend_pid()", [dbname])
                time.sleep(3.0)
                admin.execute(sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(sql.Identifier(dbname)))
            time.sleep(4.0)  # it recovers by itself
            recovered_from = sum(load.statuses.values())
            time.sleep(2.0)
        assert 500 not in load.statuses, load.statuses
        assert load.statuses[503] > 0, f"the outage was not noticed: {load.statuses}"
        assert sum(load.statuses.values()) > recovered_from, "no requests were served after the outage"
        with httpx.Client(base_url=server.url, timeout=15) as http:
            wait_all_ended(http, load.acknowledged_runs)
    finally:
        server.stop()
    assert_consistent(settings_for_faults, load.acknowledged_threads)
