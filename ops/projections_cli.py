"""`threadlog projections ...`: rebuild the views, check them against the log, show lag."""

import argparse
import sys

from threadlog.ops.migrations import LIVE_PREFIX, drop_all, drop_views, migrate
from threadlog.ops.progress import ProgressBar
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings
from threadlog.projections.catchup import project_log
from threadlog.projections.compare import check

SCRATCH_PREFIX = "tlcheck_"


def add_commands(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser("projections", help="rebuild, check or watch the views")
    actions = group.add_subparsers(title="actions", required=True, metavar="ACTION")
    actions.add_parser("rebuild", help="drop the views and rebuild them from the log").set_defaults(run=rebuild)
    actions.add_parser("check", help="rebuild into scratch tables and report differences (exit 1)").set_defaults(
        run=check_views)
    actions.add_parser("lag", help="how far the views are behind the log").set_defaults(run=lag)


def rebuild(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        lock = runtime.follower.lock
        if not lock.acquire():
            print("threadlog: another process is projecting the views; stop it first", file=sys.stderr)
            return 1
        drop_views(runtime.views)
        with runtime.views.transaction() as cursor:
            runtime.views.reset_position(cursor)
        migrate(runtime.views)
        bar = ProgressBar(runtime.app.recorder.max_notification_id() or 0, "rebuilding views")
        position = project_log(runtime.app, runtime.projector, on_batch=bar.update)
        bar.finish()
    print(f"views rebuilt up to log position {position}")
    return 0


def check_views(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        views = runtime.views

        def prepare_scratch() -> None:
            drop_all(views, SCRATCH_PREFIX)
            migrate(views, SCRATCH_PREFIX)

        bar = ProgressBar(views.position(), "rebuilding into scratch tables")
        try:
            position, found = check(runtime.app, views, LIVE_PREFIX, SCRATCH_PREFIX, prepare_scratch, bar.update)
        finally:
            bar.finish()
            drop_all(views, SCRATCH_PREFIX)
    if found:
        print(f"views differ from a rebuild up to log position {position}:")
        for line in found[:20]:
            print(f"  {line}")
        if len(found) > 20:
            print(f"  ... and {len(found) - 20} more")
        return 1
    print(f"views match a rebuild from the log up to position {position}")
    return 0


def lag(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        head = runtime.app.recorder.max_notification_id() or 0
        position = runtime.views.position()
    print(f"log head {head}, views at {position}, lag {head - position} events")
    return 0
