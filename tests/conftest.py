"""Shared fixtures: the two stores (embedded SQLite, real PostgreSQL) and the application."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres import postgres_server
from threadlog.domain.application import Threads
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.ops.store import store_env

STORES = [pytest.param("sqlite"), pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A real PostgreSQL server (from the environment, else Docker), for the whole session."""
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url(postgres_dsn: str) -> Iterator[str]:
    """A database this test session shares among its tests: what they leave, the next sees."""
    with scratch_database(postgres_dsn, prefix="threadlog_test") as dsn:
        yield database_url(dsn)


@pytest.fixture(params=STORES)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for one store: a fresh SQLite file, or this session's PostgreSQL database."""
    if request.param == "postgres":
        return Settings(database_url=request.getfixturevalue("postgres_url"), data_dir=str(tmp_path))
    return Settings(data_dir=str(tmp_path))


@pytest.fixture
def postgres_settings(postgres_dsn: str, tmp_path: Path) -> Iterator[Settings]:
    """A database of this test's own: for tests of processes, leases and leadership, which
    other tests' leftovers (runs still queued, a projector still holding its lock) would disturb."""
    with scratch_database(postgres_dsn, prefix="threadlog_own") as dsn:
        yield Settings(database_url=database_url(dsn), data_dir=str(tmp_path))


@pytest.fixture
def make_app(settings: Settings) -> Iterator[type[Threads]]:
    """Build Threads applications on the store under test; all are closed afterwards."""
    apps: list[Threads] = []

    def make(**kwargs: object) -> Threads:
        app = Threads(store_env(settings), **kwargs)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app) -> Threads:
    return make_app()


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """The application, its views and a running follower, on the store under test."""
    with Runtime(settings).start() as runtime:
        yield runtime


@pytest.fixture
def idle_runtime(settings: Settings) -> Iterator[Runtime]:
    """Like `runtime`, but nothing follows the log: tests project by hand."""
    with Runtime(settings) as runtime:
        assert runtime.follower.lock.acquire()
        yield runtime
