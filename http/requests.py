"""The request class: a body that cannot be decoded, or that the log could not store
(nested deeper than any real payload, integers beyond 64 bits), is the client's error
(422, as the reference server answers malformed JSON), caught before anything is written."""

from typing import Any

import anyio
from litestar import Request
from litestar.exceptions import SerializationException, ValidationException

MAX_NESTING = 100
SMALLEST_INT, LARGEST_INT = -(2**63), 2**64 - 1  # what the log's encoding (MessagePack) holds
WALK_OFF_LOOP = 64 * 1024  # bodies larger than this are checked in a worker thread


class JsonRequest(Request[Any, Any, Any]):
    async def json(self) -> Any:
        try:
            body = await super().json()
        except SerializationException as e:
            raise _malformed(str(e)) from None
        except RecursionError:
            raise _malformed(f"nested deeper than {MAX_NESTING} levels") from None
        except UnicodeDecodeError:
            raise _malformed("not valid UTF-8") from None
        large = len(await self.body()) > WALK_OFF_LOOP
        if problem := await anyio.to_thread.run_sync(unstorable, body) if large else unstorable(body):
            raise _malformed(problem)
        return body


def _malformed(problem: str) -> ValidationException:
    return ValidationException(detail=f"Malformed JSON body: {problem}")


def unstorable(body: Any) -> str | None:
    """What in this decoded JSON the log cannot hold, if anything (walked without recursing)."""
    pending = [(body, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, int) and not SMALLEST_INT <= item <= LARGEST_INT:
            return f"the integer {str(item)[:30]} is out of range (64 bits)"
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > MAX_NESTING:
            return f"nested deeper than {MAX_NESTING} levels"
        pending.extend((child, depth + 1) for child in children)
    return None
