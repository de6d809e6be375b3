"""`threadlog replay` and `threadlog audit` print what the log and the audit trail hold."""

from uuid import uuid4

from tests.integration.execution import WorkerThread, create_run, wait_run
from tests.integration.test_projection_cli import run_cli
from threadlog.ops.runtime import Runtime


def test_replay_prints_the_log_and_the_state_at_a_position(monkeypatch, settings, capsys) -> None:
    with Runtime(settings).start() as runtime, WorkerThread(runtime):
        thread_id = uuid4()
        runtime.app.create_thread(thread_id)
        run_id = create_run(runtime, thread_id, "weather?")
        wait_run(runtime, run_id)
    assert run_cli(monkeypatch, settings, "replay", str(thread_id)) == 0
    out = capsys.readouterr().out
    assert "RunCreated" in out and "RunSucceeded" in out and "thread idle" in out
    assert run_cli(monkeypatch, settings, "replay", str(thread_id), "--position", "2") == 0
    assert "at position 2: thread busy" in capsys.readouterr().out
    assert run_cli(monkeypatch, settings, "replay", str(thread_id), "--at", "2999-01-01T00:00") == 0  # no zone: UTC
    assert "thread idle" in capsys.readouterr().out
    assert run_cli(monkeypatch, settings, "replay", str(uuid4())) == 1


def test_audit_prints_outcomes_filtered(monkeypatch, settings, capsys) -> None:
    with Runtime(settings).start() as runtime, WorkerThread(runtime):
        thread_id = uuid4()
        runtime.app.create_thread(thread_id)
        failed = create_run(runtime, thread_id, "please fail")
        wait_run(runtime, failed)
    assert run_cli(monkeypatch, settings, "audit", "--thread", str(thread_id), "--outcome", "error") == 0
    out = capsys.readouterr().out
    assert str(failed)[-8:] in out and "cannot answer" in out
