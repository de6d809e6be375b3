"""Stored events and snapshots round-trip exactly through the msgspec mapper."""

import zlib
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import msgspec
import pytest
from eventsourcing.compressor import ZlibCompressor

from tests.unit.history import Given, at
from threadlog.domain import events as ev
from threadlog.domain.codec import MsgspecMapper, Snapshot

RUN = uuid4()
NESTED = {"input": {"messages": [{"role": "user", "content": "héllo", "n": [1, 2.5, None, True]}]}, "id": "x"}


def every_event() -> list[ev.ThreadEvent]:
    chunk = ev.StreamChunk("values", b'{"a":1}')
    writes = ev.TaskWrites(checkpoint_id="c1", task_id="t", writes=[ev.ChannelWrite(-1, "__interrupt__", "msgpack", b"\x00")])
    cp = ev.SavedCheckpoint(checkpoint_id="c1", checkpoint={"v": 4, "channel_versions": {"a": "1.0"}},
                            blobs=[ev.ChannelBlob("messages", "00001.5", "msgpack", b"\x01\x02")])
    g = Given()
    g.created(metadata=NESTED, graph_id="agent", copied_from=uuid4())
    g.event(ev.ThreadMetadataUpdated, patch=NESTED)
    g.event(ev.ThreadStateUpdated, checkpoint=cp, as_node="agent")
    g.event(ev.CheckpointCopied, checkpoint=cp, writes=[writes])
    g.event(ev.RunCreated, run_id=RUN, assistant_id=uuid4(), kwargs=NESTED, metadata={"k": "v"},
            multitask_strategy="rollback", not_before=datetime(2026, 5, 1, 12, 30, 15, 123456, tzinfo=UTC))
    g.event(ev.RunRejected, run_id=uuid4(), assistant_id=uuid4(), reason="busy", active_run_ids=[RUN])
    g.event(ev.RunStarted, run_id=RUN, attempt=1, worker_id="w")
    g.event(ev.CheckpointSaved, run_id=RUN, attempt=1, checkpoint=cp)
    g.event(ev.WritesSaved, run_id=RUN, attempt=1, writes=writes)
    g.event(ev.OutputStreamed, run_id=RUN, attempt=1, chunk=chunk)
    g.event(ev.RunCancelRequested, run_id=RUN, action="interrupt", reason="r", by_run_id=uuid4())
    g.event(ev.RunInterrupted, run_id=RUN, attempt=1, reason="r", by_run_id=uuid4())
    g.event(ev.RunRolledBack, run_id=RUN, attempt=1, restored_checkpoint_id="c0", reason="r")
    g.event(ev.RunSucceeded, run_id=RUN, attempt=1, state=ev.StateSummary(
        checkpoint_id="c1", values=b'{"messages":[]}', next=["tools"], interrupts=b'{"t":[{"value":1}]}'))
    g.event(ev.RunFailed, run_id=RUN, attempt=2, error=ev.RunError("ValueError", "bad"))
    g.event(ev.RunTimedOut, run_id=RUN, attempt=1)
    g.event(ev.RunRequeued, run_id=RUN, attempt=2, reason="lease expired")
    g.event(ev.RunDeleted, run_id=RUN)
    g.event(ev.ThreadDeleted, reason="bye")
    return g.events + assistant_events() + store_events() + cron_events()


def assistant_events() -> list[ev.AssistantEvent]:
    spec = ev.AssistantSpec(graph_id="agent", config={"configurable": {"delay": 1}}, metadata=NESTED, name="a")
    common = {"originator_id": uuid4(), "timestamp": datetime(2026, 1, 1, tzinfo=UTC)}
    return [
        ev.AssistantCreated(originator_version=1, spec=spec, owner="ann", **common),
        ev.AssistantUpdated(originator_version=2, version=2, spec=spec, **common),
        ev.AssistantVersionChosen(originator_version=3, version=1, spec=spec, **common),
        ev.AssistantDeleted(originator_version=4, **common),
    ]


