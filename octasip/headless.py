"""Headless call sessions for the CLI: register, call or answer, summarise. No Qt."""

from __future__ import annotations

import queue
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from octasip.core import commands as cmd
from octasip.core.events import (
    AudioCaptureChanged,
    CallChanged,
    CallEnded,
    CallState,
    EngineError,
    EngineStarted,
    Event,
    IncomingCall,
    RegistrationChanged,
    RegState,
    TransportError,
)
from octasip.core.models import AccountConfig, mask_number
from octasip.engine import Engine, EngineSettings


class SessionError(Exception):
    """An expected failure: the CLI prints the message (one line) and exits non-zero."""


@dataclass
class CallSummary:
    call_id: int
    direction: str
    remote: str
    states: list[str]
    code: int
    reason: str
    answered: bool
    duration_s: float
    setup_ms: float | None
    transport: str
    codec: str
    srtp: str | None
    rtt_ms: float | None
    jitter_ms: float | None
    loss_pct: float | None
    quality: str
    dtmf_sent: str = ""
    recording: dict | None = None  # id, seconds, error: when the call was recorded
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_event(cls, e: CallEnded) -> CallSummary:
        q = e.quality
        return cls(
            call_id=e.call_id, direction=e.direction.value, remote=mask_number(e.remote_uri), states=list(e.states),
            code=e.code, reason=e.reason, answered=e.answered, duration_s=e.duration, setup_ms=e.setup_ms,
            transport=e.transport, codec=e.media.codec, srtp=e.media.srtp_suite, rtt_ms=q.rtt_ms,
            jitter_ms=q.jitter_ms, loss_pct=q.loss_pct, quality=q.grade if e.answered else "n/a",
        )

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("extra")
        d.update(self.extra)
        return d


class DeviceWiring:
    """Engine events -> the microphone/speaker thread and call tones. Used by the CLI and the host."""

    def __init__(self, audio, output_id: str = "", ringer_id: str = "") -> None:
        self.audio = audio  # octasip.audio_qt_io.DeviceAudio
        self.output_id, self.ringer_id = output_id, ringer_id
        self.tone_until = 0.0  # a busy/error tone plays until then: let it finish before closing

    def handle(self, ev: Event) -> None:
        audio = self.audio
        if isinstance(ev, AudioCaptureChanged):
            audio.set_active(ev.open)
        elif isinstance(ev, IncomingCall):
            audio.play_tone("call-waiting" if ev.waiting else "ringtone", self.ringer_id, loop=not ev.waiting)
        elif isinstance(ev, CallChanged):
            if ev.direction.value == "outgoing" and ev.state in (CallState.CALLING, CallState.EARLY):
                audio.play_tone("ringback", self.output_id, loop=True)
            elif ev.state in (CallState.CONNECTING, CallState.CONFIRMED, CallState.DISCONNECTED):
                audio.stop_tone()
        elif isinstance(ev, CallEnded) and not ev.answered and ev.direction.value == "outgoing":
            tone = tone_for_failure(ev.code)
            if tone:
                audio.play_tone(tone, self.output_id, loop=False)
                self.tone_until = time.monotonic() + 1.2

    def close(self) -> None:
        time.sleep(max(0.0, self.tone_until - time.monotonic()))
        self.audio.stop()


