"""Liveness and what this server is."""

import platform
from importlib.metadata import version

from litestar import Controller, get

from threadlog.http.schemas.common import Info, Ok


class MetaController(Controller):
    tags = ["meta"]

    @get("/ok", summary="Is the server up?")
    async def ok(self) -> Ok:
        return Ok()

    @get("/info", summary="Versions and features of this server")
    async def info(self) -> Info:
        return Info(
            version=f"threadlog {version('threadlog')}", langgraph_py_version=version("langgraph"),
            flags={"assistants": True, "crons": True, "store": True, "langsmith": False, "event_log": True,
                   "audit": True},
            host={"kind": "self-hosted", "python": platform.python_version()},
        )
