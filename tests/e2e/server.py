"""A real `threadlog serve` process on a free 127.0.0.1 port, for tests that speak HTTP."""

import socket
import time
from pathlib import Path

import httpx

from tests.integration.processes import Process
from threadlog.ops.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, settings: Settings, log_dir: Path, *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = Process(["serve", "--port", str(self.port), *extra], settings, log_dir)
        self._wait_until_up()

    def _wait_until_up(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/ok", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if self.process.process.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"threadlog serve did not come up:\n{self.process.output()}")

    def stop(self) -> None:
        self.process.stop()
