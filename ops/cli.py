"""The `threadlog` command line."""

import argparse
import sys
from collections.abc import Sequence

from threadlog.domain.application import Threads
from threadlog.ops.settings import Settings, SettingsError
from threadlog.ops.store import describe_store, store_env


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
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
    serve = commands.add_parser("serve", help="open the store and report it (the HTTP API is not built yet)")
    serve.set_defaults(run=_store)
    return parser


def _store(settings: Settings, args: argparse.Namespace) -> int:
    with Threads(store_env(settings)) as app:
        head = app.recorder.max_notification_id() or 0
    print(f"store: {describe_store(settings)}")
    print(f"log head: position {head}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
