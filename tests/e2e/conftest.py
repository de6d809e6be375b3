"""End-to-end fixtures: one real server per store for the module, and SDK clients for it."""

from collections.abc import Iterator

import pytest
from langgraph_sdk import get_sync_client

from tests.e2e.server import Server
from threadlog.ops.settings import Settings


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    if request.param == "postgres":
        settings = Settings(database_url=request.getfixturevalue("postgres_url"), data_dir=str(folder))
    else:
        settings = Settings(data_dir=str(folder))
    started = Server(settings, folder)
    yield started
    started.stop()


@pytest.fixture
def client(server: Server):
    with get_sync_client(url=server.url) as sdk:
        yield sdk
