"""Request and response bodies of the HTTP API, as msgspec Structs (kept apart from events)."""
