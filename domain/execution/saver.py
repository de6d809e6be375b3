"""A LangGraph checkpointer whose writes are events on the thread and whose reads come
from the checkpoint view.

Within a run, what the run itself saved is also kept in memory (the overlay): LangGraph
can read it back at once, before the buffered events reach the log and the view.
"""

from __future__ import annotations  # the class defines a method named `list`

import random
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from typing import Any, Protocol
from uuid import UUID

import msgspec
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    get_checkpoint_id,
    get_checkpoint_metadata,
    writes_sort_key,
)

from threadlog.domain import events as ev
from threadlog.domain.execution.jsonable import to_json
from threadlog.domain.execution.serde import RunSerializer
from threadlog.domain.ports import CheckpointReader, StoredCheckpoint, StoredWrite

Offload = Callable[..., Awaitable[Any]]
Key = tuple[str, str, str]  # thread id, namespace, checkpoint id


class ProgressSink(Protocol):
    """Where a run's checkpoints and writes go: buffered, then saved under its attempt."""

    def add(self, item: ev.Progress) -> None: ...

    async def sync(self) -> None:
        """Save everything added so far before returning (durability `sync`)."""


class EventSourcedSaver(BaseCheckpointSaver[str]):
    def __init__(
        self,
        reader: CheckpointReader,
        sink: ProgressSink | None = None,
        *,
        run_id: UUID | None = None,
        sync: bool = False,
        ignore_writes_of: UUID | None = None,
        offload: Offload,
    ) -> None:
        super().__init__(serde=RunSerializer())
        self.reader, self.sink, self.run_id, self.sync, self.offload = reader, sink, run_id, sync, offload
        self.ignore_writes_of = ignore_writes_of  # a rolled-back run: its writes no longer count
        self._saved: dict[Key, ev.SavedCheckpoint] = {}
        self._values: dict[Key, dict[str, Any]] = {}  # what this run saved, not yet serialised back
        self._writes: dict[Key, dict[tuple[str, int], StoredWrite]] = {}

    # -- writing: events through the sink ----------------------------------------------

    def put(
        self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, new_versions: ChannelVersions
    ) -> RunnableConfig:
        thread_id, ns = _thread(config), config["configurable"].get("checkpoint_ns", "")
        saved = ev.SavedCheckpoint(
            checkpoint_ns=ns,
            checkpoint_id=checkpoint["id"],
            parent_checkpoint_id=get_checkpoint_id(config),
            checkpoint={k: v for k, v in checkpoint.items() if k != "channel_values"},
            metadata=_plain(get_checkpoint_metadata(config, metadata)),
            blobs=[self._blob(channel, checkpoint, value) for channel, value in checkpoint["channel_values"].items()],
        )
        self._saved[(thread_id, ns, saved.checkpoint_id)] = saved
        self._values[(thread_id, ns, saved.checkpoint_id)] = dict(checkpoint["channel_values"])
        self._emit(saved)
        return {"configurable": {"thread_id": thread_id, "checkpoint_ns": ns, "checkpoint_id": saved.checkpoint_id}}

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        thread_id, ns = _thread(config), config["configurable"].get("checkpoint_ns", "")
        checkpoint_id = config["configurable"]["checkpoint_id"]
        channel_writes = [
            ev.ChannelWrite(WRITES_IDX_MAP.get(channel, i), channel, *self.serde.dumps_typed(value))
            for i, (channel, value) in enumerate(writes)
        ]
        self._remember_writes((thread_id, ns, checkpoint_id), task_id, task_path, channel_writes)
        self._emit(ev.TaskWrites(checkpoint_ns=ns, checkpoint_id=checkpoint_id, task_id=task_id,
                                 task_path=task_path, writes=channel_writes))

    async def aput(
        self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, new_versions: ChannelVersions
    ) -> RunnableConfig:
        saved = self.put(config, checkpoint, metadata, new_versions)
        if self.sync and self.sink:
            await self.sink.sync()
        return saved

    async def aput_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        self.put_writes(config, writes, task_id, task_path)
        if self.sync and self.sink:
            await self.sink.sync()

    def get_next_version(self, current: str | None, channel: None) -> str:
        # An increasing counter plus a random tail: a run that is rolled back and the
        # run after it never give a channel the same version.
        counter = 0 if current is None else int(str(current).split(".")[0])
        return f"{counter + 1:032}.{random.random():016}"  # noqa: S311 - uniqueness, not secrecy

    # -- reading: the overlay first, then the view -----------------------------------------

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        thread_id, ns = _thread(config), config["configurable"].get("checkpoint_ns", "")
        checkpoint_id = get_checkpoint_id(config)
        # What this run saved is newer than anything in the view: one run at a time.
        mine = self._saved.get((thread_id, ns, checkpoint_id)) if checkpoint_id else self._latest_saved(thread_id, ns)
        stored = StoredCheckpoint(mine, [], self.run_id) if mine else self.reader.get(UUID(thread_id), ns, checkpoint_id)
        return None if stored is None else self._tuple(thread_id, stored)

    def list(
        self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None, limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        if config is None:
            raise ValueError("listing checkpoints needs a thread_id")
        thread_id, ns = _thread(config), config["configurable"].get("checkpoint_ns")
        before_id = get_checkpoint_id(before) if before else None
        only_id = get_checkpoint_id(config)
        found = {s.checkpoint.checkpoint_id: s for s in self.reader.list(
            UUID(thread_id), ns, before=before_id, limit=None if only_id else limit, metadata=filter)}
        for (t, n, cid), saved in self._saved.items():
            if t == thread_id and (ns is None or n == ns) and (before_id is None or cid < before_id) and _matches(
                    saved.metadata, filter):
                found.setdefault(cid, StoredCheckpoint(saved, [], self.run_id))
        ordered = sorted(found.values(), key=lambda s: s.checkpoint.checkpoint_id, reverse=True)
        if only_id:
            ordered = [s for s in ordered if s.checkpoint.checkpoint_id == only_id]
        for stored in ordered[:limit] if limit is not None else ordered:
            yield self._tuple(thread_id, stored)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return await self.offload(self.get_tuple, config)

    async def alist(
        self, config: RunnableConfig | None, *, filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None, limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        tuples = await self.offload(lambda: list(self.list(config, filter=filter, before=before, limit=limit)))
        for item in tuples:
            yield item

    # -- helpers -------------------------------------------------------------------------------

    def _emit(self, item: ev.Progress) -> None:
        if self.sink is None:
            raise RuntimeError("this checkpointer only reads: threadlog writes state through runs")
        self.sink.add(item)

    def _blob(self, channel: str, checkpoint: Checkpoint, value: Any) -> ev.ChannelBlob:
        kind, data = self.serde.dumps_typed(value)
        return ev.ChannelBlob(channel, str(checkpoint["channel_versions"].get(channel, "")), kind, data)

    def _latest_saved(self, thread_id: str, ns: str) -> ev.SavedCheckpoint | None:
        mine = [s for (t, n, _), s in self._saved.items() if t == thread_id and n == ns]
        return max(mine, key=lambda s: s.checkpoint_id, default=None)

    def _remember_writes(self, key: Key, task_id: str, task_path: str, writes: list[ev.ChannelWrite]) -> None:
        kept = self._writes.setdefault(key, {})
        for write in writes:
            if write.idx < 0 or (task_id, write.idx) not in kept:  # LangGraph's rule: special writes replace
                kept[(task_id, write.idx)] = StoredWrite(task_id, task_path, write.idx, write.channel, write.type,
                                                         write.data, self.run_id)

    def _tuple(self, thread_id: str, stored: StoredCheckpoint) -> CheckpointTuple:
        saved = stored.checkpoint
        key = (thread_id, saved.checkpoint_ns, saved.checkpoint_id)
        merged = {(w.task_id, w.idx): w for w in stored.writes}
        for (task_id, idx), write in self._writes.get(key, {}).items():
            if idx < 0 or (task_id, idx) not in merged:
                merged[(task_id, idx)] = write
        writes = [w for w in merged.values() if self.ignore_writes_of is None or w.run_id != self.ignore_writes_of]
        values = self._values.get(key)
        if values is None:
            values = {b.channel: self.serde.loads_typed((b.type, b.data)) for b in saved.blobs}
        writes.sort(key=lambda w: writes_sort_key(w.task_path, w.task_id, w.idx))
        config = {"thread_id": thread_id, "checkpoint_ns": saved.checkpoint_ns}
        return CheckpointTuple(
            config={"configurable": {**config, "checkpoint_id": saved.checkpoint_id}},
            checkpoint={
                **saved.checkpoint,  # type: ignore[typeddict-item]
                "channel_values": dict(values),
            },
            metadata=saved.metadata,  # type: ignore[arg-type]
            parent_config=(
                {"configurable": {**config, "checkpoint_id": saved.parent_checkpoint_id}}
                if saved.parent_checkpoint_id else None
            ),
            pending_writes=[(w.task_id, w.channel, self.serde.loads_typed((w.type, w.data))) for w in writes],
        )


def _thread(config: RunnableConfig) -> str:
    return str(config["configurable"]["thread_id"])


def _matches(metadata: dict[str, Any], wanted: dict[str, Any] | None) -> bool:
    return not wanted or all(metadata.get(k) == v for k, v in wanted.items())


def _plain(metadata: Any) -> dict[str, Any]:
    """Metadata as plain JSON data (what the event and the view can hold)."""
    return msgspec.json.decode(to_json(metadata))
