"""The store as a LangGraph BaseStore, for the nodes of a run: `store.put`, `get`,
`search` and `list_namespaces` inside a graph reach the same items as /store/*, in the
store of the run's owner. A put is an event in the log like any other write; the call
returns once the views show it, so the node's next read sees it."""

from collections.abc import Callable, Iterable
from typing import Any

from langgraph.store.base import (
    BaseStore,
    GetOp,
    Item,
    ListNamespacesOp,
    Op,
    PutOp,
    Result,
    SearchItem,
    SearchOp,
)
from threadlog.domain.application import Threads
from threadlog.domain.execution.saver import Offload
from threadlog.domain.ports import StoredItem, StoreReader


class SemanticSearchUnsupportedError(ValueError):
    """A search by `query` (meaning, not values): the store keeps no embeddings to answer it."""

    def __init__(self) -> None:
        super().__init__("threadlog's store has no semantic index: search with filter")


class RunStore(BaseStore):
    supports_ttl = False

    def __init__(self, app: Threads, reader: StoreReader, owner: str | None, *, offload: Offload,
                 views_at: Callable[[int], bool]) -> None:
        self.app, self.reader, self.owner, self.offload, self.views_at = app, reader, owner, offload, views_at

    def batch(self, ops: Iterable[Op]) -> list[Result]:
        return [self._one(op) for op in ops]

    async def abatch(self, ops: Iterable[Op]) -> list[Result]:
        ops = list(ops)
        return await self.offload(self.batch, ops)

    def _one(self, op: Op) -> Result:
        match op:
            case GetOp():
                found = self.reader.get(self.owner, list(op.namespace), op.key)
                return None if found is None else Item(**_fields(found))
            case PutOp():
                self._put(op)
                return None
            case SearchOp():
                if op.query:
                    raise SemanticSearchUnsupportedError()
                found = self.reader.search(self.owner, list(op.namespace_prefix), filter=op.filter, limit=op.limit,
                                           offset=op.offset)
                return [SearchItem(**_fields(item)) for item in found]
            case ListNamespacesOp():
                conditions = {c.match_type: list(c.path) for c in op.match_conditions or ()}
                names = self.reader.namespaces(self.owner, prefix=conditions.get("prefix"),
                                               suffix=conditions.get("suffix"), max_depth=op.max_depth,
                                               limit=op.limit, offset=op.offset)
                return [tuple(name) for name in names]
        raise TypeError(f"unknown store operation {op!r}")

    def _put(self, op: PutOp) -> None:
        namespace = list(op.namespace)
        if op.value is None:
            position = self.app.delete_store_item(self.owner, namespace, op.key)
        else:
            position = self.app.put_store_item(self.owner, namespace, op.key, dict(op.value))
        if position is not None and not self.views_at(position):
            raise TimeoutError(f"the store write at log position {position} did not reach the views in time")


def _fields(item: StoredItem) -> dict[str, Any]:
    return {"namespace": tuple(item.namespace), "key": item.key, "value": item.value,
            "created_at": item.created_at, "updated_at": item.updated_at}
