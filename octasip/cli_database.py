"""`octasip database`: what to do when the encrypted database cannot be opened."""

from __future__ import annotations

import argparse
import json
import sys


def add_parsers(sub) -> None:
    d = sub.add_parser("database", help="check the encrypted database; keep a damaged one aside or start fresh")
    g = d.add_subparsers(dest="database_cmd", required=True)
    st = g.add_parser("status", help="does the database exist, is its key in the keyring, does it open")
    st.add_argument("--json", action="store_true")
    for name, text in (("keep-aside", "move the database (and its key) aside and start with an empty profile"),
                       ("start-fresh", "delete the database and its key for good, and start with an empty profile")):
        p = g.add_parser(name, help=text)
        p.add_argument("--yes", action="store_true", help="do not ask (needed when not run from a terminal)")


def _database(args: argparse.Namespace) -> int:
    from octasip import paths
    from octasip.cli import EXIT_FAIL, EXIT_OK, CliError
    from octasip.secrets import SecretStore
    from octasip.storage import recovery

    data_dir = paths.data_dir()
    secrets = SecretStore()
    if args.database_cmd == "status":  # works with a locked keyring too: that is then the answer
        st = recovery.status(data_dir, secrets)
        if args.json:
            print(json.dumps(st, indent=2))
        else:
            print(f"{st['database']}: {st['status'].replace('_', ' ')}: {st['message']}")
            for name in st["aside"]:
                print(f"kept aside: {name}")
        return EXIT_OK if st["status"] in ("ok", "none") else EXIT_FAIL
    secrets.check()
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError(f"{args.database_cmd} changes your data: run it from a terminal, or add --yes")
        word = "delete" if args.database_cmd == "start-fresh" else "aside"
        what = ("DELETE the database and its key: its history, contacts and settings are lost for good "
                "(recordings and logs are not touched)"
                if word == "delete" else "move the database and its key aside and start with an empty profile")
        answer = input(f"This will {what}. Type '{word}' to go ahead: ")
        if answer.strip().lower() != word:
            print("nothing was changed")
            return EXIT_FAIL
    fn = recovery.keep_aside if args.database_cmd == "keep-aside" else recovery.start_fresh
    print(fn(data_dir, secrets).done)
    return EXIT_OK


HANDLERS = {"database": _database}
