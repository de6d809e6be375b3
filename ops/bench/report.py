"""Shared helpers for benchmarks: where PostgreSQL is, timing, and printing a table."""

import os
import time
from collections.abc import Callable, Sequence

DEFAULT_SERVER_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_server_dsn() -> str:
    """The server benchmarks create their scratch databases on."""
    return os.environ.get("THREADLOG_BENCH_POSTGRES_DSN", DEFAULT_SERVER_DSN)


def rate(count: int, work: Callable[[], None]) -> float:
    """Items per second for `work`, which handles `count` items."""
    started = time.perf_counter()
    work()
    return count / (time.perf_counter() - started)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers], *[[_fmt(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for n, row in enumerate(cells):
        print("  ".join(c.rjust(w) if n and i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
        if n == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.0f}"
    return str(value)
