"""`threadlog serve` with worker processes beside it: they work, and they end with it."""

import signal
import time
from pathlib import Path

import pytest
from langgraph_sdk import get_sync_client

from tests.e2e.server import Server
from threadlog.ops.settings import Settings

SF = {"messages": [{"role": "user", "content": "what's the weather in sf?"}]}


def children_of(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def gone(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "\nState:\tZ" in status.read_text()


def wait_gone(pids: list[int], timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while (alive := [p for p in pids if not gone(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_worker_processes_run_the_runs_and_end_with_the_server(tmp_path, how) -> None:
    server = Server(Settings(data_dir=str(tmp_path), worker_processes=2), tmp_path)
    workers = children_of(server.process.pid)
    assert len(workers) == 2
    with get_sync_client(url=server.url) as client:
        thread_id = client.threads.create()["thread_id"]
        assert len(client.runs.wait(thread_id, "agent", input=SF)["messages"]) == 4
    server.process.process.send_signal(how)
    server.process.process.wait(30)
    server.stop()  # it has exited: this closes its log
    assert wait_gone(workers) == [], f"worker processes outlived the server ({how.name}):\n{server.process.output()}"
