"""Exactly once, resumable, rebuildable, read-your-writes: the projections' guarantees."""

import threading
import time
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from tests.integration.views import catch_up, row
from tests.integration.workload import Workload
from threadlog.ops.migrations import drop_all, migrate
from threadlog.ops.runtime import Runtime
from threadlog.projections import compare
from threadlog.projections.catchup import read_batch
from threadlog.projections.database import Cursor


def check_views(runtime: Runtime) -> tuple[int, list[str]]:
    def prepare() -> None:
        drop_all(runtime.views, "tlcheck_")
        migrate(runtime.views, "tlcheck_")

    try:
        return compare.check(runtime.app, runtime.views, "tl_", "tlcheck_", prepare)
    finally:
        drop_all(runtime.views, "tlcheck_")


def snapshot_of_views(runtime: Runtime) -> dict:
    with runtime.views.snapshot() as cursor:
        return compare.read_tables(cursor, "tl_")


def test_a_redelivered_batch_changes_nothing(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id = uuid4()
    app.create_thread(thread_id, metadata={"a": 1})
    app.update_metadata(thread_id, {"b": 2})
    position = catch_up(idle_runtime)
    before = snapshot_of_views(idle_runtime)
    batch = read_batch(app, 0, stop=position)
    with pytest.raises(IntegrityError):
        idle_runtime.projector.apply(batch)
    assert snapshot_of_views(idle_runtime) == before
    assert idle_runtime.views.position() == position


def test_a_view_batch_skips_the_disk_sync_but_the_log_keeps_its_own(idle_runtime) -> None:
    """Views commit without waiting for the disk; the log's writes still wait, even on the
    connection a failed view batch used."""
    views = idle_runtime.views
    setting = "PRAGMA synchronous" if views.dialect == "sqlite" else "SHOW synchronous_commit"

    def durability(transaction) -> str:
        with transaction as cursor:
            cursor.execute(setting)
            return str(next(iter(cursor.fetchone().values())))

    assert durability(views.relaxed_transaction()) in ("1", "off")  # NORMAL: no sync at commit
    with pytest.raises(KeyError), views.relaxed_transaction():
        raise KeyError("a failed batch")
    for _ in range(3):  # every pooled connection
        assert durability(views.transaction()) in ("2", "on")  # FULL


def test_a_projection_killed_mid_batch_resumes_without_loss_or_duplication(idle_runtime, monkeypatch) -> None:
    Workload(idle_runtime.app, seed=7, threads=4).run(150)
    before = idle_runtime.views.position()
    real = Cursor.executemany
    calls = {"n": 0}

    def dies_on_the_fourth_statement(self, statement, rows):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt("killed mid-batch")
        return real(self, statement, rows)

    monkeypatch.setattr(Cursor, "executemany", dies_on_the_fourth_statement)
    with pytest.raises(KeyboardInterrupt):
        catch_up(idle_runtime)
    assert idle_runtime.views.position() == before  # the batch left nothing behind
    monkeypatch.setattr(Cursor, "executemany", real)
    catch_up(idle_runtime)
    position, found = check_views(idle_runtime)
    assert position == idle_runtime.app.recorder.max_notification_id()
    assert found == []


@pytest.mark.parametrize("seed", [1, 2])
def test_views_rebuilt_from_the_log_equal_the_live_views_after_a_random_workload(runtime, seed: int) -> None:
    workload = Workload(runtime.app, seed=seed)
    accepted = workload.run(1000)
    assert accepted > 300  # the workload really exercised the commands
    head = runtime.app.recorder.max_notification_id()
    assert runtime.follower.wait_for(head, timeout=30)
    position, found = check_views(runtime)
    assert position >= head
    assert found == []


def test_a_read_after_a_write_sees_the_write_under_concurrent_writers(runtime) -> None:
    failures: list[str] = []

    def writer(n: int) -> None:
        for i in range(40):
            thread_id = uuid4()
            position = runtime.app.create_thread(thread_id, metadata={"writer": n, "i": i})
            assert runtime.follower.wait_for(position, timeout=10)
            seen = row(runtime, "threads", thread_id=thread_id)
            if seen is None or seen["metadata"] != {"writer": n, "i": i}:
                failures.append(f"writer {n} step {i}: saw {seen}")
            position = runtime.app.update_metadata(thread_id, {"i": i + 1})
            assert runtime.follower.wait_for(position, timeout=10)
            if row(runtime, "threads", thread_id=thread_id)["metadata"]["i"] != i + 1:
                failures.append(f"writer {n} step {i}: update not seen")

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    assert failures == []


def test_writes_from_another_process_reach_the_views_quickly(runtime, settings) -> None:
    """Another process's runtime (own pool and doorbell) writes; the follower wakes on NOTIFY
    (PostgreSQL) or the doorbell (SQLite), well before its safety poll."""
    with Runtime(settings) as other:
        thread_id = uuid4()
        started = time.monotonic()
        position = other.app.create_thread(thread_id)
        assert runtime.follower.wait_for(position, timeout=5)
        assert time.monotonic() - started < 0.5
    assert row(runtime, "threads", thread_id=thread_id) is not None


def test_lag_is_the_log_head_minus_the_views_position(idle_runtime) -> None:
    app = idle_runtime.app
    app.create_thread(uuid4())
    head = app.recorder.max_notification_id()
    assert head - idle_runtime.views.position() >= 1
    catch_up(idle_runtime)
    assert head - idle_runtime.views.position() == 0


@pytest.mark.postgres
def test_a_standby_process_takes_over_projecting_when_the_projector_stops(postgres_settings) -> None:
    first, second = Runtime(postgres_settings).start(), Runtime(postgres_settings).start()
    try:
        assert first.follower.lock.held and not second.follower.lock.held
        position = second.app.create_thread(uuid4())
        assert second.follower.wait_for(position, timeout=5)  # projected by the first process
        first.close()
        thread_id = uuid4()
        position = second.app.create_thread(thread_id)
        assert second.follower.wait_for(position, timeout=10)
        assert second.follower.lock.held
        assert row(second, "threads", thread_id=thread_id) is not None
    finally:
        first.follower.stop()
        second.close()



@pytest.mark.postgres
def test_a_standby_takes_over_while_the_log_keeps_growing(postgres_settings, monkeypatch) -> None:
    """The projector dies while every step of the standby finds new events (a busy log):
    the standby must not wait for a quiet moment before it takes over."""
    first, second = Runtime(postgres_settings).start(), Runtime(postgres_settings).start()
    step = second.follower._step
    monkeypatch.setattr(second.follower, "_step", lambda: step() or True)  # never a quiet step
    try:
        assert first.follower.lock.held and not second.follower.lock.held
        first.close()
        deadline = time.monotonic() + 5
        while not second.follower.lock.held and time.monotonic() < deadline:
            time.sleep(0.05)
        assert second.follower.lock.held, "the views stalled: no one took over"
        position = second.app.create_thread(uuid4())
        assert second.follower.wait_for(position, timeout=5)
    finally:
        first.follower.stop()
        second.close()
