"""Access control: without a key, 401; with one, only the key owner's resources exist."""

from collections.abc import Iterator
from uuid import uuid4

import httpx
import pytest
from msgspec.structs import replace

from tests.e2e.server import Server
from threadlog.ops.settings import Settings

KEYS = {"alice": "key-alice-1", "bob": "key-bob-1"}
ADMIN = "key-admin-1"
SF = {"messages": [{"role": "user", "content": "weather?"}]}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def guarded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("guarded")
    settings = Settings(data_dir=str(folder), api_keys=",".join(f"{k}={o}" for o, k in KEYS.items()),
                        admin_api_keys=ADMIN)
    if request.param == "postgres":
        settings = replace(settings, database_url=request.getfixturevalue("postgres_url"))
    server = Server(settings, folder)
    yield server
    server.stop()


def as_(server: Server, key: str | None, bearer: bool = False) -> httpx.Client:
    headers = {} if key is None else ({"Authorization": f"Bearer {key}"} if bearer else {"x-api-key": key})
    return httpx.Client(base_url=server.url, headers=headers, timeout=20)


@pytest.fixture(scope="module")
def alices(guarded: Server) -> dict[str, str]:
    """A thread with a finished run, and an assistant, all Alice's."""
    with as_(guarded, KEYS["alice"]) as alice:
        thread = alice.post("/threads", json={"metadata": {"who": "alice"}}).json()
        run = alice.post(f"/threads/{thread['thread_id']}/runs/wait", json={"assistant_id": "agent", "input": SF})
        assert run.status_code == 200
        run_id = alice.get(f"/threads/{thread['thread_id']}/runs").json()[0]["run_id"]
        checkpoint = alice.get(f"/threads/{thread['thread_id']}/state").json()["checkpoint_id"]
        assistant = alice.post("/assistants", json={"graph_id": "agent", "name": "alice's"}).json()
    return {"thread": thread["thread_id"], "run": run_id, "checkpoint": checkpoint,
            "assistant": assistant["assistant_id"]}


def test_requests_without_a_valid_key_get_401(guarded) -> None:
    for key in (None, "wrong-key", KEYS["alice"] + "x"):
        with as_(guarded, key) as client:
            response = client.post("/threads", json={})
            assert response.status_code == 401 and "API key" in response.json()["detail"]
    with as_(guarded, None) as anonymous:
        assert anonymous.get("/ok").status_code == 200
    with as_(guarded, KEYS["bob"], bearer=True) as bob:
        assert bob.post("/threads", json={}).status_code == 200


