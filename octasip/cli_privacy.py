"""`octasip privacy`: history retention, diagnostic logs, permissions and the consent ledger."""

from __future__ import annotations

import argparse
import json
import sys
import time


def add_parsers(sub) -> None:
    from octasip.core.history import RETENTION_DAYS
    from octasip.core.recordings import RECORDING_RETENTION_DAYS

    p = sub.add_parser("privacy", help="retention, diagnostic logs, permissions and the consent ledger")
    g = p.add_subparsers(dest="privacy_cmd", required=True)
    r = g.add_parser("retention", help="show or set how long call history is kept")
    r.add_argument("choice", nargs="?", choices=list(RETENTION_DAYS), help="forever, 1y, 90d, 30d, 7d or none")
    r.add_argument("--yes", action="store_true", help="delete the calls the new setting no longer keeps")
    logs = g.add_parser("logs", help="redacted SIP/diagnostic logs (off by default)")
    logs.add_argument("state", choices=["on", "off", "status"])
    logs.add_argument("--delete", action="store_true", help="with off: also delete the existing logs")
    logs.add_argument("--json", action="store_true")
    perm = g.add_parser("permission", help="allow or deny the microphone, contacts or storage permission")
    perm.add_argument("permission", choices=["microphone", "contacts", "storage"])
    perm.add_argument("decision", choices=["allow", "deny"])
    consent = g.add_parser("consent", help="the consent ledger: every grant and revocation, with its time")
    consent.add_argument("--json", action="store_true")
    rec = g.add_parser("recording", help="call recording: off by default; on only after the consent notice")
    rec.add_argument("state", choices=["on", "off", "status", "notice"])
    rec.add_argument("--accept-consent-notice", action="store_true",
                     help="with on: you have read the notice (`octasip privacy recording notice`) and accept it")
    rec.add_argument("--always", choices=["on", "off"], help="record every call from its answer (after the opt-in)")
    rec.add_argument("--announce", choices=["on", "off"],
                     help="the tone that tells the other side (default on; turning it off shows a warning)")
    rec.add_argument("--retention", choices=list(RECORDING_RETENTION_DAYS), help="how long recordings are kept")
    rec.add_argument("--json", action="store_true")


def _privacy(args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_OK, CliError, _profile

    with _profile() as profile:
        if args.privacy_cmd == "retention":
            return _retention(profile, args)
        if args.privacy_cmd == "logs":
            return _logs(profile, args)
        if args.privacy_cmd == "permission":
            entry = profile.consent.record(args.permission, args.decision == "allow", "cli")
            state = "allowed" if entry.granted else "not allowed"
            print(f"{args.permission}: {state} (recorded in the consent ledger)")
            return EXIT_OK
        if args.privacy_cmd == "recording":
            return _recording(profile, args)
        if args.privacy_cmd == "consent":
            entries = profile.consent.entries()
            if args.json:
                print(json.dumps([e.as_dict() for e in entries], indent=2))
            else:
                for e in entries:
                    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e.at))
                    detail = f" ({e.detail})" if e.detail else ""
                    print(f"{when}  {e.permission}: {'granted' if e.granted else 'refused'} via {e.source}{detail}")
                if not entries:
                    print("no decisions recorded yet")
            return EXIT_OK
    raise CliError("unknown privacy command")


def _retention(profile, args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_FAIL, EXIT_OK
    from octasip.core.history import RETENTION_LABELS
    from octasip.privacy import retention

    current = retention.retention(profile.settings)
    if args.choice is None:
        print(f"call history is kept: {RETENTION_LABELS[current]} ({current})")
        return EXIT_OK
    doomed = retention.would_purge(profile.conn, args.choice)
    if doomed and not args.yes:
        print(f"octasip: {args.choice} would delete {doomed} calls from the history now; add --yes to go ahead")
        return EXIT_FAIL
    deleted = retention.set_retention(profile.conn, args.choice)
    print(f"call history is kept: {RETENTION_LABELS[args.choice]}; {deleted} calls deleted")
    return EXIT_OK


def _logs(profile, args: argparse.Namespace) -> int:
    from octasip import diaglog
    from octasip.cli import EXIT_OK

    if args.state in ("on", "off"):
        profile.settings.set(diaglog.SETTING, args.state == "on")
    deleted = diaglog.delete_all(profile.data_dir) if args.state == "off" and args.delete else 0
    on = bool(profile.settings.get(diaglog.SETTING, False))
    files = diaglog.files(profile.data_dir)
    status = {"on": on, "directory": str(diaglog.log_dir(profile.data_dir)), "files": len(files),
              "bytes": sum(p.stat().st_size for p in files), "deleted": deleted}
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        print(f"SIP logs are {'on' if on else 'off'} ({status['files']} files, {status['bytes']} bytes in "
              f"{status['directory']}; redacted: no passwords, keys or full numbers)"
              + (f"; {deleted} files deleted" if deleted else ""))
    return EXIT_OK


HANDLERS = {"privacy": _privacy}


def _recording(profile, args: argparse.Namespace) -> int:
    from octasip.cli import EXIT_FAIL, EXIT_OK
    from octasip.cli_recordings import library
    from octasip.core.recordings import RECORDING_RETENTION_LABELS
    from octasip.privacy.recordings import CONSENT_NOTICE

    lib = library(profile)
    if args.state == "notice":
        print(CONSENT_NOTICE)
        return EXIT_OK
    if args.state == "on":
        if not args.accept_consent_notice:
            print(CONSENT_NOTICE + "\n\nTo turn recording on, run again with --accept-consent-notice.")
            return EXIT_FAIL
        lib.enable(True, "cli")
    elif args.state == "off":
        lib.disable("cli")  # the app stops a recording in progress when it sees this
    if args.always is not None:
        lib.set_always_record(args.always == "on")
    if args.announce is not None:
        lib.set_announce(args.announce == "on")
        if args.announce == "off":
            print("warning: the other side will not hear that the call is recorded. Where all parties must "
                  "consent, tell them yourself before recording.", file=sys.stderr)
    if args.retention is not None:
        purged = lib.set_retention(args.retention)
        if purged:
            print(f"deleted {purged} recording(s) older than the new retention")
    state = {"enabled": lib.enabled(), "always": lib.always_record(), "announce": lib.announce(),
             "retention": lib.retention()}
    if args.json:
        print(json.dumps(state))
    else:
        print(f"call recording: {'on' if state['enabled'] else 'off'}; always record: "
              f"{'on' if state['always'] else 'off'}; announcement tone: {'on' if state['announce'] else 'off'}; "
              f"recordings kept: {RECORDING_RETENTION_LABELS[state['retention']].lower()}")
    return EXIT_OK
