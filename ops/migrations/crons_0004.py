"""Crons 4: cron jobs, their schedules and when each next starts a run."""

from threadlog.ops.migrations.views_0001 import _TYPES

VERSION = 4
IS_VIEW = True
TABLE_NAMES = ["crons"]


def statements(dialect: str, prefix: str) -> list[str]:
    t = _TYPES[dialect]
    return [
        f"CREATE TABLE {prefix}crons (cron_id {t['uuid']} PRIMARY KEY, assistant_id TEXT NOT NULL, "
        f"thread_id {t['uuid']}, schedule TEXT NOT NULL, timezone TEXT, end_time {t['time']}, "
        f"payload {t['json']} NOT NULL, metadata {t['json']} NOT NULL, on_run_completed TEXT NOT NULL, "
        f"enabled BOOLEAN NOT NULL, next_run_date {t['time']}, created_at {t['time']} NOT NULL, "
        f"updated_at {t['time']} NOT NULL, owner TEXT, deleted BOOLEAN NOT NULL)",
        f"CREATE INDEX {prefix}crons_next_run ON {prefix}crons (next_run_date)",
    ]
