"""Store 3: the store's items, as their latest put left them (deleted ones are gone)."""

from threadlog.ops.migrations.views_0001 import _TYPES

VERSION = 3
IS_VIEW = True
TABLE_NAMES = ["store_items"]


def statements(dialect: str, prefix: str) -> list[str]:
    types = _TYPES[dialect]
    return [
        f"CREATE TABLE {prefix}store_items (item_id {types['uuid']} PRIMARY KEY, owner TEXT, "
        f"namespace TEXT NOT NULL, key TEXT NOT NULL, value {types['json']} NOT NULL, "
        f"created_at {types['time']} NOT NULL, updated_at {types['time']} NOT NULL)",
        f"CREATE INDEX {prefix}store_items_namespace ON {prefix}store_items (namespace)",
    ]
