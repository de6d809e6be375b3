"""Cross-process wake-ups for the embedded store, which has no LISTEN/NOTIFY.

Each process on a SQLite file binds a UNIX datagram socket in a folder beside it and,
after every save, rings the others' sockets: a byte each, never waited for. A follower
woken this way reads the log at once instead of at its next poll (which stays, as the
safety net, for a lost ring).
"""

import contextlib
import logging
import os
import socket
import threading
import time
import uuid
from pathlib import Path

log = logging.getLogger(__name__)


class Doorbell:
    LOOK_EVERY = 1.0  # seconds between looks for other processes' sockets

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}-{uuid.uuid4().hex[:8]}.sock"
        self._sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._sender.setblocking(False)
        self._peers: list[str] = []
        self._looked = 0.0
        self._receiver: socket.socket | None = None

    def listen(self, wake: threading.Event, stopped: threading.Event) -> None:
        """The follower's listen loop: set `wake` whenever another process rings."""
        self._receiver = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self._receiver.bind(str(self.path))
        self._receiver.settimeout(0.5)
        try:
            while not stopped.is_set():
                with contextlib.suppress(TimeoutError):
                    self._receiver.recv(64)
                    wake.set()
        finally:
            self._receiver.close()
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def ring(self, _position: int = 0) -> None:
        """Tell the other processes the log moved (the application's save listener)."""
        if time.monotonic() - self._looked > self.LOOK_EVERY:  # processes come and go
            self._peers = [str(p) for p in self.folder.glob("*.sock") if p != self.path]
            self._looked = time.monotonic()
        for peer in list(self._peers):
            try:
                self._sender.sendto(b"!", peer)
            except (ConnectionRefusedError, FileNotFoundError):
                self._forget(peer)
            except BlockingIOError:
                pass  # its queue is full: it has plenty of wake-ups pending already

    def _forget(self, peer: str) -> None:
        # A socket nobody listens on: its process is gone. Remove it, if it is still there.
        with contextlib.suppress(FileNotFoundError):
            Path(peer).unlink()
        self._peers = [p for p in self._peers if p != peer]

    def close(self) -> None:
        self._sender.close()
