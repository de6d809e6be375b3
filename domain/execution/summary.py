"""A thread's state summary (values, next nodes, interrupts) from a LangGraph snapshot."""

from typing import Any

from langgraph.pregel import Pregel

from threadlog.domain import events as ev
from threadlog.domain.execution.jsonable import JsonMemo


async def summarize(graph: Pregel, config: dict[str, Any], json: JsonMemo | None = None) -> ev.StateSummary:
    """The state at `config` (the latest checkpoint, unless it names one), as the API shows it."""
    json = json or JsonMemo()
    snapshot = await graph.aget_state(config)
    if snapshot.metadata is None:
        return ev.StateSummary()
    interrupts = {task.id: list(task.interrupts) for task in snapshot.tasks if task.interrupts}
    return ev.StateSummary(checkpoint_id=snapshot.config["configurable"]["checkpoint_id"],
                           values=json.encode(snapshot.values), next=list(snapshot.next),
                           interrupts=json.encode(interrupts))
