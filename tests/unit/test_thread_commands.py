"""Thread-level commands: metadata, state updates, deletion, and what a deleted thread refuses."""

from uuid import uuid4

import pytest

from tests.unit.history import ASSISTANT, Given, at, checkpoint, kinds, new_events
from threadlog.domain import events as ev
from threadlog.domain.errors import ThreadBusyError, ThreadDeletedError


def test_metadata_updates_merge_into_the_existing_metadata() -> None:
    thread = Given().created(metadata={"a": 1, "b": 2}).thread()
    thread.update_metadata({"b": 3, "c": 4}, now=at(5))
    assert thread.metadata == {"a": 1, "b": 3, "c": 4}
    assert kinds(new_events(thread)) == ["ThreadMetadataUpdated"]


def test_state_can_be_updated_only_while_no_run_is_in_flight() -> None:
    run = uuid4()
    thread = Given().created().run_created(run).thread()
    with pytest.raises(ThreadBusyError):
        thread.update_state([checkpoint("cp-x")], "agent", now=at(5))
    idle = Given().created().thread()
    idle.update_state([checkpoint("cp-x")], "agent", now=at(5))
    assert idle.head_checkpoint_id == "cp-x"


def test_deleting_a_thread_interrupts_its_runs_then_tombstones_it() -> None:
    running, pending = uuid4(), uuid4()
    thread = Given().created().run_created(running).run_created(pending).run_started(running).thread()
    thread.delete("user request", now=at(9))
    events = new_events(thread)
    assert kinds(events) == ["RunInterrupted", "RunInterrupted", "ThreadDeleted"]
    assert {e.run_id for e in events[:2]} == {running, pending}
    assert thread.deleted and thread.runs == {}


@pytest.mark.parametrize(
    "command",
    [
        lambda t: t.update_metadata({"a": 1}, now=at(9)),
        lambda t: t.create_run(run_id=uuid4(), assistant_id=ASSISTANT, strategy="enqueue", now=at(9)),
        lambda t: t.update_state([checkpoint("cp")], None, now=at(9)),
        lambda t: t.delete("again", now=at(9)),
        lambda t: t.request_cancel(uuid4(), "interrupt", now=at(9)),
    ],
)
def test_a_deleted_thread_accepts_nothing(command) -> None:
    thread = Given().created().event(ev.ThreadDeleted).thread()
    with pytest.raises(ThreadDeletedError):
        command(thread)
    assert new_events(thread) == []
    assert thread.start_next_run("w1", now=at(9)) is None


def test_a_deleted_threads_id_can_be_taken_again_with_a_fresh_state() -> None:
    run = uuid4()
    thread = Given().created(metadata={"old": 1}).run_created(run).event(ev.ThreadDeleted).thread()
    thread.recreate(now=at(9), metadata={"new": 1})
    assert (thread.deleted, thread.metadata, thread.runs) == (False, {"new": 1}, {})
