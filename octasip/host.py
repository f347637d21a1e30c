"""The engine host: SIP and audio in a process of their own.

Measured on this 2-core machine (benchmarks/bench_audio_frames.py): with the GUI's Python work in
the same process as PJSIP's clock thread, a sort of 100k rows holds the GIL for 50-90 ms at a time
and a third of the audio frames came > 40 ms late; with that load in another process, p99 lateness
was 3 ms and no frame was late. So the GUI process only sends commands and receives events;
everything that must keep time (the pjsua2 Engine, the QtMultimedia microphone/speaker thread, the
call tones) runs in this host, which has no GUI and little Python work of its own.

`RemoteEngine` has the Engine's API (start, submit, new_call_id, stop, running) and calls
`on_event` from its reader thread, like Engine does from the engine thread.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import multiprocessing as mp
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from octasip.core.commands import (
    Answer,
    Command,
    MakeCall,
    SetAudioDevices,
    SetDiagnosticLog,
    SetMicrophoneAllowed,
    StartEchoTest,
)
from octasip.core.events import (
    CallChanged,
    EngineError,
    EngineStarted,
    EngineStopped,
    Event,
    IncomingCall,
    RegistrationChanged,
)
from octasip.engine.errors import EngineStartError
from octasip.engine.settings import EngineSettings

log = logging.getLogger("octasip.host")


@dataclass(frozen=True)
class DeviceChoice:
    """Real devices in the host ("" = follow the system default)."""

    input_id: str = ""
    output_id: str = ""
    ringer_id: str = ""
    microphone: bool = True
    echo_cancel: bool = True


def _host_main(conn, settings: EngineSettings, data_dir: Path | None, devices: DeviceChoice | None,
               passwords: dict[int, str] | None) -> None:
    """The child process: runs until told to stop or until its parent goes away."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from octasip.engine import Engine

    send_lock = threading.Lock()

    def send(msg: object) -> None:
        with send_lock, contextlib.suppress(OSError, EOFError, BrokenPipeError):
            conn.send(msg)

    if passwords is not None:  # tests and benchmarks; the app reads the keyring here, in the host
        password_for = passwords.get
    else:
        from octasip.secrets import SecretStore

        store = SecretStore()
        password_for = store.get_sip_password
        # The first keyring call imports secretstorage and its crypto (~100 ms): pay that while the
        # engine starts, not when the first account registers.
        threading.Thread(target=_warm_keyring, args=(store,), name="octasip-keyring-warm-up", daemon=True).start()
    wiring = None
    buffers = None
    events: queue.SimpleQueue[Event] = queue.SimpleQueue()
    if devices is not None:
        from octasip.engine.audio_port import FrameBuffer

        buffers = (FrameBuffer(), FrameBuffer())

    def on_event(ev: Event) -> None:  # engine thread: hand over, nothing more
        events.put(ev)

    audio_due = threading.Event()
    early_events: list[Event] = []

    def forward() -> None:
        while True:
            ev = events.get()
            if ev is None:
                return
            if wiring is not None:
                wiring.handle(ev)
            elif devices is not None and isinstance(ev, RegistrationChanged | IncomingCall | CallChanged):
                if isinstance(ev, IncomingCall):
                    early_events.append(ev)
                audio_due.set()
            send(("event", ev))

    engine = Engine(settings, password_for, on_event, data_dir, buffers)
    forwarder = threading.Thread(target=forward, name="octasip-host-events", daemon=True)
    forwarder.start()
    try:
        engine.start()
    except EngineStartError as e:
        send(("error", str(e)))
        return
    send(("ready", None))
    # QtMultimedia takes ~150 ms to come up and holds the GIL much of that time: it starts once the
    # first registration has an answer (or after a second, or at once when a call needs it), so that
    # registering at start-up does not wait for it. Audio settings that arrive earlier are kept.
    started = time.monotonic()
    log_handler = None

    def ensure_audio() -> None:
        nonlocal wiring
        if devices is None or wiring is not None:
            return
        from octasip.audio_qt_io import DeviceAudio
        from octasip.headless import DeviceWiring

        audio = DeviceAudio(*buffers, input_id=devices.input_id, output_id=devices.output_id,
                            microphone=devices.microphone, echo_cancel=devices.echo_cancel)
        wiring = DeviceWiring(audio, devices.output_id, devices.ringer_id)
        for ev in early_events:  # e.g. a call that began to ring meanwhile
            wiring.handle(ev)
        early_events.clear()

    try:
        while True:
            if devices is not None and wiring is None:
                if audio_due.is_set() or time.monotonic() - started > AUDIO_START_DELAY_S:
                    ensure_audio()
                elif not conn.poll(0.05):
                    continue
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError):  # the parent is gone: unregister and quit
                break
            if kind == "stop":
                break
            if kind == "cmd":
                if isinstance(payload, SetMicrophoneAllowed | SetAudioDevices):
                    if wiring is not None:
                        _host_audio(wiring, payload)
                    elif devices is not None:
                        devices = _updated_choice(devices, payload)
                    continue
                if isinstance(payload, SetDiagnosticLog):
                    log_handler = _set_diagnostic_log(log_handler, payload.directory)
                    continue
                if isinstance(payload, NEEDS_AUDIO):
                    ensure_audio()
                with contextlib.suppress(RuntimeError):
                    engine.submit(payload)
    finally:
        engine.stop()
        _set_diagnostic_log(log_handler, "")
        events.put(None)  # type: ignore[arg-type]
        forwarder.join(5)
        if wiring is not None:
            wiring.close()
        send(("stopped", None))


