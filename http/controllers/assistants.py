"""Assistants: create, read, version, search, delete; and their graphs' shapes."""

from typing import Any
from uuid import UUID, uuid4

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import Parameter

from threadlog.domain.errors import AssistantExistsError, AssistantNotFoundError
from threadlog.domain.events import AssistantSpec
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.http import present
from threadlog.http.errors import parse_id
from threadlog.http.paging import page_limit, page_offset, pagination_headers
from threadlog.http.schemas.assistants import (
    Assistant,
    AssistantCount,
    AssistantCreate,
    AssistantPatch,
    AssistantSchemas,
    AssistantSearch,
    LatestVersion,
    VersionsSearch,
)
from threadlog.http.services import Services
from threadlog.projections.database import Row


async def _own_assistant(services: Services, assistant_id: str, owner: str | None) -> Row:
    """An assistant the caller may change: theirs (the graphs' defaults are read-only to owners)."""
    row = await _assistant(services, assistant_id, owner)
    if owner is not None and row["owner"] != owner:
        raise AssistantNotFoundError(assistant_id)
    return row


async def _assistant(services: Services, assistant_id: str, owner: str | None) -> Row:
    if assistant_id in services.graphs.specs:  # a graph's name stands for its default assistant
        assistant_id = str(default_assistant_id(assistant_id))
    row = await services.call(services.assistants.get, parse_id(assistant_id, "assistant"), owner)
    if row is None:
        raise AssistantNotFoundError(assistant_id)
    return row


class AssistantController(Controller):
    path = "/assistants"
    tags = ["assistants"]

    @post("/", status_code=200, summary="Create an assistant")
    async def create(self, services: Services, owner: str | None, data: AssistantCreate) -> Assistant:
        if data.graph_id not in services.graphs.specs:
            raise AssistantNotFoundError(f"for graph '{data.graph_id}' (no such graph)")
        assistant_id = parse_id(data.assistant_id, "assistant") if data.assistant_id else uuid4()
        spec = AssistantSpec(graph_id=data.graph_id, config=data.config, context=data.context,
                             metadata=data.metadata, name=data.name, description=data.description)
        try:
            position = await services.call(services.app.create_assistant, assistant_id, spec, owner)
        except AssistantExistsError:
            if data.if_exists != "do_nothing":
                raise
            return present.assistant(await _assistant(services, str(assistant_id), owner))
        await services.written(position)
        return present.assistant(await _assistant(services, str(assistant_id), owner))

    @get("/{assistant_id:str}", summary="Get an assistant")
    async def get_one(self, services: Services, owner: str | None, assistant_id: str) -> Assistant:
        return present.assistant(await _assistant(services, assistant_id, owner))

    @patch("/{assistant_id:str}", summary="Update an assistant (a new version)")
    async def update(self, services: Services, owner: str | None, assistant_id: str, data: AssistantPatch
                     ) -> Assistant:
        row = await _own_assistant(services, assistant_id, owner)
        changes = {k: v for k, v in _fields(data).items() if v is not None}
        if "graph_id" in changes and changes["graph_id"] not in services.graphs.specs:
            raise AssistantNotFoundError(f"for graph '{changes['graph_id']}' (no such graph)")
        position = await services.call(services.app.update_assistant, UUID(str(row["assistant_id"])), changes)
        await services.written(position)
        return present.assistant(await _assistant(services, str(row["assistant_id"]), owner))

    @delete("/{assistant_id:str}", status_code=204, summary="Delete an assistant")
    async def remove(self, services: Services, owner: str | None, assistant_id: str) -> None:
        row = await _own_assistant(services, assistant_id, owner)
        await services.written(await services.call(services.app.delete_assistant, UUID(str(row["assistant_id"]))))

    @post("/search", status_code=200, summary="Search assistants")
    async def search(self, services: Services, owner: str | None, data: AssistantSearch) -> Response[list[Assistant]]:
        rows, total = await services.call(lambda: services.assistants.search(
            owner=owner, metadata=data.metadata, graph_id=data.graph_id, name=data.name, sort_by=data.sort_by,
            sort_order=data.sort_order, limit=page_limit(data.limit), offset=page_offset(data.offset)))
        return Response([present.assistant(r) for r in rows], headers=pagination_headers(total, data.offset, len(rows)))

    @post("/count", status_code=200, summary="Count assistants")
    async def count(self, services: Services, owner: str | None, data: AssistantCount) -> int:
        return await services.call(lambda: services.assistants.count(
            owner=owner, metadata=data.metadata, graph_id=data.graph_id, name=data.name))

    @post("/{assistant_id:str}/versions", status_code=200, summary="List an assistant's versions")
    async def versions(self, services: Services, owner: str | None, assistant_id: str, data: VersionsSearch
                       ) -> list[Assistant]:
        row = await _assistant(services, assistant_id, owner)
        rows = await services.call(lambda: services.assistants.versions(
            UUID(str(row["assistant_id"])), metadata=data.metadata, limit=page_limit(data.limit),
            offset=page_offset(data.offset)))
        return [present.assistant(r) for r in rows]

    @post("/{assistant_id:str}/latest", status_code=200, summary="Make a version the latest")
    async def set_latest(self, services: Services, owner: str | None, assistant_id: str, data: LatestVersion
                         ) -> Assistant:
        row = await _own_assistant(services, assistant_id, owner)
        position = await services.call(services.app.choose_assistant_version, UUID(str(row["assistant_id"])),
                                       data.version)
        await services.written(position)
        return present.assistant(await _assistant(services, str(row["assistant_id"]), owner))

    @get("/{assistant_id:str}/graph", summary="The assistant's graph, drawable")
    async def graph(self, services: Services, owner: str | None, assistant_id: str,
                    xray: bool | int = Parameter(default=False)) -> dict[str, Any]:
        row = await _assistant(services, assistant_id, owner)
        return services.graphs.load(row["graph_id"]).get_graph(xray=xray).to_json()

    @get("/{assistant_id:str}/schemas", summary="The assistant's graph's JSON schemas")
    async def schemas(self, services: Services, owner: str | None, assistant_id: str) -> AssistantSchemas:
        row = await _assistant(services, assistant_id, owner)
        graph = services.graphs.load(row["graph_id"])
        return AssistantSchemas(
            graph_id=row["graph_id"], input_schema=graph.get_input_jsonschema(),
            output_schema=graph.get_output_jsonschema(), state_schema=graph.get_input_jsonschema(),
            config_schema=graph.config_schema().model_json_schema(),
            context_schema=graph.get_context_jsonschema() if hasattr(graph, "get_context_jsonschema") else None,
        )

    @get(["/{assistant_id:str}/subgraphs", "/{assistant_id:str}/subgraphs/{namespace:str}"],
         summary="The assistant's subgraphs' schemas (under a namespace; nested ones with recurse)")
    async def subgraphs(self, services: Services, owner: str | None, assistant_id: str, namespace: str | None = None,
                        recurse: bool = Parameter(default=False)) -> dict[str, Any]:
        row = await _assistant(services, assistant_id, owner)
        graph = services.graphs.load(row["graph_id"])
        return {ns: {"input_schema": sub.get_input_jsonschema(), "output_schema": sub.get_output_jsonschema()}
                for ns, sub in graph.get_subgraphs(namespace=namespace, recurse=recurse)}


def _fields(data: AssistantPatch) -> dict[str, Any]:
    return {name: getattr(data, name) for name in data.__struct_fields__}
