"""Audio backend for real devices: calls <-> one BridgePort <-> frame buffers shared with the app.

Engine thread only. The port exists only while a call needs audio, so nothing is captured between
calls: `on_capture(True/False)` tells the app when to open and close the microphone (the UI shows
it). Retired ports stay referenced by the PortReaper until PJSIP's queued removal is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import pjsua2 as pj

from octasip.core.events import AudioStats
from octasip.engine.audio_port import BridgePort, FrameBuffer, PortReaper

log = logging.getLogger("octasip.engine")


class BridgeAudio:
    def __init__(self, capture: FrameBuffer, playback: FrameBuffer, on_capture: Callable[[bool], None],
                 clock_rate: int = 16000, on_stats: Callable[[AudioStats], None] | None = None) -> None:
        self.capture = capture
        self.playback = playback
        self.on_capture = on_capture
        self.on_stats = on_stats
        self.clock_rate = clock_rate
        self.port: BridgePort | None = None
        self.reaper = PortReaper()
        self.media: dict[int, pj.AudioMedia] = {}
        self.muted: set[int] = set()

    def _open(self) -> BridgePort:
        if self.port is None:
            self.capture.clear()  # no stale microphone audio from before this call
            self.playback.clear()
            # The buffers go in before createPort: the clock thread may call the port at once.
            port = BridgePort("octasip-audio", clock_rate=self.clock_rate, playback=self.playback,
                              capture=self.capture)
            self.port = port
            if not port.fast:
                log.error("audio: the fast frame copy failed its self-test; using the slow path")
            self.on_capture(True)
        return self.port

    def attach(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None:
        port = self._open()
        old = self.media.get(call_id)
        if old is not None:
            port.disconnect(old)
        port.connect(aud)
        self.media[call_id] = aud
        if muted:
            self.set_muted(call_id, aud, True)

    def set_muted(self, call_id: int, aud: pj.AudioMedia, muted: bool) -> None:
        if self.port is None:
            return
        if muted:
            self.muted.add(call_id)
            self.port.stopTransmit(aud)
        else:
            self.muted.discard(call_id)
            self.port.startTransmit(aud)

    def local_source(self, call_id: int) -> pj.AudioMedia | None:
        return self.port if call_id in self.media else None

    def detach(self, call_id: int) -> None:
        aud = self.media.pop(call_id, None)
        self.muted.discard(call_id)
        if aud is not None and self.port is not None:
            self.port.disconnect(aud)
        if not self.media and self.port is not None:
            if self.port.callback_errors:
                log.error("audio port errors: %d (%s)", self.port.callback_errors, self.port.last_error)
            if self.on_stats is not None:
                self.on_stats(self._stats(self.port))
            self.reaper.retire(self.port)
            self.port = None
            self.on_capture(False)

    def _stats(self, port: BridgePort) -> AudioStats:
        rx, tx = port.rx_timing.summary(), port.tx_timing.summary()
        worst = rx if rx.late_p99_ms >= tx.late_p99_ms else tx
        return AudioStats(frames=rx.total, late_p99_ms=round(worst.late_p99_ms, 2),
                          late_max_ms=round(max(rx.late_max_ms, tx.late_max_ms), 2),
                          frames_late=max(rx.frames_late, tx.frames_late),
                          capture_underruns=self.capture.underruns, playback_overruns=self.playback.overruns)

    def tick(self) -> None:
        self.reaper.reap()

    def close(self) -> None:
        for call_id in list(self.media):
            self.detach(call_id)
        self.reaper.destroy_all()
