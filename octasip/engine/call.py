"""pjsua2 Call: callbacks and per-call state. Runs on the engine thread only."""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING

import pjsua2 as pj

from octasip.core.events import CallDirection, CallMedia, CallQuality, CallState, DtmfReceived
from octasip.core.models import mask_number

if TYPE_CHECKING:
    from octasip.engine.account import EngineAccount
    from octasip.engine.runtime import Runtime

_STATES = {
    pj.PJSIP_INV_STATE_CALLING: CallState.CALLING,
    pj.PJSIP_INV_STATE_INCOMING: CallState.INCOMING,
    pj.PJSIP_INV_STATE_EARLY: CallState.EARLY,
    pj.PJSIP_INV_STATE_CONNECTING: CallState.CONNECTING,
    pj.PJSIP_INV_STATE_CONFIRMED: CallState.CONFIRMED,
    pj.PJSIP_INV_STATE_DISCONNECTED: CallState.DISCONNECTED,
}
_SRTP_RE = re.compile(r"SRTP status: (Active|Not active) Crypto-suite: (\S+)")
_NAME_RE = re.compile(r'^\s*"?([^"<]*?)"?\s*<')
_DTMF_METHODS = {pj.PJSUA_DTMF_METHOD_RFC2833: "rfc4733", pj.PJSUA_DTMF_METHOD_SIP_INFO: "info"}


def display_name(uri: str) -> str:
    m = _NAME_RE.match(uri)
    return m.group(1).strip() if m else ""


def bare_uri(uri: str) -> str:
    if "<" in uri and ">" in uri:
        return uri[uri.index("<") + 1 : uri.index(">")]
    return uri.strip()


