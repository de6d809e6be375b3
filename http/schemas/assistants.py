"""Assistant bodies: create, patch, search, versions; and the assistant itself."""

from datetime import datetime
from typing import Any, Literal

from msgspec import Struct

from threadlog.http.schemas.common import IfExists, SortOrder

AssistantSort = Literal["assistant_id", "graph_id", "name", "created_at", "updated_at"]


class AssistantCreate(Struct, forbid_unknown_fields=True):
    graph_id: str
    assistant_id: str | None = None
    config: dict[str, Any] = {}
    context: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    if_exists: IfExists = "raise"
    name: str = "Untitled"
    description: str | None = None


class AssistantPatch(Struct, forbid_unknown_fields=True):
    graph_id: str | None = None
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    name: str | None = None
    description: str | None = None


class AssistantSearch(Struct, forbid_unknown_fields=True):
    metadata: dict[str, Any] | None = None
    graph_id: str | None = None
    name: str | None = None
    limit: int = 10
    offset: int = 0
    sort_by: AssistantSort = "created_at"
    sort_order: SortOrder = "desc"
    select: list[str] | None = None


class AssistantCount(Struct, forbid_unknown_fields=True):
    metadata: dict[str, Any] | None = None
    graph_id: str | None = None
    name: str | None = None


class VersionsSearch(Struct, forbid_unknown_fields=True):
    metadata: dict[str, Any] | None = None
    limit: int = 10
    offset: int = 0


class LatestVersion(Struct, forbid_unknown_fields=True):
    version: int


class Assistant(Struct):
    assistant_id: str
    graph_id: str
    config: Any
    context: Any
    metadata: Any
    name: str
    description: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class AssistantSchemas(Struct):
    graph_id: str
    input_schema: Any
    output_schema: Any
    state_schema: Any
    config_schema: Any
    context_schema: Any
