"""The seed documents, word for word, through langgraph_sdk against a real server process."""

import time

import httpx
import pytest
from langgraph_sdk.errors import ConflictError, NotFoundError

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}
NYC = {"messages": [{"role": "user", "content": "what's the weather in nyc?"}]}
ASSISTANT = "agent"
SLOW = {"configurable": {"delay": 0.4}}


def kinds(state) -> list[str]:
    return [m["type"] for m in state["values"]["messages"]]


def humans(state) -> list[str]:
    return [m["content"] for m in state["values"]["messages"] if m["type"] == "human"]


def wait_for_progress(client, thread_id: str, run_id: str, steps: int) -> None:
    """Until the run has checkpointed `steps` steps (seen in its thread's event log)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        page = client.http.get(f"/threads/{thread_id}/events", params={"type": "CheckpointSaved", "run_id": run_id})
        if len(page["events"]) >= steps:
            return
        time.sleep(0.02)
    raise AssertionError("the run made no progress")


def test_reject_gives_409_and_the_first_run_completes(client) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], ASSISTANT, input=SF, config=SLOW)
    with pytest.raises(httpx.HTTPStatusError) as refused:
        client.runs.create(thread["thread_id"], ASSISTANT, input=NYC, multitask_strategy="reject")
    assert isinstance(refused.value, ConflictError) and refused.value.response.status_code == 409
    client.runs.join(thread["thread_id"], run["run_id"])
    state = client.threads.get_state(thread["thread_id"])
    assert kinds(state) == ["human", "ai", "tool", "ai"]
    assert humans(state) == ["what's the weather in sf?"]


def test_enqueue_runs_the_second_after_the_first_and_the_thread_holds_both(client) -> None:
    thread = client.threads.create()
    first = client.runs.create(thread["thread_id"], ASSISTANT, input=SF, config=SLOW)
    second = client.runs.create(thread["thread_id"], ASSISTANT, input=NYC, multitask_strategy="enqueue")
    client.runs.join(thread["thread_id"], second["run_id"])
    state = client.threads.get_state(thread["thread_id"])
    assert kinds(state) == ["human", "ai", "tool", "ai"] * 2
    assert humans(state) == ["what's the weather in sf?", "what's the weather in nyc?"]
    assert client.runs.get(thread["thread_id"], first["run_id"])["status"] == "success"


def test_interrupt_keeps_partial_work_and_the_first_run_ends_interrupted(client) -> None:
    thread = client.threads.create()
    interrupted_run = client.runs.create(thread["thread_id"], ASSISTANT, input=SF, config=SLOW)
    wait_for_progress(client, thread["thread_id"], interrupted_run["run_id"], steps=4)  # the doc sleeps 2 s
    run = client.runs.create(thread["thread_id"], ASSISTANT, input=NYC, multitask_strategy="interrupt")
    client.runs.join(thread["thread_id"], run["run_id"])
    state = client.threads.get_state(thread["thread_id"])
    assert kinds(state) == ["human", "ai", "tool", "human", "ai", "tool", "ai"]
    assert humans(state) == ["what's the weather in sf?", "what's the weather in nyc?"]
    assert client.runs.get(thread["thread_id"], interrupted_run["run_id"])["status"] == "interrupted"


def test_rollback_forgets_the_first_run_entirely(client) -> None:
    thread = client.threads.create()
    rolled_back = client.runs.create(thread["thread_id"], ASSISTANT, input=SF, config=SLOW)
    wait_for_progress(client, thread["thread_id"], rolled_back["run_id"], steps=3)
    run = client.runs.create(thread["thread_id"], ASSISTANT, input=NYC, multitask_strategy="rollback")
    client.runs.join(thread["thread_id"], run["run_id"])
    state = client.threads.get_state(thread["thread_id"])
    assert kinds(state) == ["human", "ai", "tool", "ai"]
    assert humans(state) == ["what's the weather in nyc?"]
    with pytest.raises(NotFoundError):
        client.runs.get(thread["thread_id"], rolled_back["run_id"])
    history = client.threads.get_history(thread["thread_id"], limit=100)
    assert all(h["metadata"].get("run_id") != rolled_back["run_id"] for h in history)
    # ... but the log and the audit trail keep it all
    audit = client.http.get("/audit", params={"thread_id": thread["thread_id"], "outcome": "rolled_back"})
    assert [(a["run_id"], a["caused_by_run_id"]) for a in audit] == [(rolled_back["run_id"], run["run_id"])]


def test_background_run_pending_then_joined_then_success_with_its_final_state(client) -> None:
    thread = client.threads.create()
    assert (thread["status"], thread["metadata"], thread["values"]) == ("idle", {}, None)
    assert client.runs.list(thread["thread_id"]) == []
    run = client.runs.create(thread["thread_id"], ASSISTANT, input={
        "messages": [{"role": "user", "content": "what's the weather in sf"}]})
    assert run["status"] == "pending"
    assert run["kwargs"]["config"]["configurable"]["graph_id"] == "agent"
    assert run["assistant_id"] == "fe096781-5601-53d2-b2f6-0d3403f7e9ca"
    client.runs.join(thread["thread_id"], run["run_id"])
    assert client.runs.get(thread["thread_id"], run["run_id"])["status"] == "success"
    final = client.threads.get_state(thread["thread_id"])
    assert final["next"] == [] and final["tasks"] == []
    assert final["metadata"]["step"] == 3 and final["metadata"]["source"] == "loop"
    assert final["checkpoint_id"] == final["checkpoint"]["checkpoint_id"]
    assert final["values"]["messages"][-1]["content"].startswith("Here is what I found.")
