"""PostgreSQL LISTEN: wake the follower as soon as any process appends to the log."""

import logging
import threading
from typing import Any

import psycopg
from psycopg import sql

log = logging.getLogger(__name__)


def listener(conninfo: dict[str, Any], channel: str):
    """A loop for the follower's listen thread: set `wake` on every NOTIFY on `channel`."""

    def listen(wake: threading.Event, stopped: threading.Event) -> None:
        while not stopped.is_set():
            try:
                with psycopg.connect(**conninfo, autocommit=True, connect_timeout=3) as conn:
                    conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                    wake.set()  # anything appended while we were not listening
                    while not stopped.is_set():
                        for _ in conn.notifies(timeout=0.5, stop_after=1):
                            wake.set()
            except psycopg.Error as e:
                log.warning("LISTEN %s lost (%s); the periodic poll covers until it is back", channel, e)
                stopped.wait(1.0)

    return listen
