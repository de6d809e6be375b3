"""The StoreItem aggregate: one JSON value under a namespace and a key, in an owner's store.

The store is the memory agents share across threads. Each item is an aggregate of its
own, its id derived from owner, namespace and key, so two writers of one item race on
its version like any other command, and each owner's items are apart from the others'.
"""

from datetime import datetime
from typing import Any
from uuid import UUID, uuid5

import msgspec
from msgspec import Struct

from threadlog.domain import events as ev
from threadlog.domain.aggregate import Recorder, projector

_ITEM_IDS = UUID("3a1f6e0c-6d0f-4d8e-9a55-1f1d0c7e5b21")  # never change: it names every stored item


def store_item_id(owner: str | None, namespace: list[str], key: str) -> UUID:
    return uuid5(_ITEM_IDS, msgspec.json.encode([owner, namespace, key]).decode())


class StoreItem(Struct, Recorder, kw_only=True, dict=True):
    id: UUID
    version: int
    created_on: datetime
    modified_on: datetime
    namespace: list[str] = []
    key: str = ""
    value: dict[str, Any] = {}
    owner: str | None = None
    deleted: bool = True  # until first put

    def put(self, namespace: list[str], key: str, value: dict[str, Any], *, owner: str | None, now: datetime) -> None:
        self._record(ev.StoreItemPut, now, namespace=namespace, key=key, value=value, owner=owner)

    def delete(self, *, now: datetime) -> None:
        """Delete the item; an item already gone records nothing (deleting is idempotent)."""
        if not self.deleted:
            self._record(ev.StoreItemDeleted, now)

    def apply(self, event: ev.StoreEvent) -> None:
        match event:
            case ev.StoreItemPut():
                self.namespace, self.key, self.value = event.namespace, event.key, event.value
                self.owner, self.deleted = event.owner, False
            case ev.StoreItemDeleted():
                self.deleted = True
        self.version = event.originator_version
        self.modified_on = event.timestamp


project_store_item = projector(StoreItem)
