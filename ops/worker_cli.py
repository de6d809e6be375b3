"""`threadlog worker`: run workers in a process of their own (PostgreSQL), until stopped."""

import argparse
import asyncio
import logging
import signal
import sys

from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.ops.store import describe_store


def add_command(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="execute runs in this process (needs THREADLOG_DATABASE_URL)")
    worker.set_defaults(run=run_worker)


def run_worker(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.uses_postgres:
        print("threadlog worker: separate worker processes need PostgreSQL (set THREADLOG_DATABASE_URL); "
              "with the embedded store, `threadlog serve` runs the workers itself", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(_work(settings))
    return 0


async def _work(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with Runtime(settings).start() as runtime:
        worker = runtime.worker()
        await worker.start()
        print(f"worker {worker.worker_id}: {settings.worker_concurrency} runs at once, "
              f"store {describe_store(settings)}", flush=True)
        await stop.wait()
        print(f"worker {worker.worker_id}: stopping, handing running runs back", flush=True)
        await worker.stop()
