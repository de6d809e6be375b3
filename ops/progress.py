"""A progress bar for long command-line work, drawn on stderr."""

import sys
import time


class ProgressBar:
    def __init__(self, total: int, label: str, width: int = 30) -> None:
        self.total = max(total, 1)
        self.label = label
        self.width = width
        self.started = time.monotonic()

    def update(self, done: int) -> None:
        share = min(done / self.total, 1.0)
        filled = int(share * self.width)
        rate = done / max(time.monotonic() - self.started, 1e-9)
        bar = "#" * filled + "." * (self.width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {done:,}/{self.total:,} ({rate:,.0f}/s)")
        sys.stderr.flush()

    def finish(self) -> None:
        sys.stderr.write("\n")
