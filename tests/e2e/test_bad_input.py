"""Bad input gets a clear 4xx with {"detail": ...} and changes nothing."""

from uuid import uuid4

import httpx
import pytest

SF = {"messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def http(server):
    with httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def log_length(http: httpx.Client, thread_id: str) -> int:
    return len(http.get(f"/threads/{thread_id}/events", params={"limit": 1000}).json()["events"])


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/threads/{t}/runs", b"{not json", 422),
        ("POST", "/threads/{t}/runs", {"assistant_id": "agent", "unknown_field": 1}, 422),
        ("POST", "/threads/{t}/runs", {"assistant_id": 42}, 422),
        ("POST", "/threads/{t}/runs", {"assistant_id": "agent", "multitask_strategy": "sometimes"}, 422),
        ("POST", "/threads/{t}/runs", {"assistant_id": "no-such-graph"}, 422),
        ("POST", "/threads/{t}/runs", {"assistant_id": str(uuid4())}, 404),
        ("POST", "/threads/{t}/runs", {"assistant_id": "agent", "input": SF, "command": {"resume": 1}}, 400),
        ("POST", "/threads/{t}/runs", {"assistant_id": "agent", "stream_mode": "events"}, 422),
        ("POST", "/threads/not-a-uuid/runs", {"assistant_id": "agent"}, 422),
        ("POST", f"/threads/{uuid4()}/runs", {"assistant_id": "agent"}, 404),
        ("GET", "/threads/{t}/runs/not-a-uuid", None, 422),
        ("GET", f"/threads/{{t}}/runs/{uuid4()}", None, 404),
        ("PATCH", "/threads/{t}", {"metadata": "not an object"}, 422),
        ("POST", "/threads/search", {"limit": "ten"}, 422),
        ("POST", "/threads/{t}/state", {"values": {"messages": []}, "as_node": "agent"}, 400),
        ("GET", "/threads/{t}/events?after=-5", None, 422),
        ("GET", "/audit?outcome=maybe", None, 422),
        ("POST", "/assistants", {"graph_id": "no-such-graph"}, 404),
        ("GET", "/assistants/not-a-uuid", None, 422),
    ],
)
def test_bad_requests_get_a_4xx_with_detail_and_write_nothing(http, method, path, body, status) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    before = log_length(http, thread_id)
    kwargs = {"content": body} if isinstance(body, bytes) else {"json": body}
    response = http.request(method, path.format(t=thread_id), **({} if body is None else kwargs))
    assert response.status_code == status, response.text
    assert isinstance(response.json()["detail"], str) and response.json()["detail"]
    assert log_length(http, thread_id) == before


def test_invalid_uuid_message_is_clear(http) -> None:
    response = http.get("/threads/abc")
    assert (response.status_code, response.json()) == (422, {"detail": "Invalid thread ID: must be a UUID"})


def test_an_oversized_body_is_refused_with_413(http) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    huge = {"assistant_id": "agent", "input": {"messages": [{"role": "user", "content": "x" * (11 * 1024 * 1024)}]}}
    response = http.post(f"/threads/{thread_id}/runs", json=huge)
    assert response.status_code == 413 and "detail" in response.json()
    assert http.get(f"/threads/{thread_id}/runs").json() == []


def test_the_openapi_page_documents_both_surfaces(http) -> None:
    assert http.get("/docs").status_code == 200
    spec = http.get("/docs/openapi.json").json()
    paths = set(spec["paths"])
    for expected in ("/threads/{thread_id}/runs", "/threads/{thread_id}/runs/{run_id}/stream", "/runs/wait",
                     "/threads/{thread_id}/state", "/threads/{thread_id}/history", "/assistants/search",
                     "/threads/{thread_id}/events", "/threads/{thread_id}/replay", "/audit"):
        assert expected in paths, expected
