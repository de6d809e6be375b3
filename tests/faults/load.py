"""Clients that keep creating threads and runs against a server, remembering what was acknowledged."""

import threading
from collections import Counter

import httpx

INPUT = {"messages": [{"role": "user", "content": "weather?"}]}


class Load:
    """`clients` threads, each creating a thread then runs on it until stopped."""

    def __init__(self, url: str, clients: int = 4, delay: float = 0.0) -> None:
        self.url, self.delay = url, delay
        self.acknowledged_threads: set[str] = set()
        self.acknowledged_runs: dict[str, str] = {}  # run id -> thread id
        self.statuses: Counter[int] = Counter()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def __enter__(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(30)

    def _client(self) -> None:
        with httpx.Client(base_url=self.url, timeout=15) as http:
            thread_id = None
            while not self._stop.is_set():
                try:
                    if thread_id is None:
                        response = http.post("/threads", json={})
                        self._count(response.status_code)
                        if response.status_code == 200:
                            thread_id = response.json()["thread_id"]
                            with self._lock:
                                self.acknowledged_threads.add(thread_id)
                        continue
                    response = http.post(f"/threads/{thread_id}/runs", json={
                        "assistant_id": "agent", "input": INPUT, "config": {"configurable": {"delay": self.delay}}})
                    self._count(response.status_code)
                    if response.status_code == 200:
                        with self._lock:
                            self.acknowledged_runs[response.json()["run_id"]] = thread_id
                except httpx.TransportError:
                    self._count(0)  # no answer: not acknowledged
                    self._stop.wait(0.05)

    def _count(self, status: int) -> None:
        with self._lock:
            self.statuses[status] += 1
