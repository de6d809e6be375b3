"""One attempt of one run: the graph streamed with the event-sourced checkpointer, its
output recorded, and exactly one outcome decided (or the run handed back, or fenced off).
"""

import asyncio
import logging
from typing import Any
from uuid import UUID

from langgraph.pregel import Pregel
from langgraph.store.base import BaseStore
from langgraph.types import Command

from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.domain.execution.jsonable import JsonMemo
from threadlog.domain.execution.recorder import RunRecorder
from threadlog.domain.execution.saver import EventSourcedSaver, Offload
from threadlog.domain.execution.summary import summarize
from threadlog.domain.ports import CheckpointReader, RunToExecute

log = logging.getLogger(__name__)

# API stream modes and the LangGraph modes behind them.
STREAM_MODES = {"values": "values", "updates": "updates", "messages-tuple": "messages", "custom": "custom",
                "debug": "debug", "tasks": "tasks", "checkpoints": "checkpoints"}
NAMES = {lg: api if api != "messages-tuple" else "messages" for api, lg in STREAM_MODES.items()}


class RunExecution:
    def __init__(
        self, app: Threads, graph: Pregel, graph_id: str, reader: CheckpointReader, run: RunToExecute,
        started: ev.RunStarted, *, store: BaseStore, flush_after: float, timeout: float, offload: Offload,
    ) -> None:
        self.app, self.graph, self.graph_id, self.reader, self.run = app, graph, graph_id, reader, run
        self.store = store
        self.attempt = started.attempt
        self.timeout, self.offload = timeout, offload
        self.cancel_action: str | None = None
        self.shutting_down = False
        self.task: asyncio.Task[None] | None = None
        self._begun = self._cancelled = False
        self.json = JsonMemo()
        self.recorder = RunRecorder(app, run.thread_id, run.run_id, self.attempt, flush_after=flush_after,
                                    offload=offload, on_fenced=self._stop)

    def request_cancel(self, action: str) -> None:
        """A cancel request was recorded for this run: stop now, the aggregate decides how it ends."""
        if self.cancel_action != "rollback":
            self.cancel_action = action
        self._stop()

    def request_shutdown(self) -> None:
        self.shutting_down = True
        self._stop()

    def _stop(self) -> None:
        """Cancel the run's task, once: a second cancel would cut short recording how it stopped.
        Before execute() has begun there is nothing to cancel; it sees the request itself."""
        if self._begun and not self._cancelled and self.task is not None and not self.task.done():
            self._cancelled = True
            self.task.cancel()

    async def execute(self) -> None:
        self._begun = True
        kwargs = self.run.kwargs
        durable = kwargs.get("durability") == "sync"
        saver = EventSourcedSaver(self.reader, self.recorder, run_id=self.run.run_id, sync=durable,
                                  offload=self.offload)
        graph = self.graph.copy(update={"checkpointer": saver, "store": self.store})
        timer = asyncio.timeout(self.timeout)
        try:
            if self.cancel_action or self.shutting_down:  # asked to stop before it began
                raise asyncio.CancelledError
            resuming = await self._resuming(saver)
            async with timer:
                await self._stream(graph, self._config(resuming=resuming), None if resuming else _input(kwargs))
        except asyncio.CancelledError:
            if (task := asyncio.current_task()) and task.cancelling():
                task.uncancel()
            await self._stopped(graph, saver)
        except TimeoutError as e:
            if timer.expired():
                await self.recorder.finish(self.app.record_timed_out, state=await self._summary(graph))
            else:  # a TimeoutError of the graph's own is an ordinary failure
                await self._failed(graph, e)
        except Exception as e:  # the graph failed: the run ends `error`, the error kept
            await self._failed(graph, e)
        else:
            await self.recorder.finish(self.app.record_succeeded, state=await self._summary(graph))

    async def _stream(self, graph: Pregel, config: dict[str, Any], graph_input: Any) -> None:
        kwargs = self.run.kwargs
        modes = [STREAM_MODES[m] for m in _modes(kwargs) if m in STREAM_MODES]
        subgraphs = bool(kwargs.get("subgraphs"))
        async for part in graph.astream(
            graph_input, config, stream_mode=modes, subgraphs=subgraphs, context=kwargs.get("context"),
            interrupt_before=kwargs.get("interrupt_before"), interrupt_after=kwargs.get("interrupt_after"),
            durability=kwargs.get("durability") or "async",
        ):
            namespace, mode, data = part if subgraphs else ((), *part)
            name = "|".join([NAMES[mode], *namespace])
            self.recorder.add(ev.StreamChunk(name, self.json.encode(data)))

    async def _stopped(self, graph: Pregel, saver: EventSourcedSaver) -> None:
        if self.recorder.fenced:
            log.info("run %s attempt %s was taken over: stopped", self.run.run_id, self.attempt)
        elif self.cancel_action:
            action = None
            while action != self.cancel_action:  # a rollback may be asked for while summarising
                action = self.cancel_action
                summary = await self._summary(graph, rolled_back=action == "rollback", saver=saver)
            await self.recorder.finish(self.app.record_cancelled, state=summary)
        elif self.shutting_down:
            await self.recorder.requeue("worker shut down")
        else:
            raise asyncio.CancelledError

    async def _failed(self, graph: Pregel, error: BaseException) -> None:
        problem = ev.RunError(type(error).__name__, str(error))
        await self.recorder.finish(self.app.record_failed, problem, state=await self._summary(graph))

    async def _summary(
        self, graph: Pregel, *, rolled_back: bool = False, saver: EventSourcedSaver | None = None
    ) -> ev.StateSummary:
        """The thread's state as the API will show it: after the run, or (rolled back) before it."""
        config: dict[str, Any] = {"configurable": {"thread_id": str(self.run.thread_id)}}
        if rolled_back and saver is not None:
            thread = await self.offload(self.app.get_thread, self.run.thread_id)
            base = thread.runs[self.run.run_id].base_checkpoint_id if self.run.run_id in thread.runs else None
            if base is None:
                return ev.StateSummary()
            config["configurable"]["checkpoint_id"] = base
            graph = graph.copy(update={"checkpointer": EventSourcedSaver(
                self.reader, ignore_writes_of=self.run.run_id, offload=self.offload)})
        return await summarize(graph, config, self.json)

    async def _resuming(self, saver: EventSourcedSaver) -> bool:
        """A later attempt continues from what earlier attempts of this run checkpointed."""
        if self.attempt == 1:
            return False
        latest = await saver.aget_tuple({"configurable": {"thread_id": str(self.run.thread_id)}})
        return latest is not None and latest.metadata.get("run_id") == str(self.run.run_id)

    def _config(self, *, resuming: bool) -> dict[str, Any]:
        given = self.run.kwargs.get("config") or {}
        run, thread = str(self.run.run_id), str(self.run.thread_id)
        ids = {"run_id": run, "thread_id": thread, "graph_id": self.graph_id, "assistant_id": str(self.run.assistant_id)}
        configurable = {**(given.get("configurable") or {}), **ids}
        if self.run.kwargs.get("checkpoint_id") and not resuming:
            configurable["checkpoint_id"] = self.run.kwargs["checkpoint_id"]
        return {**given, "configurable": configurable,
                "metadata": {**(given.get("metadata") or {}), **self.run.metadata, **ids}, "run_id": UUID(run)}


def _input(kwargs: dict[str, Any]) -> Any:
    command = kwargs.get("command")
    if command:
        return Command(update=command.get("update"), resume=command.get("resume"), goto=command.get("goto") or ())
    return kwargs.get("input")


def _modes(kwargs: dict[str, Any]) -> list[str]:
    modes = kwargs.get("stream_mode") or ["values"]
    return [modes] if isinstance(modes, str) else list(modes)
