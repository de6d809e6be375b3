"""`threadlog serve`: the API, the views' follower and (unless told not to) the workers."""

import argparse
import asyncio
import logging
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import uvicorn
from litestar import Litestar
from msgspec.structs import replace

from threadlog.domain.errors import AssistantExistsError
from threadlog.domain.events import AssistantSpec
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.http.app import create_app
from threadlog.http.cron_scheduler import schedule_crons
from threadlog.http.auth import api_key_middleware, parse_keys
from threadlog.http.hub import Hub
from threadlog.http.services import ApiSettings, Services
from threadlog.ops.migrations import LIVE_PREFIX
from threadlog.ops.memory import limit_malloc_arenas
from threadlog.ops.runtime import Runtime, graphs_config_path
from threadlog.ops.settings import Settings, SettingsError
from threadlog.ops.store import describe_store
from threadlog.projections.assistants_read import AssistantReads
from threadlog.projections.audit_read import AuditReads
from threadlog.projections.crons_read import CronReads
from threadlog.projections.runs_read import RunReads
from threadlog.projections.threads_read import ThreadReads

log = logging.getLogger(__name__)
SHUTDOWN_GRACE_SECONDS = 5


def add_command(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="serve the API (with the embedded store unless configured)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8123)
    serve.add_argument("--config", help="a langgraph.json naming the graphs (default: ./langgraph.json, "
                                        "else the shipped example agent)")
    serve.add_argument("--no-workers", action="store_true", help="serve the API only (workers run elsewhere)")
    serve.set_defaults(run=run_serve)


def run_serve(settings: Settings, args: argparse.Namespace) -> int:
    limit_malloc_arenas()
    if args.config:
        settings = replace(settings, graphs_config=str(Path(args.config).resolve()))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    runtime = Runtime(settings)
    in_process = not args.no_workers and settings.worker_processes == 0
    app = build_app(runtime, workers=in_process)
    children = [] if args.no_workers else [_worker_process(settings) for _ in range(settings.worker_processes)]
    print(f"threadlog: serving http://{args.host}:{args.port} (API docs at /docs)", flush=True)
    print(f"threadlog: data in {describe_store(settings)}; graphs from {graphs_config_path(settings)}", flush=True)
    print(f"threadlog: workers {'in this process' if in_process else f'in {len(children)} processes'}"
          f"{'' if in_process or children else ' elsewhere (--no-workers)'}", flush=True)
    # uvicorn re-raises a SIGTERM it handled once it has shut down: let that unwind through
    # `finally`, so the worker processes are stopped too, rather than end the process there.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        # Streams and joins may wait for long: at shutdown they get a few seconds, then are cut.
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", lifespan="on",
                    timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS)
    finally:
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(30)
    return 0


def _exit_cleanly(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _worker_process(settings: Settings) -> subprocess.Popen[bytes]:
    """A `threadlog worker` beside this server, on the same store (its own core)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLOG_")}
    env.update({f"THREADLOG_{name.upper()}": str(getattr(settings, name))
                for name in settings.__struct_fields__ if getattr(settings, name) is not None})
    return subprocess.Popen([sys.executable, "-m", "threadlog.ops.cli", "worker", "--parent", str(os.getpid())],
                            env=env)


def build_app(runtime: Runtime, *, workers: bool) -> Litestar:
    follower = runtime.follower
    hub = Hub(lambda: follower.lock.held, lambda: follower.projected, runtime.views.position, runtime.offload)
    services = Services(
        app=runtime.app, graphs=runtime.graphs, hub=hub, offload=runtime.offload,
        threads=ThreadReads(runtime.views, LIVE_PREFIX), runs=RunReads(runtime.views, LIVE_PREFIX),
        assistants=AssistantReads(runtime.views, LIVE_PREFIX), audit=AuditReads(runtime.views, LIVE_PREFIX),
        checkpoints=runtime.checkpoints, store=runtime.store, crons=CronReads(runtime.views, LIVE_PREFIX),
        settings=ApiSettings(max_body_bytes=runtime.settings.max_body_bytes,
                             store_timeout_seconds=runtime.settings.store_timeout_seconds),
    )

    @asynccontextmanager
    async def running(_: Litestar) -> AsyncIterator[None]:
        hub.attach(asyncio.get_running_loop())
        runtime.follower.subscribe(hub.on_batch)
        runtime.start()
        await runtime.offload(ensure_default_assistants, runtime)
        worker = runtime.worker() if workers else None
        if worker:
            await worker.start()
        crons = asyncio.create_task(schedule_crons(services))
        try:
            yield
        finally:
            crons.cancel()
            if worker:
                await worker.stop()
            runtime.close()

    try:
        keys = parse_keys(runtime.settings.api_keys, runtime.settings.admin_api_keys)
    except ValueError as e:
        raise SettingsError(str(e)) from None
    return create_app(services, lifespan=[running], middleware=[api_key_middleware(keys)] if keys.enabled else [])


def ensure_default_assistants(runtime: Runtime) -> None:
    """Each graph has an assistant of its own, with the id the reference server gives it."""
    for graph_id in runtime.graphs.specs:
        spec = AssistantSpec(graph_id=graph_id, name=graph_id, metadata={"created_by": "system"})
        try:
            runtime.app.create_assistant(default_assistant_id(graph_id), spec)
        except AssistantExistsError:
            pass
