"""Versioned migrations for the views' tables, applied once per store, in order.

The log's own tables (events, snapshots, tracking) belong to eventsourcing, which
creates them; the views are ours. Each migration is a module with VERSION and
`statements(dialect, prefix)`; a table `{prefix}schema_migrations` records what ran.
"""

from types import ModuleType

from threadlog.ops.migrations import crons_0004, store_0003, views_0001, workers_0002
from threadlog.projections.database import Views

MIGRATIONS: list[ModuleType] = [views_0001, workers_0002, store_0003, crons_0004]
LIVE_PREFIX = "tl_"
_LOCK_KEY = 0x7468726561646C6F  # "threadlo": one migrator at a time on PostgreSQL


def migrate(views: Views, prefix: str = LIVE_PREFIX) -> list[int]:
    """Apply the migrations the store has not had yet; return the versions applied."""
    applied_now = []
    with views.transaction() as cursor:
        if views.dialect == "postgres":
            cursor.execute("SELECT pg_advisory_xact_lock(?)", [_LOCK_KEY])
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {prefix}schema_migrations (version INTEGER PRIMARY KEY)")
        cursor.execute(f"SELECT version FROM {prefix}schema_migrations")
        done = {row["version"] for row in cursor.fetchall()}
        for migration in MIGRATIONS:
            if migration.VERSION in done:
                continue
            for statement in migration.statements(views.dialect, prefix):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {prefix}schema_migrations (version) VALUES (?)", [migration.VERSION])
            applied_now.append(migration.VERSION)
    return applied_now


def drop_views(views: Views, prefix: str = LIVE_PREFIX) -> None:
    """Drop the view tables (not the others), so that `migrate` creates them afresh."""
    with views.transaction() as cursor:
        for migration in MIGRATIONS:
            if migration.IS_VIEW:
                for name in migration.TABLE_NAMES:
                    cursor.execute(f"DROP TABLE IF EXISTS {prefix}{name}")
                cursor.execute(f"DELETE FROM {prefix}schema_migrations WHERE version = ?", [migration.VERSION])


def drop_all(views: Views, prefix: str) -> None:
    """Drop every table under `prefix` (scratch copies)."""
    with views.transaction() as cursor:
        for name in [*(name for m in MIGRATIONS for name in m.TABLE_NAMES), "schema_migrations"]:
            cursor.execute(f"DROP TABLE IF EXISTS {prefix}{name}")
