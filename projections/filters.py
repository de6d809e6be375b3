"""WHERE clauses for the read API's searches, the same on SQLite and PostgreSQL."""

from collections.abc import Mapping
from typing import Any

from threadlog.projections.database import Dialect, dump_json, nul_free


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
            return self.add(f"{column} @> ?::jsonb", dump_json(wanted))
        for key, value in wanted.items():
            # SQLite reads JSON true as 1: the types must agree too, or {"a": 1} would match true.
            wanted_json = dump_json(value)
            self.add(
                f"EXISTS (SELECT 1 FROM json_each({column}) AS e WHERE e.key = ? AND e.value IS json_extract(?, '$') "
                "AND (e.type IN ('true', 'false')) = (json_type(?) IN ('true', 'false')))",
                nul_free(key),  # as the stored JSON's keys are (see dump_json)
                wanted_json, wanted_json,
            )
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
