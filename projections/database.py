"""The views' SQL, spoken to SQLite or PostgreSQL through the application's own datastore.

Statements are written once, with `?` placeholders, and adapted per dialect: PostgreSQL
gets `%s`; SQLite gets UUIDs as text and times as ISO strings. JSON columns come back
as JSON text on both (never parsed here), booleans as bool, times as datetime.
"""

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import msgspec
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteDatastore, SQLiteTrackingRecorder

Dialect = Literal["sqlite", "postgres"]
_COLUMN_TYPES: dict[str, dict[str, str]] = {}  # PostgreSQL column types, per table, looked up once
Row = dict[str, Any]
SQLITE_READ_TIMEOUT = 5.0  # seconds a read waits on a lock (only a WAL checkpoint's reset takes one)
_json = msgspec.json.Encoder()
# PostgreSQL text and jsonb hold no NUL character, so the views show U+FFFD in its place
# (the log keeps the original): in JSON on both stores alike, in plain text on PostgreSQL.
# A JSON escape is real when an even number of backslashes comes before it.
_NUL_ESCAPE = re.compile(rb"(?<!\\)((?:\\\\)*)\\u0000")


def dump_json(value: Any) -> str | None:
    return None if value is None else json_text(_json.encode(value))


def json_text(encoded: bytes) -> str:
    """Encoded JSON as the views keep it: any NUL as U+FFFD."""
    return (_NUL_ESCAPE.sub(rb"\1\\ufffd", encoded) if b"\\u0000" in encoded else encoded).decode()


def load_json(text: str | None) -> Any:
    return None if text is None else msgspec.json.decode(text)


def nul_free(text: str) -> str:
    """Text as the views keep it: any NUL as U+FFFD."""
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def _text_safe(value: Any) -> Any:
    """A parameter PostgreSQL can store: text (alone or in a list) with no NUL in it."""
    if type(value) is str:
        return nul_free(value)
    if type(value) is list:
        return [_text_safe(item) for item in value]
    return value


