"""Call recording: two tap ports on the conference bridge, a writer thread, an announcement port.

    call audio ──────────────► TapPort "theirs" ─┐
    what we send (microphone   ┐                  ├─► writer thread: interleave, encrypt, write
     or file, and the tone) ───┴► TapPort "ours" ─┘     (privacy.recording_format.RecordingWriter)
    AnnouncePort (the recording tone) ──► the call, and the "ours" tap

Threads, as for every port here (see audio_port.py):
- the engine thread creates, wires, retires and destroys the ports, and emits the events (`tick`);
- PJSIP's clock thread calls `TapPort.onFrameReceived`, which only appends the frame's bytes to a
  bounded deque (no lock, no SWIG call on the fast path), and `AnnouncePort.onFrameRequested`;
- one writer thread per recording takes the recording master key from the keyring, creates the
  file, and every 100 ms pairs the two taps' frames, interleaves them (ours left, theirs right)
  and hands them to the `RecordingWriter`, which encrypts each 0.5 s chunk before it is written.
  No plaintext audio is ever written: not to the data directory, not to a temporary file, and
  PJSIP's WAV recorder is never used.

The bridge calls every port's put_frame once per tick, with an empty "heart-beat" frame when nothing
transmits to it, so both taps receive one frame per tick and stay aligned; an empty frame is
recorded as silence (a muted microphone, a call on hold). If the writer falls behind by more than
`BACKLOG_S`, the oldest frames are dropped (counted, reported) rather than letting memory grow.
"""

from __future__ import annotations

import logging
import threading
import time
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pjsua2 as pj

from octasip.core.events import Event, RecordingStarted, RecordingStopped
from octasip.engine.audio_port import BridgePort, FrameBuffer, PortReaper, frame_bytes_fast
from octasip.privacy.recording_format import AudioFormat, RecordingError, RecordingWriter
from octasip.storage.errors import is_disk_full

log = logging.getLogger("octasip.engine.recording")

BACKLOG_S = 10.0  # frames buffered per tap while the writer is busy (or waiting for the keyring)
WRITE_INTERVAL_S = 0.1
# The announcement: three 1400 Hz beeps (the frequency of the ITU-T recording warning tone).
TONE_HZ = 1400.0
TONE_PATTERN = ((0.3, 0.2), (0.3, 0.2), (0.3, 0.0))  # (on, off) seconds
TONE_AMPLITUDE = 0.25  # of full scale (-12 dBFS)


def announcement_pcm(rate: int, hz: float = TONE_HZ, pattern=TONE_PATTERN, amplitude: float = TONE_AMPLITUDE) -> bytes:
    """PCM16 mono of the recording tone, with 5 ms ramps so that the beeps do not click."""
    import math

    out = array("h")
    peak = int(32767 * amplitude)
    ramp = max(1, int(rate * 0.005))
    for on, off in pattern:
        n = int(rate * on)
        for i in range(n):
            env = min(1.0, i / ramp, (n - 1 - i) / ramp)
            out.append(int(peak * env * math.sin(2 * math.pi * hz * i / rate)))
        out.extend([0] * int(rate * off))
    return out.tobytes()


def interleave(left: bytes, right: bytes) -> bytes:
    """Two PCM16 mono blocks of the same length -> one stereo block (left first)."""
    a, b = array("h"), array("h")
    a.frombytes(left)
    b.frombytes(right)
    out = array("h", bytes(2 * len(left)))
    out[0::2] = a
    out[1::2] = b
    return out.tobytes()


class TapPort(BridgePort):
    """A sink-only bridge port: every frame the bridge gives it goes into `frames` (bounded)."""

    def __init__(self, name: str, clock_rate: int, ptime_ms: int = 20) -> None:
        frame_bytes = clock_rate * ptime_ms // 1000 * 2
        self.frames: deque[bytes] = deque(maxlen=int(BACKLOG_S * 1000 / ptime_ms))
        self.silence = bytes(frame_bytes)
        self.dropped = 0
        super().__init__(name, clock_rate=clock_rate, ptime_ms=ptime_ms, timing_capacity=2)

    def onFrameReceived(self, frame: pj.MediaFrame) -> None:  # clock thread
        if not self._open:
            return
        try:
            data = frame_bytes_fast(frame) if self.fast else bytes(frame.buf)
            frames = self.frames
            if len(frames) == frames.maxlen:
                self.dropped += 1
            frames.append(data if len(data) == len(self.silence) else self.silence)
        except Exception as e:
            self._failed(e)

    def onFrameRequested(self, frame: pj.MediaFrame) -> None:  # never connected as a source
        return