class EngineCall(pj.Call):
    """One call. `app_id` is our stable id; pjsua's id changes meaning after the call ends."""

    def __init__(self, runtime: Runtime, account: EngineAccount, app_id: int, direction: CallDirection,
                 pj_call_id: int = pj.PJSUA_INVALID_ID) -> None:
        super().__init__(account, pj_call_id)
        self.rt = runtime
        self.account = account
        self.app_id = app_id
        self.direction = direction
        self.state = CallState.CALLING if direction is CallDirection.OUTGOING else CallState.INCOMING
        self.states: list[str] = [self.state.value]
        self.remote_uri = ""
        self.remote_name = ""
        self.code = 0
        self.reason = ""
        self.started = time.monotonic()
        self.setup_ms: float | None = None
        self.answered_at: float | None = None
        self.ended_at: float | None = None
        self.media = CallMedia()
        self.quality = CallQuality()
        self.muted = False
        self.audio_slot: pj.AudioMedia | None = None
        self.media_error = ""
        self.transfer_target: str | None = None
        self.consultation: int | None = None  # app id of the consultation call of an attended transfer
        self.ended = False
        self.silent = False  # refused by policy before ringing: no events

    # --- helpers ---
    def duration(self) -> float:
        if self.answered_at is None:
            return 0.0
        return (self.ended_at or time.monotonic()) - self.answered_at

    def refresh_media(self) -> CallMedia:
        ci = self.getInfo()
        medias = ci.media  # keep `ci` alive while iterating its media
        active = False
        local_hold = remote_hold = False
        idx = -1
        for m in medias:
            if m.type != pj.PJMEDIA_TYPE_AUDIO:
                continue
            idx = m.index
            active = m.status == pj.PJSUA_CALL_MEDIA_ACTIVE
            local_hold = m.status == pj.PJSUA_CALL_MEDIA_LOCAL_HOLD
            remote_hold = m.status == pj.PJSUA_CALL_MEDIA_REMOTE_HOLD
            break
        codec = self.media.codec
        suite = self.media.srtp_suite
        if idx >= 0 and (active or local_hold or remote_hold):
            try:
                si = self.getStreamInfo(idx)
                codec = f"{si.codecName}/{si.codecClockRate}"
            except pj.Error:
                pass
            suite = self._srtp_suite()
        self.media = CallMedia(codec=codec, srtp_suite=suite, active=active,
                               local_hold=local_hold, remote_hold=remote_hold)
        return self.media

    def _srtp_suite(self) -> str | None:
        try:
            text = self.dump(True, "")
        except pj.Error:
            return self.media.srtp_suite
        m = _SRTP_RE.search(text)
        if m and m.group(1) == "Active":
            return m.group(2)
        return None

    def poll_quality(self) -> CallQuality:
        idx = self._audio_index()
        if idx < 0:
            return self.quality
        try:
            st = self.getStreamStat(idx)
        except pj.Error:
            return self.quality
        self.quality = merge_quality(self.quality, quality_from_stat(st))
        return self.quality

    def _audio_index(self) -> int:
        try:
            ci = self.getInfo()
        except pj.Error:
            return -1
        medias = ci.media
        for m in medias:
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status != pj.PJSUA_CALL_MEDIA_NONE:
                return int(m.index)
        return -1

    # --- callbacks ---
    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        ci = self.getInfo()
        state = _STATES.get(ci.state, CallState.CALLING)
        self.remote_uri = bare_uri(str(ci.remoteUri))
        self.remote_name = display_name(str(ci.remoteUri))
        self.code = int(ci.lastStatusCode)
        self.reason = mask_number(str(ci.lastReason))
        if state is CallState.CONFIRMED and self.answered_at is None:
            self.answered_at = time.monotonic()
            self.setup_ms = (self.answered_at - self.started) * 1000.0
        if state is CallState.DISCONNECTED:
            self.ended_at = time.monotonic()
        if state != self.state or state is CallState.EARLY:
            self.state = state
            if not self.states or self.states[-1] != state.value:
                self.states.append(state.value)
            self.rt.call_changed(self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        self.refresh_media()
        self.rt.call_media_changed(self)

    def onCallMediaTransportState(self, prm: pj.OnCallMediaTransportStateParam) -> None:
        if prm.status != 0:
            self.media_error = self.rt.status_text(int(prm.status))

    def onStreamDestroyed(self, prm: pj.OnStreamDestroyedParam) -> None:
        try:
            self.quality = merge_quality(self.quality, quality_from_stat(self.getStreamStat(int(prm.streamIdx))))
        except pj.Error:
            pass
        self.audio_slot = None

    def onDtmfDigit(self, prm: pj.OnDtmfDigitParam) -> None:
        self.rt.emit(DtmfReceived(self.app_id, str(prm.digit), _DTMF_METHODS.get(prm.method, "other")))

    def onCallTransferRequest(self, prm: pj.OnCallTransferRequestParam) -> None:
        self.rt.transfer_requested(self, prm)

    def onCallTransferStatus(self, prm: pj.OnCallTransferStatusParam) -> None:
        self.rt.transfer_status(self, int(prm.statusCode), str(prm.reason), bool(prm.finalNotify))

    def onCallReplaced(self, prm: pj.OnCallReplacedParam) -> None:
        self.rt.call_replaced(self, prm)


def quality_from_stat(st: pj.StreamStat) -> CallQuality:
    rtcp = st.rtcp
    rx = rtcp.rxStat
    rx_jitter = rx.jitterUsec
    rtt = rtcp.rttUsec
    pkts = int(rx.pkt)
    loss = int(rx.loss)
    total = pkts + loss
    return CallQuality(
        rtt_ms=round(rtt.last / 1000.0, 2) if rtt.n else None,
        jitter_ms=round(rx_jitter.last / 1000.0, 2) if rx_jitter.n else None,
        loss_pct=round(100.0 * loss / total, 2) if total else None,
        rx_packets=pkts,
        tx_packets=int(rtcp.txStat.pkt),
    )


def merge_quality(old: CallQuality, new: CallQuality) -> CallQuality:
    """A re-INVITE (hold, resume) rebuilds the stream and resets its RTCP figures: keep what we knew."""
    return CallQuality(
        rtt_ms=new.rtt_ms if new.rtt_ms is not None else old.rtt_ms,
        jitter_ms=new.jitter_ms if new.jitter_ms is not None else old.jitter_ms,
        loss_pct=new.loss_pct if new.loss_pct is not None else old.loss_pct,
        rx_packets=max(new.rx_packets, old.rx_packets),
        tx_packets=max(new.tx_packets, old.tx_packets),
    )
