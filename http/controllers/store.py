"""The store: items under namespaces that agents share across threads, one store per owner."""

from litestar import Controller, delete, get, post, put
from litestar.params import Parameter

from threadlog.domain.errors import StoreItemNotFoundError
from threadlog.http import present
from threadlog.http.errors import InvalidInputError
from threadlog.http.paging import page_limit, page_offset
from threadlog.http.schemas.store import Item, ItemDelete, ItemPut, Items, ItemSearch, Namespaces, NamespaceSearch
from threadlog.http.services import Services
from threadlog.projections.store_read import namespace_labels

NO_TTL = "ttl is not supported: items are kept until deleted"


class StoreController(Controller):
    path = "/store"
    tags = ["store"]

    @put("/items", status_code=204, summary="Put an item (create or replace its value)")
    async def put_item(self, services: Services, owner: str | None, data: ItemPut) -> None:
        if data.ttl is not None:
            raise InvalidInputError(NO_TTL)
        position = await services.call(services.app.put_store_item, owner, data.namespace, data.key, data.value)
        await services.written(position)

    @get("/items", summary="Get an item")
    async def get_item(self, services: Services, owner: str | None, key: str,
                       namespace: str = Parameter(default="", description="labels joined with '.'")) -> Item:
        labels = namespace_labels(namespace) if namespace else []
        row = await services.call(services.store.get, owner, labels, key)
        if row is None:
            raise StoreItemNotFoundError(labels, key)
        return present.store_item(row)

    @delete("/items", status_code=204, summary="Delete an item (deleting a missing one changes nothing)")
    async def delete_item(self, services: Services, owner: str | None, data: ItemDelete) -> None:
        position = await services.call(services.app.delete_store_item, owner, data.namespace, data.key)
        await services.written(position)

    @post("/items/search", status_code=200, summary="Items under a namespace prefix, newest first")
    async def search_items(self, services: Services, owner: str | None, data: ItemSearch) -> Items:
        if data.query is not None:
            raise InvalidInputError("query is not supported: there is no semantic index; use filter")
        rows = await services.call(lambda: services.store.search(
            owner, data.namespace_prefix, filter=data.filter, limit=page_limit(data.limit),
            offset=page_offset(data.offset)))
        return Items([present.store_item(r) for r in rows])

    @post("/namespaces", status_code=200, summary="The namespaces in use (prefix/suffix may hold '*')")
    async def list_namespaces(self, services: Services, owner: str | None, data: NamespaceSearch) -> Namespaces:
        return Namespaces(await services.call(lambda: services.store.namespaces(
            owner, prefix=data.prefix, suffix=data.suffix, max_depth=data.max_depth, limit=page_limit(data.limit),
            offset=page_offset(data.offset))))
