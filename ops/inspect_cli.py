"""`threadlog replay` and `threadlog audit`: a thread's history and run outcomes, as tables."""

import argparse
import sys
from datetime import datetime
from typing import get_args
from uuid import UUID

from threadlog.ops.bench.report import print_table
from threadlog.ops.migrations import LIVE_PREFIX
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.projections.audit_read import AuditReads, Outcome
from threadlog.projections.database import to_time, utc
from threadlog.projections.replay import replay


def add_commands(commands: argparse._SubParsersAction) -> None:
    replaying = commands.add_parser("replay", help="a thread's events, and its state at any point of them")
    replaying.add_argument("thread_id", type=UUID)
    replaying.add_argument("--position", type=int, help="replay up to this position of the thread's log")
    replaying.add_argument("--at", type=datetime.fromisoformat, help="replay up to this time (ISO 8601)")
    replaying.set_defaults(run=run_replay)
    auditing = commands.add_parser("audit", help="run outcomes and their causes, the latest first")
    auditing.add_argument("--thread", type=UUID)
    auditing.add_argument("--assistant", type=UUID)
    auditing.add_argument("--outcome", choices=get_args(Outcome))
    auditing.add_argument("--since", type=datetime.fromisoformat)
    auditing.add_argument("--until", type=datetime.fromisoformat)
    auditing.add_argument("--limit", type=int, default=50)
    auditing.set_defaults(run=run_audit)


def run_replay(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        events = list(runtime.app.events.get(args.thread_id))
    if not events:
        print(f"threadlog: no thread {args.thread_id}", file=sys.stderr)
        return 1
    at = args.at and utc(args.at)
    shown = [e for e in events if (args.position is None or e.originator_version <= args.position)
             and (at is None or e.timestamp <= at)]
    print_table(["pos", "time", "event", "run", "detail"], [
        [e.originator_version, e.timestamp.strftime("%H:%M:%S.%f")[:-3], type(e).__name__,
         _short(getattr(e, "run_id", None)), _detail(e)] for e in shown])
    state = replay(events, position=args.position, at=at)
    if state is not None:
        thread = state.thread
        print(f"\nat position {state.position}: thread {thread['status']}"
              f"{' (deleted)' if thread['deleted'] else ''}, next {thread['next'] or '-'}")
        print_table(["run", "status", "attempt", "strategy"], [
            [_short(r["run_id"]), "rolled back" if r["rolled_back"] else r["status"], r["attempt"],
             r["multitask_strategy"]] for r in state.runs])
    return 0


def run_audit(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        rows = AuditReads(runtime.views, LIVE_PREFIX).search(
            thread_id=args.thread, assistant_id=args.assistant, outcome=args.outcome, since=args.since,
            until=args.until, limit=args.limit)
    print_table(["ended", "thread", "run", "outcome", "by run", "attempts", "reason"], [
        [to_time(r["ended_at"]).strftime("%Y-%m-%d %H:%M:%S"), _short(r["thread_id"]), _short(r["run_id"]),
         r["outcome"], _short(r["caused_by_run_id"]), r["attempts"], (r["reason"] or "")[:60]] for r in rows])
    return 0


def _short(value: object) -> str:
    """An id's last 8 characters: run ids are UUIDv7, whose first ones are a shared timestamp."""
    return "-" if value is None else str(value)[-8:]


def _detail(event: object) -> str:
    for field in ("reason", "action", "multitask_strategy", "worker_id"):
        if getattr(event, field, None):
            return f"{field}={getattr(event, field)}"[:60]
    if chunk := getattr(event, "chunk", None):
        return f"{chunk.event} ({len(chunk.data)} bytes)"
    if checkpoint := getattr(event, "checkpoint", None):
        return f"checkpoint {checkpoint.checkpoint_id[-12:]} step {checkpoint.metadata.get('step')}"
    if error := getattr(event, "error", None):
        return f"{error.error}: {error.message}"[:60]
    return ""
