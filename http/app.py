"""The Litestar application: the LangGraph-compatible API plus the event log, replay and audit."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from importlib.metadata import version
from typing import Any

from litestar import Litestar, Request
from litestar.config.app import AppConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin

from threadlog.http.controllers.assistants import AssistantController
from threadlog.http.controllers.crons import CronController
from threadlog.http.controllers.events import EventController
from threadlog.http.controllers.meta import MetaController
from threadlog.http.controllers.runs import RunController
from threadlog.http.controllers.stateless import StatelessRunController
from threadlog.http.controllers.state import ThreadStateController
from threadlog.http.controllers.store import StoreController
from threadlog.http.controllers.thread_stream import ThreadStreamController
from threadlog.http.controllers.threads import ThreadController
from threadlog.http import openapi
from threadlog.http.errors import HANDLERS
from threadlog.http.requests import JsonRequest
from threadlog.http.services import Services

CONTROLLERS = [MetaController, AssistantController, ThreadController, ThreadStateController, ThreadStreamController,
               RunController, StatelessRunController, CronController, StoreController, EventController]


def _owner(request: Request[Any, Any, Any]) -> str | None:
    """Whose resources this request may touch (None: everyone's, when access control is off)."""
    return request.scope.get("state", {}).get("owner")


def create_app(
    services: Services, *, lifespan: Sequence[Callable[[Litestar], AbstractAsyncContextManager[None]]] = (),
    middleware: Sequence[Any] = (),
) -> Litestar:
    app = Litestar(
        route_handlers=CONTROLLERS,
        dependencies={"services": Provide(lambda: services, use_cache=True, sync_to_thread=False),
                      "owner": Provide(_owner, sync_to_thread=False)},
        exception_handlers=HANDLERS,
        lifespan=list(lifespan),
        middleware=list(middleware),
        request_max_body_size=services.settings.max_body_bytes,
        request_class=JsonRequest,
        openapi_config=OpenAPIConfig(
            title="threadlog", version=version("threadlog"), path="/docs",
            description="The LangGraph Agent Server API, event-sourced: every run and checkpoint is an event "
                        "on its thread; the log, replay and audit are readable too.",
            render_plugins=[SwaggerRenderPlugin(path="/")],
        ),
        on_app_init=[_quiet_defaults],
    )
    openapi.document(app)
    return app


def _quiet_defaults(config: AppConfig) -> AppConfig:
    config.debug = False
    return config