ENDPOINTS = [
    ("GET", "/threads/{thread}", None),
    ("PATCH", "/threads/{thread}", {"metadata": {"x": 1}}),
    ("DELETE", "/threads/{thread}", None),
    ("POST", "/threads/{thread}/copy", None),
    ("GET", "/threads/{thread}/state", None),
    ("GET", "/threads/{thread}/state/{checkpoint}", None),
    ("POST", "/threads/{thread}/state", {"values": {"messages": []}}),
    ("POST", "/threads/{thread}/history", {}),
    ("GET", "/threads/{thread}/runs", None),
    ("POST", "/threads/{thread}/runs", {"assistant_id": "agent", "input": SF}),
    ("POST", "/threads/{thread}/runs", {"assistant_id": "agent", "input": SF, "if_not_exists": "create"}),
    ("POST", "/threads/{thread}/runs/wait", {"assistant_id": "agent", "input": SF}),
    ("GET", "/threads/{thread}/runs/{run}", None),
    ("GET", "/threads/{thread}/runs/{run}/join", None),
    ("GET", "/threads/{thread}/runs/{run}/stream", None),
    ("POST", "/threads/{thread}/runs/{run}/cancel", None),
    ("DELETE", "/threads/{thread}/runs/{run}", None),
    ("GET", "/threads/{thread}/events", None),
    ("GET", "/threads/{thread}/replay", None),
    ("GET", "/threads/{thread}/stream", None),
    ("GET", "/assistants/{assistant}", None),
    ("PATCH", "/assistants/{assistant}", {"name": "mine now"}),
    ("DELETE", "/assistants/{assistant}", None),
    ("POST", "/assistants/{assistant}/versions", {}),
    ("POST", "/assistants/{assistant}/latest", {"version": 1}),
    ("GET", "/assistants/{assistant}/graph", None),
    ("GET", "/assistants/{assistant}/schemas", None),
    ("POST", "/runs", {"assistant_id": "{assistant}", "input": SF}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_another_owners_resources_answer_404(guarded, alices, method, path, body) -> None:
    with as_(guarded, KEYS["bob"]) as bob:
        filled = path.format(**alices)
        payload = None if body is None else {k: (v.format(**alices) if isinstance(v, str) else v)
                                             for k, v in body.items()}
        response = bob.request(method, filled, json=payload)
        assert response.status_code == 404, (method, filled, response.status_code, response.text)
    with as_(guarded, KEYS["alice"]) as alice:  # and nothing of Alice's changed
        assert alice.get(f"/threads/{alices['thread']}").json()["metadata"] == {"who": "alice"}
        assert alice.get(f"/threads/{alices['thread']}/runs/{alices['run']}").status_code == 200


def test_searches_counts_and_audit_show_only_the_callers_own(guarded, alices) -> None:
    with as_(guarded, KEYS["bob"]) as bob:
        bob.post("/threads", json={"metadata": {"who": "bob"}})
        seen = bob.post("/threads/search", json={"limit": 100}).json()
        assert seen and {t["metadata"].get("who") for t in seen} <= {"bob", None}
        assert bob.post("/threads/count", json={"metadata": {"who": "alice"}}).json() == 0
        assert alices["thread"] not in {a["thread_id"] for a in bob.get("/audit", params={"limit": 500}).json()}
        assert alices["assistant"] not in {a["assistant_id"] for a in bob.post("/assistants/search", json={}).json()}
        bob.post("/runs/cancel", json={"status": "all"})  # touches only Bob's runs (none): 404
    with as_(guarded, KEYS["alice"]) as alice:
        assert alice.get(f"/threads/{alices['thread']}").status_code == 200


def test_an_admin_sees_everyone_and_the_audit_records_the_owner(guarded, alices) -> None:
    with as_(guarded, KEYS["bob"]) as bob:
        bobs = bob.post("/threads", json={"metadata": {"who": "bob"}}).json()["thread_id"]
    with as_(guarded, ADMIN) as admin:
        assert admin.get(f"/threads/{alices['thread']}").status_code == 200
        assert admin.get(f"/threads/{bobs}").status_code == 200
        trail = admin.get("/audit", params={"thread_id": alices["thread"]}).json()
        assert [a["owner"] for a in trail] == ["alice"]
        assert admin.get(f"/assistants/{alices['assistant']}").status_code == 200


def test_a_random_thread_id_is_404_not_403(guarded) -> None:
    with as_(guarded, KEYS["bob"]) as bob:
        assert bob.get(f"/threads/{uuid4()}").status_code == 404


def test_each_owner_has_a_store_of_its_own(guarded) -> None:
    item = {"namespace": ["memories"], "key": "favourite", "value": {"colour": "blue"}}
    with as_(guarded, KEYS["alice"]) as alice:
        assert alice.put("/store/items", json=item).status_code == 204
    with as_(guarded, KEYS["bob"]) as bob:
        assert bob.get("/store/items", params={"namespace": "memories", "key": "favourite"}).status_code == 404
        assert bob.post("/store/items/search", json={"namespace_prefix": ["memories"]}).json() == {"items": []}
        assert bob.post("/store/namespaces", json={}).json() == {"namespaces": []}
        assert bob.request("DELETE", "/store/items", json={"namespace": ["memories"], "key": "favourite"}
                           ).status_code == 204  # deletes Bob's own (missing) item, not Alice's
        assert bob.put("/store/items", json={**item, "value": {"colour": "red"}}).status_code == 204
    with as_(guarded, KEYS["alice"]) as alice:
        mine = alice.get("/store/items", params={"namespace": "memories", "key": "favourite"})
        assert mine.json()["value"] == {"colour": "blue"}


def test_another_owners_crons_answer_404_and_stay_out_of_searches(guarded, alices) -> None:
    yearly = {"assistant_id": "agent", "schedule": "0 0 1 1 *", "input": SF}
    with as_(guarded, KEYS["alice"]) as alice:
        cron = alice.post(f"/threads/{alices['thread']}/runs/crons", json=yearly).json()
    with as_(guarded, KEYS["bob"]) as bob:
        path = f"/runs/crons/{cron['cron_id']}"
        assert [bob.get(path).status_code, bob.patch(path, json={"enabled": False}).status_code,
                bob.delete(path).status_code] == [404, 404, 404]
        assert bob.post(f"/threads/{alices['thread']}/runs/crons", json=yearly).status_code == 404
        assert bob.post("/runs/crons/search", json={}).json() == []
        assert bob.post("/runs/crons/count", json={}).json() == 0
    with as_(guarded, ADMIN) as admin:
        assert admin.get(f"/runs/crons/{cron['cron_id']}").json()["user_id"] == "alice"
    with as_(guarded, KEYS["alice"]) as alice:
        assert alice.get(f"/runs/crons/{cron['cron_id']}").json()["enabled"] is True
        assert alice.delete(f"/runs/crons/{cron['cron_id']}").status_code == 204
