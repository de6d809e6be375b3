"""Runs completed per second through the whole write side, on SQLite and PostgreSQL.

32 clients, each on a thread of its own, create a run (the example graph, no delay)
and wait for its outcome, again and again, with the workers in the same process. The
baseline, in the same run, is the same graph executed bare: LangGraph's in-memory
checkpointer, no log, no views. Also reported: the time from a run's creation to its
start (RunCreated to RunStarted in the log), p50 and p99.

    python -m threadlog.ops.bench.runs [--clients 32] [--runs 600]
"""

import argparse
import asyncio
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from uuid import UUID, uuid4

from langgraph.checkpoint.memory import InMemorySaver

from threadlog.domain import events as ev
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.ops.bench.report import postgres_server_dsn, print_table
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.runtime import EXAMPLE_GRAPHS, Runtime
from threadlog.ops.settings import Settings

INPUT = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


class Outcomes:
    """Wakes a client when its run ends (fed by the log follower, no polling)."""

    def __init__(self) -> None:
        self._done: dict[UUID, threading.Event] = {}
        self._lock = threading.Lock()

    def expect(self, run_id: UUID) -> threading.Event:
        with self._lock:
            return self._done.setdefault(run_id, threading.Event())

    def on_events(self, batch: list[tuple[int, ev.ThreadEvent]]) -> None:
        for _, event in batch:
            if isinstance(event, ev.RUN_OUTCOMES):
                self.expect(event.run_id).set()


def through_threadlog(settings: Settings, clients: int, runs: int) -> tuple[float, list[float]]:
    with Runtime(settings).start() as runtime:
        outcomes = Outcomes()
        runtime.follower.subscribe(outcomes.on_events)
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, daemon=True).start()
        worker = runtime.worker()
        asyncio.run_coroutine_threadsafe(worker.start(), loop).result()
        threads = [uuid4() for _ in range(clients)]
        for thread_id in threads:
            runtime.app.create_thread(thread_id)

        def client(thread_id: UUID, count: int) -> list[UUID]:
            done = []
            for _ in range(count):
                run_id = uuid4()
                finished = outcomes.expect(run_id)
                runtime.app.create_run(thread_id, run_id=run_id, assistant_id=default_assistant_id("agent"),
                                       kwargs={"input": INPUT})
                if not finished.wait(60):
                    raise TimeoutError(f"run {run_id} did not finish")
                done.append(run_id)
            return done

        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            finished = [r for part in pool.map(client, threads, [runs // clients] * clients) for r in part]
        elapsed = time.perf_counter() - started
        asyncio.run_coroutine_threadsafe(worker.stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        waits = _creation_to_start(runtime, threads, set(finished))
    return len(finished) / elapsed, waits


def _creation_to_start(runtime: Runtime, threads: list[UUID], runs: set[UUID]) -> list[float]:
    created: dict[UUID, float] = {}
    waits = []
    for thread_id in threads:
        for event in runtime.app.events.get(thread_id):
            if isinstance(event, ev.RunCreated) and event.run_id in runs:
                created[event.run_id] = event.timestamp.timestamp()
            elif isinstance(event, ev.RunStarted) and event.run_id in created and event.attempt == 1:
                waits.append((event.timestamp.timestamp() - created[event.run_id]) * 1000)
    return sorted(waits)


def bare(clients: int, runs: int) -> float:
    """The same graph with LangGraph's in-memory checkpointer: no log, no views, no HTTP."""
    from threadlog.domain.execution.graphs import GraphRegistry

    graph = GraphRegistry.from_config(EXAMPLE_GRAPHS).load("agent").copy(update={"checkpointer": InMemorySaver()})

    async def client(thread_id: str, count: int) -> None:
        for _ in range(count):
            await graph.ainvoke(INPUT, {"configurable": {"thread_id": thread_id}})

    async def everyone() -> None:
        await asyncio.gather(*(client(str(uuid4()), runs // clients) for _ in range(clients)))

    started = time.perf_counter()
    asyncio.run(everyone())
    return (runs // clients * clients) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--runs", type=int, default=640)
    args = parser.parse_args()
    ceiling = bare(args.clients, args.runs)
    rows = [["bare graph, in-memory checkpointer (ceiling)", ceiling, 1.0, "", ""]]
    concurrency = {"worker_concurrency": args.clients}
    with tempfile.TemporaryDirectory() as folder:
        rate, waits = through_threadlog(Settings(data_dir=folder, **concurrency), args.clients, args.runs)
        rows.append(["threadlog, SQLite", rate, rate / ceiling, statistics.median(waits), _p99(waits)])
    with scratch_database(postgres_server_dsn(), prefix="threadlog_bench") as dsn:
        settings = Settings(database_url=database_url(dsn), **concurrency)
        rate, waits = through_threadlog(settings, args.clients, args.runs)
        rows.append(["threadlog, PostgreSQL", rate, rate / ceiling, statistics.median(waits), _p99(waits)])
    print(f"{args.runs} runs of the example graph (no delay), {args.clients} clients, each on its own thread")
    print_table(["path", "runs/s", "vs ceiling", "created->running p50 ms", "p99 ms"], rows)


def _p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))]


if __name__ == "__main__":
    main()
