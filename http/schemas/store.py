"""Store bodies: put, delete, search, list namespaces; the item."""

from datetime import datetime
from typing import Annotated, Any

from msgspec import Meta, Struct

Label = Annotated[str, Meta(min_length=1, pattern=r"^[^.]*$", description="a namespace label (no '.')")]
Namespace = Annotated[list[Label], Meta(min_length=1)]


class ItemPut(Struct, forbid_unknown_fields=True):
    namespace: Namespace
    key: Annotated[str, Meta(min_length=1)]
    value: dict[str, Any]
    index: bool | list[str] | None = None  # fields for semantic search: there is none here, so it changes nothing
    ttl: float | None = None


class ItemDelete(Struct, forbid_unknown_fields=True):
    namespace: Namespace
    key: str


class ItemSearch(Struct, forbid_unknown_fields=True):
    namespace_prefix: list[Label] = []
    filter: dict[str, Any] | None = None
    limit: int = 10
    offset: int = 0
    query: str | None = None
    refresh_ttl: bool | None = None  # items never expire here: nothing to refresh


class NamespaceSearch(Struct, forbid_unknown_fields=True):
    prefix: list[str] | None = None
    suffix: list[str] | None = None
    max_depth: Annotated[int, Meta(ge=1)] | None = None
    limit: int = 100
    offset: int = 0


class Item(Struct):
    namespace: list[str]
    key: str
    value: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class Items(Struct):
    items: list[Item]


class Namespaces(Struct):
    namespaces: list[list[str]]
