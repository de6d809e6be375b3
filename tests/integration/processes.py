"""Starting threadlog processes (workers, servers) for tests, and stopping or killing them."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from threadlog.ops.settings import Settings

SETTING_NAMES = Settings.__struct_fields__


def settings_env(settings: Settings) -> dict[str, str]:
    """The THREADLOG_* variables that give another process these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLOG_")}
    for name in SETTING_NAMES:
        value = getattr(settings, name)
        if value is not None:
            env[f"THREADLOG_{name.upper()}"] = str(value)
    return env


class Process:
    """A `threadlog ...` command in a process of its own, its output kept in a file."""

    def __init__(self, args: list[str], settings: Settings, log_dir: Path) -> None:
        self.log_path = log_dir / f"{args[0]}-{time.monotonic_ns()}.log"
        self._log: IO[bytes] = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "threadlog.ops.cli", *args], env=settings_env(settings),
            stdout=self._log, stderr=subprocess.STDOUT,
        )

    @property
    def pid(self) -> int:
        return self.process.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; output:\n{self.output()}")
            time.sleep(0.05)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._log.close()

    def stop(self, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()
        return self.process.returncode
