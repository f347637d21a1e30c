"""The built-in echo test: a SIP peer inside OctaSIP, on 127.0.0.1, that plays your voice back.

`EchoPeer` adds a local account `sip:echo@<our UDP address>` (no registrar) that answers every call
and returns the caller's audio one second later through `EchoPort`, a delay line on the conference
bridge. The echo test is then a real SIP call, signalling and SRTP included, from a second local
account: the first thing a new user can try, before adding any account. Engine thread only.
"""

from __future__ import annotations

import collections
import contextlib
from typing import TYPE_CHECKING

import pjsua2 as pj

from octasip.engine import audio_port
from octasip.engine.audio_port import FrameWriter, PortReaper, frame_bytes, put_frame_slow

if TYPE_CHECKING:
    from octasip.engine.runtime import Runtime

ECHO_DELAY_MS = 1000
ECHO_USER = "echo"


class EchoPort(pj.AudioMediaPort):
    """Returns what it hears `delay_ms` later. Callbacks run on PJSIP's clock thread: deque only."""

    def __init__(self, clock_rate: int = 16000, ptime_ms: int = 20, delay_ms: int = ECHO_DELAY_MS) -> None:
        super().__init__()
        self.frame_bytes = clock_rate * ptime_ms // 1000 * 2
        self.delay_frames = max(1, delay_ms // ptime_ms)
        self._line: collections.deque[bytes] = collections.deque(maxlen=self.delay_frames * 2)
        self._silence = bytes(self.frame_bytes)
        self._writer = FrameWriter(self.frame_bytes) if audio_port.self_test() else None
        self.destroyed = False
        fmt = pj.MediaFormatAudio()
        fmt.init(pj.PJMEDIA_FORMAT_PCM, clock_rate, 1, ptime_ms * 1000, 16, clock_rate * 16, clock_rate * 16)
        self.createPort("octasip-echo", fmt)

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:
        try:
            data = frame_bytes(frame)
        except Exception:
            return
        self._line.append(data if len(data) == self.frame_bytes else self._silence)

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:
        # Clock thread: never raise (an exception would unwind through PJSIP's C code).
        try:
            pcm = self._line.popleft() if len(self._line) > self.delay_frames else self._silence
            if self._writer is not None:
                self._writer.put(frame, pcm)  # sets the frame type too
            else:
                put_frame_slow(frame, pcm)
        except Exception:
            self.callback_errors += 1

    # PortReaper interface (same as BridgePort)
    retired_at: float | None = None
    callback_errors = 0
    last_error = ""
    name = "octasip-echo"

    def retire(self) -> None:
        import time

        if self.retired_at is None:
            self.retired_at = time.monotonic()

    def destroy(self) -> None:
        if not self.destroyed:
            self.destroyed = True
            pj.AudioMediaPort.__swig_destroy__(self)


class _EchoCall(pj.Call):
    def __init__(self, peer: EchoPeer, acc: pj.Account, call_id: int) -> None:
        super().__init__(acc, call_id)
        self.peer = peer
        self.port: EchoPort | None = None
        self.aud: pj.AudioMedia | None = None

    def onCallState(self, prm: pj.OnCallStateParam) -> None:
        if self.getInfo().state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.peer.ended(self)

    def onCallMediaState(self, prm: pj.OnCallMediaStateParam) -> None:
        ci = self.getInfo()
        medias = ci.media
        for m in medias:
            if m.type == pj.PJMEDIA_TYPE_AUDIO and m.status == pj.PJSUA_CALL_MEDIA_ACTIVE and self.port is None:
                self.aud = self.getAudioMedia(int(m.index))
                self.port = EchoPort()
                self.aud.startTransmit(self.port)
                self.port.startTransmit(self.aud)


class _EchoAccount(pj.Account):
    def __init__(self, peer: EchoPeer) -> None:
        super().__init__()
        self.peer = peer

    def onIncomingCall(self, prm: pj.OnIncomingCallParam) -> None:
        self.peer.incoming(self, int(prm.callId), str(prm.rdata.srcAddress))


class EchoPeer:
    def __init__(self, rt: Runtime, transport_id: int, address: str) -> None:
        self.rt = rt
        self.address = address  # "127.0.0.1:port" of our UDP transport
        self.uri = f"sip:{ECHO_USER}@{address}"
        self.calls: list[_EchoCall] = []
        self.reaper = PortReaper()
        ac = pj.AccountConfig()
        ac.idUri = f'"OctaSIP echo test" <sip:{ECHO_USER}@{address.rsplit(":", 1)[0]}>'
        ac.sipConfig.transportId = transport_id
        ac.natConfig.sipOutboundUse = 0
        ac.mediaConfig.srtpUse = pj.PJMEDIA_SRTP_OPTIONAL
        ac.mediaConfig.srtpSecureSignaling = 0
        ac.mediaConfig.transportConfig.boundAddress = "127.0.0.1"
        self.account = _EchoAccount(self)
        self.account.create(ac)

    def incoming(self, acc: _EchoAccount, call_id: int, source: str) -> None:
        call = _EchoCall(self, acc, call_id)
        self.calls.append(call)
        prm = pj.CallOpParam(True)
        prm.statusCode = 200 if source.rsplit(":", 1)[0] in ("127.0.0.1", "::1") else 403  # ourselves only
        call.answer(prm) if prm.statusCode == 200 else call.hangup(prm)

    def ended(self, call: _EchoCall) -> None:
        if call.port is not None:
            if call.aud is not None:
                with contextlib.suppress(pj.Error):
                    call.aud.stopTransmit(call.port)
                with contextlib.suppress(pj.Error):
                    call.port.stopTransmit(call.aud)
            self.reaper.retire(call.port)  # type: ignore[arg-type]
            call.port = None
        self.rt.dead_echo.append(call)
        self.calls = [c for c in self.calls if c is not call]

    def tick(self) -> None:
        self.reaper.reap()

    def close(self) -> None:
        for call in self.calls:
            with contextlib.suppress(pj.Error):
                call.hangup(pj.CallOpParam(True))
        self.calls.clear()
        self.reaper.destroy_all()
        with contextlib.suppress(pj.Error):
            self.account.shutdown()
