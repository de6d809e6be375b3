"""Where the log lives: the eventsourcing configuration for SQLite or PostgreSQL."""

from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from threadlog.ops.settings import Settings, SettingsError

SQLITE_FILE = "threadlog.sqlite"


def store_env(settings: Settings) -> dict[str, str]:
    """The eventsourcing environment for the configured store."""
    common = {"AGGREGATE_CACHE_MAXSIZE": str(settings.aggregate_cache_size)}
    if settings.database_url:
        return {**common, **_postgres_env(settings)}
    return {**common, "PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(sqlite_path(settings))}


def sqlite_path(settings: Settings) -> Path:
    """The embedded store's file, its folder created on first use."""
    folder = Path(settings.data_dir).expanduser().resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder / SQLITE_FILE


def describe_store(settings: Settings) -> str:
    """Where the data lives, for people (the password left out)."""
    if not settings.database_url:
        return f"SQLite file {sqlite_path(settings)}"
    params = postgres_params(settings)
    return f"PostgreSQL database {params['dbname']} on {params['host']}:{params['port']}"


def postgres_params(settings: Settings) -> dict[str, str]:
    """Connection parameters from THREADLOG_DATABASE_URL, with the usual defaults."""
    params = _conninfo(settings.database_url or "")
    return {
        "dbname": params.get("dbname", "postgres"),
        "host": params.get("host", "localhost"),
        "port": params.get("port", "5432"),
        "user": params.get("user", "postgres"),
        "password": params.get("password", ""),
    }


def _postgres_env(settings: Settings) -> dict[str, str]:
    params = postgres_params(settings)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        **{f"POSTGRES_{name.upper()}": value for name, value in params.items()},
        "POSTGRES_POOL_SIZE": str(settings.db_pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.db_max_overflow),
        # A checkout that waits longer than this fails (and the library retries it a
        # few times): seconds, not the library's 30 s, so an exhausted pool shows.
        "POSTGRES_CONNECT_TIMEOUT": str(settings.db_connect_timeout),
        "POSTGRES_PRE_PING": "y",
        "POSTGRES_LOCK_TIMEOUT": "10",
    }


def _conninfo(url: str) -> dict[str, str]:
    try:
        return {k: str(v) for k, v in conninfo_to_dict(url).items()}
    except Exception as e:  # psycopg raises ProgrammingError for a malformed URL
        raise SettingsError(f"THREADLOG_DATABASE_URL is not a valid PostgreSQL URL: {e}") from None
