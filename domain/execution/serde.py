"""LangGraph's serializer, taught not to serialise the same message twice within a run.

A message history is a list channel; every checkpoint carries it whole, so a run would
serialise its old messages once per step. msgpack arrays compose: an array header
followed by each item's own encoding is the encoding of the list, so each item is
encoded once (per saver, that is per run) and the list is assembled from the pieces.
"""

import struct
from typing import Any

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

MIN_ITEMS = 8  # below this, encoding the list whole is as cheap


class RunSerializer(JsonPlusSerializer):
    def __init__(self) -> None:
        super().__init__()
        self._items: dict[int, tuple[Any, bytes]] = {}  # keeps each item alive: its id stays its own

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        if type(obj) is not list or len(obj) < MIN_ITEMS:
            return super().dumps_typed(obj)
        parts = []
        for item in obj:
            if (done := self._items.get(id(item))) is None:
                kind, data = super().dumps_typed(item)
                if kind != "msgpack":  # None, bytes...: not a msgpack value of its own
                    return super().dumps_typed(obj)
                done = self._items[id(item)] = (item, data)
            parts.append(done[1])
        return "msgpack", _array_header(len(obj)) + b"".join(parts)


def _array_header(length: int) -> bytes:
    if length < 16:
        return bytes([0x90 | length])
    if length < 2**16:
        return b"\xdc" + struct.pack(">H", length)
    return b"\xdd" + struct.pack(">I", length)
