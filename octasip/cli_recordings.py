"""`octasip recordings`: list, verify, export and delete call recordings; the access log."""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path


def add_parsers(sub) -> None:
    p = sub.add_parser("recordings", help="call recordings (encrypted): list, verify, export, delete, access log")
    g = p.add_subparsers(dest="recordings_cmd", required=True)
    ls = g.add_parser("list", help="recordings, newest first (never plays or decrypts them)")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--json", action="store_true")
    v = g.add_parser("verify", help="check a recording: intact, or how much of it can be recovered")
    v.add_argument("id", help="recording id (or a unique prefix of it)")
    v.add_argument("--json", action="store_true")
    ex = g.add_parser("export", help="write a decrypted copy (WAV or Opus/OGG); needs the storage permission")
    ex.add_argument("id", help="recording id (or a unique prefix of it)")
    ex.add_argument("--out", type=Path, required=True, help="the file to write (never overwritten)")
    ex.add_argument("--format", choices=["wav", "ogg"], default=None, help="default: from the file name")
    ex.add_argument("--mix", action="store_true", help="one mixed channel instead of ours/theirs")
    ex.add_argument("--force", action="store_true", help="replace the file if it exists")
    ex.add_argument("--json", action="store_true")
    rm = g.add_parser("delete", help="delete one recording (its file and its entry)")
    rm.add_argument("id", help="recording id (or a unique prefix of it)")
    rm.add_argument("--json", action="store_true")
    log = g.add_parser("access-log", help="every play, export and delete of a recording, with its time")
    log.add_argument("--json", action="store_true")


def _recordings(args: argparse.Namespace) -> int:
    from octasip.cli import _profile

    with _profile() as profile:
        lib = library(profile)
        return COMMANDS[args.recordings_cmd](lib, profile, args)


def library(profile):
    from octasip.privacy.recordings import RecordingLibrary

    return RecordingLibrary(profile.data_dir, profile.conn, profile.secrets, source="cli")


def _resolve(lib, key: str) -> str:
    from octasip.cli import CliError
    from octasip.storage.recordings import RecordingRepository

    ids = [i for i in RecordingRepository(lib.conn).ids() if i.startswith(key.lower())]
    if len(ids) != 1:
        raise CliError(f"no recording with id {key}" if not ids else f"{len(ids)} recordings start with {key}: "
                       "give more of the id")
    return ids[0]


def _when(ts: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


def _list(lib, profile, args) -> int:
    lib.recover()  # a recording left open by a process that died is checked and closed here
    from octasip.core.history import format_duration
    from octasip.storage.recordings import RecordingRepository

    recs = RecordingRepository(lib.conn).list(limit=args.limit)
    if args.json:
        print(json.dumps([r.as_dict() for r in recs], indent=2))
        return 0
    if not recs:
        print("no recordings" + ("" if lib.enabled() else " (recording is off)"))
    for r in recs:
        who = r.remote or "(no history entry)"
        print(f"{r.id[:12]}  {_when(r.started_at)}  {format_duration(r.seconds):>8}  {r.state:<9}  {who}")
    return 0


def _verify(lib, profile, args) -> int:
    rid = _resolve(lib, args.id)
    report = lib.verify(rid)
    if args.json:
        print(json.dumps({"id": rid, "intact": report.intact, "chunks": report.chunks, "damaged": report.damaged,
                          "truncated": report.truncated, "seconds_recovered": round(report.seconds_recovered, 2)}))
    else:
        print(f"{rid[:12]}: {report.describe()}")
    return 0 if report.intact else 1


def _export(lib, profile, args) -> int:
    from octasip.cli import CliError
    from octasip.core.consent import Permission

    rid = _resolve(lib, args.id)
    if profile.consent.current(Permission.STORAGE) is not True:
        raise CliError("exporting writes a decrypted copy of the recording outside OctaSIP. Allow it first with "
                       "`octasip privacy permission storage allow`.")
    out = args.out.expanduser()
    fmt = args.format or ("ogg" if out.suffix.lower() in (".ogg", ".opus") else "wav")
    written = lib.export(rid, out, fmt, mix=args.mix, overwrite=args.force)
    if args.json:
        print(json.dumps({"id": rid, "format": fmt, "out": str(written)}))
    else:
        print(f"exported {rid[:12]} as {fmt.upper()} to {written} (logged in the access log)")
    return 0


def _delete(lib, profile, args) -> int:
    rid = _resolve(lib, args.id)
    lib.delete(rid, "cli")
    if args.json:
        print(json.dumps({"id": rid, "deleted": True}))
    else:
        print(f"deleted recording {rid[:12]} (logged in the access log)")
    return 0


def _access_log(lib, profile, args) -> int:
    from octasip.storage.recordings import RecordingRepository

    entries = RecordingRepository(lib.conn).access_log()
    if args.json:
        print(json.dumps([e.as_dict() for e in entries], indent=2))
        return 0
    if not entries:
        print("no recording has been played, exported or deleted")
    for e in entries:
        detail = f" ({e.detail})" if e.detail else ""
        print(f"{time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(e.at))}  {e.action:<7} {e.recording_id[:12]}  "
              f"via {e.source}{detail}")
    return 0


COMMANDS = {"list": _list, "verify": _verify, "export": _export, "delete": _delete, "access-log": _access_log}
HANDLERS = {"recordings": _recordings}
