"""Following a whole thread over SSE with langgraph_sdk: live, and resumed from the log."""

import threading
from collections.abc import Iterator

import httpx
from langgraph_sdk.schema import StreamPart

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


def until_run_done(parts: Iterator[StreamPart]) -> list[StreamPart]:
    """A thread's stream never ends by itself: read it up to the first run's end."""
    taken = []
    for part in parts:
        taken.append(part)
        if part.event == "metadata" and part.data.get("status") == "run_done":
            return taken
    raise AssertionError(f"the stream ended early after {[p.event for p in taken]}")


def test_a_follower_sees_a_run_start_stream_and_end_live(client) -> None:
    thread_id = client.threads.create(metadata={"graph_id": "agent"})["thread_id"]
    followed: list[StreamPart] = []
    follower = threading.Thread(target=lambda: followed.extend(until_run_done(client.threads.join_stream(thread_id))))
    follower.start()
    run = client.runs.create(thread_id, "agent", input=SF)
    follower.join(30)
    assert not follower.is_alive(), "the follower never saw the run end"
    events = [p.event for p in followed]
    assert followed[0].data == {"run_id": run["run_id"], "attempt": 1} and "values" in events
    assert followed[-1].data == {"status": "run_done", "run_id": run["run_id"]}


def test_a_thread_stream_resumes_from_the_log_at_any_event_id(client) -> None:
    thread_id = client.threads.create()["thread_id"]
    run = client.runs.create(thread_id, "agent", input=SF)
    client.runs.join(thread_id, run["run_id"])
    everything = until_run_done(client.threads.join_stream(thread_id, last_event_id="0"))
    assert everything[0].event == "metadata" and everything[-1].data["status"] == "run_done"
    ids = [int(p.id) for p in everything]
    assert ids == sorted(set(ids))  # log positions, in order
    rest = until_run_done(client.threads.join_stream(thread_id, last_event_id=everything[1].id))
    assert [(p.id, p.event) for p in rest] == [(p.id, p.event) for p in everything[2:]]
    lifecycle = until_run_done(client.threads.join_stream(thread_id, last_event_id="0", stream_mode="lifecycle"))
    assert [p.event for p in lifecycle] == ["metadata", "metadata"]


def test_a_state_update_is_streamed_with_the_new_state(client, server) -> None:
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "agent", input=SF)
    client.threads.update_state(thread_id, {"messages": [{"role": "user", "content": "written"}]}, as_node="agent")
    parts = client.threads.join_stream(thread_id, last_event_id="0", stream_mode="state_update")
    update = next(parts)
    assert update.event == "state_update" and update.data["thread_id"] == thread_id
    assert update.data["state"]["values"]["messages"][-1]["content"] == "written"
    bad = httpx.get(f"{server.url}/threads/{thread_id}/stream", params={"stream_modes": "everything"})
    assert bad.status_code == 422 and "everything" in bad.json()["detail"]
