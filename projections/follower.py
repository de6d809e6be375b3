"""Following the log live: project new events into the views and wake whoever waits.

One follower runs per process. It wakes on a signal from this process's writer, on
PostgreSQL's LISTEN/NOTIFY, and on a periodic poll (a safety net: a lost LISTEN
connection must not stall the views). On PostgreSQL only the process holding the
projector lock writes the views; the others follow the log just to wake their waiters.
"""

import logging
import threading
import time
from collections.abc import Callable

from threadlog.domain.application import Threads
from threadlog.projections.catchup import BATCH_SIZE, read_batch
from threadlog.projections.database import Views
from threadlog.projections.leadership import ProjectorLock
from threadlog.projections.projector import Batch, ViewProjector

log = logging.getLogger(__name__)
Subscriber = Callable[[Batch], None]


class Follower:
    def __init__(
        self,
        app: Threads,
        views: Views,
        projector: ViewProjector,
        *,
        lock: ProjectorLock,
        poll_interval: float,
        listen: Callable[[threading.Event, threading.Event], None] | None = None,
    ) -> None:
        self.app, self.views, self.projector, self.lock = app, views, projector, lock
        self.poll_interval = poll_interval
        self._listen = listen
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._advanced = threading.Condition()
        self._subscribers: list[Subscriber] = []
        self._interests: set[str] | None = set()  # event topics the subscribers want; None: all
        self._threads: list[threading.Thread] = []
        self.position = 0  # last log position handled by this process
        self.projected = 0  # last log position this process projected into the views
        self._next_try = 0.0  # when a standby next asks for the projector lock
        app.add_listener(lambda _position: self._wake.set())

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        self.position = self._start_position()
        self._spawn(self._run, "threadlog-follower")
        if self._listen is not None:
            self._spawn(lambda: self._listen(self._wake, self._stopped), "threadlog-listen")

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self.lock.release()

    def subscribe(self, subscriber: Subscriber, topics: list[str] | None = None) -> None:
        """Call `subscriber(batch)` with every batch of new events, after it is projected.

        A subscriber that names the `topics` it cares for spares a process that does not
        project the views from reading (and decoding) the rest of the log.
        """
        self._subscribers.append(subscriber)
        if topics is None or self._interests is None:
            self._interests = None
        else:
            self._interests.update(topics)

    # -- read-your-writes ---------------------------------------------------------------------

    def wait_for(self, position: int, timeout: float = 10.0) -> bool:
        """Block until the views reflect the log up to `position`; False on timeout."""
        deadline = time.monotonic() + timeout
        if self.lock.held:
            with self._advanced:
                return self._advanced.wait_for(lambda: self.projected >= position, timeout)
        while self.views.position() < position:  # another process projects: poll its progress
            if time.monotonic() > deadline:
                return False
            time.sleep(0.003)
        return True

    # -- the loop -----------------------------------------------------------------------------

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _start_position(self) -> int:
        if self.lock.acquire():
            self.projector.forget()
            self.projected = self.views.position()
            return self.projected
        return self.app.recorder.max_notification_id() or 0

    def _run(self) -> None:
        while not self._stopped.is_set():
            self._wake.clear()
            try:
                advanced = self._step()
            except Exception:
                log.exception("following the log failed; retrying")
                self._stopped.wait(1.0)
                self.position = self._start_position()
                continue
            if not advanced:
                self._wake.wait(self.poll_interval)
            self._maybe_take_over()

    def _step(self) -> bool:
        projecting = self.lock.held
        if projecting:
            batch = read_batch(self.app, self.position)
            if batch:
                self.projector.apply(batch)
            reached = batch[-1][0] if batch else None
        else:
            batch, reached = self._read_for_subscribers()
        if reached is None:
            return False
        with self._advanced:
            self.position = reached
            if projecting:
                self.projected = reached
            self._advanced.notify_all()
        if batch:
            for subscriber in self._subscribers:
                subscriber(batch)
        return True

    def _read_for_subscribers(self) -> tuple[Batch, int | None]:
        """Another process projects: read only what this one's subscribers asked for."""
        if self._interests is None:
            batch = read_batch(self.app, self.position)
            return batch, batch[-1][0] if batch else None
        head = self.app.recorder.max_notification_id() or 0
        if head <= self.position:
            return [], None
        batch = read_batch(self.app, self.position, stop=head, topics=sorted(self._interests))
        return batch, batch[-1][0] if len(batch) == BATCH_SIZE else head

    def _maybe_take_over(self) -> None:
        """Take the lock if the projector is gone: looked at once per poll interval, busy or not
        (a standby that waited for a quiet log would leave the views stale under load)."""
        now = time.monotonic()
        if self.lock.held or now < self._next_try:
            return
        self._next_try = now + self.poll_interval
        if self.lock.acquire():
            log.info("this process now projects the views")
            self.projector.forget()
            self.position = self.projected = self.views.position()
