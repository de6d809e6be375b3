"""Bad input gets a clear 4xx with {"detail": ...} and changes nothing."""

import socket
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
        ("POST", "/threads/{t}/runs", b'{"assistant_id": "agent"', 422),  # truncated
        ("POST", "/threads/{t}/runs", b'{"assistant_id": "agent", "after_seconds": 1e999}', 422),
        ("POST", "/threads/{t}/runs", b"", 422),
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


def test_a_batch_with_one_bad_run_writes_none_of_them(http) -> None:
    before = http.post("/threads/count", json={}).json()
    good = {"assistant_id": "agent", "input": SF, "on_completion": "keep"}
    for bad, status in (({"assistant_id": str(uuid4())}, 404), ({**good, "command": {"resume": 1}}, 400)):
        response = http.post("/runs/batch", json=[good, bad])
        assert response.status_code == status and response.json()["detail"], response.text
    assert http.post("/threads/count", json={}).json() == before


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


def raw_request(url: str, head: bytes) -> bytes:
    """Send bytes no HTTP client would, and read the whole answer."""
    parsed = httpx.URL(url)
    with socket.create_connection((parsed.host, parsed.port), timeout=10) as sock:
        sock.sendall(head)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
            if b"\r\n\r\n" in answer and answer.split(b"\r\n\r\n", 1)[1]:
                break
    return answer


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b'{"assistant_id": "agent", "input": {"x": ' + b"[" * 200 + b"]" * 200 + b"}}", "nested deeper"),
        (b'{"assistant_id": "agent", "input": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested deeper"),
        (b'{"assistant_id": "agent", "metadata": {"name": "\xff\xfe"}}', "not valid UTF-8"),
        (b'{"assistant_id": "agent", "after_seconds": 1e300}', "after_seconds"),
        (b'{"assistant_id": "agent", "metadata": {"n": 123456789012345678901234567890}}', "out of range"),
    ],
)
def test_hostile_bodies_are_refused_with_422_and_write_nothing(http, body, problem) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    before = log_length(http, thread_id)
    response = http.post(f"/threads/{thread_id}/runs", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert problem in response.json()["detail"]
    assert log_length(http, thread_id) == before
    assert http.get(f"/threads/{thread_id}/runs").json() == []


def test_huge_limits_and_offsets_are_clamped_not_errors(http) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    huge = 10**30
    answers = [
        http.post("/threads/search", json={"limit": 2**63 - 1, "offset": 2**63 - 1}),
        http.post("/assistants/search", json={"limit": -5, "offset": -(2**63)}),
        http.get(f"/threads/{thread_id}/runs", params={"limit": huge, "offset": huge}),
        http.get("/audit", params={"limit": huge, "offset": huge}),
        http.post(f"/threads/{thread_id}/history", json={"limit": 2**63 - 1}),
    ]
    assert [a.status_code for a in answers] == [200] * len(answers), [a.text for a in answers]
    assert answers[0].json() == [] and answers[2].json() == [] and answers[3].json() == []
    assert len(answers[1].json()) >= 1  # a negative offset counts from the start
    for beyond in (http.get(f"/threads/{thread_id}/events", params={"after": huge}),
                   http.get(f"/threads/{thread_id}/replay", params={"position": huge}),
                   http.post("/threads/search", json={"offset": huge})):
        assert beyond.status_code == 422 and beyond.json()["detail"], beyond.text


def test_times_without_a_zone_or_at_the_calendars_ends_are_answered(http) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    replayed = http.get(f"/threads/{thread_id}/replay", params={"at": "2999-01-01T00:00:00"})  # no zone: UTC
    assert replayed.status_code == 200 and replayed.json()["thread_id"] == thread_id, replayed.text
    audit = http.get("/audit", params={"since": "0001-01-01T00:00:00+01:00", "until": "9999-12-31T23:59:00-01:00"})
    assert audit.status_code == 200, audit.text
    assert http.get("/audit", params={"since": "2999-01-01T00:00:00"}).json() == []


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/threads/..%2F..%2Fetc%2Fpasswd", 404),
        ("/threads/%2e%2e/state", 422),
        ("/threads/{t}/runs/..%2F..%2F..%2Fthreads", 404),
        ("/threads/{t}/runs/%2e%2e", 422),
        ("/assistants/..%2f..%2fetc%2fpasswd/graph", 404),
        ("/threads/%00", 422),
        ("/threads/{t}%00/state", 422),
    ],
)
def test_path_traversal_looking_ids_find_nothing(http, path, status) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    before = log_length(http, thread_id)
    response = http.get(path.format(t=thread_id))
    assert response.status_code == status, response.text
    assert response.json()["detail"]
    assert log_length(http, thread_id) == before


