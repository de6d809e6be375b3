"""Threads, their state and history, and assistants, over HTTP with langgraph_sdk."""

from uuid import uuid4

import pytest
from langgraph_sdk.errors import ConflictError, NotFoundError

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


def test_thread_crud_search_and_count(client) -> None:
    tag = uuid4().hex
    own_id = str(uuid4())
    created = client.threads.create(thread_id=own_id, metadata={"tag": tag, "n": 1})
    assert created["thread_id"] == own_id
    with pytest.raises(ConflictError):
        client.threads.create(thread_id=own_id)
    assert client.threads.create(thread_id=own_id, if_exists="do_nothing")["thread_id"] == own_id
    client.threads.create(metadata={"tag": tag, "n": 2})
    updated = client.threads.update(own_id, metadata={"extra": True})
    assert updated["metadata"] == {"tag": tag, "n": 1, "extra": True}
    found = client.threads.search(metadata={"tag": tag}, limit=10)
    assert {t["metadata"]["n"] for t in found} == {1, 2}
    assert client.threads.count(metadata={"tag": tag}) == 2
    assert [t["thread_id"] for t in client.threads.search(metadata={"tag": tag, "n": 1})] == [own_id]
    assert client.threads.search(ids=[own_id], status="idle")[0]["thread_id"] == own_id
    assert client.threads.count(metadata={"tag": tag, "extra": None}) == 0  # null matches a null, not a missing key
    assert client.threads.count(metadata={"tag": tag, "n": True}) == 0  # true is not 1
    client.threads.delete(own_id)
    with pytest.raises(NotFoundError):
        client.threads.get(own_id)
    assert client.threads.count(metadata={"tag": tag}) == 1


def test_history_is_newest_first_and_pages_with_before(client) -> None:
    thread = client.threads.create()
    client.runs.wait(thread["thread_id"], "agent", input=SF)
    history = client.threads.get_history(thread["thread_id"], limit=10)
    steps = [h["metadata"]["step"] for h in history]
    assert steps == sorted(steps, reverse=True) and steps[-1] == -1
    older = client.threads.get_history(thread["thread_id"], limit=2, before=history[1]["checkpoint"])
    assert [h["checkpoint_id"] for h in older] == [h["checkpoint_id"] for h in history[2:4]]
    at = client.threads.get_state(thread["thread_id"], checkpoint_id=history[2]["checkpoint_id"])
    assert at["values"] == history[2]["values"]
    assert len(client.threads.get_history(thread["thread_id"], metadata={"step": 1})) == 1
    assert client.threads.get_history(thread["thread_id"], metadata={"step": 1, "absent": None}) == []
    assert len(client.threads.get_history(thread["thread_id"], metadata={"source": "loop"}, limit=2)) == 2


def test_update_state_writes_a_checkpoint_and_the_thread_shows_it(client) -> None:
    thread = client.threads.create()
    client.runs.wait(thread["thread_id"], "agent", input=SF)
    written = client.threads.update_state(thread["thread_id"], {"messages": [{"role": "user", "content": "hello"}]},
                                          as_node="tools")
    state = client.threads.get_state(thread["thread_id"])
    assert state["checkpoint_id"] == written["checkpoint"]["checkpoint_id"]
    assert state["values"]["messages"][-1]["content"] == "hello"
    assert state["next"] == ["agent"]
    assert client.threads.get(thread["thread_id"])["values"]["messages"][-1]["content"] == "hello"


def test_update_state_is_refused_while_a_run_is_in_flight(client) -> None:
    thread = client.threads.create()
    client.runs.create(thread["thread_id"], "agent", input=SF, config={"configurable": {"delay": 5}})
    with pytest.raises(ConflictError):
        client.threads.update_state(thread["thread_id"], {"messages": []}, as_node="agent")
    client.runs.cancel_many(thread_id=thread["thread_id"],
                            run_ids=[r["run_id"] for r in client.runs.list(thread["thread_id"])])


def test_copy_takes_the_state_but_not_the_runs(client) -> None:
    thread = client.threads.create(metadata={"origin": True})
    client.runs.wait(thread["thread_id"], "agent", input=SF)
    copy = client.threads.copy(thread["thread_id"])
    assert copy["thread_id"] != thread["thread_id"] and copy["metadata"]["origin"] is True
    assert client.threads.get_state(copy["thread_id"])["values"] == client.threads.get_state(thread["thread_id"])["values"]
    assert client.runs.list(copy["thread_id"]) == []
    assert len(client.threads.get_history(copy["thread_id"], limit=50)) == 5
    more = client.runs.wait(copy["thread_id"], "agent", input=SF)
    assert len(more["messages"]) == 8


def test_assistants_versions_search_and_graph(client) -> None:
    default = client.assistants.get("fe096781-5601-53d2-b2f6-0d3403f7e9ca")
    assert (default["graph_id"], default["name"]) == ("agent", "agent")
    tag = uuid4().hex
    made = client.assistants.create("agent", config={"configurable": {"delay": 0}}, metadata={"tag": tag}, name="v1")
    changed = client.assistants.update(made["assistant_id"], name="v2")
    assert (changed["version"], changed["name"], changed["metadata"]) == (2, "v2", {"tag": tag})
    versions = client.assistants.get_versions(made["assistant_id"])
    assert [v["version"] for v in versions] == [2, 1]
    back = client.assistants.set_latest(made["assistant_id"], 1)
    assert (back["version"], back["name"]) == (1, "v1")
    assert [a["assistant_id"] for a in client.assistants.search(metadata={"tag": tag})] == [made["assistant_id"]]
    assert client.assistants.count(graph_id="agent") >= 2
    graph = client.assistants.get_graph(made["assistant_id"])
    assert {n["id"] for n in graph["nodes"]} >= {"agent", "tools"}
    assert "messages" in str(client.assistants.get_schemas("agent")["input_schema"])
    thread = client.threads.create()
    result = client.runs.wait(thread["thread_id"], made["assistant_id"], input=SF)
    assert len(result["messages"]) == 4
    client.assistants.delete(made["assistant_id"])
    with pytest.raises(NotFoundError):
        client.assistants.get(made["assistant_id"])


def test_a_graph_with_a_subgraph_shows_its_schemas_streams_its_namespace_and_keeps_state(client) -> None:
    assert list(client.assistants.get_subgraphs("weather_desk")) == ["weather"]
    assert list(client.assistants.get_subgraphs("weather_desk", namespace="weather")) == ["weather"]
    assert client.assistants.get_subgraphs("weather_desk", namespace="elsewhere") == {}
    assert client.assistants.get_subgraphs("agent", recurse=True) == {}
    thread_id = client.threads.create()["thread_id"]
    parts = list(client.runs.stream(thread_id, "weather_desk", input=SF, stream_mode="updates", stream_subgraphs=True))
    inner = [p for p in parts if p.event.startswith("updates|weather:")]
    assert [list(p.data) for p in inner] == [["agent"], ["tools"], ["agent"]]
    assert parts[-1].event == "updates" and list(parts[-1].data) == ["weather"]
    assert len(client.runs.wait(thread_id, "weather_desk", input=SF)["messages"]) == 8  # the second run continues
