"""The composition root: one process's application, views and log follower, wired."""

from pathlib import Path

from threadlog.domain.application import Threads
from threadlog.ops.migrations import LIVE_PREFIX, migrate
from threadlog.ops.settings import Settings
from threadlog.ops.store import postgres_params, sqlite_path, store_env
from threadlog.projections.database import Views, open_views
from threadlog.projections.follower import Follower
from threadlog.projections.leadership import AdvisoryLock, FileLock, ProjectorLock
from threadlog.projections.notify import listener
from threadlog.projections.projector import ViewProjector

SQLITE_POLL = 0.05  # other processes' writes to the file are not signalled
POSTGRES_POLL = 1.0  # a safety net behind LISTEN/NOTIFY


class Runtime:
    """The write side, the views and (once started) the follower keeping them current."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = Threads(store_env(settings), max_attempts=settings.max_attempts)
        self.views: Views = open_views(self.app.factory.datastore)
        migrate(self.views)
        self.projector = ViewProjector(self.views, LIVE_PREFIX)
        self.follower = Follower(
            self.app, self.views, self.projector, lock=self.projector_lock(),
            poll_interval=POSTGRES_POLL if settings.uses_postgres else SQLITE_POLL,
            listen=listener(self._conninfo(), self.app.recorder.channel_name) if settings.uses_postgres else None,
        )

    def projector_lock(self) -> ProjectorLock:
        if self.settings.uses_postgres:
            return AdvisoryLock(self._conninfo())
        return FileLock(Path(sqlite_path(self.settings)).with_suffix(".projector.lock"))

    def start(self) -> "Runtime":
        self.follower.start()
        return self

    def close(self) -> None:
        self.follower.stop()
        self.app.close()

    def __enter__(self) -> "Runtime":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conninfo(self) -> dict[str, str]:
        return postgres_params(self.settings)
