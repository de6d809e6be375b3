"""A load test over real HTTP on 127.0.0.1: many clients, mixed strategies, a fixed time.

Each client makes threads and runs with random strategies (reject, enqueue, interrupt,
rollback), joins some runs, reads state; for `--seconds`. Reported: requests/s, p50/p99
latency by kind of request, responses by status code. Then the consistency check: every
acknowledged run ends with exactly one outcome, no two runs of a thread overlapped, and
the views equal a rebuild from the log. The server's memory (RSS) is sampled as runs
accumulate under load, to show it stays flat, and once more after every run was joined.

    python -m threadlog.ops.bench.load [--seconds 30] [--clients 16] [--postgres]
"""

import argparse
import asyncio
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from uuid import UUID

import httpx

from threadlog.domain.history import run_problems
from threadlog.ops.bench.http import start_threadlog
from threadlog.ops.bench.report import postgres_server_dsn, print_table
from threadlog.ops.migrations import LIVE_PREFIX, drop_all, migrate
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.projections import compare

INPUT = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}
STRATEGIES = ["reject", "enqueue", "interrupt", "rollback"]


class Tally:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.statuses: Counter[int] = Counter()
        self.runs: dict[str, str] = {}  # acknowledged run -> thread
        self.final_joins: Counter[int] = Counter()  # statuses of the joins after the load (404: rolled back)

    async def call(self, http: httpx.AsyncClient, kind: str, method: str, path: str, **kwargs: object
                   ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await http.request(method, path, **kwargs)
        except httpx.TransportError:
            self.statuses[0] += 1
            return None
        self.latencies[kind].append((time.perf_counter() - started) * 1000)
        self.statuses[response.status_code] += 1
        return response


async def client(url: str, tally: Tally, deadline: float, seed: int) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=url, timeout=60) as http:
        thread_id = None
        while time.monotonic() < deadline:
            if thread_id is None or rng.random() < 0.1:
                response = await tally.call(http, "create thread", "POST", "/threads", json={})
                thread_id = response.json()["thread_id"] if response and response.status_code == 200 else None
                continue
            body = {"assistant_id": "agent", "input": INPUT, "multitask_strategy": rng.choice(STRATEGIES),
                    "config": {"configurable": {"delay": rng.choice([0, 0, 0.05])}}}
            response = await tally.call(http, "create run", "POST", f"/threads/{thread_id}/runs", json=body)
            if response is not None and response.status_code == 200:
                run_id = response.json()["run_id"]
                tally.runs[run_id] = thread_id
                if rng.random() < 0.3:
                    await tally.call(http, "join", "GET", f"/threads/{thread_id}/runs/{run_id}/join")
            if rng.random() < 0.2:
                await tally.call(http, "get state", "GET", f"/threads/{thread_id}/state")


