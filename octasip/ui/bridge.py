"""The one object between the GUI and the SIP engine: commands in, events out as a Qt signal.

The engine runs in its own process (octasip.host.RemoteEngine) so that the GUI can never delay an
audio frame. Starting it (spawning a Python process) takes a few hundred milliseconds, so it happens on
a helper thread, after the window's first paint. Events arrive on the host reader thread and are
re-emitted as ``event`` on the GUI thread (queued connection): no widget is ever touched from
another thread.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from octasip.core.commands import Command
from octasip.core.events import EngineError, Event

log = logging.getLogger("octasip.ui.bridge")


class EngineBridge(QObject):
    event = Signal(object)  # an octasip.core.events.Event, on the GUI thread
    started = Signal()
    start_failed = Signal(str)

    def __init__(self, engine_factory: Any = None, parent: QObject | None = None) -> None:
        """``engine_factory(on_event)`` returns an object with the Engine API (start, submit,
        new_call_id, stop, running); tests pass a fake, the app a RemoteEngine."""
        super().__init__(parent)
        self._factory = engine_factory
        self._engine: Any = None
        self._pending: list[Command] = []
        self._lock = threading.Lock()
        self._ready = False
        self._next = 1_000_000  # call ids handed out before the engine has started

    def start(self) -> None:
        threading.Thread(target=self._start, name="octasip-engine-start", daemon=True).start()

    def _start(self) -> None:
        try:
            engine = self._factory(self._on_event)
            engine.start()
        except Exception as e:
            self.start_failed.emit(str(e) or type(e).__name__)
            return
        with self._lock:
            self._engine = engine
            self._ready = True
            pending, self._pending = self._pending, []
        for cmd in pending:
            engine.submit(cmd)
        self.started.emit()

    def _on_event(self, ev: Event) -> None:  # host reader thread: hand over, nothing more
        self.event.emit(ev)

    @property
    def ready(self) -> bool:
        return self._ready

    def new_call_id(self) -> int:
        with self._lock:
            if self._engine is None:
                self._next += 1
                return self._next
            return self._engine.new_call_id()

    def submit(self, cmd: Command) -> None:
        """Send a command; queued until the engine has started. Never blocks on SIP."""
        with self._lock:
            if self._engine is None:
                self._pending.append(cmd)
                return
            engine = self._engine
        try:
            engine.submit(cmd)
        except Exception as e:
            self.event.emit(EngineError(f"the SIP engine is not running ({e})"))

    def stop(self) -> None:
        with self._lock:
            engine, self._engine, self._ready = self._engine, None, False
        if engine is not None:
            engine.stop()


def remote_engine_factory(settings: Any, data_dir: Path | None, devices: Any) -> Any:
    """The app's engine: a RemoteEngine (its own process) reading passwords from the keyring there."""
    from octasip.host import RemoteEngine

    def make(on_event):
        return RemoteEngine(settings, on_event, data_dir, devices)

    return make
