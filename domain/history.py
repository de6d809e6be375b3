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


def run_problems(events: Iterable[ev.ThreadEvent]) -> list[str]:
    """What breaks the run rules in a thread's log: two runs running at once, a run with
    other than exactly one outcome. Empty for a healthy log whose runs have all ended."""
    problems: list[str] = []
    running: UUID | None = None
    created: list[UUID] = []
    outcomes: dict[UUID, int] = {}
    for event in events:
        if isinstance(event, ev.RunCreated):
            created.append(event.run_id)
        elif isinstance(event, ev.RunStarted):
            if running is not None:
                problems.append(f"run {event.run_id} started while {running} was running")
            running = event.run_id
        elif isinstance(event, (*ev.RUN_OUTCOMES, ev.RunRequeued)):
            if isinstance(event, ev.RUN_OUTCOMES):
                outcomes[event.run_id] = outcomes.get(event.run_id, 0) + 1
            if event.run_id == running:
                running = None
    return problems + [f"run {r} has {outcomes.get(r, 0)} outcomes" for r in created if outcomes.get(r, 0) != 1]
