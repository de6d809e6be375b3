"""`threadlog worker`: run workers in a process of their own (PostgreSQL), until stopped."""

import argparse
import asyncio
import logging
import signal

from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.ops.store import describe_store


def add_command(commands: argparse._SubParsersAction) -> None:
    worker = commands.add_parser("worker", help="execute runs in a process of their own (PostgreSQL on any "
                                                "machine; the embedded store on this one)")
    worker.set_defaults(run=run_worker)


def run_worker(settings: Settings, args: argparse.Namespace) -> int:
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
