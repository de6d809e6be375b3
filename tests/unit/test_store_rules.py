"""Store items: identity per owner, put and delete as events, replay; namespace patterns."""

from uuid import uuid4

from tests.unit.history import at, kinds, new_events
from threadlog.domain.store_item import StoreItem, project_store_item, store_item_id
from threadlog.projections.store_read import namespace_matches


def blank() -> StoreItem:
    return StoreItem(id=uuid4(), version=0, created_on=at(0), modified_on=at(0), namespace=["n"], key="k")


def test_an_items_id_depends_on_owner_namespace_and_key() -> None:
    assert store_item_id("ann", ["a", "b"], "k") == store_item_id("ann", ["a", "b"], "k")
    others = {store_item_id("bob", ["a", "b"], "k"), store_item_id(None, ["a", "b"], "k"),
              store_item_id("ann", ["a.b"], "k"), store_item_id("ann", ["a", "b"], "k2")}
    assert store_item_id("ann", ["a", "b"], "k") not in others and len(others) == 4


def test_put_replace_delete_and_put_again_are_events_that_replay_to_the_same_item() -> None:
    item = blank()
    item.put(["n"], "k", {"v": 1}, owner="ann", now=at(1))
    item.put(["n"], "k", {"v": 2}, owner="ann", now=at(2))
    item.delete(now=at(3))
    item.delete(now=at(4))  # already gone: records nothing
    item.put(["n"], "k", {"v": 3}, owner="ann", now=at(5))
    events = new_events(item)
    assert kinds(events) == ["StoreItemPut", "StoreItemPut", "StoreItemDeleted", "StoreItemPut"]
    replayed = project_store_item(None, events)
    assert (replayed.value, replayed.deleted, replayed.version, replayed.owner) == ({"v": 3}, False, 4, "ann")


def test_a_never_put_item_is_deleted_and_deleting_it_records_nothing() -> None:
    item = blank()
    assert item.deleted
    item.delete(now=at(1))
    assert new_events(item) == []


def test_namespace_patterns_match_leading_labels_with_star_for_any_one() -> None:
    assert namespace_matches(["a", "b", "c"], None) and namespace_matches(["a", "b", "c"], ["a"])
    assert namespace_matches(["a", "b", "c"], ["*", "b"]) and not namespace_matches(["a", "b", "c"], ["b"])
    assert not namespace_matches(["a"], ["a", "b"])
