"""The views' tracking recorders pass eventsourcing's own tracking-recorder test case."""

from collections.abc import Iterator

import pytest
from eventsourcing.tests.persistence import TrackingRecorderTestCase

from tests.postgres import postgres_server
from threadlog.domain.application import Threads
from threadlog.ops.pgadmin import database_url, scratch_database
from threadlog.ops.settings import Settings
from threadlog.ops.store import store_env
from threadlog.projections.database import PostgresViews, SQLiteViews, Views, open_views


class ViewsTrackingCase(TrackingRecorderTestCase):
    __test__ = False  # abstract: the store-specific cases below run it
    settings: Settings
    views_class: type[Views]

    def create_recorder(self) -> Views:
        app = Threads(store_env(self.settings))
        self.addCleanup(app.close)
        views = open_views(app.factory.datastore)
        assert isinstance(views, self.views_class)
        return views


class TestSQLiteViewsTracking(ViewsTrackingCase):
    __test__ = True
    views_class = SQLiteViews

    @pytest.fixture(autouse=True)
    def _store(self, tmp_path) -> None:
        self.settings = Settings(data_dir=str(tmp_path))


@pytest.mark.postgres
class TestPostgresViewsTracking(ViewsTrackingCase):
    __test__ = True
    views_class = PostgresViews

    @pytest.fixture(autouse=True)
    def _store(self) -> Iterator[None]:
        # Each case gets an empty database: the test case expects a fresh tracking table.
        with postgres_server() as server, scratch_database(server, prefix="threadlog_test") as dsn:
            self.settings = Settings(database_url=database_url(dsn))
            yield
