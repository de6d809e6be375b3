"""The API over real HTTP on 127.0.0.1, against the reference server and the bare graph.

For each server (threadlog serve on SQLite with its workers in-process, the default;
on SQLite and on PostgreSQL with one worker process beside it; and the reference
`langgraph dev` serving the very same graph file): p50/p99 latency of
create-thread, create-run + join (the example graph, no delay) and get-state, measured
one request at a time through langgraph_sdk; then runs/s with 16 clients, each on its own
thread doing runs.create then runs.join. The ceiling, in the same run, is the graph
executed bare in this process with LangGraph's in-memory checkpointer (16 tasks).

    python -m threadlog.ops.bench.http [--samples 100] [--seconds 10] [--no-reference]

The reference server is installed on first use into .bench-venv/ (langgraph-cli[inmem]).
"""

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections.abc import Awaitable, Callable
from pathlib import Path
from uuid import uuid4

import httpx
from langgraph.checkpoint.memory import InMemorySaver
from langgraph_sdk import get_client

from threadlog.domain.execution.graphs import GraphRegistry
from threadlog.ops.bench.report import postgres_server_dsn, print_table
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.runtime import EXAMPLE_GRAPHS

INPUT = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}
CLIENTS = 16
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early ({process.returncode})")
        try:
            if httpx.get(f"{url}/ok", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def start_threadlog(env_extra: dict[str, str], folder: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("THREADLOG_")},
           "THREADLOG_DATA_DIR": folder, **env_extra}
    process = subprocess.Popen([sys.executable, "-m", "threadlog.ops.cli", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_up(url, process)
    return url, process


def start_reference(folder: str) -> tuple[str, subprocess.Popen]:
    """`langgraph dev` (the reference server, in-memory) serving the same graph file."""
    bench_venv = ROOT / ".bench-venv"
    langgraph = bench_venv / "bin" / "langgraph"
    if not langgraph.exists():
        print("installing the reference server (langgraph-cli[inmem]) into .bench-venv ...", flush=True)
        venv.create(bench_venv, with_pip=True)
        subprocess.run([str(bench_venv / "bin" / "python"), "-m", "pip", "install", "-q", "langgraph-cli[inmem]"],
                       check=True)
    shutil.copy(EXAMPLE_GRAPHS.parent / "agent.py", folder)
    Path(folder, "langgraph.json").write_text('{"dependencies": ["."], "graphs": {"agent": "./agent.py:graph"}}')
    port = free_port()
    process = subprocess.Popen([str(langgraph), "dev", "--port", str(port), "--no-browser", "--no-reload"],
                               cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_up(url, process)
    return url, process


async def latencies(samples: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        await call()
        timings.append((time.perf_counter() - started) * 1000)
    return sorted(timings)


async def measure_server(url: str, samples: int, seconds: float) -> dict[str, object]:
    client = get_client(url=url)
    threads = [await client.threads.create() for _ in range(3)]
    for thread in threads[:2]:  # warm up: graph loaded, first runs done
        await client.runs.wait(thread["thread_id"], "agent", input=INPUT)
    thread_id = threads[0]["thread_id"]
    create_thread = await latencies(samples, lambda: client.threads.create())

    async def create_and_join() -> None:
        run = await client.runs.create(thread_id, "agent", input=INPUT)
        await client.runs.join(thread_id, run["run_id"])

    run_join = await latencies(samples, create_and_join)
    get_state = await latencies(samples, lambda: client.threads.get_state(thread_id))
    return {"create thread": create_thread, "create run + join": run_join, "get state": get_state,
            "runs/s": await throughput(url, seconds)}


async def throughput(url: str, seconds: float) -> float:
    client = get_client(url=url)
    deadline = time.monotonic() + seconds
    done = 0

    async def one_client() -> None:
        nonlocal done
        thread = await client.threads.create()
        while time.monotonic() < deadline:
            run = await client.runs.create(thread["thread_id"], "agent", input=INPUT)
            await client.runs.join(thread["thread_id"], run["run_id"])
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return done / (time.monotonic() - started)


async def ceiling(seconds: float) -> float:
    graph = GraphRegistry.from_config(EXAMPLE_GRAPHS).load("agent").copy(update={"checkpointer": InMemorySaver()})
    deadline = time.monotonic() + seconds
    done = 0

    async def one_client() -> None:
        nonlocal done
        config = {"configurable": {"thread_id": str(uuid4())}}
        while time.monotonic() < deadline:
            await graph.ainvoke(INPUT, config)
            done += 1

    started = time.monotonic()
    await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return done / (time.monotonic() - started)


def run_against(start: Callable[[str], tuple[str, subprocess.Popen]], samples: int, seconds: float
                ) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        url, process = start(folder)
        try:
            return asyncio.run(measure_server(url, samples, seconds))
        finally:
            process.terminate()
            process.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--no-reference", action="store_true", help="skip langgraph dev (no install)")
    args = parser.parse_args()
    results: dict[str, dict[str, object]] = {}
    own_core = {"THREADLOG_WORKER_PROCESSES": "1", "THREADLOG_WORKER_CONCURRENCY": str(CLIENTS)}
    results["threadlog, SQLite, default"] = run_against(lambda d: start_threadlog({}, d), args.samples, args.seconds)
    results["threadlog, SQLite, 1 worker process"] = run_against(
        lambda d: start_threadlog(own_core, d), args.samples, args.seconds)
    with scratch_database(postgres_server_dsn(), prefix="threadlog_bench") as dsn:
        pg = {"THREADLOG_DATABASE_URL": database_url(dsn), **own_core}
        results["threadlog, PostgreSQL, 1 worker process"] = run_against(
            lambda d: start_threadlog(pg, d), args.samples, args.seconds)
    if not args.no_reference:
        results["reference (langgraph dev)"] = run_against(start_reference, args.samples, args.seconds)
    bare = asyncio.run(ceiling(args.seconds))
    reference = results.get("reference (langgraph dev)")
    rows = []
    for name, found in results.items():
        join_p50 = statistics.median(found["create run + join"])
        row = [name]
        for key in ("create thread", "create run + join", "get state"):
            timings = found[key]
            row += [statistics.median(timings), timings[int(len(timings) * 0.99) - 1]]
        row += [found["runs/s"], found["runs/s"] / bare]
        row.append(join_p50 / statistics.median(reference["create run + join"]) if reference else "-")
        rows.append(row)
    rows.append(["bare graph, in-memory (ceiling)", "", "", "", "", "", "", bare, 1.0, ""])
    print(f"HTTP on 127.0.0.1, latencies in ms over {args.samples} sequential calls; "
          f"runs/s with {CLIENTS} clients for {args.seconds:.0f} s")
    print_table(["server", "thread p50", "p99", "run+join p50", "p99", "state p50", "p99", "runs/s",
                 "vs ceiling", "run+join vs ref"], rows)


if __name__ == "__main__":
    main()
