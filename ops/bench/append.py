"""Events appended per second through the Threads application, against raw inserts.

For each store (SQLite file, PostgreSQL) and batch size (1 and 10 events per save), the
application appends through its commands (load from cache, decide, save); the baseline
inserts the very same stored rows into a table of the same shape in the same database,
with plain sqlite3 / psycopg, one transaction per batch. The ratio is the figure.

    python -m threadlog.ops.bench.append [--events N]
"""

import argparse
import sqlite3
import tempfile
from collections.abc import Callable
from uuid import uuid4

import psycopg

from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.ops.bench.report import postgres_server_dsn, print_table, rate
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.settings import Settings
from threadlog.ops.store import sqlite_path, store_env

THREADS = 50
ASSISTANT = uuid4()
CHUNK = ev.StreamChunk("values", b'{"messages":[{"type":"ai","content":"It is sunny in San Francisco."}]}')


def append_through_app(app: Threads, events: int, per_save: int) -> tuple[float, list]:
    """Run commands that each save `per_save` events; return events/s and the rows saved."""
    threads = []
    for _ in range(THREADS):
        thread_id, run_id = uuid4(), uuid4()
        app.create_thread(thread_id)
        app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT)
        app.claim_next_run(thread_id, "bench")
        threads.append((thread_id, run_id))
    saves = events // per_save

    def work() -> None:
        for i in range(saves):
            thread_id, run_id = threads[i % THREADS]
            app.record_progress(thread_id, run_id, 1, [CHUNK] * per_save)

    per_second = rate(saves * per_save, work)
    saved = [e for tid, _ in threads for e in app.events.get(tid) if isinstance(e, ev.OutputStreamed)]
    return per_second, [app.mapper.to_stored_event(e) for e in saved]


def sqlite_raw(path: str, rows: list, per_save: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                 "state BLOB, PRIMARY KEY (originator_id, originator_version))")
    values = [(r.originator_id.hex, r.originator_version, r.topic, r.state) for r in rows]

    def work() -> None:
        for i in range(0, len(values), per_save):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO raw_events VALUES (?, ?, ?, ?)", values[i : i + per_save])
            conn.execute("COMMIT")

    try:
        return rate(len(values), work)
    finally:
        conn.execute("DROP TABLE raw_events")
        conn.close()


def postgres_raw(dsn: str, rows: list, per_save: int) -> float:
    values = [(r.originator_id, r.originator_version, r.topic, r.state) for r in rows]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE TABLE raw_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
                     "topic text, state bytea, notification_id bigserial, "
                     "PRIMARY KEY (originator_id, originator_version))")

        def work() -> None:
            for i in range(0, len(values), per_save):
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany("INSERT INTO raw_events (originator_id, originator_version, topic, state) "
                                    "VALUES (%s, %s, %s, %s)", values[i : i + per_save])

        try:
            return rate(len(values), work)
        finally:
            conn.execute("DROP TABLE raw_events")


def measure(store: str, settings: Settings, raw: Callable[[list, int], float], events: int) -> list[list[object]]:
    rows = []
    for per_save in (1, 10):
        with Threads(store_env(settings)) as app:
            app_rate, saved = append_through_app(app, events * per_save // 2 if per_save > 1 else events, per_save)
        raw_rate = raw(saved, per_save)
        rows.append([store, per_save, app_rate, raw_rate, app_rate / raw_rate])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events appended at 1 per save (x5 at 10 per save)")
    args = parser.parse_args()
    table = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=folder)
        path = str(sqlite_path(settings))
        table += measure("sqlite", settings, lambda rows, n: sqlite_raw(path, rows, n), args.events)
    with scratch_database(postgres_server_dsn(), prefix="threadlog_bench") as dsn:
        settings = Settings(database_url=database_url(dsn))
        table += measure("postgres", settings, lambda rows, n: postgres_raw(dsn, rows, n), args.events)
    print_table(["store", "events/save", "app events/s", "raw inserts/s", "app/raw"], table)


if __name__ == "__main__":
    main()
