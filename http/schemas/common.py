"""Bodies shared by several endpoints."""

from typing import Any, Literal

from msgspec import Struct

SortOrder = Literal["asc", "desc"]
IfExists = Literal["raise", "do_nothing"]


class ErrorBody(Struct):
    """Every error answers `{"detail": "..."}`."""

    detail: str


class Checkpoint(Struct, omit_defaults=False):
    thread_id: str | None = None
    checkpoint_ns: str = ""
    checkpoint_id: str | None = None
    checkpoint_map: dict[str, Any] | None = None


class Ok(Struct):
    ok: bool = True


class Info(Struct):
    version: str
    langgraph_py_version: str
    flags: dict[str, bool]
    host: dict[str, Any]
