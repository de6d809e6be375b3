"""Store items on both stores: racing puts all land, in one order the views agree with."""

import threading
from uuid import uuid4

from tests.integration.views import rows_of
from threadlog.domain.store_item import store_item_id


def test_racing_puts_on_one_item_all_land_and_the_view_shows_the_last(runtime) -> None:
    writers, puts, namespace = 6, 10, ["race", uuid4().hex]  # the PostgreSQL database is shared
    failures: list[BaseException] = []

    def put_many(n: int) -> None:
        try:
            for i in range(puts):
                runtime.app.put_store_item("ann", namespace, "k", {"writer": n, "i": i})
        except BaseException as e:  # noqa: BLE001 - collected and asserted on below
            failures.append(e)

    threads = [threading.Thread(target=put_many, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    events = list(runtime.app.events.get(store_item_id("ann", namespace, "k")))
    assert [e.originator_version for e in events] == list(range(1, writers * puts + 1))
    assert runtime.follower.wait_for(runtime.app.recorder.max_notification_id(), timeout=10)
    assert len(rows_of(runtime, "store_items", namespace=".".join(namespace))) == 1
    item = runtime.store.get("ann", namespace, "k")
    assert item.value == events[-1].value
    assert (item.created_at, item.updated_at) == (events[0].timestamp, events[-1].timestamp)
