"""`octasip` command line: accounts, headless calls, auto-answer and diagnostics.

Expected failures print one human line on stderr and exit non-zero, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import signal
import sys
from pathlib import Path

from octasip.core.models import AccountConfig, AccountConfigError, DtmfMode, SrtpPolicy, Transport

EXIT_OK = 0
EXIT_FAIL = 1
EXIT_USAGE = 2


class CliError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="octasip", description="OctaSIP Desktop: a private SIP softphone.")
    p.add_argument("--version", action="store_true", help="print versions and exit")
    p.add_argument("--home", help="data directory (default: $OCTASIP_HOME or the per-user data dir)")
    p.add_argument("--bind", default=os.environ.get("OCTASIP_BIND", ""),
                   help="local address for SIP and RTP (default: all; $OCTASIP_BIND)")
    p.add_argument("--sip-port", type=int, default=int(os.environ.get("OCTASIP_SIP_PORT", "0") or 0),
                   help="local SIP port (default: any free port; TLS uses the next one)")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more logging on stderr (redacted)")
    p.epilog = ("With no command, OctaSIP opens its window; `octasip sip:alice@example.com` (or tel:) "
                "prefills its dial entry.")
    sub = p.add_subparsers(dest="command")

    acc = sub.add_parser("account", help="manage SIP accounts").add_subparsers(dest="account_cmd", required=True)
    add = acc.add_parser("add", help="add an account (the password goes to the OS keyring only)")
    add.add_argument("--uri", required=True, help="your SIP address, e.g. sip:alice@example.com")
    add.add_argument("--name", default="", help="display name")
    add.add_argument("--registrar", default="", help="registrar URI (default: the URI's domain)")
    add.add_argument("--username", default="", help="auth user name (default: the URI's user)")
    add.add_argument("--transport", choices=[t.value for t in Transport], default="udp")
    add.add_argument("--proxy", default="", help="outbound proxy URI")
    add.add_argument("--expiry", type=int, default=300, help="registration expiry in seconds")
    add.add_argument("--ca-file", default="", help="CA bundle to verify the TLS server (default: system store)")
    add.add_argument("--srtp", choices=[s.value for s in SrtpPolicy],
                     help="media encryption (default: mandatory on TLS, optional otherwise)")
    add.add_argument("--dtmf", choices=[d.value for d in DtmfMode], default="rfc4733")
    add.add_argument("--allow-direct-calls", action="store_true",
                     help="accept INVITEs that do not come from the registrar or proxy")
    add.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    add.add_argument("--no-password", action="store_true", help="the account needs no password")
    acc.add_parser("list", help="list accounts (never shows passwords)").add_argument("--json", action="store_true")
    rm = acc.add_parser("remove", help="remove an account and its keyring entry")
    rm.add_argument("id", type=int)

    call = sub.add_parser("call", help="register, call, play/capture audio, hang up")
    call.add_argument("target", help="number, extension or SIP URI")
    _media_args(call)
    call.add_argument("--dtmf", default="", help="DTMF digits to send once answered")
    call.add_argument("--ring-timeout", type=float, default=60.0, help="give up if not answered (s)")
    call.add_argument("--incognito", action="store_true", help="leave no entry in the call history")

    ans = sub.add_parser("answer", help="wait for incoming calls and answer them")
    _media_args(ans)
    ans.add_argument("--count", type=int, default=1, help="calls to answer (0: until interrupted)")
    ans.add_argument("--wait", type=float, default=0.0, help="stop waiting after this many seconds (0: no limit)")

    audio = sub.add_parser("audio", help="list and choose audio devices").add_subparsers(dest="audio_cmd",
                                                                                         required=True)
    audio.add_parser("devices", help="list microphones and speakers, and the ones chosen").add_argument(
        "--json", action="store_true")
    use = audio.add_parser("use", help="choose devices by id or name ('default' follows the system)")
    use.add_argument("--input", help="microphone")
    use.add_argument("--output", help="speaker or headset for calls")
    use.add_argument("--ringer", help="where the ringtone plays")
    test = audio.add_parser("test", help="play the test sound and show the microphone level")
    test.add_argument("--seconds", type=float, default=3.0)
    test.add_argument("--ringer", action="store_true", help="play the test sound on the ringer device")

    echo = sub.add_parser("echo-test", help="call the built-in echo peer: hear yourself after a second")
    echo.add_argument("--duration", type=float, default=5.0, help="seconds to keep the call")
    echo.add_argument("--audio", choices=["file", "devices"], default="file",
                      help="file: send a test click and measure its round trip (default); "
                           "devices: talk into the microphone and listen")
    echo.add_argument("--json", action="store_true", help="print a JSON summary")

    wipe = sub.add_parser("wipe", help="delete all local data: database, recordings, logs, settings and "
                                       "every OctaSIP keyring item")
    wipe.add_argument("--yes", action="store_true", help="do not ask (needed when not run from a terminal)")

    doc = sub.add_parser("doctor", help="check keyring, SIP/TLS libraries, CA store and audio")
    doc.add_argument("--json", action="store_true")
    for module in _extension_modules():
        module.add_parsers(sub)
    return p


# Command groups that live in their own modules (octasip/cli_*.py). Each module has
# `add_parsers(subparsers)` and `HANDLERS: dict[command, handler(args) -> exit code]`.
EXTENSIONS = ("octasip.cli_history", "octasip.cli_export", "octasip.cli_contacts", "octasip.cli_privacy",
              "octasip.cli_database", "octasip.cli_recordings")


def _extension_modules() -> list:
    import importlib

    return [importlib.import_module(name) for name in EXTENSIONS]


def _media_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("--account", type=int, help="account id (default: the only account)")
    sp.add_argument("--play", type=Path, help="WAV file to send (default: silence)")
    sp.add_argument("--record", action="store_true",
                    help="record the call, encrypted (needs `octasip privacy recording on` first)")
    sp.add_argument("--duration", type=float, default=10.0, help="seconds to keep each call")
    sp.add_argument("--audio", choices=["file", "devices"], default="file",
                    help="file: send the --play WAV (default); devices: microphone and speaker")
    sp.add_argument("--no-microphone", action="store_true",
                    help="with --audio devices: listen only, the microphone is never opened")
    sp.add_argument("--no-echo-cancel", action="store_true",
                    help="with --audio devices: turn echo cancellation off (e.g. with a headset)")
    sp.add_argument("--json", action="store_true", help="print a JSON summary")


URI_SCHEMES = ("sip:", "sips:", "tel:")



def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # A URI handed over by the desktop (sip:, sips:, tel:) opens the app with the dial entry prefilled.
    uri = None
    if not HANDLERS.keys() & set(argv):
        uri = next((a for a in argv if a.lower().startswith(URI_SCHEMES)), None)
        if uri is not None:
            argv.remove(uri)
    args = _parser().parse_args(argv)
    args.open_uri = uri
    logging.basicConfig(level=logging.WARNING - 10 * min(args.verbose, 2), format="%(levelname)s %(name)s: %(message)s")
    from octasip.diaglog import RedactingFilter

    for handler in logging.getLogger().handlers:  # -v/-vv/-vvv on stderr: redacted like the SIP log
        handler.addFilter(RedactingFilter())
    if args.home:
        os.environ["OCTASIP_HOME"] = str(Path(args.home).expanduser())
    try:
        if args.version:
            return _version()
        if args.command is None:
            from octasip.app import run_gui

            return run_gui(args.open_uri)
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        return 130
    except CliError as e:
        print(f"octasip: {e}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as e:  # expected failures of lower layers carry safe, one-line messages
        from octasip.storage.errors import describe

        message = describe(e, "the data directory")  # a full disk, even as a raw SQLite error that escaped
        if message is None and _is_expected(e):
            message = str(e)
        if message is None:
            raise
        print(f"octasip: {message}", file=sys.stderr)
        return EXIT_FAIL


def _is_expected(e: BaseException) -> bool:
    from octasip.headless import SessionError

    names = {c.__name__ for c in type(e).__mro__}
    return isinstance(e, SessionError | AccountConfigError) or bool(
        names & {"SecretStoreError", "DatabaseError", "EngineStartError", "CaStoreError", "ExportError",
                 "ContactsImportError", "RecordingError"})


def _profile():
    from octasip.profile import Profile

    return Profile.open()


def _version() -> int:
    from octasip.doctor import versions

    for name, value in versions().items():
        print(f"{name} {value}")
    return EXIT_OK


# ---------------------------------------------------------------- accounts
def _account(args: argparse.Namespace) -> int:
    with _profile() as profile:
        if args.account_cmd == "add":
            return _account_add(profile, args)
        if args.account_cmd == "list":
            accounts = profile.accounts.list()
            if args.json:
                print(json.dumps([_account_dict(a) for a in accounts], indent=2))
            elif not accounts:
                print("no accounts yet: add one with `octasip account add --uri sip:you@provider`")
            for a in accounts if not args.json else []:
                srtp = a.srtp_policy.value + ("" if a.srtp else " (default)")
                print(f"{a.id}  {a.uri}  transport={a.transport.value}  srtp={srtp}"
                      f"  direct-calls={'allowed' if a.allow_direct_calls else 'refused'}")
            return EXIT_OK
        if args.account_cmd == "remove":
            if not profile.accounts.remove(args.id):
                raise CliError(f"no account with id {args.id}")
            profile.secrets.delete_sip_password(args.id)
            print(f"removed account {args.id}")
            return EXIT_OK
    return EXIT_USAGE


def _account_dict(a: AccountConfig) -> dict:
    return {"id": a.id, "uri": a.uri, "display_name": a.display_name, "registrar": a.registrar_uri,
            "username": a.auth_username, "transport": a.transport.value, "outbound_proxy": a.outbound_proxy,
            "expiry": a.expiry, "ca_file": a.ca_file, "srtp": a.srtp_policy.value,
            "allow_direct_calls": a.allow_direct_calls, "dtmf": a.dtmf_mode.value, "enabled": a.enabled}


def _read_password(args: argparse.Namespace) -> str | None:
    if args.no_password:
        return None
    if args.password_stdin:
        pw = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        pw = getpass.getpass("SIP password (stored in the OS keyring): ")
    else:
        raise CliError("no password given: use --password-stdin, or --no-password if none is needed")
    if not pw:
        raise CliError("empty password: use --no-password if the account needs none")
    return pw


def _account_add(profile, args: argparse.Namespace) -> int:
    cfg = AccountConfig(uri=args.uri, display_name=args.name, registrar=args.registrar, username=args.username,
                        transport=Transport(args.transport), outbound_proxy=args.proxy, expiry=args.expiry,
                        ca_file=str(Path(args.ca_file).expanduser().resolve()) if args.ca_file else "",
                        srtp=SrtpPolicy(args.srtp) if args.srtp else None, allow_direct_calls=args.allow_direct_calls,
                        dtmf_mode=DtmfMode(args.dtmf))
    if cfg.ca_file and not Path(cfg.ca_file).is_file():
        raise CliError(f"CA file not found: {cfg.ca_file}")
    password = _read_password(args)
    profile.secrets.check()
    saved = profile.accounts.add(cfg)
    if password is not None:
        try:
            profile.secrets.set_sip_password(saved.id, password)
        except Exception:
            profile.accounts.remove(saved.id)  # no half-made account without its password
            raise
    print(f"added account {saved.id}: {saved.uri} ({saved.transport.value}, srtp {saved.srtp_policy.value})")
    return EXIT_OK


def _pick_account(profile, account_id: int | None) -> AccountConfig:
    accounts = profile.accounts.list()
    if account_id is not None:
        for a in accounts:
            if a.id == account_id:
                return a
        raise CliError(f"no account with id {account_id}")
    if not accounts:
        raise CliError("no account: add one with `octasip account add --uri sip:you@provider` "
                       "(or try `octasip echo-test`)")
    if len(accounts) > 1:
        raise CliError("several accounts: choose one with --account ID (see `octasip account list`)")
    return accounts[0]


# ---------------------------------------------------------------- calls
def _session(args: argparse.Namespace, profile, journal):
    from octasip.engine import EngineSettings
    from octasip.headless import Session

    account = _pick_account(profile, args.account)
    password = profile.secrets.get_sip_password(account.id)
    if args.play is not None and not args.play.is_file():
        raise CliError(f"WAV file not found: {args.play}")
    from octasip import diaglog

    sip_log = bool(profile.settings.get(diaglog.SETTING, False))
    settings = EngineSettings(
        bind_address=args.bind, sip_port=args.sip_port, play_wav=args.play,
        pjsip_log_level=5 if args.verbose >= 3 or sip_log else 0)
    if args.audio == "devices" and args.play:
        raise CliError("--play goes with --audio file, not --audio devices")
    devices = args.audio == "devices"
    chosen = saved_devices(profile) if devices else {}
    session = Session(account, password, settings, profile.data_dir, devices=devices,
                      microphone=not args.no_microphone, echo_cancel=not args.no_echo_cancel, **chosen)
    if sip_log:
        session.log_dir = profile.data_dir  # the redacted SIP log, written while the session runs
    session.journal = journal
    _recording(session, profile, journal, args.record)
    return session


def _recording(session, profile, journal, requested: bool) -> None:
    """Record when asked (--record) or when "always record" is on; refused clearly while recording is off."""
    from octasip.cli_recordings import library
    from octasip.privacy.recording_control import REFUSED_OFF, RecordingControl

    lib = library(profile)
    if requested and not lib.enabled():
        raise CliError(REFUSED_OFF)
    if lib.enabled():
        lib.recover()  # recordings left open by a process that died (never another one's in progress)
        session.recording = RecordingControl(lib, journal.row_of, _history_error, session=journal.session)
        session.record_calls = requested


DEVICE_KEYS = {"input": "audio.input", "output": "audio.output", "ringer": "audio.ringer"}


def saved_devices(profile) -> dict[str, str]:
    """The saved microphone and speaker ("" = follow the system default)."""
    return {"input_id": profile.settings.get(DEVICE_KEYS["input"], "") or "",
            "output_id": profile.settings.get(DEVICE_KEYS["output"], "") or "",
            "ringer_id": profile.settings.get(DEVICE_KEYS["ringer"], "") or ""}


def _install_sigterm() -> None:
    def _raise(_sig, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _raise)


def _call(args: argparse.Namespace) -> int:
    _install_sigterm()
    with _profile() as profile, profile.journal(_history_error) as journal:
        session = _session(args, profile, journal)
        with session:
            session.register()
            summary = session.call(args.target, args.duration, args.dtmf, args.ring_timeout, args.incognito)
    srtp = summary.srtp or "none (media NOT encrypted)"
    return _report(summary, args.json, "call", f"call ended after {summary.duration_s:.1f} s: "
                   f"codec {summary.codec}, SRTP {srtp}, quality {summary.quality}")


def _history_error(message: str) -> None:
    print(f"octasip: warning: {message}", file=sys.stderr, flush=True)


def _report(summary, as_json: bool, what: str, ok_line: str) -> int:
    """JSON summary (if asked), then one human line: the result, or why it failed (on stderr)."""
    if as_json:
        print(json.dumps(summary.as_dict(), indent=2))
    if not summary.answered:
        print(f"octasip: {what} failed: {summary.code} {summary.reason}".rstrip(), file=sys.stderr)
        return EXIT_FAIL
    if not as_json:
        print(ok_line)
    return EXIT_OK


def _answer(args: argparse.Namespace) -> int:
    _install_sigterm()
    summaries = []
    with _profile() as profile, profile.journal(_history_error) as journal:
        session = _session(args, profile, journal)
        with session:
            session.register()
            listen = ", ".join(f"{k} {v}" for k, v in session.listen.items())
            print(f"waiting for calls on {session.account.uri} ({listen})", file=sys.stderr, flush=True)
            try:
                summaries = session.answer(args.count, args.duration, args.wait or None)
            except KeyboardInterrupt:
                pass
    if args.json:
        print(json.dumps([s.as_dict() for s in summaries], indent=2))
    else:
        for s in summaries:
            print(f"call from {s.remote}: {s.duration_s:.1f} s, codec {s.codec}, SRTP {s.srtp or 'none'}")
    if args.count > 0 and len(summaries) < args.count:
        print(f"octasip: answered {len(summaries)} of {args.count} calls", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _audio(args: argparse.Namespace) -> int:
    if args.audio_cmd == "test":
        return _audio_test(args)
    from octasip.audio_qt import list_devices

    devs = list_devices()
    with _profile() as profile:
        if args.audio_cmd == "use":
            known = {str(d["id"]) for kind in devs.values() for d in kind} | {
                str(d["description"]) for kind in devs.values() for d in kind}
            for role in ("input", "output", "ringer"):
                value = getattr(args, role)
                if value is None:
                    continue
                if value != "default" and value not in known:
                    raise CliError(f"no audio device '{value}' (see `octasip audio devices`)")
                profile.settings.set(DEVICE_KEYS[role], "" if value == "default" else value)
        chosen = {role: profile.settings.get(key, "") or "" for role, key in DEVICE_KEYS.items()}
    if args.audio_cmd == "devices" and args.json:
        print(json.dumps({**devs, "chosen": chosen}, indent=2))
        return EXIT_OK
    for kind in ("inputs", "outputs"):
        print(f"{kind}:")
        for d in devs[kind]:
            print(f"  {'*' if d['default'] else ' '} {d['id']}  ({d['description']})")
    for role, value in chosen.items():
        print(f"{role}: {value or 'system default'}")
    return EXIT_OK


def _wipe(args: argparse.Namespace) -> int:
    from octasip.paths import data_dir
    from octasip.privacy.wipe import wipe

    home = data_dir()
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("wipe deletes every local trace of OctaSIP: confirm with --yes")
        answer = input(f"This deletes all OctaSIP data in {home} and its keyring items. Type DELETE: ")
        if answer.strip() != "DELETE":
            print("nothing was deleted")
            return EXIT_FAIL
    report = wipe(home)
    for part in report.wiped:
        print(f"wiped: {part}")
    for part, why in report.failed.items():
        print(f"octasip: NOT wiped: {part}: {why}", file=sys.stderr)
    return EXIT_OK if report.ok else EXIT_FAIL


def _audio_test(args: argparse.Namespace) -> int:
    """Output test sound on the chosen speaker (or ringer), then the microphone level for a few seconds."""
    from octasip.audio_qt_io import DeviceAudio
    from octasip.engine.audio_port import FrameBuffer

    with _profile() as profile:
        chosen = saved_devices(profile)
    audio = DeviceAudio(FrameBuffer(), FrameBuffer(), input_id=chosen["input_id"],
                        output_id=chosen["output_id"], echo_cancel=False)
    levels: list[float] = []
    try:
        audio.play_tone("test-sound", chosen["ringer_id"] if args.ringer else chosen["output_id"])
        print("playing the test sound; now speak into the microphone...", file=sys.stderr, flush=True)
        audio.meter(args.seconds, levels.append)
    finally:
        audio.stop()
    if not levels:
        raise CliError("the microphone delivered no audio (see `octasip audio devices`)")
    peak = max(levels)
    bar = "#" * max(0, int((peak + 60) / 2))
    print(f"microphone level: peak {peak:.1f} dBFS {bar}")
    if peak < -55:
        print("octasip: the microphone seems silent: check that it is not muted", file=sys.stderr)
        return EXIT_FAIL
    return EXIT_OK


def _echo_test(args: argparse.Namespace) -> int:
    """No account, no provider, no keyring: a real SIP call to OctaSIP's own echo peer on 127.0.0.1."""
    import tempfile

    from octasip.core.models import AccountConfig
    from octasip.engine import EngineSettings
    from octasip.headless import CLICK_AT_S, Session, first_onset, write_click_track

    _install_sigterm()
    devices = args.audio == "devices"
    with tempfile.TemporaryDirectory(prefix="octasip-echo-") as tmp:
        click = None if devices else write_click_track(Path(tmp) / "click.wav")
        settings = EngineSettings(bind_address=args.bind or "127.0.0.1", sip_port=args.sip_port, play_wav=click,
                                  record_dir=None if devices else Path(tmp), record_name="echo")
        placeholder = AccountConfig(uri="sip:echo-test@127.0.0.1", id=0, enabled=False)
        with Session(placeholder, None, settings, devices=devices) as session:
            if devices:
                print("Speak: you should hear yourself about a second later.", file=sys.stderr, flush=True)
            summary = session.echo_test(args.duration)
        if not devices and summary.answered:
            onset = first_onset(Path(tmp) / "echo.wav")
            summary.extra["click_round_trip_ms"] = None if onset is None else round((onset - CLICK_AT_S) * 1000, 1)
    rtt = summary.extra.get("click_round_trip_ms")
    line = f"echo test OK: codec {summary.codec}, SRTP {summary.srtp or 'none'}"
    if rtt is not None:
        line += f", click round trip {rtt} ms (1000 ms of it is the echo delay)"
    return _report(summary, args.json, "echo test", line)


def _doctor(args: argparse.Namespace) -> int:
    from octasip.doctor import report

    rep = report()
    if args.json:
        print(json.dumps(rep, indent=2))
    else:
        for key, value in rep.items():
            print(f"{key}: {value}")
    return EXIT_OK if rep.get("ok") else EXIT_FAIL


HANDLERS = {"account": _account, "call": _call, "answer": _answer, "doctor": _doctor, "echo-test": _echo_test,
            "audio": _audio, "wipe": _wipe}  # subcommand -> handler; also how a bare sip:/tel: URI is told apart
for _module in _extension_modules():
    HANDLERS.update(_module.HANDLERS)

if __name__ == "__main__":
    raise SystemExit(main())
