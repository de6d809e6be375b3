"""How fast the views follow the log, on PostgreSQL.

1. Catch-up: the views are built from scratch over N events of realistic runs (best of 3); the
   baseline is simply reading the same events from the log (select, and select+decode)
   in the same run. The ratio is the figure.
2. Live lag: under a steady load of commands, the time from a command's commit to the
   views reaching its position (p50, p99), with the writes made in the follower's own
   process (woken by a signal) and in another application (woken by LISTEN/NOTIFY).

    python -m threadlog.ops.bench.projections [--events 20000] [--seconds 10]
"""

import argparse
import statistics
import time
from collections.abc import Callable
from uuid import uuid4

from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.ops.bench.report import postgres_server_dsn, print_table, rate

TRIES = 3  # each rate is the best of this many passes: one pass over 20,000 events is too short to trust
from threadlog.ops.migrations import drop_views, migrate
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.ops.store import store_env
from threadlog.projections.catchup import BATCH_SIZE, project_log

ASSISTANT = uuid4()
MESSAGES = b'{"messages":[{"type":"human","content":"what is the weather in sf?"},{"type":"ai","content":"sunny"}]}'


def run_events(n: int) -> list[ev.Progress]:
    """The progress of one run: checkpoints with blobs, task writes and stream chunks."""
    blob = ev.ChannelBlob("messages", f"{n:032}.0", "msgpack", MESSAGES)
    items: list[ev.Progress] = []
    for step in range(3):
        checkpoint_id = f"cp-{n}-{step}"
        items.append(ev.SavedCheckpoint(checkpoint_id=checkpoint_id, checkpoint={"v": 4, "id": checkpoint_id},
                                        metadata={"step": step, "source": "loop"}, blobs=[blob]))
        items.append(ev.TaskWrites(checkpoint_id=checkpoint_id, task_id=f"t{step}",
                                   writes=[ev.ChannelWrite(0, "messages", "msgpack", MESSAGES)]))
        items.append(ev.StreamChunk("values", MESSAGES))
    return items


def fill_log(app: Threads, events: int, threads: int = 100) -> int:
    """Append at least `events` events as whole runs (create, start, progress, succeed)."""
    thread_ids, n = [uuid4() for _ in range(threads)], 0
    for thread_id in thread_ids:
        app.create_thread(thread_id)
    while (app.recorder.max_notification_id() or 0) < events:
        thread_id, run_id = thread_ids[n % threads], uuid4()
        app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT, kwargs={"input": {"n": n}})
        app.claim_next_run(thread_id, "bench")
        app.record_succeeded(thread_id, run_id, 1, items=run_events(n),
                             state=ev.StateSummary(checkpoint_id=f"cp-{n}-2", values=MESSAGES))
        n += 1
    return app.recorder.max_notification_id() or 0


def read_rates(app: Threads, head: int) -> tuple[float, float]:
    def select() -> None:
        position = 0
        while notes := app.recorder.select_notifications(position, BATCH_SIZE, inclusive_of_start=False):
            position = notes[-1].id

    def select_and_decode() -> None:
        position = 0
        while notes := app.recorder.select_notifications(position, BATCH_SIZE, inclusive_of_start=False):
            [app.mapper.to_domain_event(n) for n in notes]
            position = notes[-1].id

    return best(lambda: rate(head, select)), best(lambda: rate(head, select_and_decode))


def best(measure: Callable[[], float]) -> float:
    return max(measure() for _ in range(TRIES))


def catch_up_rate(runtime: Runtime, head: int) -> float:
    drop_views(runtime.views)
    with runtime.views.transaction() as cursor:
        runtime.views.reset_position(cursor)
    migrate(runtime.views)
    return rate(head, lambda: project_log(runtime.app, runtime.projector))


def live_lags(runtime: Runtime, writer: Threads, seconds: float, per_second: int) -> list[float]:
    lags, thread_id = [], uuid4()
    writer.create_thread(thread_id)
    interval, deadline = 1 / per_second, time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        position = writer.update_metadata(thread_id, {"t": started})
        committed = time.perf_counter()
        assert runtime.follower.wait_for(position, timeout=10)
        lags.append((time.perf_counter() - committed) * 1000)
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
    return sorted(lags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each live-lag run")
    parser.add_argument("--rate", type=int, default=100, help="commands per second during the live-lag runs")
    args = parser.parse_args()
    with scratch_database(postgres_server_dsn(), prefix="threadlog_bench") as dsn:
        settings = Settings(database_url=database_url(dsn))
        with Runtime(settings) as runtime:
            assert runtime.follower.lock.acquire()
            head = fill_log(runtime.app, args.events)
            select_rate, decode_rate = read_rates(runtime.app, head)
            projected = best(lambda: catch_up_rate(runtime, head))
        print(f"catch-up over {head:,} events (PostgreSQL, batches of {BATCH_SIZE}; best of {TRIES} passes each)")
        print_table(["what", "events/s", "views catch-up / this"], [
            ["read the log (select)", select_rate, projected / select_rate],
            ["read the log (select + decode)", decode_rate, projected / decode_rate],
            ["views catch-up (read + decode + project)", projected, 1.0],
        ])
        with Runtime(settings).start() as runtime, Threads(store_env(settings)) as other:
            same = live_lags(runtime, runtime.app, args.seconds, args.rate)
            cross = live_lags(runtime, other, args.seconds, args.rate)
        print(f"\nlive lag, commit to views, {args.rate} commands/s for {args.seconds:.0f} s each")
        print_table(["writer", "p50 ms", "p99 ms", "max ms", "samples"], [
            [name, statistics.median(lags), lags[int(len(lags) * 0.99)], lags[-1], len(lags)]
            for name, lags in (("same process (signal)", same), ("other application (LISTEN/NOTIFY)", cross))
        ])


if __name__ == "__main__":
    main()
