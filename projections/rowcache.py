"""The rows the projector wrote last, kept in memory so the next batch need not read them.

Valid only while this process is the one projector and its batches commit: the
projector forgets everything on a failed batch and when it (re)gains the lock.
"""

from collections import OrderedDict
from uuid import UUID

from threadlog.projections.database import Row


class RowCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._rows: OrderedDict[UUID, Row] = OrderedDict()

    def take(self, keys: set[UUID]) -> dict[UUID, Row]:
        """The cached rows among `keys` (the rest must be read from the views)."""
        return {key: self._rows[key] for key in keys if key in self._rows}

    def keep(self, rows: dict[UUID, Row]) -> None:
        for key, row in rows.items():
            self._rows[key] = row
            self._rows.move_to_end(key)
        while len(self._rows) > self.size:
            self._rows.popitem(last=False)

    def drop(self, keys: list[UUID]) -> None:
        for key in keys:
            self._rows.pop(key, None)

    def clear(self) -> None:
        self._rows.clear()
