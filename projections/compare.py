"""Rebuilding the views into scratch tables and comparing them with the live ones."""

from collections.abc import Callable

from threadlog.domain.application import Threads
from threadlog.projections.catchup import project_log
from threadlog.projections.database import Cursor, Row, Views
from threadlog.projections.projector import ViewProjector

KEYS = {
    "threads": ("thread_id",),
    "runs": ("run_id",),
    "checkpoints": ("thread_id", "checkpoint_ns", "checkpoint_id"),
    "checkpoint_writes": ("thread_id", "checkpoint_ns", "checkpoint_id", "task_id", "idx"),
    "run_audit": ("run_id",),
    "assistants": ("assistant_id",),
    "assistant_versions": ("assistant_id", "version"),
    "store_items": ("item_id",),
    "crons": ("cron_id",),
}


def read_tables(cursor: Cursor, prefix: str) -> dict[str, list[Row]]:
    tables = {}
    for table, key in KEYS.items():
        cursor.execute(f"SELECT * FROM {prefix}{table} ORDER BY {', '.join(key)}")
        tables[table] = cursor.fetchall()
    return tables


def differences(live: dict[str, list[Row]], rebuilt: dict[str, list[Row]], limit: int = 10) -> list[str]:
    """What differs between two copies of the views, one line per differing row."""
    found = []
    for table, key in KEYS.items():
        ours = {tuple(str(r[k]) for k in key): r for r in live[table]}
        theirs = {tuple(str(r[k]) for k in key): r for r in rebuilt[table]}
        for row_key in sorted(ours.keys() | theirs.keys()):
            a, b = ours.get(row_key), theirs.get(row_key)
            if a != b:
                found.append(f"{table} {'/'.join(row_key)}: live={_short(a)} rebuilt={_short(b)}")
    return found[:limit] if limit else found


def check(
    app: Threads,
    views: Views,
    live_prefix: str,
    scratch_prefix: str,
    prepare_scratch: Callable[[], None],
    on_batch: Callable[[int], None] | None = None,
) -> tuple[int, list[str]]:
    """Rebuild the views up to the live position into scratch tables; list the differences."""
    with views.snapshot() as cursor:
        position = views.position_in(cursor)
        live = read_tables(cursor, live_prefix)
    prepare_scratch()
    project_log(app, ViewProjector(views, scratch_prefix), stop=position, track=False, on_batch=on_batch)
    with views.snapshot() as cursor:
        rebuilt = read_tables(cursor, scratch_prefix)
    return position, differences(live, rebuilt, limit=0)


def _short(row: Row | None) -> str:
    text = "missing" if row is None else str(row)
    return text if len(text) < 300 else text[:300] + "..."
