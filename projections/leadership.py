"""Which process writes the views: at most one at a time, another takes over if it dies."""

import fcntl
import logging
from pathlib import Path
from typing import Any, Protocol

import psycopg

log = logging.getLogger(__name__)


class ProjectorLock(Protocol):
    held: bool

    def acquire(self) -> bool:
        """Take the lock if free (or confirm it is still ours); True if held."""

    def release(self) -> None: ...


class FileLock:
    """For the embedded store: an exclusive lock on a file beside the SQLite database."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.held = False
        self._file: Any = None

    def acquire(self) -> bool:
        if self.held:
            return True
        self._file = self._file or open(self.path, "a")  # noqa: SIM115 - held open while locked
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self.held = True
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file drops the lock
        self._file, self.held = None, False


class AdvisoryLock:
    """For PostgreSQL: a session advisory lock on a connection of its own.

    If that connection dies the server drops the lock, and another process may take it;
    `acquire` checks the connection before claiming the lock is still held.
    """

    KEY = 0x74686C766965777  # "thlview"

    def __init__(self, conninfo: dict[str, Any]) -> None:
        self.conninfo = conninfo
        self.held = False
        self._conn: psycopg.Connection[Any] | None = None

    def acquire(self) -> bool:
        try:
            if self.held and self._conn is not None:
                self._conn.execute("SELECT 1")
                return True
            self._conn = self._conn if self._conn and not self._conn.closed else self._connect()
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.KEY,)).fetchone()
            self.held = bool(row and row[0])
        except psycopg.Error as e:
            log.warning("projector lock: %s", e)
            self.release()
        return self.held

    def release(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn, self.held = None, False

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(**self.conninfo, autocommit=True, connect_timeout=3)
