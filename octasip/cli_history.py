"""`octasip history`: the call log, newest first."""

from __future__ import annotations

import argparse


def add_parsers(sub) -> None:
    h = sub.add_parser("history", help="list calls, newest first (the log is encrypted on disk)")
    h.add_argument("--json", action="store_true", help="print JSON")
    h.add_argument("--limit", type=int, default=50, help="at most this many calls (default 50)")
    h.add_argument("--search", default="", help="only calls whose name, address or number contains TEXT")
    h.add_argument("--missed", action="store_true", help="only missed calls")


def _history(args: argparse.Namespace) -> int:
    raise NotImplementedError


HANDLERS = {"history": _history}
