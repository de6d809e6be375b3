"""Reading view rows in tests, the same way on both stores."""

from typing import Any
from uuid import UUID

import msgspec

from threadlog.ops.runtime import Runtime
from threadlog.projections.catchup import project_log
from threadlog.projections.database import to_time

JSON_COLUMNS = {"metadata", "kwargs", "error", "next", "state_values", "interrupts"}


def row(runtime: Runtime, table: str, **where: Any) -> dict[str, Any] | None:
    rows = rows_of(runtime, table, **where)
    assert len(rows) <= 1
    return rows[0] if rows else None


def rows_of(runtime: Runtime, table: str, **where: Any) -> list[dict[str, Any]]:
    clause = " AND ".join(f"{k} = ?" for k in where) or "1 = 1"
    found = runtime.views.query(f"SELECT * FROM tl_{table} WHERE {clause}", list(where.values()))
    return [_plain(r) for r in found]


def catch_up(runtime: Runtime) -> int:
    """Project everything not yet projected (for tests without a running follower)."""
    return project_log(runtime.app, runtime.projector, after=runtime.views.position())


def _plain(found: dict[str, Any]) -> dict[str, Any]:
    plain = {}
    for key, value in found.items():
        if key in JSON_COLUMNS and isinstance(value, str):
            value = msgspec.json.decode(value)
        elif isinstance(value, str) and len(value) == 36 and value.count("-") == 4:
            value = UUID(value)
        elif key in ("deleted", "rolled_back"):
            value = bool(value)
        elif (key.endswith("_at") or key == "not_before") and value is not None:
            value = to_time(value)
        plain[key] = value
    return plain
