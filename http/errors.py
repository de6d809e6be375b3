"""One map from exceptions to responses: every error answers `{"detail": ...}`, never a 500
for bad input."""

import logging
import sqlite3
from typing import Any
from uuid import UUID

import psycopg
import psycopg_pool
from eventsourcing.persistence import InterfaceError, OperationalError
from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException

from threadlog.domain.errors import ConflictError, NotFoundError
from threadlog.domain.execution.graphs import GraphConfigError
from threadlog.http.services import StoreTimeoutError, ViewsBehindError

log = logging.getLogger(__name__)


class BadRequestError(ValueError):
    """The request is well-formed but asks for something that cannot be (400)."""


class InvalidInputError(ValueError):
    """A value in the request is not acceptable (422), e.g. an id that is not a UUID."""


def parse_id(value: str, kind: str) -> UUID:
    try:
        return UUID(value)
    except (ValueError, TypeError):
        raise InvalidInputError(f"Invalid {kind} ID: must be a UUID") from None


def _detail(status: int, detail: str, headers: dict[str, str] | None = None) -> Response[dict[str, str]]:
    return Response({"detail": detail}, status_code=status, media_type=MediaType.JSON, headers=headers)


def _validation(_: Request, exc: ValidationException) -> Response[dict[str, str]]:
    problems = "; ".join(_problem(e) for e in (exc.extra or []) if isinstance(e, dict))
    return _detail(422, problems or str(exc.detail))


def _problem(error: dict[str, Any]) -> str:
    key, message = error.get("key") or "body", str(error.get("message"))
    if key == "data" and message == "'data'":  # Litestar's words for a missing body
        return "the request needs a JSON body"
    return f"{key}: {message}"


def _http(_: Request, exc: HTTPException) -> Response[dict[str, str]]:
    return _detail(exc.status_code, str(exc.detail), exc.headers)  # e.g. Allow, on a 405


def _unavailable(_: Request, exc: Exception) -> Response[dict[str, str]]:
    log.warning("store unavailable: %s", exc)
    return _detail(503, "The store is unavailable; try again shortly.")


def _unexpected(_: Request, exc: Exception) -> Response[dict[str, str]]:
    log.exception("unexpected error", exc_info=exc)
    return _detail(500, "Internal server error")


HANDLERS = {
    ValidationException: _validation,
    HTTPException: _http,
    NotFoundError: lambda _, exc: _detail(404, str(exc)),
    ConflictError: lambda _, exc: _detail(409, str(exc)),
    BadRequestError: lambda _, exc: _detail(400, str(exc)),
    InvalidInputError: lambda _, exc: _detail(422, str(exc)),
    GraphConfigError: lambda _, exc: _detail(422, str(exc)),
    OperationalError: _unavailable,
    InterfaceError: _unavailable,
    psycopg.OperationalError: _unavailable,
    psycopg_pool.PoolTimeout: _unavailable,
    sqlite3.OperationalError: _unavailable,
    ViewsBehindError: lambda _, exc: _detail(503, str(exc)),
    StoreTimeoutError: lambda _, exc: _detail(503, str(exc)),
    Exception: _unexpected,
}