def rss_mb(pid: int) -> float:
    """Resident memory of the server and its worker processes, in MB (Linux)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(_own_rss_mb(p) for p in [pid, *map(int, children)])


def _own_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def load(url: str, pid: int, clients: int, seconds: float) -> tuple[Tally, float, list[tuple[int, float]]]:
    tally = Tally()
    memory: list[tuple[int, float]] = []
    started = time.monotonic()
    deadline = started + seconds
    workers = [asyncio.create_task(client(url, tally, deadline, seed)) for seed in range(clients)]
    while time.monotonic() < deadline:
        await asyncio.sleep(min(5.0, max(0.0, deadline - time.monotonic())))
        memory.append((len(tally.runs), rss_mb(pid)))
        print(f"  {time.monotonic() - started:5.0f} s: {len(tally.runs):,} runs acknowledged, "
              f"server RSS {memory[-1][1]:.0f} MB", file=sys.stderr, flush=True)
    await asyncio.gather(*workers)
    elapsed = time.monotonic() - started
    await drain(url, tally)
    memory.append((len(tally.runs), rss_mb(pid)))
    return tally, elapsed, memory


async def drain(url: str, tally: Tally) -> None:
    """Join every acknowledged run, so the server has finished them all before it stops
    (a run rolled back by a later one is gone from the API: 404, as on the reference server).
    A join that fails is counted; the consistency check still judges its run."""
    gate = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=url, timeout=300) as http:
        async def join(run_id: str, thread_id: str) -> None:
            async with gate:
                try:
                    response = await http.get(f"/threads/{thread_id}/runs/{run_id}/join")
                    tally.final_joins[response.status_code] += 1
                except httpx.TransportError:
                    tally.final_joins[0] += 1

        await asyncio.gather(*(join(r, t) for r, t in tally.runs.items()))


def consistency(settings: Settings, runs: dict[str, str]) -> list[str]:
    """Everything acknowledged ended exactly once, runs never overlapped, views equal a rebuild."""
    with Runtime(settings).start() as runtime:
        if not runtime.follower.wait_for(runtime.app.recorder.max_notification_id() or 0, timeout=120):
            return ["the views did not catch up with the log within 120 s"]
        problems = [p for t in set(runs.values()) for p in run_problems(runtime.app.events.get(UUID(t)))]

        def scratch() -> None:
            drop_all(runtime.views, "tlcheck_")
            migrate(runtime.views, "tlcheck_")

        try:
            problems += compare.check(runtime.app, runtime.views, LIVE_PREFIX, "tlcheck_", scratch)[1]
        finally:
            drop_all(runtime.views, "tlcheck_")
    return problems


def report(tally: Tally, elapsed: float, memory: list[tuple[int, float]], problems: list[str]) -> None:
    total = sum(tally.statuses.values())
    print(f"{total:,} requests in {elapsed:.0f} s: {total / elapsed:,.0f} requests/s; "
          f"{len(tally.runs):,} runs acknowledged ({len(tally.runs) / elapsed:,.1f}/s)")
    print_table(["request", "count", "p50 ms", "p99 ms"], [
        [kind, len(values), statistics.median(values), sorted(values)[min(len(values) - 1, int(len(values) * 0.99))]]
        for kind, values in sorted(tally.latencies.items())])
    print("responses by status: " + _statuses(tally.statuses) + "; final joins: " + _statuses(tally.final_joins))
    under_load, drained = memory[:-1], memory[-1]
    shown = under_load[::max(1, len(under_load) // 8)]
    shown += under_load[-1:] if shown[-1] != under_load[-1] else []
    print("server memory (RSS) under load as runs accumulated: "
          + ", ".join(f"{r:,} runs {mb:.0f} MB" for r, mb in shown) + f"; after joining every run {drained[1]:.0f} MB")
    if baseline := next(((r, mb) for r, mb in under_load if r >= 1000), None):
        last = under_load[-1]
        print(f"memory under load at {last[0]:,} runs vs at {baseline[0]:,}: {last[1] / baseline[1]:.2f}; "
              f"after joining every run: {drained[1] / baseline[1]:.2f}")
    print("consistency: " + ("every acknowledged run ended exactly once; views equal a rebuild from the log"
                              if not problems else f"{len(problems)} problems, e.g. {problems[:3]}"))


def _statuses(counts: Counter[int]) -> str:
    return ", ".join(f"{status or 'no answer'}: {n:,}" for status, n in sorted(counts.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of the embedded store")
    parser.add_argument("--worker-processes", type=int, default=1)
    args = parser.parse_args()
    env = {"THREADLOG_WORKER_PROCESSES": str(args.worker_processes), "THREADLOG_WORKER_CONCURRENCY": "32"}
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            with scratch_database(postgres_server_dsn(), prefix="threadlog_bench") as dsn:
                settings = Settings(database_url=database_url(dsn), data_dir=folder)
                run(settings, {**env, "THREADLOG_DATABASE_URL": settings.database_url or ""}, folder, args)
        else:
            run(Settings(data_dir=folder), env, folder, args)


def run(settings: Settings, env: dict[str, str], folder: str, args: argparse.Namespace) -> None:
    url, process = start_threadlog(env, folder)
    try:
        tally, elapsed, memory = asyncio.run(load(url, process.pid, args.clients, args.seconds))
    finally:
        process.terminate()
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
    report(tally, elapsed, memory, consistency(settings, tally.runs))


if __name__ == "__main__":
    main()
