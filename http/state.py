"""Thread state as LangGraph computes it (next nodes, tasks, interrupts), from the
checkpoint view through the event-sourced checkpointer; and writing state."""

from typing import Any
from uuid import UUID

import msgspec
from langgraph.pregel import Pregel
from langgraph.types import StateSnapshot

from threadlog.domain import events as ev
from threadlog.domain.errors import NotFoundError, ThreadBusyError
from threadlog.domain.execution.jsonable import JsonMemo
from threadlog.domain.execution.saver import EventSourcedSaver
from threadlog.domain.execution.summary import summarize
from threadlog.http.errors import BadRequestError
from threadlog.http.schemas.common import Checkpoint
from threadlog.http.schemas.threads import ThreadState
from threadlog.http.services import Services
from threadlog.projections.database import Row

EMPTY = ThreadState(values={}, next=[], tasks=[], metadata=None, created_at=None, checkpoint=None,
                    parent_checkpoint=None, interrupts=[], checkpoint_id=None, parent_checkpoint_id=None)


class CheckpointNotFoundError(NotFoundError):
    pass


def _graph(services: Services, thread: Row, sink: Any = None) -> tuple[Pregel, EventSourcedSaver] | None:
    if not thread["graph_id"]:
        return None
    saver = EventSourcedSaver(services.checkpoints, sink, offload=services.offload)
    return services.graphs.load(thread["graph_id"]).copy(update={"checkpointer": saver}), saver


def _config(thread_id: UUID, checkpoint: Checkpoint | None = None, checkpoint_id: str | None = None) -> dict[str, Any]:
    configurable: dict[str, Any] = {"thread_id": str(thread_id), "checkpoint_ns": ""}
    if checkpoint is not None:
        configurable["checkpoint_ns"] = checkpoint.checkpoint_ns
        checkpoint_id = checkpoint_id or checkpoint.checkpoint_id
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


async def state_of(
    services: Services, thread: Row, *, checkpoint: Checkpoint | None = None, checkpoint_id: str | None = None,
    subgraphs: bool = False,
) -> ThreadState:
    found = _graph(services, thread)
    if found is None:
        return EMPTY
    config = _config(UUID(str(thread["thread_id"])), checkpoint, checkpoint_id)
    snapshot = await found[0].aget_state(config, subgraphs=subgraphs)
    if snapshot.metadata is None and "checkpoint_id" in config["configurable"]:
        raise CheckpointNotFoundError(f"Checkpoint {config['configurable']['checkpoint_id']} not found")
    return to_thread_state(snapshot) if snapshot.metadata is not None else EMPTY


async def history_of(
    services: Services, thread: Row, *, limit: int, before: str | Checkpoint | None,
    metadata: dict[str, Any] | None, checkpoint: Checkpoint | None,
) -> list[ThreadState]:
    found = _graph(services, thread)
    if found is None:
        return []
    thread_id = UUID(str(thread["thread_id"]))
    before_id = before.checkpoint_id if isinstance(before, Checkpoint) else before
    before_config = _config(thread_id, checkpoint_id=before_id) if before_id else None
    states = []
    async for snapshot in found[0].aget_state_history(_config(thread_id, checkpoint), filter=metadata,
                                                      before=before_config, limit=limit):
        states.append(to_thread_state(snapshot))
    return states


class CollectedProgress:
    """A sink for the checkpointer that keeps what update_state wrote, to record in one command."""

    def __init__(self) -> None:
        self.items: list[ev.Progress] = []

    def add(self, item: ev.Progress) -> None:
        self.items.append(item)

    async def sync(self) -> None:
        return None


async def update_state(
    services: Services, thread: Row, values: Any, as_node: str | None, checkpoint: Checkpoint | None,
    checkpoint_id: str | None,
) -> tuple[int, dict[str, Any]]:
    """Write state as `as_node` would have; returns the log position and the new checkpoint."""
    thread_id = UUID(str(thread["thread_id"]))
    if thread["inflight"]:
        raise ThreadBusyError(thread_id)  # the aggregate checks again, but the graph need not run first
    sink = CollectedProgress()
    found = _graph(services, thread, sink)
    if found is None:
        raise BadRequestError("Thread has no graph: run it once, or create it with metadata.graph_id")
    graph, _ = found
    try:
        written = await graph.aupdate_state(_config(thread_id, checkpoint, checkpoint_id), values, as_node=as_node)
    except Exception as e:  # the graph's own code refused these values
        raise BadRequestError(f"The graph could not apply this update: {type(e).__name__}: {e}") from e
    summary = await summarize(graph, _config(thread_id), JsonMemo())
    position = await services.call(lambda: services.app.update_state(thread_id, sink.items, as_node, summary))
    return position, written["configurable"]


def to_thread_state(snapshot: StateSnapshot) -> ThreadState:
    """A LangGraph StateSnapshot as the reference server's ThreadState."""
    json = JsonMemo()
    plain = msgspec.json.decode(json.encode({
        "values": snapshot.values, "metadata": snapshot.metadata, "interrupts": list(snapshot.interrupts),
        "tasks": [_task(task) for task in snapshot.tasks],
    }))
    own, parent = _checkpoint(snapshot.config), _checkpoint(snapshot.parent_config)
    return ThreadState(
        values=plain["values"], next=list(snapshot.next), tasks=plain["tasks"], metadata=plain["metadata"],
        created_at=snapshot.created_at, checkpoint=own, parent_checkpoint=parent, interrupts=plain["interrupts"],
        checkpoint_id=own.checkpoint_id if own else None, parent_checkpoint_id=parent.checkpoint_id if parent else None,
    )


def _task(task: Any) -> dict[str, Any]:
    state = task.state
    nested = to_thread_state(state) if isinstance(state, StateSnapshot) else None
    checkpoint = _checkpoint(state) if isinstance(state, dict) else None
    return {
        "id": task.id, "name": task.name, "path": list(task.path),
        "error": None if task.error is None else f"{type(task.error).__name__}({task.error})",
        "interrupts": list(task.interrupts), "checkpoint": checkpoint, "state": nested, "result": task.result,
    }


def _checkpoint(config: Any) -> Checkpoint | None:
    configurable = (config or {}).get("configurable") or {}
    if not configurable.get("checkpoint_id"):
        return None
    return Checkpoint(thread_id=str(configurable.get("thread_id")), checkpoint_ns=configurable.get("checkpoint_ns", ""),
                      checkpoint_id=configurable["checkpoint_id"], checkpoint_map=configurable.get("checkpoint_map"))