class Session:
    """Drives one Engine from the main thread through its event queue."""

    def __init__(self, account: AccountConfig, password: str | None, settings: EngineSettings,
                 data_dir: Path | None = None, devices: bool = False, input_id: str = "",
                 output_id: str = "", microphone: bool = True, ringer_id: str = "",
                 echo_cancel: bool = True) -> None:
        self.account = account
        self.events: queue.Queue[Event] = queue.Queue()
        self.device_audio = None
        buffers = None
        if devices:  # microphone and speaker through QtMultimedia (its own thread)
            from octasip.audio_qt_io import DeviceAudio
            from octasip.engine.audio_port import FrameBuffer

            buffers = (FrameBuffer(), FrameBuffer())
            self.device_audio = DeviceAudio(*buffers, input_id=input_id, output_id=output_id,
                                            microphone=microphone, echo_cancel=echo_cancel)
        self.wiring = DeviceWiring(self.device_audio, output_id, ringer_id) if self.device_audio else None
        self.engine = Engine(settings, lambda _id: password, self.events.put, data_dir, buffers)
        self.last_transport_error = ""
        self.listen: dict[str, str] = {}
        self.journal = None  # octasip.storage.call_journal.CallJournal: writes the call history
        self.recording = None  # octasip.privacy.recording_control.RecordingControl (opt-in recording)
        self.record_calls = False  # record the calls this session places or answers (needs the opt-in)
        self.log_dir: Path | None = None  # set: write the redacted SIP log there while running
        self._log_handler = None

    def __enter__(self) -> Session:
        if self.log_dir is not None:
            from octasip import diaglog

            self._log_handler = diaglog.enable(self.log_dir)
        self.engine.start()
        while True:  # EngineStarted is queued before start() returns
            ev = self.events.get_nowait()
            if isinstance(ev, EngineStarted):
                self.listen = dict(ev.listen)
                return self

    def __exit__(self, *exc: object) -> None:
        self.engine.stop()
        if self._log_handler is not None:
            from octasip import diaglog

            diaglog.disable(self._log_handler)
            self._log_handler = None
        if self.device_audio is not None:
            assert self.wiring is not None
            self.wiring.close()

    def next_event(self, deadline: float) -> Event | None:
        timeout = deadline - time.monotonic()
        if timeout <= 0:
            return None
        try:
            ev = self.events.get(timeout=timeout)
        except queue.Empty:
            return None
        if isinstance(ev, TransportError):
            self.last_transport_error = ev.message
        if self.journal is not None:
            self.journal.handle(ev)
        if self.recording is not None:
            self.recording.handle(ev)
        if self.wiring is not None:
            self.wiring.handle(ev)
        return ev

    def register(self, timeout: float = 15.0) -> RegistrationChanged:
        self.engine.submit(cmd.AddAccount(self.account))
        deadline = time.monotonic() + timeout
        while (ev := self.next_event(deadline)) is not None:
            if isinstance(ev, RegistrationChanged) and ev.account_id == self.account.id:
                if ev.state is RegState.REGISTERED:
                    return ev
                if ev.state in (RegState.FAILED, RegState.RETRYING):
                    raise SessionError(f"registration failed: {self.last_transport_error or ev.reason}")
            elif isinstance(ev, EngineError):
                raise SessionError(ev.message)
        raise SessionError(f"registration failed: no answer from the registrar within {timeout:.0f} s")

    def call(self, target: str, duration: float, dtmf: str = "", answer_timeout: float = 60.0,
             incognito: bool = False) -> CallSummary:
        """Call, keep the call `duration` seconds once answered, send DTMF, hang up, summarise."""
        call_id = self.engine.new_call_id()
        if incognito and self.journal is not None:
            self.journal.incognito(call_id)
        self.engine.submit(cmd.MakeCall(self.account.id, target, call_id))
        return self._run_call(call_id, duration, dtmf, answer_timeout)

    def _run_call(self, call_id: int, duration: float, dtmf: str, answer_timeout: float) -> CallSummary:
        deadline: float | None = time.monotonic() + answer_timeout  # ringing, or waiting for the end
        hangup_at: float | None = None
        dtmf_at: float | None = None
        hung_up = False
        while True:
            ev = self.next_event(min(t for t in (deadline, hangup_at, dtmf_at) if t is not None))
            now = time.monotonic()
            if dtmf_at is not None and now >= dtmf_at:
                self.engine.submit(cmd.SendDtmf(call_id, dtmf))
                dtmf_at = None
            if hangup_at is not None and now >= hangup_at:
                hangup_at = None
                deadline = now  # hang up just below
            if deadline is not None and now >= deadline:
                if hung_up:
                    raise SessionError("call did not end within 10 s of hanging up")
                self.engine.submit(cmd.Hangup(call_id))
                hung_up = True
                deadline = now + 10.0
            if isinstance(ev, CallChanged) and ev.call_id == call_id:
                if ev.state is CallState.CONFIRMED and not hung_up and hangup_at is None:
                    deadline = None
                    hangup_at = now + duration
                    if dtmf:
                        dtmf_at = now + min(0.5, duration / 2)
                    self._record(call_id)
            elif isinstance(ev, CallEnded) and ev.call_id == call_id:
                summary = CallSummary.from_event(ev)
                summary.dtmf_sent = dtmf
                summary.recording = self._recording_done(call_id)
                return summary
            elif isinstance(ev, EngineError) and ev.call_id in (call_id, None):
                raise SessionError(ev.message)

    def echo_test(self, duration: float) -> CallSummary:
        """Call the built-in echo peer for `duration` seconds once it answers."""
        call_id = self.engine.new_call_id()
        self.engine.submit(cmd.StartEchoTest(call_id))
        return self._run_call(call_id, duration, "", 10.0)

    def answer(self, count: int, duration: float, wait_timeout: float | None = None) -> list[CallSummary]:
        done: list[CallSummary] = []
        active: dict[int, float] = {}
        answered = 0
        deadline = time.monotonic() + wait_timeout if wait_timeout else float("inf")
        while count <= 0 or len(done) < count:
            limit = min([deadline, time.monotonic() + 0.2, *active.values()])
            ev = self.next_event(limit)
            now = time.monotonic()
            for cid, until in list(active.items()):
                if now >= until:
                    self.engine.submit(cmd.Hangup(cid))
                    active[cid] = now + 10.0
            if ev is None and now >= deadline and not active:
                break
            if isinstance(ev, IncomingCall):
                if count > 0 and answered >= count:
                    self.engine.submit(cmd.Reject(ev.call_id, busy=True))
                    continue
                answered += 1
                self.engine.submit(cmd.Answer(ev.call_id))
            elif isinstance(ev, CallChanged) and ev.state is CallState.CONFIRMED and ev.call_id not in active:
                active[ev.call_id] = now + duration
                self._record(ev.call_id)
            elif isinstance(ev, CallEnded) and ev.direction.value == "incoming":
                active.pop(ev.call_id, None)
                summary = CallSummary.from_event(ev)
                summary.recording = self._recording_done(ev.call_id)
                done.append(summary)
        return done

    def _record(self, call_id: int) -> None:
        if self.recording is not None:
            command = self.recording.on_answered(call_id, requested=self.record_calls)
            if command is not None:
                self.engine.submit(command)

    def _recording_done(self, call_id: int, timeout: float = 5.0) -> dict | None:
        """Wait for this call's recording to be sealed; its id, length and any error."""
        rec = self.recording
        if rec is None or not (rec.pending(call_id) or call_id in rec.finished):
            return None
        deadline = time.monotonic() + timeout
        while rec.pending(call_id) and self.next_event(deadline) is not None:
            pass
        ev = rec.finished.pop(call_id, None)
        if ev is None:
            return {"id": rec.requested.get(call_id) or rec.live.get(call_id), "seconds": 0.0,
                    "error": "the recording was not sealed in time"}
        return {"id": ev.recording_id, "seconds": ev.seconds, "error": ev.error}


CLICK_AT_S = 0.25  # where the click sits in the echo test's click track


def write_click_track(path: Path, rate: int = 16000, seconds: float = 3.0) -> Path:
    """A 5 ms full-scale click at CLICK_AT_S, then silence: what the echo test sends."""
    import array
    import wave

    samples = array.array("h", bytes(2 * int(rate * seconds)))
    start = int(CLICK_AT_S * rate)
    for i in range(int(0.005 * rate)):
        samples[start + i] = 24000 if (i // 4) % 2 == 0 else -24000
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(samples.tobytes())
    return path


def first_onset(path: Path, threshold: int = 4000) -> float | None:
    """Seconds until the first sample louder than `threshold`, or None (silence)."""
    import array
    import wave

    with wave.open(str(path), "rb") as w:
        rate = w.getframerate()
        samples = array.array("h", w.readframes(w.getnframes()))
    for i, v in enumerate(samples):
        if abs(v) >= threshold:
            return i / rate
    return None


def tone_for_failure(code: int) -> str | None:
    """Busy for 486/600 (and 603 declined), the error tone for other failures, none if we cancelled."""
    if code in (486, 600, 603):
        return "busy"
    if code == 487 or code < 400:
        return None
    return "error"
