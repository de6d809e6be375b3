"""Settings, read from the environment once at start-up and passed on explicitly.

Each field `name` is set by the variable `THREADLOG_NAME`.
"""

import os
from collections.abc import Mapping

import msgspec
from msgspec import Struct


class SettingsError(ValueError):
    """A setting has a value threadlog cannot use."""


class Settings(Struct, frozen=True, kw_only=True):
    data_dir: str = ".threadlog"
    database_url: str | None = None
    db_pool_size: int = 8
    db_max_overflow: int = 8
    db_connect_timeout: int = 5
    aggregate_cache_size: int = 1000
    max_attempts: int = 3
    graphs_config: str | None = None
    worker_concurrency: int = 10
    worker_processes: int = 0  # `serve` runs workers in-process (0) or in this many child processes
    worker_flush_ms: float = 100.0
    heartbeat_seconds: float = 2.0
    lease_seconds: float = 10.0
    run_timeout_seconds: float = 86_400.0
    max_body_bytes: int = 10 * 1024 * 1024
    store_timeout_seconds: float = 5.0  # a request waits this long for the store, then 503
    api_keys: str = ""  # key1=owner1,key2=owner2: access control on when set
    admin_api_keys: str = ""  # key3,key4: see every owner's resources

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        values = {
            name: env[key]
            for name in cls.__struct_fields__
            if (key := f"THREADLOG_{name.upper()}") in env and env[key] != ""
        }
        try:
            return msgspec.convert(values, cls, strict=False)
        except msgspec.ValidationError as e:
            raise SettingsError(f"bad setting: {e} (from THREADLOG_* environment variables)") from None

    @property
    def uses_postgres(self) -> bool:
        return bool(self.database_url)
