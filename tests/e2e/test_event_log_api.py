"""The event-native surface: a thread's log, its replay to any point, the audit trail."""

import httpx

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


def test_the_event_log_pages_by_position_and_filters_by_type_and_run(client, server) -> None:
    thread = client.threads.create()
    first = client.runs.create(thread["thread_id"], "agent", input=SF)
    client.runs.join(thread["thread_id"], first["run_id"])
    second = client.runs.create(thread["thread_id"], "agent", input=SF)
    client.runs.join(thread["thread_id"], second["run_id"])
    everything = client.http.get(f"/threads/{thread['thread_id']}/events", params={"limit": 1000})
    types = [e["type"] for e in everything["events"]]
    assert types[0] == "ThreadCreated" and types.count("RunSucceeded") == 2
    assert [e["position"] for e in everything["events"]] == list(range(1, len(types) + 1))
    page = client.http.get(f"/threads/{thread['thread_id']}/events", params={"limit": 3})
    rest = client.http.get(f"/threads/{thread['thread_id']}/events",
                           params={"after": page["next_position"], "limit": 1000})
    assert page["events"] + rest["events"] == everything["events"]
    mine = client.http.get(f"/threads/{thread['thread_id']}/events",
                           params={"run_id": second["run_id"], "type": ["RunStarted", "RunSucceeded"]})
    assert [e["type"] for e in mine["events"]] == ["RunStarted", "RunSucceeded"]
    assert mine["events"][1]["data"]["state"]["values"]["messages"][-1]["type"] == "ai"


def test_replay_shows_the_thread_as_it_was_at_any_position_or_time(client) -> None:
    thread = client.threads.create()
    run = client.runs.create(thread["thread_id"], "agent", input=SF, config={"configurable": {"delay": 0.2}})
    queued = client.runs.create(thread["thread_id"], "agent", input=SF)
    client.runs.join(thread["thread_id"], queued["run_id"])
    log = client.http.get(f"/threads/{thread['thread_id']}/events", params={"limit": 1000})["events"]
    second_created = next(e for e in log if e["type"] == "RunCreated" and e["run_id"] == queued["run_id"])
    then = client.http.get(f"/threads/{thread['thread_id']}/replay", params={"position": second_created["position"]})
    assert then["status"] == "busy" and then["queue"][-1] == queued["run_id"]
    assert {r["run_id"]: r["status"] for r in then["runs"]}[queued["run_id"]] == "pending"
    now = client.http.get(f"/threads/{thread['thread_id']}/replay")
    assert now["status"] == "idle" and now["queue"] == []
    assert {r["status"] for r in now["runs"]} == {"success"} and len(now["values"]["messages"]) == 8
    at_first_end = next(e for e in log if e["type"] == "RunSucceeded" and e["run_id"] == run["run_id"])
    by_time = client.http.get(f"/threads/{thread['thread_id']}/replay", params={"at": at_first_end["timestamp"]})
    assert by_time["position"] >= at_first_end["position"] and len(by_time["values"]["messages"]) == 4


def test_the_audit_trail_says_who_ended_each_run_and_why(client, server) -> None:
    thread = client.threads.create()
    first = client.runs.create(thread["thread_id"], "agent", input=SF, config={"configurable": {"delay": 30}})
    refused = httpx.post(f"{server.url}/threads/{thread['thread_id']}/runs",
                         json={"assistant_id": "agent", "input": SF, "multitask_strategy": "reject"})
    assert refused.status_code == 409
    second = client.runs.create(thread["thread_id"], "agent", input=SF, multitask_strategy="interrupt")
    client.runs.join(thread["thread_id"], second["run_id"])
    failed = client.runs.create(thread["thread_id"], "agent", input={"messages": [{"role": "user", "content": "fail"}]})
    client.runs.join(thread["thread_id"], failed["run_id"])
    trail = client.http.get("/audit", params={"thread_id": thread["thread_id"]})
    by_outcome = {a["outcome"]: a for a in trail}
    assert set(by_outcome) == {"rejected", "interrupted", "success", "error"}
    assert by_outcome["rejected"]["caused_by_run_id"] == first["run_id"]
    assert by_outcome["interrupted"]["run_id"] == first["run_id"]
    assert by_outcome["interrupted"]["caused_by_run_id"] == second["run_id"]
    assert by_outcome["error"]["error"] == {"error": "ValueError", "message": "cannot answer: 'fail'"}
    assert by_outcome["success"]["attempts"] == 1
    only_errors = client.http.get("/audit", params={"thread_id": thread["thread_id"], "outcome": "error"})
    assert [a["run_id"] for a in only_errors] == [failed["run_id"]]
    later = client.http.get("/audit", params={"thread_id": thread["thread_id"],
                                               "since": by_outcome["error"]["ended_at"]})
    assert [a["outcome"] for a in later] == ["error"]
