"""WHERE clauses for the read API's searches, the same on SQLite and PostgreSQL."""

from collections.abc import Mapping
from typing import Any

import msgspec

from threadlog.projections.database import Dialect


class Where:
    """Conditions joined with AND, and their parameters, in order."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect
        self.clauses: list[str] = []
        self.params: list[Any] = []

    def add(self, clause: str, *params: Any) -> "Where":
        self.clauses.append(clause)
        self.params.extend(params)
        return self

    def maybe(self, clause: str, value: Any) -> "Where":
        """Add `clause` (with `value` as its parameter) only when a value is given."""
        return self if value is None else self.add(clause, value)

    def contains(self, column: str, wanted: Mapping[str, Any] | None) -> "Where":
        """The JSON object in `column` contains `wanted` (key by key, values equal)."""
        if not wanted:
            return self
        if self.dialect == "postgres":
            return self.add(f"{column} @> ?::jsonb", msgspec.json.encode(wanted).decode())
        for key, value in wanted.items():
            path = '$."' + key.replace('"', '\\"') + '"'
            self.add(f"json_extract({column}, ?) IS json_extract(?, '$')", path, msgspec.json.encode(value).decode())
        return self

    def one_of(self, column: str, values: list[Any] | None) -> "Where":
        if values is None:
            return self
        if not values:
            return self.add("1 = 0")
        return self.add(f"{column} IN ({','.join('?' * len(values))})", *values)

    @property
    def sql(self) -> str:
        return " AND ".join(self.clauses) or "1 = 1"
