"""A notebook that remembers across threads, in the store: "remember X" puts X under the
user's namespace; anything else is answered with what it remembers. Offline, deterministic;
the user comes from the run's `configurable.user_id` (default "anyone")."""

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import START, StateGraph
from langgraph.store.base import BaseStore

from threadlog.ops.examples.agent import State


def take_note(state: State, config: RunnableConfig, *, store: BaseStore) -> dict[str, Any]:
    user = config["configurable"].get("user_id", "anyone")
    text = str(state["messages"][-1].content)
    if text.lower().startswith("remember "):
        note = text[len("remember "):]
        store.put(("notes", user), str(uuid5(NAMESPACE_URL, note)), {"text": note})
        return {"messages": [AIMessage(f"Noted: {note}")]}
    notes = sorted(item.value["text"] for item in store.search(("notes", user), limit=100))
    return {"messages": [AIMessage("I remember: " + "; ".join(notes) if notes else "I remember nothing yet.")]}


def build() -> Any:
    builder = StateGraph(State)
    builder.add_node("take_note", take_note)
    builder.add_edge(START, "take_note")
    return builder.compile()


graph = build()
