"""Domain errors: the ways a command on a thread can be refused."""

from uuid import UUID


class DomainError(Exception):
    """A command was refused; nothing was recorded unless the error says so."""


class NotFoundError(DomainError):
    """The thing a command names does not exist (or is hidden)."""


class ConflictError(DomainError):
    """The command clashes with the thread's current state."""


class ThreadNotFoundError(NotFoundError):
    def __init__(self, thread_id: UUID) -> None:
        super().__init__(f"Thread {thread_id} not found")
        self.thread_id = thread_id


class AssistantNotFoundError(NotFoundError):
    def __init__(self, assistant_id: object) -> None:
        super().__init__(f"Assistant {assistant_id} not found")
        self.assistant_id = assistant_id


class AssistantExistsError(ConflictError):
    def __init__(self, assistant_id: UUID) -> None:
        super().__init__(f"Assistant {assistant_id} already exists")
        self.assistant_id = assistant_id


class VersionNotFoundError(NotFoundError):
    def __init__(self, assistant_id: UUID, version: int) -> None:
        super().__init__(f"Assistant {assistant_id} has no version {version}")


class RunActiveError(ConflictError):
    def __init__(self, run_id: UUID) -> None:
        super().__init__(f"Run {run_id} is pending or running: cancel it first")
        self.run_id = run_id


class ThreadExistsError(ConflictError):
    def __init__(self, thread_id: UUID) -> None:
        super().__init__(f"Thread {thread_id} already exists")
        self.thread_id = thread_id


class ThreadDeletedError(NotFoundError):
    def __init__(self, thread_id: UUID) -> None:
        super().__init__(f"Thread {thread_id} not found")
        self.thread_id = thread_id


class RunNotActiveError(NotFoundError):
    """The run is unknown on this thread, or has already ended."""

    def __init__(self, run_id: UUID) -> None:
        super().__init__(f"Run {run_id} is not pending or running on this thread")
        self.run_id = run_id


class RunNotFoundError(NotFoundError):
    def __init__(self, run_id: UUID) -> None:
        super().__init__(f"Run {run_id} not found")
        self.run_id = run_id


class RunNotRunningError(ConflictError):
    def __init__(self, run_id: UUID) -> None:
        super().__init__(f"Run {run_id} is not running")
        self.run_id = run_id


class StaleAttemptError(ConflictError):
    """A worker wrote for an attempt that is no longer the run's current one (fencing)."""

    def __init__(self, run_id: UUID, attempt: int, current: int) -> None:
        super().__init__(f"Run {run_id}: attempt {attempt} is stale, current attempt is {current}")
        self.run_id = run_id


class NoCancelRequestedError(ConflictError):
    def __init__(self, run_id: UUID) -> None:
        super().__init__(f"Run {run_id} has no matching cancel request")
        self.run_id = run_id


class ThreadBusyError(ConflictError):
    def __init__(self, thread_id: UUID) -> None:
        super().__init__(f"Thread {thread_id} has a pending or running run")
        self.thread_id = thread_id


class RunRejectedError(ConflictError):
    """A double-text with strategy `reject` was refused; RunRejected *was* recorded."""

    MESSAGE = (
        "Thread is already running a task. Wait for it to finish or choose a "
        "different multitask strategy."
    )

    def __init__(self, run_id: UUID, position: int) -> None:
        super().__init__(self.MESSAGE)
        self.run_id = run_id
        self.position = position


class ConcurrencyError(ConflictError):
    """A command kept losing races on one thread; it was given up, nothing recorded."""

    def __init__(self, thread_id: UUID, attempts: int) -> None:
        super().__init__(f"Thread {thread_id} is too busy: gave up after {attempts} attempts")
        self.thread_id = thread_id


class StoreItemNotFoundError(NotFoundError):
    def __init__(self, namespace: list[str], key: str) -> None:
        super().__init__(f"Item {key!r} not found in namespace {namespace}")


class CronNotFoundError(NotFoundError):
    def __init__(self, cron_id: object) -> None:
        super().__init__(f"Cron {cron_id} not found")


class CronExistsError(ConflictError):
    def __init__(self, cron_id: object) -> None:
        super().__init__(f"Cron {cron_id} already exists")
