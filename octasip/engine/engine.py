"""The Engine: a thread that owns the pjsua2 Endpoint. Thread-safe façade for the rest of the app."""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from octasip.core.commands import Command
from octasip.core.events import EngineStarted, EngineStopped, Event
from octasip.engine.errors import EngineStartError
from octasip.engine.settings import EngineSettings

log = logging.getLogger("octasip.engine")


class Engine:
    """Start it, submit commands, receive events through `on_event` (called on the engine thread:
    it must only hand the event over, e.g. queue.put or a queued Qt signal)."""

    def __init__(self, settings: EngineSettings, password_for: Callable[[int], str | None],
                 on_event: Callable[[Event], None], data_dir: Path | None = None,
                 audio_buffers: tuple[object, object] | None = None,
                 recording_key: Callable[[], bytes | None] | None = None) -> None:
        """`recording_key` gives the recording master key (default: the keyring item key:recordings, read
        by each recording's writer thread when the recording starts, never before)."""
        self.settings = settings
        self._recording_key = recording_key
        self._password_for = password_for
        self._on_event = on_event
        self._data_dir = data_dir
        self._audio_buffers = audio_buffers  # (capture, playback) FrameBuffers shared with the app's audio
        self._commands: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._start_error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()
        self._waker: socket.socket | None = None
        self._wake_addr: tuple[str, int] | None = None

    def new_call_id(self) -> int:
        with self._ids_lock:
            return next(self._ids)

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("engine already started")
        # Audio frames and engine callbacks need the GIL promptly, even under Python load.
        if sys.getswitchinterval() > 0.002:
            sys.setswitchinterval(0.002)
        self._thread = threading.Thread(target=self._run, name="octasip-engine", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise EngineStartError("SIP engine did not start in time")
        if self._start_error is not None:
            self._thread.join(timeout)
            raise self._start_error

    def submit(self, command: Command) -> None:
        if self._stop.is_set():
            raise RuntimeError("engine is stopped")
        self._commands.put(command)
        self._wake()

    def _wake(self) -> None:
        """Interrupt libHandleEvents: a CRLFCRLF keep-alive to our own UDP transport (PJSIP ignores it)."""
        if self._waker is not None and self._wake_addr is not None:
            with contextlib.suppress(OSError):
                self._waker.sendto(b"\r\n\r\n", self._wake_addr)

    def _arm_waker(self, udp_name: str) -> None:
        host, _, port = udp_name.rpartition(":")
        host = host.strip("[]")
        if host in ("0.0.0.0", "::", ""):
            host = "127.0.0.1"
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._waker = socket.socket(family, socket.SOCK_DGRAM)
        self._wake_addr = (host, int(port))

    def stop(self, timeout: float = 5.0) -> None:
        """Unregister every account, hang up, destroy the Endpoint, join the thread."""
        self._stop.set()
        self._wake()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("engine thread did not stop within %.1f s", timeout)
        if self._waker is not None:
            self._waker.close()
            self._waker = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def _emit(self, event: Event) -> None:
        if isinstance(event, EngineStarted) and "udp" in event.listen:
            self._arm_waker(event.listen["udp"])
        try:
            self._on_event(event)
        except Exception:  # an event consumer must never kill the engine thread
            log.exception("event handler failed for %s", type(event).__name__)

    def _run(self) -> None:
        from octasip.engine.runtime import Runtime  # pjsua2 is imported on the engine thread

        rt = Runtime(self.settings, self._password_for, self._emit, self._data_dir, self._audio_buffers,  # type: ignore[arg-type]
                     self._recording_key)
        try:
            rt.start()
        except BaseException as e:
            self._start_error = e if isinstance(e, EngineStartError) else EngineStartError(str(e))
            self._ready.set()
            rt.shutdown(0)
            return
        self._ready.set()
        try:
            rt.loop(self._commands, self._stop.is_set)
        except Exception:
            log.exception("engine loop failed")
        finally:
            rt.shutdown()
            self._emit(EngineStopped())
