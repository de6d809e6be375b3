"""What each event does to each view, on both stores."""

from uuid import uuid4

import pytest

from tests.integration.views import catch_up, row, rows_of
from tests.unit.history import ASSISTANT, checkpoint
from threadlog.domain import events as ev
from threadlog.domain.errors import RunRejectedError

SUMMARY = ev.StateSummary(checkpoint_id="cp-2", values=b'{"messages":["hi"]}', next=[], interrupts=b"{}")


def started_run(app, thread_id=None):
    """A running run, on a new thread unless one is given."""
    if thread_id is None:
        thread_id = uuid4()
        app.create_thread(thread_id, metadata={"owner": "ann"})
    run_id = uuid4()
    app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT, kwargs={"input": {"q": 1}}, metadata={"m": 2})
    app.claim_next_run(thread_id, "worker-1")
    return thread_id, run_id


def test_a_new_thread_is_idle_with_its_metadata_and_metadata_updates_merge(idle_runtime) -> None:
    app, thread_id = idle_runtime.app, uuid4()
    app.create_thread(thread_id, metadata={"a": 1})
    app.update_metadata(thread_id, {"b": 2})
    catch_up(idle_runtime)
    thread = row(idle_runtime, "threads", thread_id=thread_id)
    assert (thread["status"], thread["metadata"], thread["state_values"], thread["deleted"]) == (
        "idle", {"a": 1, "b": 2}, None, False)
    assert thread["version"] == 2


def test_runs_appear_pending_then_running_and_make_the_thread_busy(idle_runtime) -> None:
    app, thread_id, run_id = idle_runtime.app, uuid4(), uuid4()
    app.create_thread(thread_id)
    app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT, kwargs={"input": {"q": 1}})
    catch_up(idle_runtime)
    assert row(idle_runtime, "runs", run_id=run_id)["status"] == "pending"
    assert row(idle_runtime, "threads", thread_id=thread_id)["status"] == "busy"
    app.claim_next_run(thread_id, "worker-1")
    catch_up(idle_runtime)
    run = row(idle_runtime, "runs", run_id=run_id)
    assert (run["status"], run["worker_id"], run["kwargs"], run["attempt"]) == (
        "running", "worker-1", {"input": {"q": 1}}, 1)
    assert run["started_at"] is not None


