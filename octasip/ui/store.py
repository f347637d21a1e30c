"""The GUI's access to the encrypted profile, off the GUI thread.

One worker thread owns the profile (its SQLCipher connection, the keyring, the call journal). The GUI
hands it jobs, ``store.run(fn, done, failed)``: ``fn(profile)`` runs on the worker, and ``done(result)``
or ``failed(message)`` run back on the GUI thread. Jobs run in order. Nothing here blocks the GUI:
not the database, not the keyring (whose unlock prompt can take minutes), not the disk.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger("octasip.ui.store")

Job = Callable[[Any], Any]


class Store(QObject):
    """``opened(profile_info)`` or ``open_failed(message, choices)`` after start(); ``history_changed``
    whenever the call log was written (the history view reloads its first page)."""

    opened = Signal(object)
    open_failed = Signal(str, object)
    history_changed = Signal()
    journal_error = Signal(str)
    _deliver = Signal(object, object)

    def __init__(self, data_dir: Path | None = None, secrets: Any = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data_dir = data_dir
        self._secrets = secrets
        self._jobs: queue.Queue[tuple[Job, Callable | None, Callable | None] | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self.profile = None  # touched only on the worker thread
        self._journal_cm = None
        self.journal = None
        self.recording = None  # octasip.privacy.recording_control.RecordingControl, on the worker only
        self._deliver.connect(self._on_deliver)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="octasip-store", daemon=True)
        self._thread.start()
        self.run(self._open, self.opened.emit, None)

    def stop(self, timeout: float = 5.0) -> None:
        if self._thread is None:
            return
        self._jobs.put(None)
        self._thread.join(timeout)
        self._thread = None

    def run(self, fn: Job, done: Callable[[Any], None] | None = None,
            failed: Callable[[str], None] | None = None) -> None:
        """Run ``fn(profile)`` on the worker; then ``done(result)`` or ``failed(message)`` on the GUI thread."""
        self._jobs.put((fn, done, failed))

    def run_raw(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
                failed: Callable[[str], None] | None = None) -> None:
        """Like run, for work that needs no open profile (recovery, wipe): ``fn()`` on the worker."""

        def job(_profile: Any) -> Any:
            return fn()

        job.needs_profile = False  # type: ignore[attr-defined]
        self._jobs.put((job, done, failed))

    def engine_event(self, ev: object) -> None:
        """Feed an engine event to the call journal (any thread)."""
        self._jobs.put((lambda _p: self._journal_event(ev), None, None))

    # ------------------------------------------------------------------ worker side
    def _open(self, _profile: Any) -> dict:
        from octasip.profile import Profile

        try:
            self.profile = Profile.open(self._data_dir, self._secrets)
        except Exception as e:
            choices = tuple(getattr(e, "choices", ()) or ())
            self.open_failed.emit(_message(e), choices)
            raise _Reported() from None
        self._journal_cm = self.profile.journal(self.journal_error.emit)
        self.journal = self._journal_cm.__enter__()
        self._open_recordings()
        return {"data_dir": str(self.profile.data_dir)}

    def _open_recordings(self) -> None:
        from octasip.privacy.recording_control import RecordingControl
        from octasip.privacy.recordings import RecordingLibrary

        lib = RecordingLibrary(self.profile.data_dir, self.profile.conn, self.profile.secrets, "gui")
        try:  # recordings left open by a crash are checked; old ones go by their retention
            lib.recover()
            lib.purge()
        except Exception as e:  # e.g. the master key is missing: said when a recording is opened
            log.warning("recordings housekeeping: %s", type(e).__name__)
        self.recording = RecordingControl(lib, self.journal.row_of, self.journal_error.emit, report_stops=False,
                                         session=self.journal.session)

    def _journal_event(self, ev: object) -> None:
        if self.journal is None:
            return
        from octasip.core.events import CallChanged, CallEnded, IncomingCall

        self.journal.handle(ev)
        if self.recording is not None:
            self.recording.handle(ev)
        if isinstance(ev, CallEnded | IncomingCall) or (isinstance(ev, CallChanged) and ev.state.value == "calling"):
            self.history_changed.emit()

    def _close(self) -> None:
        if self._journal_cm is not None:
            self._journal_cm.__exit__(None, None, None)
            self._journal_cm = self.journal = None
        self.recording = None
        if self.profile is not None:
            self.profile.close()
            self.profile = None

    def _loop(self) -> None:
        while True:
            item = self._jobs.get()
            if item is None:
                self._close()
                return
            fn, done, failed = item
            if fn is _REOPEN:
                self._close()
                continue
            try:
                ready = fn == self._open or self.profile is not None or not getattr(fn, "needs_profile", True)
                result = fn(self.profile) if ready else _no_profile()
            except _Reported:
                continue
            except Exception as e:
                if failed is not None:
                    self._deliver.emit(failed, _message(e))
                else:
                    log.warning("storage job failed: %s", type(e).__name__,
                                exc_info=os.environ.get("OCTASIP_DEBUG") == "1")
                continue
            if done is not None:
                self._deliver.emit(done, result)

    def reopen(self) -> None:
        """Close the profile and open it again (after a wipe or a database choice)."""
        self._jobs.put((_REOPEN, None, None))
        self.run(self._open, self.opened.emit, None)

    def close_profile(self, done: Callable[[Any], None] | None = None) -> None:
        """Close the profile (before a wipe); ``done(None)`` on the GUI thread once it is closed."""
        self._jobs.put((_REOPEN, None, None))
        if done is not None:
            self.run_raw(lambda: None, done)

    @Slot(object, object)
    def _on_deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        except Exception:
            log.exception("GUI callback failed")


class _Reported(Exception):
    pass


def _REOPEN(_p: Any) -> None:  # a marker job
    return None


def _no_profile() -> Any:
    raise RuntimeError("your local data is not open (see the message shown at start)")


def _message(e: BaseException) -> str:
    """Lower layers raise errors with safe, one-line messages; anything else gets its type only."""
    from octasip.storage.errors import describe

    message = describe(e, "your data folder")
    if message is not None:
        return message
    names = {c.__name__ for c in type(e).__mro__}
    if names & {"SecretStoreError", "DatabaseError", "ExportError", "ValueError", "KeyError", "RuntimeError",
                "AccountConfigError", "ContactsImportError", "RecordingError"}:
        return str(e)
    return f"unexpected error ({type(e).__name__})"
