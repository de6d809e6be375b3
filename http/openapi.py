"""The OpenAPI document, made to say what the server does: every error answers
`{"detail": ...}` (with the statuses it can have), thread and run ids in paths are UUIDs
(an assistant may also be named by its graph), request bodies refuse unknown fields. Litestar derives the rest from the handlers."""

from types import ModuleType

from litestar import Litestar
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Parameter,
    Reference,
    Schema,
)
from msgspec import Struct

from threadlog.http.auth import OPEN_PATHS
from threadlog.http.schemas import assistants, common, crons, events, runs, store, threads

ERRORS = {
    400: "The request asks for something that cannot be",
    401: "Access control is on and the API key is missing or wrong",
    404: "No such resource, or it belongs to someone else",
    409: "Conflicts with the resource's state (e.g. the thread is busy and the strategy is reject)",
    413: "The body is larger than THREADLOG_MAX_BODY_BYTES",
    422: "A value in the request is invalid",
    503: "The store is unreachable or the views are behind; retry shortly",
}
ERROR_SCHEMA = Schema(type=OpenAPIType.OBJECT, required=["detail"],
                      properties={"detail": Schema(type=OpenAPIType.STRING)})
UUID_PARAMETERS = {"thread_id", "run_id", "cron_id"}
SCHEMA_MODULES: list[ModuleType] = [assistants, common, crons, events, runs, store, threads]
LOOKUPS = {"/store/items"}  # GETs that name one thing by their query, not their path


def document(app: Litestar) -> None:
    """Amend the app's (cached) OpenAPI document in place; call once, after building the app
    (Litestar rebuilds the document if routes are registered later, dropping these edits)."""
    spec = app.openapi_schema
    assert spec.components.schemas is not None and spec.paths is not None
    spec.components.schemas["Error"] = ERROR_SCHEMA
    for name in _strict_bodies():
        if isinstance(found := spec.components.schemas.get(name), Schema):
            found.additional_properties = False
    for path, item in spec.paths.items():
        for method in ("get", "post", "put", "patch", "delete"):
            if (operation := getattr(item, method)) is not None:
                _document_operation(path, method, operation)


def _document_operation(path: str, method: str, operation: Operation) -> None:
    for parameter in operation.parameters or []:
        if isinstance(parameter, Parameter) and parameter.param_in == "path" and parameter.name in UUID_PARAMETERS:
            parameter.schema = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.UUID)
    responses = operation.responses or {}
    responses.pop("400", None)  # Litestar's own validation error, which this server answers as 422
    for status in _error_statuses(path, method, operation):
        responses[str(status)] = OpenAPIResponse(
            description=ERRORS[status],
            content={"application/json": OpenAPIMediaType(schema=Reference("#/components/schemas/Error"))})
    operation.responses = responses


def _error_statuses(path: str, method: str, operation: Operation) -> list[int]:
    if path.startswith(OPEN_PATHS):
        return []
    statuses = [401, 503]
    if operation.parameters or operation.request_body:
        statuses += [400, 422]
    if operation.request_body:
        statuses.append(413)
    if "{" in path or method != "get" or path in LOOKUPS:
        statuses.append(404)
    if method != "get":
        statuses.append(409)
    return sorted(statuses)


def _strict_bodies() -> set[str]:
    """Names of the request bodies that refuse unknown fields."""
    return {value.__name__ for module in SCHEMA_MODULES for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Struct) and value.__struct_config__.forbid_unknown_fields}
