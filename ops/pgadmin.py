"""Scratch PostgreSQL databases for tests and benchmarks: created, used, dropped."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo


@contextmanager
def scratch_database(server_dsn: str, prefix: str = "threadlog_scratch") -> Iterator[str]:
    """Create a database of our own on the server, yield its DSN, drop it afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield make_conninfo(server_dsn, dbname=name)
    finally:
        with psycopg.connect(server_dsn, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_url(dsn: str) -> str:
    """A DSN as a postgresql:// URL, the form THREADLOG_DATABASE_URL takes."""
    params = conninfo_to_dict(dsn)
    auth = str(params.get("user", "postgres")) + (f":{params['password']}" if params.get("password") else "")
    host = f"{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}"
    return f"postgresql://{auth}@{host}/{params['dbname']}"
