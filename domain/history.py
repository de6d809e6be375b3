"""Reading a thread's checkpoint history straight from its events (pure functions)."""

from collections.abc import Iterable
from uuid import UUID

from threadlog.domain import events as ev

CheckpointKey = tuple[str, str]


def live_checkpoints(events: Iterable[ev.ThreadEvent]) -> list[tuple[ev.SavedCheckpoint, list[ev.TaskWrites]]]:
    """The checkpoints that still count, oldest first, each with its pending writes.

    Whatever a rolled-back run wrote (checkpoints and writes) no longer counts; a
    thread recreated after deletion starts with no checkpoints.
    """
    checkpoints: dict[CheckpointKey, tuple[UUID | None, ev.SavedCheckpoint]] = {}
    writes: list[tuple[UUID | None, ev.TaskWrites]] = []
    for event in events:
        match event:
            case ev.ThreadCreated():
                checkpoints.clear()
                writes.clear()
            case ev.CheckpointSaved():
                checkpoints[_key(event.checkpoint)] = (event.run_id, event.checkpoint)
            case ev.ThreadStateUpdated():
                checkpoints[_key(event.checkpoint)] = (None, event.checkpoint)
            case ev.CheckpointCopied():
                checkpoints[_key(event.checkpoint)] = (None, event.checkpoint)
                writes.extend((None, w) for w in event.writes)
            case ev.WritesSaved():
                writes.append((event.run_id, event.writes))
            case ev.RunRolledBack():
                checkpoints = {k: v for k, v in checkpoints.items() if v[0] != event.run_id}
                writes = [w for w in writes if w[0] != event.run_id]
    return [
        (checkpoint, [w for _, w in writes if (w.checkpoint_ns, w.checkpoint_id) == key])
        for key, (_, checkpoint) in checkpoints.items()
    ]


def _key(checkpoint: ev.SavedCheckpoint) -> CheckpointKey:
    return (checkpoint.checkpoint_ns, checkpoint.checkpoint_id)
