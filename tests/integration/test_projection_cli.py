"""`threadlog projections check / rebuild / lag` against a real store."""

from uuid import uuid4

from tests.integration.views import catch_up
from tests.integration.workload import Workload
from threadlog.ops import cli
from threadlog.ops.runtime import Runtime


def run_cli(monkeypatch, settings, *args: str) -> int:
    monkeypatch.setattr("threadlog.ops.settings.Settings.from_env", classmethod(lambda cls, environ=None: settings))
    return cli.main(list(args))


def test_check_passes_on_true_views_and_fails_on_a_tampered_row_until_rebuilt(monkeypatch, settings, capsys) -> None:
    with Runtime(settings) as runtime:
        assert runtime.follower.lock.acquire()
        Workload(runtime.app, seed=3, threads=3).run(80)
        thread_id = uuid4()
        runtime.app.create_thread(thread_id, metadata={"true": 1})
        catch_up(runtime)
    assert run_cli(monkeypatch, settings, "projections", "check") == 0
    assert "views match a rebuild" in capsys.readouterr().out

    with Runtime(settings) as runtime, runtime.views.transaction() as cursor:
        cursor.execute("UPDATE tl_threads SET status = ? WHERE thread_id = ?", ["error", thread_id])
    assert run_cli(monkeypatch, settings, "projections", "check") == 1
    out = capsys.readouterr().out
    assert "views differ" in out and str(thread_id) in out

    assert run_cli(monkeypatch, settings, "projections", "rebuild") == 0
    assert run_cli(monkeypatch, settings, "projections", "check") == 0
    assert run_cli(monkeypatch, settings, "projections", "lag") == 0
    assert "lag 0 events" in capsys.readouterr().out
