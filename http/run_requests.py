"""Creating runs from API requests, and following them to their end."""

from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import msgspec
from uuid_utils.compat import uuid7

from threadlog.domain.errors import AssistantNotFoundError, RunNotFoundError, ThreadExistsError, ThreadNotFoundError
from threadlog.domain.execution.graphs import default_assistant_id
from threadlog.http.errors import BadRequestError, InvalidInputError
from threadlog.http.present import run_result
from threadlog.http.schemas.runs import RunCreateStateful, RunCreateStateless
from threadlog.http.services import Services
from threadlog.projections.database import Row
from threadlog.projections.runs_read import TERMINAL

RunBody = RunCreateStateful | RunCreateStateless
NOT_FOUND = "Thread or assistant not found."


async def resolve_assistant(services: Services, given: str, owner: str | None) -> Row:
    """The assistant a run names: its id, or a graph's name (its default assistant)."""
    if given in services.graphs.specs:
        assistant_id = default_assistant_id(given)
    else:
        try:
            assistant_id = UUID(given)
        except ValueError:
            raise InvalidInputError(f"Invalid assistant: '{given}' is neither a UUID nor a graph name") from None
    row = await services.call(services.assistants.get, assistant_id, owner)
    if row is None:
        raise AssistantNotFoundError(assistant_id)
    return row


async def start_run(
    services: Services, thread_id: UUID | None, body: RunBody, *, owner: str | None = None,
    assistant: Row | None = None,
) -> Row:
    """Create a run (and its thread, when asked or stateless); return it as the views show it.
    `assistant`: the one the body names, when the caller has looked it up already."""
    assistant = assistant or await resolve_assistant(services, body.assistant_id, owner)
    check_body(body, stateless=thread_id is None)
    temporary = thread_id is None and body.on_completion != "keep"
    if thread_id is None:
        thread_id = uuid7()
        await _create_thread(services, thread_id, assistant, owner)
    elif await services.call(services.threads.get, thread_id, owner) is None:
        if body.if_not_exists != "create":
            raise ThreadNotFoundError(thread_id)
        await _create_thread(services, thread_id, assistant, owner)
    run_id = uuid7()
    position = await services.call(lambda: services.app.create_run(
        thread_id, run_id=run_id, assistant_id=UUID(str(assistant["assistant_id"])),
        strategy=getattr(body, "multitask_strategy", "enqueue"), after_seconds=body.after_seconds,
        kwargs=_kwargs(body, thread_id, run_id, assistant, temporary), metadata=body.metadata,
        graph_id=assistant["graph_id"],
    ))
    await services.written(position)
    return await services.call(services.runs.find, run_id)


async def _create_thread(services: Services, thread_id: UUID, assistant: Row, owner: str | None) -> None:
    metadata = {"graph_id": assistant["graph_id"], "assistant_id": str(assistant["assistant_id"])}
    try:
        position = await services.call(lambda: services.app.create_thread(
            thread_id, metadata=metadata, graph_id=assistant["graph_id"], owner=owner))
    except ThreadExistsError:
        # Created a moment ago by a racing request (use it), or someone else's (don't).
        if await services.call(services.threads.get, thread_id, owner) is None:
            raise ThreadNotFoundError(thread_id) from None
        return
    await services.written(position)


def check_body(body: RunBody, *, stateless: bool) -> None:
    if body.config.get("configurable") and body.context:
        raise BadRequestError("Cannot specify both configurable and context. Prefer setting context alone.")
    if body.input is not None and body.command is not None:
        raise BadRequestError("Cannot specify both input and command.")
    if stateless and body.command is not None and body.command.resume is not None:
        raise BadRequestError("Cannot resume a stateless run: it has no thread to resume.")


def _kwargs(body: RunBody, thread_id: UUID, run_id: UUID, assistant: Row, temporary: bool) -> dict[str, Any]:
    """What the run will execute with, shaped as the reference server stores it."""
    assistant_config = msgspec.json.decode(assistant["config"] or "{}")
    config = {**assistant_config, **body.config}
    checkpoint = getattr(body, "checkpoint", None)
    checkpoint_id = getattr(body, "checkpoint_id", None) or (checkpoint.checkpoint_id if checkpoint else None)
    ids = {"run_id": str(run_id), "thread_id": str(thread_id), "graph_id": assistant["graph_id"],
           "assistant_id": str(assistant["assistant_id"])}
    configurable = {**(assistant_config.get("configurable") or {}), **(body.config.get("configurable") or {}), **ids}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    modes = body.stream_mode if isinstance(body.stream_mode, list) else [body.stream_mode]
    return {
        "input": body.input, "command": msgspec.to_builtins(body.command) if body.command else None,
        "config": {**config, "configurable": configurable},
        "context": body.context or msgspec.json.decode(assistant["context"] or "{}") or None,
        "stream_mode": modes, "interrupt_before": body.interrupt_before, "interrupt_after": body.interrupt_after,
        "webhook": body.webhook, "feedback_keys": body.feedback_keys, "temporary": temporary,
        "subgraphs": body.stream_subgraphs, "resumable": body.stream_resumable, "checkpoint_id": checkpoint_id,
        "durability": body.durability or ("async" if body.checkpoint_during is not False else "exit"),
    }


async def run_outcome(services: Services, thread_id: UUID, run_id: UUID) -> AsyncIterator[Row | None]:
    """Follow a run to its end: yields None at each heartbeat, then the ended run's row."""
    with services.hub.watching(thread_id) as watch:
        while True:
            row = await services.call(services.runs.find, run_id)
            if row is None or str(row["thread_id"]) != str(thread_id):
                raise RunNotFoundError(run_id)
            if row["status"] in TERMINAL:
                yield row
                return
            position = await watch.wait(services.settings.heartbeat_seconds)
            if position is None:
                yield None
            else:
                await services.hub.reached(position)


async def result_body(services: Services, thread_id: UUID, run_id: UUID) -> AsyncIterator[bytes]:
    """The body of /wait and /join: a newline while waiting (keeps proxies patient), then the
    run's final values."""
    async for row in run_outcome(services, thread_id, run_id):
        yield b"\n" if row is None else bytes(run_result(row))
