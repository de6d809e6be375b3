"""Crons through langgraph_sdk: runs start on schedule, on a thread or on new threads; a
cron can be searched, counted, disabled and deleted; bad schedules are refused."""

import time

import httpx
import pytest
from langgraph_sdk.errors import NotFoundError, UnprocessableEntityError

EVERY_SECOND = "* * * * * *"  # six fields: seconds last
HI = {"messages": [{"role": "user", "content": "weather in sf?"}]}


def wait_for(check, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_a_thread_cron_starts_runs_on_its_thread_until_deleted(client) -> None:
    thread = client.threads.create()
    cron = client.crons.create_for_thread(thread["thread_id"], "agent", schedule=EVERY_SECOND, input=HI,
                                          metadata={"job": "poll"})
    assert (cron["thread_id"], cron["schedule"], cron["enabled"]) == (thread["thread_id"], EVERY_SECOND, True)
    assert cron["next_run_date"] is not None and cron["metadata"] == {"job": "poll"}
    wait_for(lambda: len([r for r in client.runs.list(thread["thread_id"]) if r["status"] == "success"]) >= 2)
    client.crons.delete(cron["cron_id"])
    settled = len(client.runs.list(thread["thread_id"], limit=100))
    time.sleep(2.5)
    assert len(client.runs.list(thread["thread_id"], limit=100)) == settled
    with pytest.raises(NotFoundError):
        client.crons.delete(cron["cron_id"])


def test_a_global_cron_gives_each_run_a_thread_of_its_own(client) -> None:
    assistant = client.assistants.create("agent", name="cron's own")
    cron = client.crons.create(assistant["assistant_id"], schedule=EVERY_SECOND, input=HI, on_run_completed="keep")
    assert cron["thread_id"] is None and cron["on_run_completed"] == "keep"
    threads = wait_for(lambda: [t for t in client.threads.search(
        metadata={"assistant_id": assistant["assistant_id"]}, limit=10) if t["status"] == "idle"][:2] or None)
    assert threads[0]["values"]["messages"][-1]["type"] == "ai"
    client.crons.delete(cron["cron_id"])


def test_crons_can_be_searched_counted_disabled_and_fetched(client, server) -> None:
    assistant = client.assistants.create("agent", name="quiet")
    cron = client.crons.create(assistant["assistant_id"], schedule="0 9 * * 1", timezone="Europe/Paris",
                               metadata={"team": "a"})
    assert [c["cron_id"] for c in client.crons.search(assistant_id=assistant["assistant_id"])] == [cron["cron_id"]]
    assert client.crons.count(assistant_id=assistant["assistant_id"], metadata={"team": "a"}) == 1
    assert client.crons.count(assistant_id=assistant["assistant_id"], metadata={"team": "b"}) == 0
    paused = client.crons.update(cron["cron_id"], enabled=False)
    assert paused["enabled"] is False and paused["next_run_date"] is None
    resumed = client.crons.update(cron["cron_id"], enabled=True, schedule="30 8 * * *")
    assert resumed["schedule"] == "30 8 * * *" and resumed["next_run_date"] is not None
    fetched = httpx.get(f"{server.url}/runs/crons/{cron['cron_id']}").json()
    assert fetched["schedule"] == "30 8 * * *" and fetched["timezone"] == "Europe/Paris"
    client.crons.delete(cron["cron_id"])
    assert client.crons.count(assistant_id=assistant["assistant_id"]) == 0


def test_bad_crons_are_refused_and_nothing_is_written(client) -> None:
    thread = client.threads.create()
    for bad in ({"schedule": "every day"}, {"schedule": "* * * * *", "timezone": "Mars/Olympus"}):
        with pytest.raises(UnprocessableEntityError):
            client.crons.create_for_thread(thread["thread_id"], "agent", input=HI, **bad)
    assert client.crons.count(thread_id=thread["thread_id"]) == 0
    with pytest.raises(NotFoundError):
        client.crons.create_for_thread("00000000-0000-0000-0000-000000000000", "agent", schedule="* * * * *")
