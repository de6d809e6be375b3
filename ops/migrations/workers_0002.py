"""Workers 2: a heartbeat row per live worker (not a view: it is not rebuilt from the log)."""

VERSION = 2
IS_VIEW = False
TABLE_NAMES = ["workers"]

_TIME = {"sqlite": "TEXT", "postgres": "TIMESTAMPTZ"}


def statements(dialect: str, prefix: str) -> list[str]:
    time = _TIME[dialect]
    return [
        f"CREATE TABLE {prefix}workers (worker_id TEXT PRIMARY KEY, started_at {time} NOT NULL, "
        f"heartbeat_at {time} NOT NULL)"
    ]
