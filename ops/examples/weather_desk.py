"""A desk that hands every question to the weather agent, run as a subgraph: shows
subgraph schemas, checkpoints in a namespace and `stream_subgraphs`, still offline."""

from typing import Any

from langgraph.graph import START, StateGraph

from threadlog.ops.examples.agent import State
from threadlog.ops.examples.agent import build as build_agent


def build() -> Any:
    builder = StateGraph(State)
    builder.add_node("weather", build_agent())
    builder.add_edge(START, "weather")
    return builder.compile()


graph = build()
