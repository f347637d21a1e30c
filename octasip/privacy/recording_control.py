"""Which calls get recorded, and the database side of each recording. No Qt: the GUI controller and
the CLI session both use it.

A recording is only ever started here, and only when the opt-in is on (the consent ledger's latest
RECORDING decision is a grant): `start` raises `RecordingRefused` otherwise, before any file, row
or command exists. The database row is written before the engine creates the file, so a file
never exists without a row; the row is completed from the engine's RecordingStopped event.
"""

from __future__ import annotations

from collections.abc import Callable

from octasip.core.commands import StartRecording
from octasip.core.events import Event, RecordingStarted, RecordingStopped
from octasip.privacy.recording_format import RecordingError

REFUSED_OFF = ("call recording is off. Turn it on in Settings > Privacy (or `octasip privacy recording on "
               "--accept-consent-notice`) after reading the consent notice.")


class RecordingRefused(RecordingError):
    """Recording is not allowed (the opt-in is off). The message says how to turn it on."""


class RecordingControl:
    def __init__(self, library, row_of: Callable[[int], int | None] = lambda _call_id: None,
                 on_error: Callable[[str], None] | None = None, report_stops: bool = True,
                 session: str | None = None) -> None:
        """`library`: privacy.recordings.RecordingLibrary; `row_of`: the call's history row and `session` this
        process's session lock id (both the call journal's); `on_error`: database failures, and (with
        `report_stops`) why a recording stopped early."""
        self.report_stops = report_stops
        self.library = library
        self.row_of = row_of
        self.session = session
        self.on_error = on_error
        self.requested: dict[int, str] = {}  # call id -> recording id: StartRecording sent, no answer yet
        self.live: dict[int, str] = {}  # call id -> recording id: being recorded now
        self.finished: dict[int, RecordingStopped] = {}  # call id -> how its last recording ended

    def allowed(self) -> bool:
        return self.library.enabled()

    def start(self, call_id: int, channels: int = 2) -> StartRecording:
        """The command that starts recording this call. Raises RecordingRefused when the opt-in is off."""
        if not self.allowed():
            raise RecordingRefused(REFUSED_OFF)
        if call_id in self.requested or call_id in self.live:
            raise RecordingError("this call is already being recorded")
        rid = self.library.new_id()
        self.library.begin(rid, self.row_of(call_id), channels, 16000, session=self.session)
        self.requested[call_id] = rid
        return StartRecording(call_id, rid, str(self.library.path_for(rid)), announce=self.library.announce(),
                              channels=channels)

    def on_answered(self, call_id: int, requested: bool = False) -> StartRecording | None:
        """A call was answered: record it if asked for it or if "always record" is on (never if opted out)."""
        if not (requested or (self.allowed() and self.library.always_record())):
            return None
        return self.start(call_id)

    def recording(self, call_id: int) -> bool:
        return call_id in self.live

    def pending(self, call_id: int) -> bool:
        """A recording of this call still waits for its RecordingStopped (the file is being sealed)."""
        return call_id in self.requested or call_id in self.live

    def handle(self, ev: Event) -> None:
        if isinstance(ev, RecordingStarted) and self.requested.get(ev.call_id) == ev.recording_id:
            self.live[ev.call_id] = self.requested.pop(ev.call_id)
        elif isinstance(ev, RecordingStopped):
            for table in (self.requested, self.live):
                if table.get(ev.call_id) == ev.recording_id:
                    del table[ev.call_id]
            self.finished[ev.call_id] = ev
            try:
                self.library.end(ev.recording_id, ev.seconds, ev.error)
            except Exception as e:  # the database failing must not take the call down
                if self.on_error is not None:
                    self.on_error(f"the recording could not be saved in the database ({type(e).__name__})")
            if ev.error and self.report_stops and self.on_error is not None:
                self.on_error(ev.error)
