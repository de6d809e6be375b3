"""Views 1: threads, runs, checkpoints (with their pending writes), the run audit, assistants."""

VERSION = 1
IS_VIEW = True

_TABLES = {
    "threads": """
        thread_id {uuid} PRIMARY KEY,
        status TEXT NOT NULL,
        metadata {json} NOT NULL,
        state_values {json},
        interrupts {json} NOT NULL,
        next {json} NOT NULL,
        error {json},
        head_checkpoint_id TEXT,
        graph_id TEXT,
        copied_from {uuid},
        owner TEXT,
        inflight INTEGER NOT NULL,
        last_outcome TEXT,
        created_at {time} NOT NULL,
        updated_at {time} NOT NULL,
        state_updated_at {time} NOT NULL,
        deleted BOOLEAN NOT NULL,
        version BIGINT NOT NULL""",
    "runs": """
        run_id {uuid} PRIMARY KEY,
        thread_id {uuid} NOT NULL,
        assistant_id {uuid} NOT NULL,
        status TEXT NOT NULL,
        multitask_strategy TEXT NOT NULL,
        kwargs {json} NOT NULL,
        metadata {json} NOT NULL,
        attempt INTEGER NOT NULL,
        error {json},
        output {json},
        interrupts {json},
        owner TEXT,
        cancel_action TEXT,
        worker_id TEXT,
        seq BIGINT NOT NULL,
        created_at {time} NOT NULL,
        updated_at {time} NOT NULL,
        not_before {time} NOT NULL,
        started_at {time},
        ended_at {time},
        rolled_back BOOLEAN NOT NULL,
        deleted BOOLEAN NOT NULL""",
    "checkpoints": """
        thread_id {uuid} NOT NULL,
        checkpoint_ns TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        parent_checkpoint_id TEXT,
        run_id {uuid},
        checkpoint {blob} NOT NULL,  -- the SavedCheckpoint, msgpack: dict and channel values
        metadata {json} NOT NULL,
        seq BIGINT NOT NULL,
        created_at {time} NOT NULL,
        rolled_back BOOLEAN NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)""",
    "checkpoint_writes": """
        thread_id {uuid} NOT NULL,
        checkpoint_ns TEXT NOT NULL,
        checkpoint_id TEXT NOT NULL,
        task_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        channel TEXT NOT NULL,
        type TEXT NOT NULL,
        data {blob} NOT NULL,
        task_path TEXT NOT NULL,
        run_id {uuid},
        seq BIGINT NOT NULL,
        rolled_back BOOLEAN NOT NULL,
        PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)""",
    "run_audit": """
        run_id {uuid} PRIMARY KEY,
        thread_id {uuid} NOT NULL,
        assistant_id {uuid} NOT NULL,
        outcome TEXT NOT NULL,
        reason TEXT NOT NULL,
        caused_by_run_id {uuid},
        error {json},
        attempts INTEGER NOT NULL,
        multitask_strategy TEXT,
        queued_at {time},
        started_at {time},
        ended_at {time} NOT NULL,
        position BIGINT NOT NULL,
        owner TEXT""",
    "assistants": """
        assistant_id {uuid} PRIMARY KEY,
        graph_id TEXT NOT NULL,
        config {json} NOT NULL,
        context {json} NOT NULL,
        metadata {json} NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        version INTEGER NOT NULL,
        created_at {time} NOT NULL,
        updated_at {time} NOT NULL,
        owner TEXT,
        deleted BOOLEAN NOT NULL""",
    "assistant_versions": """
        assistant_id {uuid} NOT NULL,
        version INTEGER NOT NULL,
        graph_id TEXT NOT NULL,
        config {json} NOT NULL,
        context {json} NOT NULL,
        metadata {json} NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        created_at {time} NOT NULL,
        PRIMARY KEY (assistant_id, version)""",
}

TABLE_NAMES = list(_TABLES)

# Few indexes on purpose: each one slows every batch the projector writes. Checkpoint
# reads go by primary key (thread, namespace, checkpoint id), which also orders history.
_INDEXES = [
    "threads (created_at)",
    "threads (updated_at)",
    "runs (thread_id, created_at)",
    "runs (status, not_before)",
    "run_audit (thread_id, ended_at)",
    "run_audit (ended_at)",
    "assistants (created_at)",
]

_TYPES = {
    "sqlite": {"uuid": "TEXT", "json": "TEXT", "time": "TEXT", "blob": "BLOB"},
    "postgres": {"uuid": "UUID", "json": "JSONB", "time": "TIMESTAMPTZ", "blob": "BYTEA"},
}


def statements(dialect: str, prefix: str) -> list[str]:
    types = _TYPES[dialect]
    tables = [f"CREATE TABLE {prefix}{name} ({body.format(**types)})" for name, body in _TABLES.items()]
    indexes = [
        f"CREATE INDEX {prefix}{spec.split(' ')[0]}_{i} ON {prefix}{spec}" for i, spec in enumerate(_INDEXES)
    ]
    if dialect == "postgres":
        indexes.append(f"CREATE INDEX {prefix}threads_metadata ON {prefix}threads USING GIN (metadata jsonb_path_ops)")
    return tables + indexes
