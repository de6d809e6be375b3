"""API keys: who is calling, and whose resources they may see (off when no keys are set).

A key arrives as `x-api-key` (what langgraph_sdk sends) or `Authorization: Bearer`.
Each key belongs to an owner; an admin key sees everyone's. Keys are compared in
constant time and never logged.
"""

import hmac
from collections.abc import Mapping

from litestar.types import ASGIApp, Receive, Scope, Send

OPEN_PATHS = ("/ok", "/docs")


class ApiKeys:
    def __init__(self, owners: Mapping[str, str], admins: set[str]) -> None:
        self._keys = [(key.encode(), owner) for key, owner in owners.items()]
        self._keys += [(key.encode(), None) for key in admins]

    @property
    def enabled(self) -> bool:
        return bool(self._keys)

    def owner_of(self, presented: str) -> tuple[bool, str | None]:
        """(known, owner): an admin key is known with owner None. Every key is compared."""
        given = presented.encode()
        found, owner = False, None
        for key, key_owner in self._keys:
            if hmac.compare_digest(key, given):
                found, owner = True, key_owner
        return found, owner


def parse_keys(owners: str, admins: str) -> ApiKeys:
    """`key1=owner1,key2=owner2` and `key3,key4`."""
    pairs = [item.split("=", 1) for item in owners.split(",") if item.strip()]
    if any(len(pair) != 2 or not pair[0].strip() or not pair[1].strip() for pair in pairs):
        raise ValueError("THREADLOG_API_KEYS must look like key1=owner1,key2=owner2")
    return ApiKeys({k.strip(): o.strip() for k, o in pairs}, {a.strip() for a in admins.split(",") if a.strip()})


def api_key_middleware(keys: ApiKeys):
    """ASGI middleware: 401 without a valid key; else the caller's owner in scope state."""

    def middleware(app: ASGIApp) -> ASGIApp:
        async def guarded(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http" or not keys.enabled or scope["path"].startswith(OPEN_PATHS):
                await app(scope, receive, send)
                return
            known, owner = keys.owner_of(_presented_key(scope))
            if not known:
                await _unauthorized(send)
                return
            scope.setdefault("state", {})["owner"] = owner
            await app(scope, receive, send)

        return guarded

    return middleware


def _presented_key(scope: Scope) -> str:
    headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
    if key := headers.get("x-api-key"):
        return key
    scheme, _, token = headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def _unauthorized(send: Send) -> None:
    body = b'{"detail":"Missing or invalid API key: send it as x-api-key or Authorization: Bearer."}'
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"www-authenticate", b"Bearer")]})
    await send({"type": "http.response.body", "body": body})