def test_a_finished_run_updates_run_thread_and_audit(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    app.record_progress(thread_id, run_id, 1, [checkpoint("cp-1"), ev.StreamChunk("values", b"{}")])
    app.record_succeeded(thread_id, run_id, 1, items=[checkpoint("cp-2", parent="cp-1")], state=SUMMARY)
    catch_up(idle_runtime)
    assert row(idle_runtime, "runs", run_id=run_id)["status"] == "success"
    thread = row(idle_runtime, "threads", thread_id=thread_id)
    assert (thread["status"], thread["state_values"], thread["head_checkpoint_id"]) == (
        "idle", {"messages": ["hi"]}, "cp-2")
    audit = row(idle_runtime, "run_audit", run_id=run_id)
    assert (audit["outcome"], audit["attempts"], audit["multitask_strategy"]) == ("success", 1, "enqueue")
    assert sorted(c["checkpoint_id"] for c in rows_of(idle_runtime, "checkpoints", thread_id=thread_id)) == ["cp-1", "cp-2"]


@pytest.mark.parametrize(("outcome", "status"), [("failed", "error"), ("timed_out", "error")])
def test_a_failed_or_timed_out_run_leaves_the_thread_in_error(idle_runtime, outcome: str, status: str) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    if outcome == "failed":
        app.record_failed(thread_id, run_id, 1, ev.RunError("ValueError", "bad input"), state=SUMMARY)
    else:
        app.record_timed_out(thread_id, run_id, 1, state=SUMMARY)
    catch_up(idle_runtime)
    assert row(idle_runtime, "threads", thread_id=thread_id)["status"] == status
    run, audit = row(idle_runtime, "runs", run_id=run_id), row(idle_runtime, "run_audit", run_id=run_id)
    assert run["status"] == ("error" if outcome == "failed" else "timeout")
    if outcome == "failed":
        assert run["error"] == {"error": "ValueError", "message": "bad input"}
        assert audit["reason"] == "bad input"


def test_a_paused_run_leaves_the_thread_interrupted(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    paused = ev.StateSummary(checkpoint_id="cp-1", values=b"{}", next=["tools"], interrupts=b'{"t1":[{"value":"ok?"}]}')
    app.record_succeeded(thread_id, run_id, 1, state=paused)
    catch_up(idle_runtime)
    thread = row(idle_runtime, "threads", thread_id=thread_id)
    assert (thread["status"], thread["next"], thread["interrupts"]) == ("interrupted", ["tools"], {"t1": [{"value": "ok?"}]})
    assert row(idle_runtime, "runs", run_id=run_id)["status"] == "success"


def test_a_rejected_run_is_audited_but_never_listed(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, active = started_run(app)
    rejected = uuid4()
    with pytest.raises(RunRejectedError):
        app.create_run(thread_id, run_id=rejected, assistant_id=ASSISTANT, strategy="reject")
    catch_up(idle_runtime)
    assert row(idle_runtime, "runs", run_id=rejected) is None
    audit = row(idle_runtime, "run_audit", run_id=rejected)
    assert (audit["outcome"], audit["caused_by_run_id"]) == ("rejected", active)


def test_interrupt_keeps_the_first_runs_work_and_audits_who_caused_it(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, first = started_run(app)
    app.record_progress(thread_id, first, 1, [checkpoint("cp-1")])
    second = uuid4()
    app.create_run(thread_id, run_id=second, assistant_id=ASSISTANT, strategy="interrupt")
    catch_up(idle_runtime)
    assert row(idle_runtime, "runs", run_id=first)["cancel_action"] == "interrupt"
    app.record_cancelled(thread_id, first, 1, state=ev.StateSummary(checkpoint_id="cp-1", next=["agent"]))
    catch_up(idle_runtime)
    assert row(idle_runtime, "runs", run_id=first)["status"] == "interrupted"
    assert row(idle_runtime, "checkpoints", checkpoint_id="cp-1", thread_id=thread_id)["rolled_back"] is False
    audit = row(idle_runtime, "run_audit", run_id=first)
    assert (audit["outcome"], audit["caused_by_run_id"]) == ("interrupted", second)
    assert row(idle_runtime, "threads", thread_id=thread_id)["status"] == "busy"  # the second run is pending


def test_rollback_flags_the_runs_work_and_restores_the_head(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id = uuid4()
    app.create_thread(thread_id)
    app.update_state(thread_id, [checkpoint("base")], "agent", state=ev.StateSummary(checkpoint_id="base", values=b"[1]"))
    _, first = started_run(app, thread_id)
    writes = ev.TaskWrites(checkpoint_id="cp-1", task_id="t", writes=[ev.ChannelWrite(0, "x", "json", b"1")])
    app.record_progress(thread_id, first, 1, [checkpoint("cp-1", parent="base"), writes])
    app.create_run(thread_id, run_id=uuid4(), assistant_id=ASSISTANT, strategy="rollback")
    app.record_cancelled(thread_id, first, 1)
    catch_up(idle_runtime)
    run = row(idle_runtime, "runs", run_id=first)
    assert (run["rolled_back"], run["deleted"]) == (True, False)
    assert row(idle_runtime, "checkpoints", thread_id=thread_id, checkpoint_id="cp-1")["rolled_back"] is True
    assert row(idle_runtime, "checkpoints", thread_id=thread_id, checkpoint_id="base")["rolled_back"] is False
    assert row(idle_runtime, "checkpoint_writes", thread_id=thread_id, checkpoint_id="cp-1")["rolled_back"] is True
    thread = row(idle_runtime, "threads", thread_id=thread_id)
    assert (thread["head_checkpoint_id"], thread["state_values"]) == ("base", [1])
    assert row(idle_runtime, "run_audit", run_id=first)["outcome"] == "rolled_back"


def test_a_requeued_run_is_pending_again_under_its_next_attempt(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    app.requeue_run(thread_id, run_id, 1, "lease expired")
    catch_up(idle_runtime)
    run = row(idle_runtime, "runs", run_id=run_id)
    assert (run["status"], run["attempt"], run["worker_id"]) == ("pending", 2, None)


def test_special_writes_replace_and_ordinary_writes_are_kept(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)

    def write(idx: int, data: bytes) -> ev.TaskWrites:
        return ev.TaskWrites(checkpoint_id="cp-1", task_id="t", writes=[ev.ChannelWrite(idx, "c", "json", data)])

    app.record_progress(thread_id, run_id, 1, [write(0, b"first"), write(0, b"second"), write(-3, b"a"), write(-3, b"b")])
    catch_up(idle_runtime)
    data = {r["idx"]: r["data"] for r in rows_of(idle_runtime, "checkpoint_writes", thread_id=thread_id)}
    assert data == {0: b"first", -3: b"b"}


def test_a_copy_gets_the_live_checkpoints_and_the_given_state(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    writes = ev.TaskWrites(checkpoint_id="cp-1", task_id="t", writes=[ev.ChannelWrite(-3, "__interrupt__", "json", b"1")])
    app.record_succeeded(thread_id, run_id, 1, items=[checkpoint("cp-1"), writes], state=SUMMARY)
    copy_id = uuid4()
    app.copy_thread(thread_id, copy_id, state=SUMMARY)
    catch_up(idle_runtime)
    copy = row(idle_runtime, "threads", thread_id=copy_id)
    assert (copy["copied_from"], copy["metadata"], copy["state_values"], copy["status"]) == (
        thread_id, {"owner": "ann"}, {"messages": ["hi"]}, "idle")
    assert [c["checkpoint_id"] for c in rows_of(idle_runtime, "checkpoints", thread_id=copy_id)] == ["cp-1"]
    assert len(rows_of(idle_runtime, "checkpoint_writes", thread_id=copy_id)) == 1
    assert rows_of(idle_runtime, "runs", thread_id=copy_id) == []


def test_deletion_hides_the_thread_and_its_runs_and_a_new_life_starts_clean(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    app.record_progress(thread_id, run_id, 1, [checkpoint("cp-1")])
    app.delete_thread(thread_id, "user asked")
    catch_up(idle_runtime)
    assert row(idle_runtime, "threads", thread_id=thread_id)["deleted"] is True
    assert row(idle_runtime, "runs", run_id=run_id)["deleted"] is True
    assert row(idle_runtime, "run_audit", run_id=run_id)["reason"] == "thread deleted"
    app.create_thread(thread_id, metadata={"life": 2})
    catch_up(idle_runtime)
    thread = row(idle_runtime, "threads", thread_id=thread_id)
    assert (thread["deleted"], thread["metadata"], thread["status"]) == (False, {"life": 2}, "idle")
    assert rows_of(idle_runtime, "checkpoints", thread_id=thread_id) == []
    assert row(idle_runtime, "runs", run_id=run_id)["deleted"] is True


def test_stream_output_changes_no_view(idle_runtime) -> None:
    app = idle_runtime.app
    thread_id, run_id = started_run(app)
    catch_up(idle_runtime)
    before = (row(idle_runtime, "threads", thread_id=thread_id), row(idle_runtime, "runs", run_id=run_id))
    app.record_progress(thread_id, run_id, 1, [ev.StreamChunk("values", b'{"a":1}')])
    catch_up(idle_runtime)
    thread, run = row(idle_runtime, "threads", thread_id=thread_id), row(idle_runtime, "runs", run_id=run_id)
    assert {k: v for k, v in thread.items() if k not in ("version", "updated_at")} == {
        k: v for k, v in before[0].items() if k not in ("version", "updated_at")}
    assert run == before[1]