class AnnouncePort(BridgePort):
    """Plays the recording tone once (from its capture buffer), then silence."""

    def __init__(self, name: str, clock_rate: int) -> None:
        pcm = announcement_pcm(clock_rate)
        seconds = len(pcm) / (2 * clock_rate)
        buf = FrameBuffer(clock_rate, max_latency_ms=seconds * 1000 + 100)
        buf.write(pcm)
        super().__init__(name, clock_rate=clock_rate, capture=buf, timing_capacity=2)

    @property
    def done(self) -> bool:
        return self.capture.buffered_bytes == 0


class Writer(threading.Thread):
    """Drains the taps into an encrypted file. Everything here runs off the engine thread."""

    def __init__(self, path: Path, recording_id: str, fmt: AudioFormat, taps: list[TapPort],
                 master_key: Callable[[], bytes | None]) -> None:
        super().__init__(name="octasip-recording-writer", daemon=True)
        self.path, self.recording_id, self.fmt, self.taps = path, recording_id, fmt, taps
        self.master_key = master_key
        self.stopping = threading.Event()
        self.opened = threading.Event()
        self.error = ""
        self.seconds = 0.0
        self.writer: RecordingWriter | None = None

    def run(self) -> None:
        try:
            try:
                key = self.master_key()
            except Exception as e:  # the keyring is locked, missing, ...: say so, never fall back
                raise RecordingError(f"the keyring could not give the recording master key ({e})") from None
            if key is None:
                raise RecordingError("the recording master key is not in the keyring: turn recording off and "
                                     "on again in Settings > Privacy to create a new one")
            self.writer = RecordingWriter(self.path, key, self.recording_id, self.fmt)
            del key
            self.opened.set()
            while not self.stopping.wait(WRITE_INTERVAL_S):
                self._drain()
            self._drain()
            self.writer.close()
        except RecordingError as e:
            self.error = str(e)
        except OSError as e:
            self.error = _os_error_text(e)
        except Exception as e:  # a bug: still never take the call down
            log.exception("recording writer failed")
            self.error = f"the recording stopped because of an internal error ({type(e).__name__})"
        finally:
            if self.error and self.writer is not None:
                try:  # seal what is in memory; the file is marked final only if that works
                    self.writer.close()
                except OSError:
                    pass
            if self.writer is not None:
                self.seconds = self.writer.seconds

    def _drain(self) -> None:
        assert self.writer is not None
        if len(self.taps) == 1:
            frames = self.taps[0].frames
            n = len(frames)
            if n:
                self.writer.write(b"".join(frames.popleft() for _ in range(n)))
            return
        ours, theirs = self.taps[0].frames, self.taps[1].frames
        n = min(len(ours), len(theirs))
        if n:
            left = b"".join(ours.popleft() for _ in range(n))
            right = b"".join(theirs.popleft() for _ in range(n))
            self.writer.write(interleave(left, right))


def _os_error_text(e: OSError) -> str:
    if is_disk_full(e):
        return "the disk is full, so the recording stopped. What was recorded up to then is kept and plays."
    return f"the recording could not be written ({e.strerror or type(e).__name__}); what was recorded up to " \
           "then is kept"


@dataclass
class _Recording:
    call_id: int
    recording_id: str
    fmt: AudioFormat
    taps: list[TapPort]
    writer: Writer
    announce: bool
    announcer: AnnouncePort | None = None
    started: bool = False
    call_media: pj.AudioMedia | None = None
    sources: list[pj.AudioMedia] = field(default_factory=list)


