"""How events and snapshots become stored bytes and back: msgspec msgpack, typed by topic.

eventsourcing 9.5 only knows dataclass events; this mapper lets it store msgspec Structs.
Decoding is typed by the class the topic names, so UUIDs, datetimes and nested Structs
come back exactly as they went in.
"""

from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

import msgspec
from eventsourcing.persistence import Cipher, Compressor, Mapper, StoredEvent
from eventsourcing.utils import get_topic, resolve_topic
from msgspec import Struct

_encoder = msgspec.msgpack.Encoder(uuid_format="bytes")


@cache
def _decoder(cls: type[Any]) -> msgspec.msgpack.Decoder[Any]:
    return msgspec.msgpack.Decoder(cls)


def encode(obj: Struct) -> bytes:
    return _encoder.encode(obj)


def decode(data: bytes, cls: type[Any]) -> Any:
    return _decoder(cls).decode(data)


class Snapshot(Struct, frozen=True, kw_only=True):
    """An aggregate's whole state at one version, so replay can start there."""

    originator_id: UUID
    originator_version: int
    timestamp: datetime
    topic: str
    state: bytes

    @classmethod
    def take(cls, aggregate: Any) -> "Snapshot":
        return cls(
            originator_id=aggregate.id,
            originator_version=aggregate.version,
            timestamp=aggregate.modified_on,
            topic=get_topic(type(aggregate)),
            state=encode(aggregate),
        )

    def restore(self) -> Any:
        return decode(self.state, resolve_topic(self.topic))


class MsgspecMapper(Mapper[UUID]):
    """Maps msgspec Struct events to StoredEvents (compression and cipher still apply)."""

    def __init__(self, compressor: Compressor | None = None, cipher: Cipher | None = None) -> None:
        self.compressor = compressor
        self.cipher = cipher

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        state = encode(domain_event)
        if self.compressor:
            state = self.compressor.compress(state)
        if self.cipher:
            state = self.cipher.encrypt(state)
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(type(domain_event)),
            state=state,
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        state = stored_event.state
        if self.cipher:
            state = self.cipher.decrypt(state)
        if self.compressor:
            state = self.compressor.decompress(state)
        return decode(state, resolve_topic(stored_event.topic))
