"""The store through langgraph_sdk: put, get, search, namespaces, delete; and its rules."""

from uuid import uuid4

import httpx
import pytest
from langgraph_sdk.errors import NotFoundError, UnprocessableEntityError


@pytest.fixture
def ns() -> list[str]:
    return ["users", uuid4().hex]  # each test its own corner of the shared store


def test_put_get_replace_and_delete(client, ns) -> None:
    client.store.put_item([*ns, "prefs"], "theme", {"color": "dark", "size": 14})
    item = client.store.get_item([*ns, "prefs"], "theme")
    assert (item["namespace"], item["key"], item["value"]) == ([*ns, "prefs"], "theme", {"color": "dark", "size": 14})
    client.store.put_item([*ns, "prefs"], "theme", {"color": "light"})
    replaced = client.store.get_item([*ns, "prefs"], "theme")
    assert replaced["value"] == {"color": "light"}
    assert replaced["created_at"] == item["created_at"] and replaced["updated_at"] > item["updated_at"]
    client.store.delete_item([*ns, "prefs"], "theme")
    with pytest.raises(NotFoundError):
        client.store.get_item([*ns, "prefs"], "theme")
    client.store.delete_item([*ns, "prefs"], "theme")  # deleting a missing item changes nothing


def test_search_by_prefix_and_filter_newest_first(client, ns) -> None:
    client.store.put_item([*ns, "a"], "one", {"kind": "note", "n": 1})
    client.store.put_item([*ns, "a", "deep"], "two", {"kind": "note", "n": 2})
    client.store.put_item([*ns, "b"], "three", {"kind": "todo", "n": 3})
    client.store.put_item([ns[0], ns[1] + "z"], "elsewhere", {"kind": "note"})  # shares the text, not the labels
    found = client.store.search_items([*ns, "a"])["items"]
    assert [i["key"] for i in found] == ["two", "one"]
    notes = client.store.search_items(ns, filter={"kind": "note"})["items"]
    assert sorted(i["key"] for i in notes) == ["one", "two"]
    assert [i["key"] for i in client.store.search_items(ns, limit=1, offset=1)["items"]] == ["two"]


def test_namespaces_with_prefix_suffix_wildcards_and_depth(client, ns) -> None:
    for leaf in (["a", "x"], ["a", "y"], ["b", "x"]):
        client.store.put_item([*ns, *leaf], "k", {"v": 1})
    listed = client.store.list_namespaces(prefix=ns)["namespaces"]
    assert listed == [[*ns, "a", "x"], [*ns, "a", "y"], [*ns, "b", "x"]]
    assert client.store.list_namespaces(prefix=[ns[0], "*", "*"], suffix=["x"])["namespaces"] == [
        [*ns, "a", "x"], [*ns, "b", "x"]]
    assert client.store.list_namespaces(prefix=ns, max_depth=3)["namespaces"] == [[*ns, "a"], [*ns, "b"]]


def test_bad_items_are_refused_and_nothing_is_written(client, server, ns) -> None:
    for body in ({"namespace": [*ns, "a.b"], "key": "k", "value": {}},  # a label holding the separator
                 {"namespace": [], "key": "k", "value": {}},
                 {"namespace": ns, "key": "k", "value": [1, 2]},
                 {"namespace": ns, "key": "k", "value": {}, "ttl": 5}):
        response = httpx.put(f"{server.url}/store/items", json=body)
        assert response.status_code == 422, body
        assert "detail" in response.json()
    with pytest.raises(UnprocessableEntityError):
        client.store.search_items(ns, query="semantic please")
    assert client.store.search_items(ns)["items"] == []



def test_a_graph_remembers_across_threads_in_the_store(client, ns) -> None:
    user = {"configurable": {"user_id": ns[1]}}

    def say(text: str) -> str:
        thread = client.threads.create()
        state = client.runs.wait(thread["thread_id"], "notebook", config=user,
                                 input={"messages": [{"role": "user", "content": text}]})
        return state["messages"][-1]["content"]

    assert say("what do you know?") == "I remember nothing yet."
    assert say("remember the sky is blue") == "Noted: the sky is blue"
    assert say("remember tea is hot") == "Noted: tea is hot"
    assert say("what do you know?") == "I remember: tea is hot; the sky is blue"  # another thread each time
    notes = client.store.search_items(["notes", ns[1]])["items"]
    assert sorted(i["value"]["text"] for i in notes) == ["tea is hot", "the sky is blue"]
