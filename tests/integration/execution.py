"""Running workers in tests: a worker on its own event loop thread, plus waiting helpers."""

import asyncio
import threading
import time
from typing import Any
from uuid import UUID, uuid4

import msgspec

from tests.integration.views import row
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.domain.execution.worker import Worker
from threadlog.ops.runtime import Runtime

AGENT = default_assistant_id("agent")
TERMINAL = {"success", "error", "timeout", "interrupted"}


class WorkerThread:
    """A worker beside the test, as `threadlog serve` runs it beside the API."""

    def __init__(self, runtime: Runtime, worker: Worker | None = None) -> None:
        self.runtime = runtime
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.worker = worker

    def __enter__(self) -> "WorkerThread":
        self.thread.start()
        self.worker = self.worker or self.runtime.worker()
        asyncio.run_coroutine_threadsafe(self.worker.start(), self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.worker.stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


def human(text: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": text}]}


def create_run(runtime: Runtime, thread_id: UUID, text: str | None = None, *, strategy: str = "enqueue",
               delay: float = 0, **kwargs: Any) -> UUID:
    run_id = uuid4()
    config = {"configurable": {"delay": delay, **kwargs.pop("configurable", {})}}
    run_kwargs = {"config": config, **({"input": human(text)} if text is not None else {}), **kwargs}
    after_seconds = run_kwargs.pop("after_seconds", 0)
    position = runtime.app.create_run(thread_id, run_id=run_id, assistant_id=AGENT, strategy=strategy,
                                      kwargs=run_kwargs, after_seconds=after_seconds)
    assert runtime.follower.wait_for(position)
    return run_id


def wait_run(runtime: Runtime, run_id: UUID, statuses: set[str] = TERMINAL, timeout: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = row(runtime, "runs", run_id=run_id)
        if found and found["status"] in statuses:
            return found
        time.sleep(0.02)
    raise AssertionError(f"run {run_id} did not reach {statuses}: {row(runtime, 'runs', run_id=run_id)}")


def wait_until(predicate: Any, timeout: float = 20, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := predicate():
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def thread_state(runtime: Runtime, thread_id: UUID) -> dict[str, Any]:
    return row(runtime, "threads", thread_id=thread_id)


def messages(runtime: Runtime, thread_id: UUID) -> list[tuple[str, str]]:
    """(type, content) of each message in the thread's values, as the API shows them."""
    values = thread_state(runtime, thread_id)["state_values"] or {}
    return [(m["type"], m["content"] if isinstance(m["content"], str) else msgspec.json.encode(m["content"]).decode())
            for m in values.get("messages", [])]


def checkpoints_of(runtime: Runtime, run_id: UUID) -> int:
    return len(runtime.views.query("SELECT checkpoint_id FROM tl_checkpoints WHERE run_id = ?", [run_id]))
