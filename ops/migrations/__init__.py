"""Versioned migrations for the views' tables, applied once per store, in order.

The log's own tables (events, snapshots, tracking) belong to eventsourcing, which
creates them; the views are ours. Each migration is a module with VERSION and
`statements(dialect, prefix)`; a table `{prefix}schema_migrations` records what ran.
"""

from types import ModuleType

from threadlog.ops.migrations import views_0001
from threadlog.projections.database import Views

MIGRATIONS: list[ModuleType] = [views_0001]
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


def drop(views: Views, prefix: str) -> None:
    """Drop every view table under `prefix` (for rebuilds and scratch copies)."""
    tables = [*(name for m in MIGRATIONS for name in m.TABLE_NAMES), "schema_migrations"]
    with views.transaction() as cursor:
        for name in tables:
            cursor.execute(f"DROP TABLE IF EXISTS {prefix}{name}")
