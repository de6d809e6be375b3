"""Turning what graphs produce (LangChain messages, interrupts, pydantic models, ...) into
JSON the way the reference server shows it: messages as their model dump."""

from collections.abc import Mapping
from typing import Any

import msgspec
from pydantic import BaseModel


def _shape(obj: Any) -> Any:
    # msgspec itself handles dataclasses (LangGraph's Interrupt, Send), UUIDs and times.
    if isinstance(obj, BaseModel):
        return obj.model_dump()
    if isinstance(obj, Mapping):
        return dict(obj)
    if hasattr(obj, "_asdict"):
        return obj._asdict()
    if isinstance(obj, tuple | frozenset):
        return list(obj)
    return repr(obj)  # the last resort: still valid JSON, never a failed run


_encoder = msgspec.json.Encoder(enc_hook=_shape)


def to_json(value: Any) -> bytes:
    return _encoder.encode(value)


class JsonMemo:
    """JSON for one run's output: each message is dumped once, however many of the run's
    stream chunks repeat it (a `values` chunk carries the whole history every step)."""

    def __init__(self) -> None:
        self._done: dict[int, tuple[Any, msgspec.Raw]] = {}  # keeps each object alive: its id stays its own
        self._encoder = msgspec.json.Encoder(enc_hook=self._shape)

    def encode(self, value: Any) -> bytes:
        return self._encoder.encode(value)

    def _shape(self, obj: Any) -> Any:
        if not isinstance(obj, BaseModel):
            return _shape(obj)
        if (done := self._done.get(id(obj))) is None:
            done = self._done[id(obj)] = (obj, msgspec.Raw(_encoder.encode(obj.model_dump())))
        return done[1]