def store_events() -> list[ev.StoreEvent]:
    common = {"originator_id": uuid4(), "timestamp": datetime(2026, 1, 1, tzinfo=UTC)}
    return [
        ev.StoreItemPut(originator_version=1, namespace=["users", "ann"], key="prefs", value=NESTED, owner="ann",
                        **common),
        ev.StoreItemDeleted(originator_version=2, **common),
    ]


def cron_events() -> list[ev.CronEvent]:
    common = {"originator_id": uuid4(), "timestamp": datetime(2026, 1, 1, tzinfo=UTC)}
    spec = ev.CronSpec(assistant_id=str(uuid4()), thread_id=uuid4(), schedule="*/5 * * * *", timezone="Europe/Paris",
                       end_time=datetime(2027, 1, 1, tzinfo=UTC), payload={"input": NESTED}, metadata={"a": 1})
    due = datetime(2026, 1, 1, 0, 5, tzinfo=UTC)
    return [
        ev.CronCreated(originator_version=1, spec=spec, owner="ann", next_run_date=due, **common),
        ev.CronUpdated(originator_version=2, spec=spec, next_run_date=None, **common),
        ev.CronFired(originator_version=3, due=due, next_run_date=due, **common),
        ev.CronDeleted(originator_version=4, **common),
    ]


def test_every_event_type_is_covered_by_the_round_trip_test() -> None:
    bases = (ev.ThreadEvent, ev.AssistantEvent, ev.StoreEvent, ev.CronEvent)
    stored_types = {c for c in vars(ev).values() if isinstance(c, type) and issubclass(c, bases)}
    assert stored_types - set(bases) == {type(e) for e in every_event()}


@pytest.mark.parametrize("compressor", [None, ZlibCompressor()])
@pytest.mark.parametrize("event", every_event(), ids=lambda e: type(e).__name__)
def test_every_event_round_trips_exactly(event, compressor) -> None:
    mapper = MsgspecMapper(compressor=compressor)
    stored = mapper.to_stored_event(event)
    assert stored.topic == f"threadlog.domain.events:{type(event).__name__}"
    restored = mapper.to_domain_event(stored)
    assert restored == event
    assert type(restored) is type(event)
    assert msgspec.to_builtins(restored) == msgspec.to_builtins(event)


def test_uuids_and_datetimes_come_back_as_their_own_types() -> None:
    event = next(e for e in every_event() if isinstance(e, ev.RunCreated))
    restored = MsgspecMapper().to_domain_event(MsgspecMapper().to_stored_event(event))
    assert restored.run_id == event.run_id and type(restored.run_id) is type(event.run_id)
    assert restored.not_before == event.not_before and restored.not_before.tzinfo is not None
    assert restored.timestamp == event.timestamp


def test_a_datetime_with_an_offset_comes_back_as_the_same_instant_in_utc() -> None:
    event = Given().created().events[0]
    local = msgspec.structs.replace(event, timestamp=datetime(2026, 5, 1, 12, tzinfo=timezone(timedelta(hours=2))))
    restored = MsgspecMapper().to_domain_event(MsgspecMapper().to_stored_event(local))
    assert restored.timestamp == local.timestamp
    assert restored.timestamp.utcoffset() == timedelta(0)


def test_compression_shrinks_a_large_payload() -> None:
    big = Given().created(metadata={"text": "abc " * 5000}).events[0]
    plain = MsgspecMapper().to_stored_event(big).state
    packed = MsgspecMapper(compressor=ZlibCompressor()).to_stored_event(big).state
    assert len(packed) < len(plain) / 10 and zlib.decompress(packed) == plain


def test_a_snapshot_restores_the_whole_thread_state() -> None:
    run = uuid4()
    given = Given().created(metadata={"a": 1}).run_created(run).run_started(run).checkpoint_saved(run, "cp-1")
    given.event(ev.RunCancelRequested, run_id=run, action="rollback", reason="x")
    thread = given.thread()
    snapshot = Snapshot.take(thread)
    stored = MsgspecMapper().to_stored_event(snapshot)
    restored = MsgspecMapper().to_domain_event(stored).restore()
    assert restored == thread
    assert restored.runs[run].cancel.action == "rollback"
    assert (restored.version, restored.modified_on) == (thread.version, at(thread.version))
