"""A randomised workload of commands on a few threads: every kind of event, in any order."""

import random
from datetime import UTC, datetime
from uuid import UUID, uuid4

from tests.unit.history import ASSISTANT, checkpoint
from threadlog.domain import events as ev
from threadlog.domain.application import Threads
from threadlog.domain.errors import DomainError

STRATEGIES: list[ev.Strategy] = ["reject", "enqueue", "interrupt", "rollback"]


def summary(rng: random.Random) -> ev.StateSummary:
    n = rng.randrange(5)
    return ev.StateSummary(checkpoint_id=f"cp-{n}", values=b'{"n":%d}' % n, next=["agent"] * (n % 2))


class Workload:
    def __init__(self, app: Threads, seed: int, threads: int = 8) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.threads: list[UUID] = []
        self.runs: dict[UUID, list[UUID]] = {}
        for _ in range(threads):
            self.new_thread()

    def new_thread(self) -> None:
        thread_id = uuid4()
        self.app.create_thread(thread_id, metadata={"n": len(self.threads)})
        self.threads.append(thread_id)
        self.runs[thread_id] = []

    def run(self, commands: int) -> int:
        """Issue `commands` random commands; return how many were accepted."""
        accepted = 0
        for _ in range(commands):
            command = self.rng.choice(self.COMMANDS)
            thread_id = self.rng.choice(self.threads)
            try:
                command(self, thread_id)
                accepted += 1
            except DomainError:
                pass
        return accepted

    def _any_run(self, thread_id: UUID) -> UUID:
        runs = self.runs[thread_id]
        return self.rng.choice(runs) if runs else uuid4()

    def _running(self, thread_id: UUID) -> tuple[UUID, int] | None:
        thread = self.app.get_thread(thread_id)
        running = [r for r in thread.runs.values() if r.status == "running"]
        return (running[0].run_id, running[0].attempt) if running else None

    def create_run(self, thread_id: UUID) -> None:
        run_id = uuid4()
        self.runs[thread_id].append(run_id)
        self.app.create_run(thread_id, run_id=run_id, assistant_id=ASSISTANT, strategy=self.rng.choice(STRATEGIES),
                            kwargs={"input": {"n": self.rng.random()}}, metadata={"m": 1})

    def claim(self, thread_id: UUID) -> None:
        self.app.claim_next_run(thread_id, f"w{self.rng.randrange(3)}")

    def progress(self, thread_id: UUID) -> None:
        if running := self._running(thread_id):
            n = self.rng.randrange(1000)
            writes = ev.TaskWrites(checkpoint_id=f"cp-{n}", task_id="t", writes=[
                ev.ChannelWrite(self.rng.choice([0, 1, -1]), "messages", "json", b"[%d]" % n)])
            self.app.record_progress(thread_id, *running, [checkpoint(f"cp-{n}"), writes, ev.StreamChunk("values", b"{}")])

    def finish(self, thread_id: UUID) -> None:
        if running := self._running(thread_id):
            choice = self.rng.randrange(4)
            state = summary(self.rng)
            if choice == 0:
                self.app.record_failed(thread_id, *running, ev.RunError("ValueError", "boom"), state=state)
            elif choice == 1:
                self.app.record_timed_out(thread_id, *running, state=state)
            elif choice == 2:
                self.app.requeue_run(thread_id, *running, "lease expired")
            else:
                self.app.record_succeeded(thread_id, *running, state=state)

    def cancel(self, thread_id: UUID) -> None:
        self.app.request_cancel(thread_id, self._any_run(thread_id), self.rng.choice(["interrupt", "rollback"]))

    def stop_cancelled(self, thread_id: UUID) -> None:
        if running := self._running(thread_id):
            self.app.record_cancelled(thread_id, *running, state=summary(self.rng))

    def metadata(self, thread_id: UUID) -> None:
        self.app.update_metadata(thread_id, {self.rng.choice("abc"): self.rng.randrange(10)})

    def state(self, thread_id: UUID) -> None:
        self.app.update_state(thread_id, [checkpoint(f"st-{self.rng.randrange(1000)}")], "agent", state=summary(self.rng))

    def copy(self, thread_id: UUID) -> None:
        copy_id = uuid4()
        self.app.copy_thread(thread_id, copy_id, state=summary(self.rng))
        self.threads.append(copy_id)
        self.runs[copy_id] = []

    def delete_or_recreate(self, thread_id: UUID) -> None:
        if self.app.get_thread(thread_id).deleted:
            self.app.create_thread(thread_id, metadata={"again": True})
        elif self.rng.random() < 0.3:
            self.app.delete_thread(thread_id, "random")

    def store_item(self, _thread_id: UUID) -> None:
        """Put or delete one of a few items (the thread is not involved)."""
        owner, key = self.rng.choice([None, "alice"]), self.rng.choice("xyz")
        namespace = ["mem", self.rng.choice(["a", "b"])]
        if self.rng.random() < 0.3:
            self.app.delete_store_item(owner, namespace, key)
        else:
            self.app.put_store_item(owner, namespace, key, {"n": self.rng.randrange(100)})

    def cron(self, thread_id: UUID) -> None:
        """Create, change, fire or delete one of a few crons on this thread."""
        cron_id = UUID(int=self.rng.randrange(8))
        choice = self.rng.randrange(6)
        if choice == 0:
            spec = ev.CronSpec(assistant_id=str(ASSISTANT), thread_id=thread_id, schedule="* * * * * *",
                               payload={"input": {"n": 1}}, metadata={"c": self.rng.randrange(3)})
            self.app.create_cron(cron_id, spec, owner=self.rng.choice([None, "ann"]))
        elif choice == 1:
            self.app.update_cron(cron_id, {"enabled": self.rng.random() < 0.7}, {"input": {"n": 2}})
        elif choice in (2, 3, 4):
            due = self.app.get_cron(cron_id).next_run_date
            if due is not None and due <= datetime.now(UTC):  # every second: due soon after creation
                self.app.fire_cron(cron_id, due)
        else:
            self.app.delete_cron(cron_id)

    COMMANDS = [create_run, create_run, claim, claim, progress, progress, finish, finish, cancel, stop_cancelled,
                metadata, state, copy, delete_or_recreate, store_item, cron, cron]
