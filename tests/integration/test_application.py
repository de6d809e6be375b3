"""The Threads application on a real store (SQLite file and PostgreSQL, same cases)."""

import time
from uuid import uuid4

import pytest

from tests.unit.history import ASSISTANT, checkpoint
from threadlog.domain import events as ev
from threadlog.domain.errors import (
    RunNotActiveError,
    RunRejectedError,
    StaleAttemptError,
    ThreadDeletedError,
    ThreadExistsError,
    ThreadNotFoundError,
)


def kinds_in_log(app, thread_id) -> list[str]:
    return [type(e).__name__ for e in app.events.get(thread_id)]


def test_each_command_returns_the_log_position_of_its_last_event(app) -> None:
    thread_id = uuid4()
    first = app.create_thread(thread_id, metadata={"user": "ann"})
    second = app.update_metadata(thread_id, {"topic": "weather"})
    assert second > first
    assert app.recorder.max_notification_id() == second
    assert app.get_thread(thread_id).metadata == {"user": "ann", "topic": "weather"}


def test_a_thread_id_cannot_be_created_twice_but_can_be_reused_after_deletion(app) -> None:
    thread_id = uuid4()
    app.create_thread(thread_id)
    with pytest.raises(ThreadExistsError):
        app.create_thread(thread_id)
    app.delete_thread(thread_id, "done")
    with pytest.raises(ThreadDeletedError):
        app.update_metadata(thread_id, {"a": 1})
    app.create_thread(thread_id, metadata={"second": "life"})
    assert kinds_in_log(app, thread_id) == ["ThreadCreated", "ThreadDeleted", "ThreadCreated"]


def test_commands_on_a_missing_thread_are_refused(app) -> None:
    with pytest.raises(ThreadNotFoundError):
        app.create_run(uuid4(), run_id=uuid4(), assistant_id=ASSISTANT)


def test_the_default_strategy_is_enqueue(app) -> None:
    thread_id = uuid4()
    app.create_thread(thread_id)
    first, second = uuid4(), uuid4()
    app.create_run(thread_id, run_id=first, assistant_id=ASSISTANT)
    app.create_run(thread_id, run_id=second, assistant_id=ASSISTANT)
    created = [e for e in app.events.get(thread_id) if isinstance(e, ev.RunCreated)]
    assert [e.multitask_strategy for e in created] == ["enqueue", "enqueue"]
    assert list(app.get_thread(thread_id).runs) == [first, second]


def test_reject_records_the_refusal_and_reports_a_conflict(app) -> None:
    thread_id, first = uuid4(), uuid4()
    app.create_thread(thread_id)
    app.create_run(thread_id, run_id=first, assistant_id=ASSISTANT)
    with pytest.raises(RunRejectedError) as refused:
        app.create_run(thread_id, run_id=uuid4(), assistant_id=ASSISTANT, strategy="reject")
    assert refused.value.position == app.recorder.max_notification_id()
    rejected = list(app.events.get(thread_id))[-1]
    assert isinstance(rejected, ev.RunRejected) and rejected.active_run_ids == [first]


def test_a_run_goes_from_pending_to_success_through_the_application(app) -> None:
    thread_id, run_id = uuid4(), uuid4()
    app.create_thread(thread_id)
    app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT, kwargs={"input": {"messages": []}})
    _, started = app.claim_next_run(thread_id, "worker-1")
    assert started.run_id == run_id and started.attempt == 1
    assert app.claim_next_run(thread_id, "worker-2") is None
    app.record_progress(thread_id, run_id, 1, [checkpoint("cp-1")])
    app.record_succeeded(thread_id, run_id, 1, items=[checkpoint("cp-2", parent="cp-1"), ev.StreamChunk("values", b"{}")])
    assert kinds_in_log(app, thread_id)[-4:] == ["CheckpointSaved", "CheckpointSaved", "OutputStreamed", "RunSucceeded"]
    assert app.get_thread(thread_id).runs == {}
    with pytest.raises(RunNotActiveError):
        app.record_failed(thread_id, run_id, 1, ev.RunError("E", "late"))


def test_a_requeued_run_fences_off_its_old_worker(app) -> None:
    thread_id, run_id = uuid4(), uuid4()
    app.create_thread(thread_id)
    app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT)
    app.claim_next_run(thread_id, "dead-worker")
    app.requeue_run(thread_id, run_id, 1, "lease expired")
    _, restarted = app.claim_next_run(thread_id, "live-worker")
    assert restarted.attempt == 2
    with pytest.raises(StaleAttemptError):
        app.record_succeeded(thread_id, run_id, 1)
    app.record_succeeded(thread_id, run_id, 2)


