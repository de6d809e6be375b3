"""Reading the store's items from their view: by key, by namespace prefix, and the namespaces."""

from typing import Any

from threadlog.domain.ports import StoredItem
from threadlog.domain.store_item import store_item_id
from threadlog.projections.database import Row, Views, load_json, to_time
from threadlog.projections.filters import Where

SEPARATOR = "."  # labels never hold it (as in LangGraph), so the joined text is unambiguous


def store_namespace(labels: list[str]) -> str:
    return SEPARATOR.join(labels)


def namespace_labels(text: str) -> list[str]:
    return text.split(SEPARATOR)


class StoreReads:
    """Implements domain.ports.StoreReader. Each owner's store is its own: no key (not even
    an admin's) reaches into another's."""

    def __init__(self, views: Views, prefix: str) -> None:
        self.views = views
        self.p = prefix

    def get(self, owner: str | None, namespace: list[str], key: str) -> StoredItem | None:
        rows = self.views.query(f"SELECT * FROM {self.p}store_items WHERE item_id = ?",
                                [store_item_id(owner, namespace, key)])
        return _item(rows[0]) if rows else None

    def search(self, owner: str | None, namespace_prefix: list[str], *, filter: dict[str, Any] | None,
               limit: int, offset: int) -> list[StoredItem]:
        # Qualified: inside the SQLite filter, a bare `value` would be json_each's own column.
        where = self._owned(owner).contains(f"{self.p}store_items.value", filter)
        if namespace_prefix:
            joined = store_namespace(namespace_prefix)
            where.add("(namespace = ? OR substr(namespace, 1, ?) = ?)", joined, len(joined) + 1, joined + SEPARATOR)
        rows = self.views.query(
            f"SELECT * FROM {self.p}store_items WHERE {where.sql} ORDER BY updated_at DESC, item_id LIMIT ? OFFSET ?",
            [*where.params, limit, offset])
        return [_item(row) for row in rows]

    def namespaces(self, owner: str | None, *, prefix: list[str] | None, suffix: list[str] | None,
                   max_depth: int | None, limit: int, offset: int) -> list[list[str]]:
        where = self._owned(owner)
        rows = self.views.query(f"SELECT DISTINCT namespace FROM {self.p}store_items WHERE {where.sql}", where.params)
        found = set()
        for row in rows:
            labels = namespace_labels(row["namespace"])
            if namespace_matches(labels, prefix) and namespace_matches(labels[::-1], suffix[::-1] if suffix else None):
                found.add(tuple(labels[:max_depth] if max_depth else labels))
        return [list(labels) for labels in sorted(found)[offset:offset + limit]]

    def _owned(self, owner: str | None) -> Where:
        where = Where(self.views.dialect)
        return where.add("owner IS NULL") if owner is None else where.add("owner = ?", owner)


def _item(row: Row) -> StoredItem:
    return StoredItem(namespace=namespace_labels(row["namespace"]), key=row["key"], value=load_json(row["value"]),
                      created_at=to_time(row["created_at"]), updated_at=to_time(row["updated_at"]))


def namespace_matches(labels: list[str], pattern: list[str] | None) -> bool:
    """`labels` start with `pattern`, where a "*" in the pattern stands for any one label."""
    if not pattern:
        return True
    return len(labels) >= len(pattern) and all(p in ("*", label) for p, label in zip(pattern, labels, strict=False))