class CallRecorder:
    """Engine thread only: the recordings in progress, one per call at most."""

    def __init__(self, emit: Callable[[Event], None], master_key: Callable[[], bytes | None],
                 clock_rate: int = 16000) -> None:
        self.emit = emit
        self.master_key = master_key
        self.clock_rate = clock_rate
        self.active: dict[int, _Recording] = {}
        self.finishing: list[_Recording] = []
        self.reaper = PortReaper(grace_s=0.2)

    def start(self, call_id: int, recording_id: str, path: Path, announce: bool, channels: int,
              call_media: pj.AudioMedia | None, sources: list[pj.AudioMedia]) -> None:
        if call_id in self.active:
            raise RecordingError("this call is already being recorded")
        if channels not in (1, 2):
            raise RecordingError("a recording has one (mixed) or two channels")
        fmt = AudioFormat(self.clock_rate, channels)
        names = ("ours", "theirs") if channels == 2 else ("mixed",)
        taps: list[TapPort] = []
        try:
            for n in names:
                taps.append(TapPort(f"rec-{n}-{call_id}", self.clock_rate))
            writer = Writer(Path(path), recording_id, fmt, taps, self.master_key)
            rec = _Recording(call_id, recording_id, fmt, taps, writer, announce)
            self.active[call_id] = rec
            self.wire(call_id, call_media, sources)
        except BaseException:
            failed = self.active.pop(call_id, None)
            if failed is not None:
                _unwire(failed)
            for tap in taps:
                self.reaper.retire(tap)
            raise
        writer.start()

    def wire(self, call_id: int, call_media: pj.AudioMedia | None, sources: list[pj.AudioMedia]) -> None:
        """(Re)connect a recording to the call's audio and to what we send (none: muted or on hold)."""
        rec = self.active.get(call_id)
        if rec is None:
            return
        ours, theirs = rec.taps[0], rec.taps[-1]
        if rec.call_media is not None and rec.call_media is not call_media:
            _stop(rec.call_media, theirs)
        for src in rec.sources:
            if not any(src is s for s in sources):
                _stop(src, ours)
        if call_media is not None:
            call_media.startTransmit(theirs)
        for src in sources:
            src.startTransmit(ours)
        rec.call_media, rec.sources = call_media, list(sources)
        if rec.announcer is not None and call_media is not None and not rec.announcer.done:
            rec.announcer.startTransmit(call_media)

    def stop(self, call_id: int) -> None:
        rec = self.active.pop(call_id, None)
        if rec is None:
            return
        rec.writer.stopping.set()
        _unwire(rec)
        self._retire_announcer(rec)
        self.finishing.append(rec)

    def tick(self) -> None:
        for rec in list(self.active.values()):
            if rec.writer.error or not rec.writer.is_alive():
                self.stop(rec.call_id)
            elif not rec.started and rec.writer.opened.is_set():
                rec.started = True
                self.emit(RecordingStarted(rec.call_id, rec.recording_id, rec.fmt.channels, rec.fmt.rate))
                if rec.announce:
                    self._announce(rec)
            elif rec.announcer is not None and rec.announcer.done:
                self._retire_announcer(rec)
        for rec in list(self.finishing):
            if not rec.writer.is_alive():
                self.finishing.remove(rec)
                self._finish(rec)
        self.reaper.reap()

    def close(self, timeout_s: float = 2.0) -> None:
        """Before libDestroy(): stop every recording, let the writers seal their files, destroy ports."""
        for call_id in list(self.active):
            self.stop(call_id)
        deadline = time.monotonic() + timeout_s
        for rec in list(self.finishing):
            rec.writer.join(max(0.0, deadline - time.monotonic()))
            self.finishing.remove(rec)
            self._finish(rec)
        self.reaper.destroy_all()

    def _announce(self, rec: _Recording) -> None:
        port = AnnouncePort(f"rec-tone-{rec.call_id}", self.clock_rate)
        rec.announcer = port
        port.startTransmit(rec.taps[0])
        if rec.call_media is not None:
            port.startTransmit(rec.call_media)

    def _retire_announcer(self, rec: _Recording) -> None:
        port, rec.announcer = rec.announcer, None
        if port is None:
            return
        _stop(port, rec.taps[0])
        if rec.call_media is not None:
            _stop(port, rec.call_media)
        self.reaper.retire(port)

    def _finish(self, rec: _Recording) -> None:
        dropped = sum(t.dropped for t in rec.taps)
        for tap in rec.taps:
            self.reaper.retire(tap)
        if rec.writer.is_alive():  # close(): it did not finish in time; its file is reported truncated
            rec.writer.error = rec.writer.error or "the recording was still being written when OctaSIP stopped"
        if dropped:
            log.warning("recording %s: %d frames dropped (the writer fell behind)", rec.recording_id[:8], dropped)
        self.emit(RecordingStopped(rec.call_id, rec.recording_id, round(rec.writer.seconds, 2), rec.writer.error,
                                   dropped))


def _unwire(rec: _Recording) -> None:
    """Stop what transmits into the recording's taps (our sources and the call)."""
    for src in rec.sources:
        _stop(src, rec.taps[0])
    if rec.call_media is not None:
        _stop(rec.call_media, rec.taps[-1])


def _stop(src: pj.AudioMedia, dst: pj.AudioMedia) -> None:
    try:
        src.stopTransmit(dst)
    except pj.Error:
        pass  # the call's media is already gone
