"""Finding a PostgreSQL server for the tests: a DSN from the environment, else Docker.

THREADLOG_TEST_POSTGRES_DSN comes first; without it a testcontainers PostgreSQL is
started when a Docker engine answers; else the PostgreSQL tests skip, saying why. With
THREADLOG_REQUIRE_POSTGRES=1 (as in CI) they fail instead of skipping.
"""

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DSN_VARIABLE = "THREADLOG_TEST_POSTGRES_DSN"


@contextmanager
def postgres_server() -> Iterator[str]:
    """Yield the DSN of a PostgreSQL server, or skip (fail when one is required)."""
    dsn = os.environ.get(DSN_VARIABLE)
    if dsn:
        yield dsn
        return
    reason = _docker_unavailable()
    if reason is None:
        from testcontainers.community.postgres import PostgresContainer

        with PostgresContainer("postgres:16-alpine", driver=None) as container:
            yield container.get_connection_url()
        return
    message = f"no PostgreSQL: {DSN_VARIABLE} is not set and {reason}"
    if os.environ.get("THREADLOG_REQUIRE_POSTGRES") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _docker_unavailable() -> str | None:
    if not os.environ.get("DOCKER_HOST") and not Path("/var/run/docker.sock").exists():
        return "no Docker engine (no DOCKER_HOST, no /var/run/docker.sock)"
    import docker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # the SDK leaks a socket when it fails
        try:
            client = docker.from_env(timeout=3)
            client.ping()
            client.close()
        except Exception as e:  # any failure to reach an engine means: no Docker here
            return f"no Docker engine answers ({type(e).__name__})"
    return None
