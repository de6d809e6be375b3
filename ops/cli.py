"""The `threadlog` command line."""

import argparse
import sys
from collections.abc import Sequence

from threadlog.ops import inspect_cli, projections_cli, serve, worker_cli
from threadlog.ops.runtime import Runtime
from threadlog.ops.settings import Settings, SettingsError
from threadlog.ops.store import describe_store


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
        return args.run(settings, args)
    except SettingsError as e:
        print(f"threadlog: {e}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadlog",
        description="An event-sourced server for LangGraph graphs. Settings come from THREADLOG_* variables.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")
    store = commands.add_parser("store", help="open the store (creating it if new) and say where it is")
    store.set_defaults(run=_store)
    serve.add_command(commands)
    projections_cli.add_commands(commands)
    worker_cli.add_command(commands)
    inspect_cli.add_commands(commands)
    return parser


def _store(settings: Settings, args: argparse.Namespace) -> int:
    with Runtime(settings) as runtime:
        head = runtime.app.recorder.max_notification_id() or 0
        position = runtime.views.position()
    print(f"store: {describe_store(settings)}")
    print(f"log head: position {head}; views at {position}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
