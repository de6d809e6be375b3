"""`threadlog worker`: run workers in a process of their own (PostgreSQL), until stopped."""

import argparse
import asyncio
import logging
import os
import signal

from threadlog.ops.memory import limit_malloc_arenas
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.ops.store import describe_store

log = logging.getLogger(__name__)


def add_command(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="execute runs in a process of their own (PostgreSQL on any "
                                                "machine; the embedded store on this one)")
    worker.add_argument("--parent", type=int, help=argparse.SUPPRESS)  # `serve` names itself: stop when it is gone
    worker.set_defaults(run=run_worker)


def run_worker(settings: Settings, args: argparse.Namespace) -> int:
    limit_malloc_arenas()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_work(settings, args.parent))
    return 0


async def _work(settings: Settings, parent: int | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    orphaned = loop.create_task(_stop_when_orphaned(parent, stop)) if parent else None
    with Runtime(settings).start() as runtime:
        worker = runtime.worker()
        await worker.start()
        print(f"worker {worker.worker_id}: {settings.worker_concurrency} runs at once, "
              f"store {describe_store(settings)}", flush=True)
        await stop.wait()
        print(f"worker {worker.worker_id}: stopping, handing running runs back", flush=True)
        await worker.stop()
    if orphaned:
        orphaned.cancel()


async def _stop_when_orphaned(parent: int, stop: asyncio.Event) -> None:
    """A worker started by `serve` stops when that server is gone, even killed with SIGKILL."""
    while os.getppid() == parent:
        await asyncio.sleep(1)
    log.warning("the server that started this worker is gone: stopping")
    stop.set()