AUDIO_START_DELAY_S = 1.0
NEEDS_AUDIO = (MakeCall, Answer, StartEchoTest)


def _updated_choice(devices: DeviceChoice, command: Command) -> DeviceChoice:
    if isinstance(command, SetMicrophoneAllowed):
        return dataclasses.replace(devices, microphone=command.allowed)
    assert isinstance(command, SetAudioDevices)
    return dataclasses.replace(devices, input_id=command.input_id, output_id=command.output_id,
                               ringer_id=command.ringer_id)


def _set_diagnostic_log(handler, directory: str):
    """The host writes the redacted SIP log itself (the engine's log records are born here)."""
    from octasip import diaglog

    if handler is not None:
        diaglog.disable(handler)
        handler = None
    if directory:
        handler = diaglog.enable(Path(directory))
    return handler


def _warm_keyring(store) -> None:
    with contextlib.suppress(Exception):
        store.get_key("warm-up")  # no such entry: a full round trip that reads nothing


def _host_audio(wiring, command: Command) -> None:
    if isinstance(command, SetMicrophoneAllowed):
        wiring.audio.set_mic_allowed(command.allowed)
    elif isinstance(command, SetAudioDevices):
        wiring.audio.set_devices(command.input_id, command.output_id)
        wiring.output_id, wiring.ringer_id = command.output_id, command.ringer_id


class RemoteEngine:
    def __init__(self, settings: EngineSettings, on_event: Callable[[Event], None], data_dir: Path | None = None,
                 devices: DeviceChoice | None = None, passwords: dict[int, str] | None = None) -> None:
        self.settings = settings
        self._on_event = on_event
        self._data_dir = data_dir
        self._devices = devices
        self._passwords = passwords
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()
        self._send_lock = threading.Lock()
        self._conn = None
        self._proc: mp.Process | None = None
        self._reader: threading.Thread | None = None
        self._stopping = False

    def new_call_id(self) -> int:
        with self._ids_lock:
            return next(self._ids)

    def start(self, timeout: float = 20.0) -> None:
        ctx = mp.get_context("spawn")  # a fresh interpreter: no inherited threads, locks or Qt state
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_host_main, name="octasip-engine-host", daemon=True,
                                 args=(child, self.settings, self._data_dir, self._devices, self._passwords))
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(timeout):
            self._kill()
            raise EngineStartError("SIP engine host did not start in time")
        try:
            kind, payload = parent.recv()
        except (EOFError, OSError):
            self._kill()
            raise EngineStartError("SIP engine host exited while starting") from None
        while kind == "event":  # EngineStarted arrives before "ready"
            self._deliver(payload)
            kind, payload = parent.recv()
        if kind == "error":
            self._kill()
            raise EngineStartError(str(payload))
        self._reader = threading.Thread(target=self._read, name="octasip-host-reader", daemon=True)
        self._reader.start()

    def submit(self, command: Command) -> None:
        if self._conn is None or self._stopping:
            raise RuntimeError("engine is stopped")
        with self._send_lock:
            self._conn.send(("cmd", command))

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping = True
        if self._conn is not None:
            with self._send_lock, contextlib.suppress(OSError, BrokenPipeError):
                self._conn.send(("stop", None))
        if self._reader is not None:
            self._reader.join(timeout)
        if self._proc is not None:
            self._proc.join(timeout)
            if self._proc.is_alive():
                log.error("engine host did not stop within %.1f s; terminating it", timeout)
                self._kill()

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.is_alive() and not self._stopping

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def _read(self) -> None:
        assert self._conn is not None
        while True:
            try:
                kind, payload = self._conn.recv()
            except (EOFError, OSError):
                if not self._stopping:
                    self._deliver(EngineError("the SIP engine stopped unexpectedly; calls in progress were lost"))
                    self._deliver(EngineStopped())
                return
            if kind == "event":
                self._deliver(payload)
            elif kind == "stopped":
                return

    def _deliver(self, event: Event) -> None:
        try:
            self._on_event(event)
        except Exception:
            log.exception("event handler failed for %s", type(event).__name__)

    def _kill(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(2)


__all__ = ["DeviceChoice", "EngineStarted", "RemoteEngine"]
