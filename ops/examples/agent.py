"""A small weather agent that needs no LLM and no network: deterministic, but shaped like
the agents in LangGraph's docs (agent -> tool -> agent), so a run has several steps.

Per-run knobs, in `config["configurable"]`:
- `delay`: seconds each step sleeps first (to watch double-texting happen), default 0;
- `approve_tools`: ask a human (`interrupt()`) before searching;
- a human message containing "fail" makes the agent raise (to show a failed run).
"""

import asyncio
import json
from typing import Annotated, Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import interrupt
from typing_extensions import TypedDict

SEARCH = "search"


class State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


async def _pause(config: RunnableConfig) -> None:
    delay = float(config.get("configurable", {}).get("delay", 0) or 0)
    if delay:
        await asyncio.sleep(delay)


async def agent(state: State, config: RunnableConfig) -> dict[str, Any]:
    await _pause(config)
    last = state["messages"][-1]
    if isinstance(last, ToolMessage):
        found = json.loads(last.content)[0]["content"]
        return {"messages": [AIMessage(content=f"Here is what I found. {found}")]}
    text = last.content if isinstance(last.content, str) else str(last.content)
    if "fail" in text.lower():
        raise ValueError(f"cannot answer: {text!r}")
    call = {"name": SEARCH, "args": {"query": text}, "id": f"call_{len(state['messages'])}", "type": "tool_call"}
    return {"messages": [AIMessage(content="", tool_calls=[call])]}


async def tools(state: State, config: RunnableConfig) -> dict[str, Any]:
    await _pause(config)
    call = state["messages"][-1].tool_calls[0]
    query = call["args"]["query"]
    if config.get("configurable", {}).get("approve_tools") and interrupt({"question": "run the search?",
                                                                          "query": query}) != "yes":
        return {"messages": [ToolMessage(content=json.dumps([{"content": "The search was not approved."}]),
                                         tool_call_id=call["id"], name=SEARCH)]}
    get_stream_writer()({"searching": query})
    results = [{"url": "https://weather.example/today", "content": f"Sunny and 21 C for {query!r}."}]
    return {"messages": [ToolMessage(content=json.dumps(results), tool_call_id=call["id"], name=SEARCH)]}


def _route(state: State) -> str:
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else END


def build() -> Any:
    builder = StateGraph(State)
    builder.add_node("agent", agent)
    builder.add_node("tools", tools)
    builder.add_edge(START, "agent")
    builder.add_conditional_edges("agent", _route, ["tools", END])
    builder.add_edge("tools", "agent")
    return builder.compile()


graph = build()
