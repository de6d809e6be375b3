"""Reading the log in batches and projecting them: shared by live following and rebuilds."""

import queue
import threading
from collections.abc import Callable, Iterator

from threadlog.domain.application import Threads
from threadlog.projections.projector import Batch, ViewProjector

BATCH_SIZE = 1000


def read_batch(
    app: Threads, after: int, *, stop: int | None = None, limit: int = BATCH_SIZE, topics: list[str] | None = None
) -> Batch:
    """The decoded events after log position `after` (up to `stop`, of `topics`), oldest first."""
    notes = app.recorder.select_notifications(start=after, limit=limit, stop=stop, topics=topics or (),
                                              inclusive_of_start=False)
    return [(n.id, app.mapper.to_domain_event(n)) for n in notes]


def project_log(
    app: Threads,
    projector: ViewProjector,
    *,
    after: int = 0,
    stop: int | None = None,
    track: bool = True,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Project every event after `after` (up to `stop`) in batches; return the last position."""
    position = after
    for batch in _read_ahead(app, after, stop):
        projector.apply(batch, track=track)
        position = batch[-1][0]
        if on_batch:
            on_batch(position)
    return position


def _read_ahead(app: Threads, after: int, stop: int | None) -> Iterator[Batch]:
    """Batches read by a second thread, so reading the next overlaps writing this one."""
    batches: queue.Queue[Batch | BaseException] = queue.Queue(maxsize=2)
    done = threading.Event()

    def read() -> None:
        position = after
        try:
            while not done.is_set():
                batch = read_batch(app, position, stop=stop)
                batches.put(batch)
                if not batch:
                    return
                position = batch[-1][0]
        except BaseException as e:  # handed to the consumer, which re-raises it
            batches.put(e)

    reader = threading.Thread(target=read, name="threadlog-read-ahead", daemon=True)
    reader.start()
    try:
        while (item := batches.get()) != []:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        done.set()
        while reader.is_alive():  # unblock a reader waiting on a full queue
            try:
                batches.get_nowait()
            except queue.Empty:
                reader.join(0.01)
