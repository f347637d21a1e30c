"""The Engine: a thread that owns the pjsua2 Endpoint. Thread-safe façade for the rest of the app."""

from __future__ import annotations

import itertools
import logging
import queue
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from octasip.core.commands import Command
from octasip.core.events import EngineStopped, Event
from octasip.engine.errors import EngineStartError
from octasip.engine.settings import EngineSettings

log = logging.getLogger("octasip.engine")


class Engine:
    """Start it, submit commands, receive events through `on_event` (called on the engine thread:
    it must only hand the event over, e.g. queue.put or a queued Qt signal)."""

    def __init__(self, settings: EngineSettings, password_for: Callable[[int], str | None],
                 on_event: Callable[[Event], None], data_dir: Path | None = None) -> None:
        self.settings = settings
        self._password_for = password_for
        self._on_event = on_event
        self._data_dir = data_dir
        self._commands: queue.SimpleQueue[Command] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._start_error: BaseException | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._ids_lock = threading.Lock()

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

    def stop(self, timeout: float = 5.0) -> None:
        """Unregister every account, hang up, destroy the Endpoint, join the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("engine thread did not stop within %.1f s", timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def _emit(self, event: Event) -> None:
        try:
            self._on_event(event)
        except Exception:  # an event consumer must never kill the engine thread
            log.exception("event handler failed for %s", type(event).__name__)

    def _run(self) -> None:
        from octasip.engine.runtime import Runtime  # pjsua2 is imported on the engine thread

        rt = Runtime(self.settings, self._password_for, self._emit, self._data_dir)
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