class Cursor:
    """One transaction's cursor, with the dialect's placeholders and value conversions."""

    def __init__(self, raw: Any, dialect: Dialect) -> None:
        self.raw = raw
        self.dialect = dialect
        if dialect == "postgres":
            from psycopg.types.string import TextLoader

            raw.adapters.register_loader("jsonb", TextLoader)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> None:
        if self.dialect == "postgres":
            # Prepared statements pay off for repeated DML; DDL cannot be prepared.
            self.raw.execute(statement.replace("?", "%s"), [_text_safe(p) for p in params], prepare=bool(params))
        else:
            self.raw.execute(statement, params)

    def executemany(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if self.dialect == "postgres":
            self.raw.executemany(statement.replace("?", "%s"), [[_text_safe(v) for v in row] for row in rows])
        else:
            self.raw.executemany(statement, rows)

    def insert_many(self, table: str, rows: Sequence[Sequence[Any]], on_conflict: str = "",
                    columns: Sequence[str] | None = None) -> None:
        """`INSERT INTO table (columns) ... {on_conflict}` for many rows in one statement.

        PostgreSQL gets one array per column through `unnest` (one round trip, one
        prepared statement); SQLite, in-process, gets executemany.
        """
        if not rows:
            return
        names = f" ({', '.join(columns)})" if columns else ""
        if self.dialect == "sqlite":
            marks = ",".join("?" * len(rows[0]))
            self.executemany(f"INSERT INTO {table}{names} VALUES ({marks}) {on_conflict}", rows)
            return
        types = self._column_types(table)
        types = [types[c] for c in columns] if columns else list(types.values())
        arrays = ", ".join(f"%b::{t}[]" for t in types)  # binary: no per-element escaping
        self.raw.execute(f"INSERT INTO {table}{names} SELECT * FROM unnest({arrays}) {on_conflict}",
                         [[_text_safe(v) for v in column] for column in zip(*rows)], prepare=True)

    def select_in(self, table: str, key: str, values: list[Any]) -> list[Row]:
        """The rows of `table` whose `key` is one of `values`."""
        if self.dialect == "postgres":
            self.execute(f"SELECT * FROM {table} WHERE {key} = ANY(?)", [values])
        else:
            self.execute(f"SELECT * FROM {table} WHERE {key} IN ({','.join('?' * len(values))})", values)
        return self.fetchall()

    def _column_types(self, table: str) -> dict[str, str]:
        if table not in _COLUMN_TYPES:
            self.raw.execute(
                "SELECT attname, format_type(atttypid, atttypmod) AS type FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum", [table])
            _COLUMN_TYPES[table] = {r["attname"]: r["type"] for r in self.raw.fetchall()}
        return _COLUMN_TYPES[table]

    def fetchall(self) -> list[Row]:
        return [dict(row) for row in self.raw.fetchall()]

    def fetchone(self) -> Row | None:
        row = self.raw.fetchone()
        return None if row is None else dict(row)


class Views:
    """The views' store: SQL on the application's datastore, and the tracking position.

    Mixed into eventsourcing's tracking recorders (below), so the tracking record is
    written in the same transaction as the view rows.
    """

    dialect: Dialect
    tracking_table: str
    upstream = "threads"  # the application whose log the views follow
    datastore: Any

    @contextmanager
    def transaction(self, *, commit: bool = True) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as raw:
            yield Cursor(raw, self.dialect)

    def reading(self) -> AbstractContextManager[Cursor]:
        """A transaction for reading only."""
        return self.transaction(commit=False)

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.reading() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()

    def track(self, cursor: Cursor, position: int) -> None:
        """Record in this transaction that the views reflect the log up to `position`."""
        self._insert_tracking(cursor.raw, Tracking(self.upstream, position))  # type: ignore[attr-defined]

    # Each store's own: a transaction whose commit does not wait for the disk (the log's
    # always does). Safe for the views: rows and tracking position commit together, so a
    # power cut can only lose a whole recent batch, which is then projected again from the log.
    relaxed_transaction: Callable[[], AbstractContextManager[Cursor]]

    def position(self) -> int:
        """How far along the log the views are (0 before the first event)."""
        return self.max_tracking_id(self.upstream) or 0  # type: ignore[attr-defined]

    def position_in(self, cursor: Cursor) -> int:
        """The views' position as seen by this transaction."""
        return self._max_tracking_id(self.upstream, cursor.raw) or 0  # type: ignore[attr-defined]

    def reset_position(self, cursor: Cursor) -> None:
        """Forget how far the views got (before rebuilding them from the start)."""
        cursor.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", [self.upstream])

    @contextmanager
    def snapshot(self) -> Iterator[Cursor]:
        """A read-only transaction that sees one consistent state of every table."""
        with self.reading() as cursor:
            if self.dialect == "postgres":
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield cursor


class SQLiteViews(Views, SQLiteTrackingRecorder):
    dialect: Dialect = "sqlite"
    tracking_table = "tracking"

    def __init__(self, datastore: SQLiteDatastore) -> None:
        super().__init__(datastore)
        self._readers = threading.local()

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        # On a connection of this thread's own, not the library's pool: there a read queues
        # behind every writer waiting for its turn, while in WAL mode it may run beside them.
        connection = getattr(self._readers, "connection", None)
        if connection is None:
            connection = self._readers.connection = sqlite3.connect(
                self.datastore.pool.db_name, uri=True, isolation_level=None, timeout=SQLITE_READ_TIMEOUT)
            connection.row_factory = sqlite3.Row
        connection.execute("BEGIN")
        try:
            yield Cursor(connection.cursor(), self.dialect)
        finally:
            connection.rollback()

    @contextmanager
    def relaxed_transaction(self) -> Iterator[Cursor]:
        # SQLite sets durability per connection, outside transactions: NORMAL (in WAL mode,
        # no sync at commit) for this one, then back as it was for the log's next write.
        with self.datastore.get_connection(commit=True) as connection:
            before = _pragma(connection, "synchronous")
            _pragma(connection, "synchronous = NORMAL")
            try:
                with connection.transaction(commit=True) as raw:
                    yield Cursor(raw, self.dialect)
            finally:
                _pragma(connection, f"synchronous = {before[0]}")


class PostgresViews(Views, PostgresTrackingRecorder):
    dialect: Dialect = "postgres"
    tracking_table = "views_tracking"

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, tracking_table_name=self.tracking_table, **kwargs)

    @contextmanager
    def relaxed_transaction(self) -> Iterator[Cursor]:
        with self.transaction() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            yield cursor

    def reading(self) -> AbstractContextManager[Cursor]:
        # Ended by COMMIT, not ROLLBACK: the same for a transaction that wrote nothing, but on
        # a ROLLBACK psycopg forgets every statement prepared on the connection.
        return self.transaction(commit=True)


def _pragma(connection: Any, pragma: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {pragma}")
        return cursor.fetchone()


def open_views(datastore: Any) -> Views:
    """The views on the same store (and connection pool) as the application's log."""
    if isinstance(datastore, SQLiteDatastore):
        register_sqlite_adapters()
    views = SQLiteViews(datastore) if isinstance(datastore, SQLiteDatastore) else PostgresViews(datastore)
    views.create_table()  # the tracking table is eventsourcing's own
    return views


def to_time(value: Any) -> datetime:
    """A time read from either dialect (SQLite keeps ISO text)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def utc(value: datetime) -> datetime:
    """A time someone asked about, in UTC: one without a zone is taken as UTC, and one past
    either end of the calendar once converted, as that end."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return (datetime.min if value.year == datetime.min.year else datetime.max).replace(tzinfo=UTC)


def to_bool(value: Any) -> bool:
    return bool(value)


def register_sqlite_adapters() -> None:
    """Let sqlite3 itself turn UUIDs and times into text (faster than doing it per value here)."""
    sqlite3.register_adapter(UUID, str)
    sqlite3.register_adapter(datetime, lambda value: value.astimezone(UTC).isoformat(timespec="microseconds"))