def test_rollback_and_interrupt_only_ever_append_to_the_log(app) -> None:
    thread_id, first, second = uuid4(), uuid4(), uuid4()
    app.create_thread(thread_id)
    app.create_run(thread_id, run_id=first, assistant_id=ASSISTANT)
    app.claim_next_run(thread_id, "w")
    app.record_progress(thread_id, first, 1, [checkpoint("cp-1")])
    before = list(app.events.get(thread_id))
    app.create_run(thread_id, run_id=second, assistant_id=ASSISTANT, strategy="rollback")
    app.record_cancelled(thread_id, first, 1)
    after = list(app.events.get(thread_id))
    assert after[: len(before)] == before
    assert [type(e).__name__ for e in after[len(before):]] == ["RunCreated", "RunCancelRequested", "RunRolledBack"]
    assert app.get_thread(thread_id).head_checkpoint_id is None


def test_a_copy_takes_metadata_and_live_checkpoints_but_no_runs(app) -> None:
    source, copy, run_id = uuid4(), uuid4(), uuid4()
    app.create_thread(source, metadata={"owner": "ann"})
    app.create_run(source, run_id=run_id, assistant_id=ASSISTANT)
    app.claim_next_run(source, "w")
    app.record_succeeded(source, run_id, 1, items=[checkpoint("cp-1"), checkpoint("cp-2", parent="cp-1")])
    app.copy_thread(source, copy)
    copied = app.get_thread(copy)
    assert (copied.metadata, copied.runs, copied.head_checkpoint_id) == ({"owner": "ann"}, {}, "cp-2")
    log = list(app.events.get(copy))
    assert log[0].copied_from == source
    assert [e.checkpoint.checkpoint_id for e in log[1:]] == ["cp-1", "cp-2"]


def test_replay_at_any_past_version_reproduces_the_state_the_thread_had_then(make_app) -> None:
    app = make_app()
    thread_id, runs = uuid4(), [uuid4() for _ in range(3)]
    app.create_thread(thread_id)
    seen = {}
    steps = [
        lambda: app.create_run(thread_id, run_id=runs[0], assistant_id=ASSISTANT),
        lambda: app.claim_next_run(thread_id, "w"),
        lambda: app.create_run(thread_id, run_id=runs[1], assistant_id=ASSISTANT),
        lambda: app.record_progress(thread_id, runs[0], 1, [checkpoint("cp-1")]),
        lambda: app.create_run(thread_id, run_id=runs[2], assistant_id=ASSISTANT, strategy="interrupt"),
        lambda: app.record_cancelled(thread_id, runs[0], 1),
        lambda: app.update_metadata(thread_id, {"k": "v"}),
    ]
    for step in [lambda: None, *steps]:
        step()
        thread = app.get_thread(thread_id)
        seen[thread.version] = thread
    cold = make_app()  # no cache: every version is rebuilt from the stored log
    for version, thread in seen.items():
        assert cold.get_thread(thread_id, version=version) == thread


def test_a_thread_with_ten_thousand_events_loads_from_a_snapshot(make_app) -> None:
    app = make_app()
    thread_id = uuid4()
    app.create_thread(thread_id)
    for i in range(1, 1000):
        app.update_metadata(thread_id, {"i": i})
    # Commands save one event at a time; build the rest of the 10,000 in bulk.
    thread = app.get_thread(thread_id)
    for i in range(1000, 10_000):
        thread.update_metadata({"i": i}, now=app.clock())
        if i % 500 == 499:
            app.save(thread)
    app.save(thread)
    snapshots = list(app.snapshots.get(thread_id, desc=True, limit=1))
    assert snapshots and snapshots[0].originator_version == 10_000
    cold = make_app()
    started = time.perf_counter()
    loaded = cold.get_thread(thread_id)
    elapsed = time.perf_counter() - started
    assert loaded.version == 10_000 and loaded.metadata == {"i": 9999}
    assert elapsed < 0.5, f"loading took {elapsed:.3f}s"


def test_two_applications_interleaving_on_one_thread_lose_nothing(make_app) -> None:
    one, two = make_app(), make_app()
    thread_id = uuid4()
    one.create_thread(thread_id)
    for i in range(10):
        (one if i % 2 else two).update_metadata(thread_id, {f"k{i}": i})
    assert one.get_thread(thread_id).metadata == {f"k{i}": i for i in range(10)}
    assert two.get_thread(thread_id).version == 11
