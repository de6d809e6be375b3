"""Runs over HTTP: wait, join, stream (and resume from the log), cancel, human-in-the-loop."""

import httpx
import pytest
from langgraph_sdk.errors import NotFoundError

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


def sse_frames(url: str, path: str, headers: dict | None = None, method: str = "GET", json=None) -> list[dict]:
    """Frames of an SSE response, parsed by hand: event, data and id of each."""
    frames, current = [], {}
    with httpx.stream(method, url + path, headers=headers or {}, json=json, timeout=30) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        for line in response.iter_lines():
            if not line:
                if current.get("event"):
                    frames.append(current)
                current = {}
            elif not line.startswith(":"):
                key, _, value = line.partition(": ")
                current[key] = value
    return frames


def test_wait_returns_the_final_values_and_join_the_same(client) -> None:
    thread = client.threads.create()
    values = client.runs.wait(thread["thread_id"], "agent", input=SF)
    assert [m["type"] for m in values["messages"]] == ["human", "ai", "tool", "ai"]
    run = client.runs.list(thread["thread_id"])[0]
    assert client.runs.join(thread["thread_id"], run["run_id"]) == values


def test_a_failed_run_answers_wait_with_200_and_an_error(client) -> None:
    thread = client.threads.create()
    result = client.runs.wait(thread["thread_id"], "agent", input={"messages": [{"role": "user", "content": "fail"}]},
                              raise_error=False)
    assert result == {"__error__": {"error": "ValueError", "message": "cannot answer: 'fail'"}}
    assert client.threads.get(thread["thread_id"])["status"] == "error"


def test_a_paused_run_answers_with_its_interrupt_and_a_resume_finishes_it(client) -> None:
    thread = client.threads.create()
    paused = client.runs.wait(thread["thread_id"], "agent", input=SF, config={"configurable": {"approve_tools": True}})
    assert paused["__interrupt__"][0]["value"]["question"] == "run the search?"
    assert client.threads.get(thread["thread_id"])["status"] == "interrupted"
    state = client.threads.get_state(thread["thread_id"])
    assert state["next"] == ["tools"] and state["tasks"][0]["interrupts"]
    done = client.runs.wait(thread["thread_id"], "agent", command={"resume": "yes"},
                            config={"configurable": {"approve_tools": True}})
    assert "Sunny" in done["messages"][-1]["content"]
    assert client.threads.get(thread["thread_id"])["status"] == "idle"


def test_interrupt_before_pauses_and_a_run_without_input_continues(client) -> None:
    thread = client.threads.create()
    client.runs.wait(thread["thread_id"], "agent", input=SF, interrupt_before=["tools"])
    assert client.threads.get_state(thread["thread_id"])["next"] == ["tools"]
    done = client.runs.wait(thread["thread_id"], "agent", input=None)
    assert [m["type"] for m in done["messages"]] == ["human", "ai", "tool", "ai"]


def test_stream_sends_metadata_first_then_the_modes_asked_for(client) -> None:
    thread = client.threads.create()
    parts = list(client.runs.stream(thread["thread_id"], "agent", input=SF,
                                    stream_mode=["values", "updates", "custom"]))
    events = [p.event for p in parts]
    assert events[0] == "metadata" and parts[0].data["attempt"] == 1
    assert {"values", "updates", "custom"} <= set(events)
    assert [p.data for p in parts if p.event == "custom"] == [{"searching": "what's the weather in sf?"}]
    assert len(parts[-1].data["messages"]) == 4


def test_messages_tuple_mode_streams_messages_events(client) -> None:
    thread = client.threads.create()
    parts = list(client.runs.stream(thread["thread_id"], "agent", input=SF, stream_mode="messages-tuple"))
    messages = [p for p in parts if p.event == "messages"]
    assert messages and all(isinstance(p.data, list) and len(p.data) == 2 for p in messages)


def test_a_finished_runs_stream_is_replayed_from_the_log_and_resumes_from_any_event_id(client, server) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "agent", input=SF, stream_mode=["values", "updates"])
    client.runs.join(thread["thread_id"], run["run_id"])
    path = f"/threads/{thread['thread_id']}/runs/{run['run_id']}/stream"
    frames = sse_frames(server.url, path)
    assert frames[0]["event"] == "metadata"
    ids = [int(f["id"]) for f in frames]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    middle = frames[3]
    resumed = sse_frames(server.url, path, headers={"Last-Event-ID": middle["id"]})
    assert resumed == frames[4:]
    only_updates = sse_frames(server.url, path + "?stream_mode=updates")
    assert {f["event"] for f in only_updates} == {"metadata", "updates"}


def test_sdk_join_stream_with_last_event_id(client, server) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "agent", input=SF)
    client.runs.join(thread["thread_id"], run["run_id"])
    frames = sse_frames(server.url, f"/threads/{thread['thread_id']}/runs/{run['run_id']}/stream")
    parts = list(client.runs.join_stream(thread["thread_id"], run["run_id"], last_event_id=frames[1]["id"]))
    assert [p.event for p in parts] == [f["event"] for f in frames[2:]]


@pytest.mark.parametrize("action", ["interrupt", "rollback"])
def test_cancel_a_running_run(client, action) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "agent", input=SF, config={"configurable": {"delay": 30}})
    client.runs.cancel(thread["thread_id"], run["run_id"], wait=True, action=action)
    if action == "interrupt":
        assert client.runs.get(thread["thread_id"], run["run_id"])["status"] == "interrupted"
    else:
        with pytest.raises(NotFoundError):
            client.runs.get(thread["thread_id"], run["run_id"])
    with pytest.raises(NotFoundError):
        client.runs.cancel(thread["thread_id"], run["run_id"])


def test_cancel_many_and_stateless_runs(client) -> None:
    done = client.runs.wait(None, "agent", input=SF)
    assert len(done["messages"]) == 4
    kept = client.runs.create(None, "agent", input=SF, on_completion="keep")
    client.runs.join(kept["thread_id"], kept["run_id"])
    assert client.threads.get(kept["thread_id"])["status"] == "idle"
    batch = client.runs.create_batch([{"assistant_id": "agent", "input": SF, "config": {"configurable": {"delay": 30}}}
                                      for _ in range(2)])
    assert len(batch) == 2 and {r["status"] for r in batch} == {"pending"}
    client.runs.cancel_many(thread_id=batch[0]["thread_id"], run_ids=[batch[0]["run_id"]])
    client.runs.cancel_many(status="all")


def test_deleting_a_finished_run_hides_it(client) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "agent", input=SF)
    client.runs.join(thread["thread_id"], run["run_id"])
    client.runs.delete(thread["thread_id"], run["run_id"])
    with pytest.raises(NotFoundError):
        client.runs.get(thread["thread_id"], run["run_id"])
    assert client.runs.list(thread["thread_id"]) == []
