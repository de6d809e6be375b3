"""Turning what graphs produce (LangChain messages, interrupts, pydantic models, ...) into
JSON the way the reference server shows it: messages as their model dump."""

from collections.abc import Mapping
from typing import Any

import msgspec
from pydantic import BaseModel


def _hook(obj: Any) -> Any:
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


_encoder = msgspec.json.Encoder(enc_hook=_hook)


def to_json(value: Any) -> bytes:
    return _encoder.encode(value)
