"""`octasip history`: the call log, newest first (and `octasip history clear|delete`)."""

from __future__ import annotations

import argparse
import json
import time


def add_parsers(sub) -> None:
    h = sub.add_parser("history", help="list calls, newest first (the log is encrypted on disk)")
    h.add_argument("--json", action="store_true", help="print JSON")
    h.add_argument("--limit", type=int, default=50, help="at most this many calls (default 50)")
    h.add_argument("--search", default="", help="only calls whose name, address or number contains TEXT")
    h.add_argument("--missed", action="store_true", help="only missed calls")
    h.add_argument("--delete", type=int, metavar="ID", help="delete one call from the history")
    h.add_argument("--clear", action="store_true", help="delete the whole call history")


def _history(args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_FAIL, EXIT_OK, CliError, _profile
    from octasip.core.history import HistoryFilter, format_duration

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    with _profile() as profile:
        if args.delete is not None:
            if not profile.calls.delete(args.delete):
                print(f"octasip: no call {args.delete} in the history")
                return EXIT_FAIL
            print(f"deleted call {args.delete} from the history")
            return EXIT_OK
        if args.clear:
            print(f"deleted {profile.calls.clear()} calls from the history")
            return EXIT_OK
        flt = HistoryFilter.MISSED if args.missed else HistoryFilter.ALL
        records = profile.calls.search(args.search, args.limit, flt)
    if args.json:
        print(json.dumps([r.as_dict() for r in records], indent=2, ensure_ascii=False))
        return EXIT_OK
    if not records:
        print("no calls")
    for r in records:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started_at))
        arrow = "->" if r.direction.value == "outgoing" else "<-"
        who = f"{r.remote_name} <{r.remote_uri}>" if r.remote_name else r.remote_uri
        secure = f", {r.srtp_suite}" if r.srtp_suite else (", not encrypted" if r.codec else "")
        length = f" {format_duration(r.duration)}" if r.answered_at else ""
        print(f"{r.id:>6}  {when}  {arrow} {who}  {r.status.value}{length}{secure}")
    return EXIT_OK


HANDLERS = {"history": _history}
