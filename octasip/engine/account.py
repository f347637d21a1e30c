"""pjsua2 Account: configuration and callbacks. Runs on the engine thread only."""

from __future__ import annotations

import random
import socket
import time
from typing import TYPE_CHECKING

import pjsua2 as pj

from octasip.core.events import IncomingCallRejected, RegistrationChanged, RegState
from octasip.core.models import AccountConfig, SrtpPolicy, Transport, parse_sip_uri
from octasip.engine.errors import is_retriable_registration, registration_message

if TYPE_CHECKING:
    from octasip.engine.runtime import Runtime

_SRTP = {
    SrtpPolicy.OFF: pj.PJMEDIA_SRTP_DISABLED,
    SrtpPolicy.OPTIONAL: pj.PJMEDIA_SRTP_OPTIONAL,
    SrtpPolicy.MANDATORY: pj.PJMEDIA_SRTP_MANDATORY,
}
_DEFAULT_PORT = {Transport.UDP: 5060, Transport.TCP: 5060, Transport.TLS: 5061}
BACKOFF_MAX_S = 60.0


def with_transport(uri: str, transport: Transport) -> str:
    if transport is Transport.UDP or "transport=" in uri:
        return uri
    return f"{uri};transport={transport.value}"


def build_account_config(cfg: AccountConfig, password: str | None, transport_id: int,
                         local: bool = False) -> pj.AccountConfig:
    """pjsua2 settings for `cfg`. `local`: no registrar and no proxy (the built-in echo test)."""
    ac = pj.AccountConfig()
    name = cfg.display_name.replace('"', "")
    ac.idUri = f'"{name}" <{cfg.uri}>' if name else cfg.uri
    reg = ac.regConfig
    reg.registrarUri = with_transport(cfg.registrar_uri, cfg.transport)
    reg.timeoutSec = int(cfg.expiry)
    # pjsua's own retry handles a dropped TCP/TLS connection at once (it releases the dead
    # transport and renews the Contact); our backoff takes over for later attempts.
    reg.firstRetryIntervalSec = 1
    reg.retryIntervalSec = 3600
    reg.randomRetryIntervalSec = 1
    reg.unregWaitMsec = 300
    reg.dropCallsOnFail = False
    # Calls go through the provider: the outbound proxy, or else the registrar (loose routing).
    if local:
        reg.registrarUri = ""
    else:
        proxy = with_transport(cfg.outbound_proxy or cfg.registrar_uri, cfg.transport)
        ac.sipConfig.proxies.append(proxy if ";lr" in proxy else f"{proxy};lr")
    ac.sipConfig.transportId = transport_id
    if password is not None:
        cred = pj.AuthCredInfo("digest", "*", cfg.auth_username, 0, password)
        ac.sipConfig.authCreds.append(cred)
    nat = ac.natConfig
    nat.sipOutboundUse = 0
    nat.iceEnabled = False
    nat.contactRewriteUse = 0
    nat.viaRewriteUse = 0
    nat.sdpNatRewriteUse = 0
    med = ac.mediaConfig
    med.srtpUse = _SRTP[cfg.srtp_policy]
    # SDES keys travel in SDP: require a TLS hop for them when signalling is TLS.
    med.srtpSecureSignaling = 1 if cfg.transport is Transport.TLS else 0
    med.rtcpMuxEnabled = False
    med.transportConfig.port = 0
    med.transportConfig.portRange = 0
    ac.ipChangeConfig.shutdownTp = True
    ac.ipChangeConfig.hangupCalls = False
    ac.ipChangeConfig.reinviteFlags = (
        pj.PJSUA_CALL_REINIT_MEDIA | pj.PJSUA_CALL_UPDATE_CONTACT | pj.PJSUA_CALL_UPDATE_VIA
    )
    return ac


def resolve_hosts(uris: list[str], transport: Transport) -> set[tuple[str, int]]:
    """Addresses (ip, port) a registrar or proxy may send from, for the direct-IP guard."""
    out: set[tuple[str, int]] = set()
    for uri in uris:
        if not uri:
            continue
        try:
            _user, host, port = parse_sip_uri(uri)
        except ValueError:
            continue
        host = host.strip("[]")
        port = port or _DEFAULT_PORT[transport]
        try:
            infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_UDP)
        except OSError:
            continue
        for info in infos:
            out.add((str(info[4][0]), port))
    return out


def split_addr(addr: str) -> tuple[str, int]:
    host, _, port = addr.rpartition(":")
    return host.strip("[]"), int(port or 0)


class EngineAccount(pj.Account):
    """One registered identity. Every method runs on the engine thread."""

    def __init__(self, runtime: Runtime, cfg: AccountConfig) -> None:
        super().__init__()
        self.rt = runtime
        self.cfg = cfg
        self.trusted: set[tuple[str, int]] = set()
        self.failures = 0
        self.retry_at: float | None = None
        self.unregistering = False
        self.state = RegState.UNREGISTERED
        self.refresh_trusted()

    def refresh_trusted(self) -> None:
        self.trusted = resolve_hosts([self.cfg.registrar_uri, self.cfg.outbound_proxy], self.cfg.transport)

    # --- callbacks (engine thread, via libHandleEvents) ---
    def onRegState(self, prm: pj.OnRegStateParam) -> None:
        code = int(prm.code)
        reason = str(prm.reason)
        expires = int(prm.expiration)
        if code // 100 == 2 and expires > 0:
            self.failures = 0
            self.retry_at = None
            try:
                self.trusted.add(split_addr(str(prm.rdata.srcAddress)))
            except (ValueError, AttributeError):
                pass
            self._emit(RegState.REGISTERED, code, reason, expires)
            return
        if code // 100 == 2 or self.unregistering:
            self._emit(RegState.UNREGISTERED, code, reason)
            return
        status_text = self.rt.status_text(int(prm.status)) if prm.status else ""
        tls_refused = any("ECERTVERIF" in t or "certificate" in t.lower() for t in (status_text, reason))
        if tls_refused:
            reason = self.rt.transport_failure_reason(self.cfg.id) or (
                "TLS: server certificate not trusted (verification failed: check the CA file and host name)")
        elif status_text and code in (0, 408, 502, 503):  # no response: say why
            reason = status_text
        code = code or 503
        if is_retriable_registration(code) and not tls_refused:
            self.failures += 1
            delay = min(BACKOFF_MAX_S, 2.0 ** (self.failures - 1)) * random.uniform(0.8, 1.2)
            self.retry_at = time.monotonic() + delay
            self._emit(RegState.RETRYING, code, registration_message(code, reason), retry_in=round(delay, 1))
        else:
            self.retry_at = None
            self._emit(RegState.FAILED, code, registration_message(code, reason))

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        src = str(prm.rdata.srcAddress)
        if not self.cfg.allow_direct_calls:
            try:
                addr = split_addr(src)
            except ValueError:
                addr = ("", 0)
            if addr not in self.trusted:
                self.rt.reject_incoming(self, int(prm.callId), 403, "Forbidden (direct call refused)")
                self.rt.emit(
                    IncomingCallRejected(self.cfg.id, addr[0], 403, "direct call from outside the registrar refused")
                )
                return
        self.rt.incoming_call(self, int(prm.callId), prm)

    def registration_failed(self, text: str) -> None:
        self.retry_at = None
        self._emit(RegState.FAILED, 0, text)

    def _emit(self, state: RegState, code: int, reason: str, expires: int = 0, retry_in: float | None = None) -> None:
        self.state = state
        self.rt.emit(RegistrationChanged(self.cfg.id, state, code, reason, expires, retry_in))
