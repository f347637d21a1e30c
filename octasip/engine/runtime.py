"""Everything that runs on the engine thread: the Endpoint, transports, accounts and calls.

Nothing here is thread-safe on purpose: only the engine thread touches it. Other threads talk
to it through `Engine` (commands in a queue, events out through a callback).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import logging
import os
import queue
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pjsua2 as pj

from octasip import __version__
from octasip.core import commands as cmd
from octasip.core.events import (
    AudioCaptureChanged,
    CallQualityUpdated,
    CallState,
    EngineError,
    EngineStarted,
    Event,
    IncomingCallRejected,
    NetworkChanged,
    RegistrationChanged,
    RegState,
    TransportError,
)
from octasip.core.models import AccountConfig, AccountConfigError, SrtpPolicy, Transport
from octasip.core.redact import redact
from octasip.engine import tls
from octasip.engine.account import EngineAccount, build_account_config
from octasip.engine.audio_backend import AudioBackend
from octasip.engine.audio_bridge import BridgeAudio
from octasip.engine.audio_file import FileAudio
from octasip.engine.audio_port import FrameBuffer
from octasip.engine.call import EngineCall
from octasip.engine.call_ops import CallOps
from octasip.engine.echo import EchoPeer
from octasip.engine.errors import EngineStartError, pj_error_text
from octasip.engine.info import openssl_version
from octasip.engine.netwatch import WakeDetector, interface_addresses
from octasip.engine.recording import CallRecorder
from octasip.engine.settings import EngineSettings

log = logging.getLogger("octasip.engine")

_TP_TYPES = {Transport.UDP: pj.PJSIP_TRANSPORT_UDP, Transport.TCP: pj.PJSIP_TRANSPORT_TCP,
             Transport.TLS: pj.PJSIP_TRANSPORT_TLS}
_IPPROTO_TCP = 6
_TCP_NODELAY = 1
_TLS_FAILURE_WINDOW_S = 10.0
ECHO_CALLER_ID = 0  # the local account that places echo-test calls (user accounts start at 1)


def _nodelay() -> pj.SockOptParams:
    params = pj.SockOptParams()
    opt = pj.SockOpt(_IPPROTO_TCP, _TCP_NODELAY, 1)
    params.sockOpts.append(opt)
    return params


@contextlib.contextmanager
def quiet_stdio():
    """pjlib prints a banner to stdout on libCreate, before any log config applies.

    It would corrupt `--json` output, so stdout and stderr point at /dev/null for those few ms.
    """
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, OSError, ValueError):
            stream.flush()
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in saved:
            os.dup2(devnull, fd)
        yield
    finally:
        # pjlib writes through C stdio: flush its buffers while they still point at /dev/null
        # (a frozen app's C stdout is fully buffered and would print the banner at exit).
        with contextlib.suppress(Exception):
            import ctypes

            ctypes.CDLL(None).fflush(None)
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        os.close(devnull)


def _keyring_recording_key() -> bytes | None:
    from octasip.core.recordings import MASTER_KEY_NAME
    from octasip.secrets import SecretStore

    return SecretStore().get_key(MASTER_KEY_NAME)


class _Endpoint(pj.Endpoint):
    def __init__(self, rt: Runtime) -> None:
        super().__init__()
        self.rt = rt

    def onTransportState(self, prm: pj.OnTransportStateParam) -> None:
        self.rt.transport_state(prm)

    def onRejectedIncomingCall(self, prm: pj.OnRejectedIncomingCallParam) -> None:
        self.rt.emit(IncomingCallRejected(None, "", int(prm.statusCode), str(prm.reason)))


class _LogWriter(pj.LogWriter):
    """PJSIP diagnostics go to Python logging (redaction is the log handler's job)."""

    def write(self, entry: pj.LogEntry) -> None:
        if log.isEnabledFor(logging.DEBUG):  # no diagnostic log open: drop it, unformatted
            log.debug("pjsip: %s", redact(entry.msg.rstrip()))


class Runtime(CallOps):
    def __init__(self, settings: EngineSettings, password_for: Callable[[int], str | None],
                 emit: Callable[[Event], None], data_dir: Path | None = None,
                 audio_buffers: tuple[FrameBuffer, FrameBuffer] | None = None,
                 recording_key: Callable[[], bytes | None] | None = None) -> None:
        self.settings = settings
        self.password_for = password_for
        self._deliver = emit
        # Events raised inside pjsua2 callbacks wait here until libHandleEvents returns: handing them
        # over mid-callback would wake the consumer thread and make it fight us for the GIL while a
        # SIP transaction is being processed (measured: ~0.5 ms on the first call).
        self._outbox: list[Event] = []
        self.data_dir = data_dir
        self.ep: _Endpoint | None = None
        self.log_writer: _LogWriter | None = None
        self.transports: dict[str, int] = {}
        self.listen: dict[str, str] = {}
        self.accounts: dict[int, EngineAccount] = {}
        self.calls: dict[int, EngineCall] = {}
        self.dead: list[EngineCall] = []
        self.echo: EchoPeer | None = None
        self.dead_echo: list[object] = []  # the echo peer's finished calls, deleted on this thread
        self.audio: AudioBackend
        if audio_buffers is not None:  # real devices: the app's audio thread shares these buffers
            capture, playback = audio_buffers
            self.audio = BridgeAudio(capture, playback, lambda is_open: self.emit(AudioCaptureChanged(is_open)),
                                     on_stats=self.emit)
        else:
            self.audio = FileAudio(settings.play_wav, settings.record_dir, settings.record_name)
        self.recorder = CallRecorder(self.emit, recording_key or _keyring_recording_key)
        self.tls_failure: tuple[float, str] | None = None
        self.conference: tuple[int, ...] = ()
        self._call_ids = itertools.count(1_000_000)
        self._next_quality = 0.0
        self._next_netwatch = 0.0
        self._addresses: tuple[str, ...] = ()
        self._sleep_detector = WakeDetector(settings.netwatch_interval_s)
        self.retries: list[tuple[float, float, cmd.Command, Callable[[], None]]] = []

    def emit(self, event: Event) -> None:
        self._outbox.append(event)

    def flush(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            for event in batch:
                self._deliver(event)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        ep = _Endpoint(self)
        with quiet_stdio():
            ep.libCreate()
        self.ep = ep
        cfg = pj.EpConfig()
        ua = cfg.uaConfig
        ua.threadCnt = 0
        ua.mainThreadOnly = True
        ua.maxCalls = self.settings.max_calls
        ua.userAgent = self.settings.user_agent or f"OctaSIP/{__version__}"
        lc = cfg.logConfig
        lc.consoleLevel = 0
        lc.level = self.settings.pjsip_log_level
        lc.msgLogging = self.settings.pjsip_log_level >= 5
        if self.settings.pjsip_log_level > 0:
            self.log_writer = _LogWriter()
            lc.writer = self.log_writer
            # pjsua hands the writer only what is at or below the *console* level.
            lc.consoleLevel = self.settings.pjsip_log_level
        med = cfg.medConfig
        med.clockRate = 16000
        med.sndClockRate = 16000
        med.channelCount = 1
        med.ecTailLen = 0
        med.noVad = True
        med.threadCnt = 1
        try:
            ep.libInit(cfg)
            ep.audDevManager().setNullDev()
            self._create_base_transports()
            ep.libStart()
        except pj.Error as e:
            raise EngineStartError(f"SIP engine failed to start: {pj_error_text(e)}") from None
        self._addresses = interface_addresses()
        self._next_netwatch = time.monotonic() + self.settings.netwatch_interval_s
        self.emit(EngineStarted(self.versions(), dict(self.listen)))
        self.flush()

    def versions(self) -> dict[str, str]:
        assert self.ep is not None
        return {"octasip": __version__, "pjsip": self.ep.libVersion().full, "openssl": openssl_version()}

    def _transport_config(self, transport: Transport, port: int) -> pj.TransportConfig:
        tc = pj.TransportConfig()
        tc.port = port
        if self.settings.bind_address:
            tc.boundAddress = self.settings.bind_address
            tc.publicAddress = self.settings.bind_address
        if transport is not Transport.UDP:
            tc.sockOptParams = _nodelay()
        return tc

    def _create_base_transports(self) -> None:
        assert self.ep is not None
        for transport in (Transport.UDP, Transport.TCP):
            tc = self._transport_config(transport, self.settings.sip_port)
            tid = self.ep.transportCreate(_TP_TYPES[transport], tc)
            self.transports[transport.value] = tid
            self.listen[transport.value] = self._local_name(tid)

    def _tls_transport(self, ca_file: Path) -> int:
        assert self.ep is not None
        key = f"tls:{ca_file}"
        if key in self.transports:
            return self.transports[key]
        port = self.settings.sip_port + 1 if self.settings.sip_port and "tls" not in self.listen else 0
        tc = self._transport_config(Transport.TLS, port)
        t = tc.tlsConfig
        t.CaListFile = str(ca_file)
        t.verifyServer = True
        t.verifyClient = False
        t.method = pj.PJSIP_TLSV1_2_METHOD
        t.proto = pj.PJ_SSL_SOCK_PROTO_TLS1_2
        available = set(self.ep.utilSslGetAvailableCiphers())
        strong = [c for c in tls.STRONG_CIPHERS if c in available]
        if not strong:  # never fall back to the library's default (weaker) list
            raise tls.CaStoreError("TLS: the SIP library offers none of the strong cipher suites")
        t.ciphers = pj.IntVector(strong)
        t.sockOptParams = _nodelay()
        tid = self.ep.transportCreate(pj.PJSIP_TRANSPORT_TLS, tc)
        self.transports[key] = tid
        self.listen.setdefault("tls", self._local_name(tid))
        return tid

    def _local_name(self, tid: int) -> str:
        assert self.ep is not None
        return str(self.ep.transportGetInfo(tid).localName)

    def loop(self, commands: queue.SimpleQueue, should_stop: Callable[[], bool]) -> None:
        assert self.ep is not None
        poll_ms = self.settings.poll_ms
        while not should_stop():
            while True:
                try:
                    command = commands.get_nowait()
                except queue.Empty:
                    break
                self.dispatch(command)
                if should_stop():
                    return
            self.flush()
            self.ep.libHandleEvents(20 if self.retries else poll_ms)
            self.flush()
            self._reap()
            self.audio.tick()
            self.recorder.tick()
            if self.echo is not None:
                self.echo.tick()
            self._timers()

    def shutdown(self, budget_s: float = 0.25) -> None:
        """Hang up, unregister (Expires: 0 reaches the registrar), destroy. Engine thread only."""
        ep = self.ep
        if ep is None:
            return
        deadline = time.monotonic() + budget_s
        with contextlib.suppress(pj.Error):
            ep.hangupAllCalls()
        for acc in self.accounts.values():
            acc.retry_at = None
            if acc.state is RegState.REGISTERED:
                acc.unregistering = True
                with contextlib.suppress(pj.Error):
                    acc.setRegistration(False)
        while time.monotonic() < deadline and (self._pending_unreg() or self._live_calls()):
            ep.libHandleEvents(10)
            self.flush()
            self._reap()
        self.retries.clear()  # their closures hold calls
        for call in list(self.calls.values()):
            self.dead.append(call)
        self.calls.clear()
        self._reap()
        self.recorder.close()  # seal the recordings; every recording port goes before libDestroy()
        self.audio.close()
        if self.echo is not None:
            self.echo.close()
            self.echo = None
        self.dead_echo.clear()
        for acc in self.accounts.values():
            with contextlib.suppress(pj.Error):
                acc.shutdown()
        self.accounts.clear()
        # pjsua2 objects caught in reference cycles must die here, on the engine thread, while the
        # library is alive: the cyclic GC on another thread would abort the process in pjlib.
        gc.collect()
        with contextlib.suppress(pj.Error):
            ep.libDestroy(pj.PJSUA_DESTROY_NO_RX_MSG)
        self.ep = None
        ep.rt = None
        self.flush()

    def _pending_unreg(self) -> bool:
        return any(a.unregistering and a.state is RegState.REGISTERED for a in self.accounts.values())

    def _live_calls(self) -> bool:
        return any(c.state is not CallState.DISCONNECTED for c in self.calls.values())

    # ------------------------------------------------------------------ timers
    def _timers(self) -> None:
        now = time.monotonic()
        if self.retries:
            due = [r for r in self.retries if r[0] <= now]
            self.retries = [r for r in self.retries if r[0] > now]
            for _at, give_up, command, op in due:
                try:
                    op()
                except pj.Error as e:
                    if now < give_up:
                        self.retries.append((now + 0.2, give_up, command, op))
                    else:
                        self.emit(EngineError(pj_error_text(e), None, getattr(command, "call_id", None)))
        for acc in self.accounts.values():
            if acc.retry_at is not None and now >= acc.retry_at:
                acc.retry_at = None
                self._register(acc)
        if now >= self._next_quality:
            self._next_quality = now + self.settings.quality_interval_s
            for call in self.calls.values():
                if call.state is CallState.CONFIRMED:
                    self.emit(CallQualityUpdated(call.app_id, call.poll_quality()))
        if self.settings.netwatch_interval_s > 0 and now >= self._next_netwatch:
            self._next_netwatch = now + self.settings.netwatch_interval_s
            addrs = interface_addresses()
            woke = self._sleep_detector.woke()
            if addrs != self._addresses or woke:
                self._addresses = addrs
                self.emit(NetworkChanged(addrs, woke))
                self.handle_ip_change()

    def _reap(self) -> None:
        self.dead_echo.clear()
        while self.dead:
            call = self.dead.pop()
            self.audio.detach(call.app_id)
            del call  # the C++ Call is deleted here, on the engine thread

    # ------------------------------------------------------------------ commands
    def dispatch(self, command: cmd.Command) -> None:
        handler = getattr(self, "do_" + type(command).__name__, None)
        if handler is None:
            self.emit(EngineError(f"unknown command {type(command).__name__}"))
            return
        try:
            handler(command)
        except (pj.Error, AccountConfigError, tls.CaStoreError, OSError) as e:
            text = pj_error_text(e) if isinstance(e, pj.Error) else str(e)
            call_id = getattr(command, "call_id", None)
            account_id = getattr(command, "account_id", None)
            if isinstance(command, cmd.MakeCall):
                self._call_failed(command, text)
            elif isinstance(command, cmd.AddAccount):
                self.emit(RegistrationChanged(command.account.id, RegState.FAILED, 0, text))
            else:
                self.emit(EngineError(text, account_id, call_id))
        except Exception as e:  # a bug in one command must not take the engine (and every call) down
            log.exception("command %s failed", type(command).__name__)
            self.emit(EngineError(f"{type(command).__name__} failed: internal error ({type(e).__name__})", None,
                                  getattr(command, "call_id", None)))

    def do_AddAccount(self, c: cmd.AddAccount) -> None:
        assert self.ep is not None
        cfg = c.account
        old = self.accounts.pop(cfg.id, None)
        if old is not None:
            old.shutdown()
        if cfg.transport is Transport.TLS:
            tid = self._tls_transport(tls.ca_file_for(cfg.ca_file, self.data_dir))
        else:
            tid = self.transports[cfg.transport.value]
        password = self.password_for(cfg.id)
        acc = EngineAccount(self, cfg)
        ac = build_account_config(cfg, password, tid)
        ac.regConfig.registerOnAdd = False
        acc.create(ac)
        self.accounts[cfg.id] = acc
        if cfg.enabled:
            self._register(acc)

    def do_StartEchoTest(self, c: cmd.StartEchoTest) -> None:
        assert self.ep is not None
        udp = self.transports[Transport.UDP.value]
        address = self.listen[Transport.UDP.value]
        if address.startswith("0.0.0.0:") or not address.startswith("127."):
            address = "127.0.0.1:" + address.rsplit(":", 1)[1]
        if self.echo is None:
            self.echo = EchoPeer(self, udp, address)
        if ECHO_CALLER_ID not in self.accounts:
            cfg = AccountConfig(uri="sip:echo-test@127.0.0.1", id=ECHO_CALLER_ID, display_name="Echo test",
                                srtp=SrtpPolicy.MANDATORY, enabled=False, allow_direct_calls=True)
            acc = EngineAccount(self, cfg)
            acc.create(build_account_config(cfg, None, udp, local=True))
            self.accounts[ECHO_CALLER_ID] = acc
        self.do_MakeCall(cmd.MakeCall(ECHO_CALLER_ID, self.echo.uri, c.call_id))

    def _register(self, acc: EngineAccount) -> None:
        acc.unregistering = False
        acc._emit(RegState.REGISTERING, 0, "")
        try:
            acc.setRegistration(True)
        except pj.Error as e:
            acc.registration_failed(pj_error_text(e))

    def do_Reregister(self, c: cmd.Reregister) -> None:
        self._register(self._account(c.account_id))

    def do_RemoveAccount(self, c: cmd.RemoveAccount) -> None:
        acc = self.accounts.get(c.account_id)
        if acc is None:
            return
        for call in list(self.calls.values()):
            if call.account is acc and call.state is not CallState.DISCONNECTED:
                call.hangup(pj.CallOpParam(True))
        acc.retry_at = None
        if acc.state is RegState.REGISTERED:
            acc.unregistering = True
            acc.setRegistration(False)
            deadline = time.monotonic() + 1.0
            assert self.ep is not None
            while time.monotonic() < deadline and acc.state is not RegState.UNREGISTERED:
                self.ep.libHandleEvents(10)
                self.flush()
        self.accounts.pop(c.account_id, None)
        acc.shutdown()

    def _account(self, account_id: int) -> EngineAccount:
        acc = self.accounts.get(account_id)
        if acc is None:
            raise AccountConfigError(f"no such account: {account_id}")
        return acc

    def do_NetworkChange(self, c: cmd.NetworkChange) -> None:
        self.handle_ip_change()

    def do_QueryQuality(self, c: cmd.QueryQuality) -> None:
        call = self._call(c.call_id)
        self.emit(CallQualityUpdated(call.app_id, call.poll_quality()))

    def handle_ip_change(self) -> None:
        assert self.ep is not None
        for acc in self.accounts.values():
            acc.refresh_trusted()
        prm = pj.IpChangeParam()
        prm.restartListener = True
        prm.restartLisDelay = 0
        try:
            self.ep.handleIpChange(prm)
        except pj.Error as e:
            self.emit(EngineError(f"network change: {pj_error_text(e)}"))

    # ------------------------------------------------------------------ callbacks from accounts/calls
    def status_text(self, status: int) -> str:
        if not status or self.ep is None:
            return ""
        try:
            return str(self.ep.utilStrError(status))
        except pj.Error:
            return f"error {status}"

    def transport_state(self, prm: pj.OnTransportStateParam) -> None:
        info = prm.tlsInfo
        if prm.type == "TLS" or getattr(info, "cipherName", ""):
            status = int(info.verifyStatus)
            if status and prm.state == pj.PJSIP_TP_STATE_DISCONNECTED:
                text = f"TLS: server certificate not trusted ({tls.describe_verify_status(status)})"
                self.tls_failure = (time.monotonic(), text)
                self.emit(TransportError(None, text))
        if prm.state == pj.PJSIP_TP_STATE_DISCONNECTED and prm.lastError and not self.tls_failure:
            self.emit(TransportError(None, f"connection lost: {self.status_text(int(prm.lastError))}"))

    def transport_failure_reason(self, account_id: int) -> str:
        acc = self.accounts.get(account_id)
        if self.tls_failure and acc and acc.cfg.transport is Transport.TLS:
            at, text = self.tls_failure
            if time.monotonic() - at < _TLS_FAILURE_WINDOW_S:
                return text
        return ""
