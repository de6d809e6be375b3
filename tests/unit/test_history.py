"""The live checkpoints of a thread, read from its events: what a copy takes over."""

from uuid import uuid4

from tests.unit.history import Given, checkpoint
from threadlog.domain import events as ev
from threadlog.domain.history import live_checkpoints


def writes_for(checkpoint_id: str) -> ev.TaskWrites:
    return ev.TaskWrites(checkpoint_id=checkpoint_id, task_id="t", writes=[ev.ChannelWrite(0, "x", "json", b"1")])


def test_a_rolled_back_runs_checkpoints_and_writes_do_not_count() -> None:
    kept, dropped = uuid4(), uuid4()
    given = Given().created().run_created(kept).run_started(kept).checkpoint_saved(kept, "cp-1")
    given.event(ev.RunSucceeded, run_id=kept, attempt=1)
    given.run_created(dropped).run_started(dropped).checkpoint_saved(dropped, "cp-2")
    given.event(ev.WritesSaved, run_id=dropped, attempt=1, writes=writes_for("cp-1"))
    given.event(ev.RunCancelRequested, run_id=dropped, action="rollback")
    given.event(ev.RunRolledBack, run_id=dropped, attempt=1, restored_checkpoint_id="cp-1")
    live = live_checkpoints(given.events)
    assert [(c.checkpoint_id, w) for c, w in live] == [("cp-1", [])]


def test_an_interrupted_runs_work_counts_with_its_writes() -> None:
    run = uuid4()
    given = Given().created().run_created(run).run_started(run).checkpoint_saved(run, "cp-1")
    given.event(ev.WritesSaved, run_id=run, attempt=1, writes=writes_for("cp-1"))
    given.event(ev.RunCancelRequested, run_id=run, action="interrupt")
    given.event(ev.RunInterrupted, run_id=run, attempt=1)
    given.event(ev.ThreadStateUpdated, checkpoint=checkpoint("cp-2", parent="cp-1"))
    live = live_checkpoints(given.events)
    assert [c.checkpoint_id for c, _ in live] == ["cp-1", "cp-2"]
    assert live[0][1] == [writes_for("cp-1")]


def test_a_recreated_thread_starts_without_checkpoints() -> None:
    given = Given().created().event(ev.ThreadStateUpdated, checkpoint=checkpoint("old"))
    given.event(ev.ThreadDeleted).created()
    assert live_checkpoints(given.events) == []