@pytest.mark.parametrize(
    "header",
    [
        b"Last-Event-ID: 1\r\n Set-Cookie: injected=1",  # a folded line smuggling a header
        b"Last-Event-ID: 1\rSet-Cookie: injected=1",  # a bare CR
        b"X-Api-Key: k\r\nX-Api-Key: \x00\x01",  # control bytes
    ],
)
def test_header_injection_is_refused_and_never_echoed(server, http, header) -> None:
    thread_id = http.post("/threads", json={}).json()["thread_id"]
    run_id = http.post(f"/threads/{thread_id}/runs", json={"assistant_id": "agent", "input": SF}).json()["run_id"]
    http.get(f"/threads/{thread_id}/runs/{run_id}/join")
    before = log_length(http, thread_id)
    answer = raw_request(server.url, b"GET /threads/" + thread_id.encode() + b"/runs/" + run_id.encode()
                         + b"/stream HTTP/1.1\r\nHost: test\r\n" + header + b"\r\nConnection: close\r\n\r\n")
    status = int(answer.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:300]
    assert b"injected" not in answer.lower()
    assert log_length(http, thread_id) == before


def test_nul_characters_are_kept_in_the_log_and_never_stall_the_views(http) -> None:
    """PostgreSQL text holds no NUL: the views show U+FFFD instead, and keep up."""
    nul = {"note": "a\u0000b", "a\u0000key": 1}
    thread = http.post("/threads", json={"metadata": nul})
    assert thread.status_code == 200, thread.text
    assert thread.json()["metadata"] == {"note": "a\ufffdb", "a\ufffdkey": 1}
    for wanted in ({"note": "a\u0000b"}, {"a\u0000key": 1}):
        found = http.post("/threads/search", json={"metadata": wanted})
        assert [t["thread_id"] for t in found.json()] == [thread.json()["thread_id"]], found.text
    assistant = http.post("/assistants", json={"graph_id": "agent", "name": "n\u0000ame", "metadata": nul})
    assert assistant.status_code == 200 and assistant.json()["name"] in ("n\u0000ame", "n\ufffdame")
    run = http.post(f"/threads/{thread.json()['thread_id']}/runs/wait",
                    json={"assistant_id": "agent", "input": {"messages": [{"role": "user", "content": "x\u0000"}]}})
    assert run.status_code == 200, run.text
    thread_id = thread.json()["thread_id"]
    patched = http.patch(f"/threads/{thread_id}", json={"metadata": {"a\u0000key": 2}})
    assert patched.json()["metadata"] == {"note": "a\ufffdb", "a\ufffdkey": 2}, patched.text
    said = {"messages": [{"role": "user", "content": "s\u0000"}]}  # values a graph saves with a NUL
    assert http.post(f"/threads/{thread_id}/state", json={"values": said, "as_node": "agent"}).status_code == 200
    assert http.get(f"/threads/{thread_id}/state").json()["values"]["messages"][-1]["content"] in ("s\u0000", "s\ufffd")
    assert http.get(f"/threads/{thread_id}").json()["values"]["messages"][-1]["content"] == "s\ufffd"
    events = http.get(f"/threads/{thread_id}/events").json()["events"]
    assert events[0]["data"]["metadata"] == nul  # the log keeps exactly what was sent
    assert http.post("/threads", json={}).status_code == 200  # and the views are not stuck behind
