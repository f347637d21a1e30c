"""The GUI's hub: the engine bridge, the store, the live state of accounts and calls, and the
permission decisions. Windows get it as a constructor argument (no singletons) and call its methods;
they listen to its signals. It holds no widgets except the parent passed to permission dialogs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from octasip.core import commands as cmd
from octasip.core.consent import Permission
from octasip.core.events import (
    AudioCaptureChanged,
    CallChanged,
    CallEnded,
    CallQualityUpdated,
    CallState,
    EngineError,
    Event,
    IncomingCall,
    RecordingStarted,
    RecordingStopped,
    RegistrationChanged,
    TransportError,
)
from octasip.core.models import AccountConfig

log = logging.getLogger("octasip.ui")


@dataclass
class LiveCall:
    """What the GUI knows of a call in progress."""

    call_id: int
    account_id: int
    direction: str
    remote_uri: str
    remote_name: str = ""
    state: CallState = CallState.CALLING
    changed: CallChanged | None = None
    quality: Any = None  # octasip.core.events.CallQuality
    receive_only: bool = False  # the microphone permission was refused
    incognito: bool = False
    recording_since: float | None = None  # monotonic time the recording started; None: not recording
    recording_asked: bool = False  # StartRecording sent, no answer yet


@dataclass
class AccountStatus:
    account: AccountConfig
    state: str = "registering"
    code: int = 0
    reason: str = ""
    detail: str = ""  # e.g. the TLS error behind a failure


class AppController(QObject):
    accounts_changed = Signal()  # the account list or a registration state changed
    call_updated = Signal(int)  # call id: state, media or quality changed
    call_removed = Signal(int)
    incoming = Signal(int)  # call id of a new incoming call
    microphone_active = Signal(bool)
    message = Signal(str)  # a failure the user should see (safe text, one line)
    permissions_changed = Signal()
    missed_count = Signal(int)
    recordings_changed = Signal()  # a recording was made, deleted or purged

    def __init__(self, bridge: Any, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.store = store
        self.accounts: dict[int, AccountStatus] = {}
        self.calls: dict[int, LiveCall] = {}
        self.permissions: dict[str, bool | None] = {}
        self.missed = 0
        self.ask_permission = None  # set by the app: (Permission, parent) -> bool, shows the dialog
        bridge.event.connect(self._on_event)

    # ------------------------------------------------------------------ start-up
    def load(self, on_done: Any = None) -> None:
        """Read accounts and permissions from the profile, then register the enabled accounts."""

        def read(profile):
            return (profile.accounts.list(), {p.value: profile.consent.current(p) for p in Permission})

        def done(result):
            accounts, perms = result
            self.permissions = perms
            self.permissions_changed.emit()
            self.bridge.submit(cmd.SetMicrophoneAllowed(perms.get(Permission.MICROPHONE.value) is not False))
            for acc in accounts:
                self.accounts[acc.id] = AccountStatus(acc, "registering" if acc.enabled else "disabled")
                if acc.enabled:
                    self.bridge.submit(cmd.AddAccount(acc))
            self.accounts_changed.emit()
            if on_done is not None:
                on_done()

        self.store.run(read, done, self.message.emit)

    # ------------------------------------------------------------------ permissions
    def permission(self, p: Permission) -> bool | None:
        return self.permissions.get(p.value)

    def record_permission(self, p: Permission, granted: bool, detail: str = "") -> None:
        self.permissions[p.value] = granted
        self.permissions_changed.emit()
        if p is Permission.MICROPHONE:  # the host closes (or may open) the microphone at once
            self.bridge.submit(cmd.SetMicrophoneAllowed(granted))
            for call in self.calls.values():
                call.receive_only = not granted
                self.call_updated.emit(call.call_id)
        self.store.run(lambda profile: profile.consent.record(p, granted, "gui", detail), None, self.message.emit)

    def ensure_permission(self, p: Permission, parent: Any = None) -> bool:
        """The recorded decision, or ask now (the dialog) and record the answer."""
        current = self.permission(p)
        if current is not None:
            return current
        if self.ask_permission is None:
            return False
        granted = bool(self.ask_permission(p, parent))
        self.record_permission(p, granted)
        return granted

    # ------------------------------------------------------------------ calls
    def default_account(self) -> AccountConfig | None:
        registered = [s.account for s in self.accounts.values() if s.state == "registered"]
        enabled = [s.account for s in self.accounts.values() if s.account.enabled]
        return (registered or enabled or [None])[0]

    def dial(self, target: str, account_id: int | None = None, incognito: bool = False,
             parent: Any = None) -> int | None:
        target = target.strip()
        if not target:
            return None
        account = self.accounts[account_id].account if account_id in self.accounts else self.default_account()
        if account is None:
            self.message.emit(self.tr("Add an account in Settings before calling (or try the echo test)."))
            return None
        mic = self.ensure_permission(Permission.MICROPHONE, parent)
        call_id = self.bridge.new_call_id()
        self.calls[call_id] = LiveCall(call_id, account.id, "outgoing", target, receive_only=not mic,
                                       incognito=incognito)
        if incognito:
            self.store.run(lambda _p: self.store.journal and self.store.journal.incognito(call_id))
        self.bridge.submit(cmd.MakeCall(account.id, target, call_id))
        self.call_updated.emit(call_id)
        return call_id

    def echo_test(self) -> int:
        call_id = self.bridge.new_call_id()
        mic = self.ensure_permission(Permission.MICROPHONE)
        self.calls[call_id] = LiveCall(call_id, 0, "outgoing", "sip:echo@127.0.0.1", self.tr("Echo test"),
                                       receive_only=not mic, incognito=True)
        self.store.run(lambda _p: self.store.journal and self.store.journal.incognito(call_id))
        self.bridge.submit(cmd.StartEchoTest(call_id))
        self.call_updated.emit(call_id)
        return call_id

    def answer(self, call_id: int, parent: Any = None) -> None:
        mic = self.ensure_permission(Permission.MICROPHONE, parent)
        call = self.calls.get(call_id)
        if call is not None:
            call.receive_only = not mic
        for other in self.calls.values():  # answering a waiting call holds the active one
            if other.call_id != call_id and other.state is CallState.CONFIRMED and not _held(other):
                self.bridge.submit(cmd.Hold(other.call_id))
        self.bridge.submit(cmd.Answer(call_id))

    def decline(self, call_id: int, busy: bool = False) -> None:
        self.bridge.submit(cmd.Reject(call_id, busy))

    def hangup(self, call_id: int) -> None:
        self.bridge.submit(cmd.Hangup(call_id))

    def hold(self, call_id: int, on: bool) -> None:
        self.bridge.submit(cmd.Hold(call_id) if on else cmd.Resume(call_id))

    def mute(self, call_id: int, on: bool) -> None:
        call = self.calls.get(call_id)
        if call is not None and call.receive_only and not on:
            self.message.emit(self.tr("The microphone is not allowed: this call is receive-only. "
                                      "Allow it in Settings > Privacy."))
            return
        self.bridge.submit(cmd.SetMute(call_id, on))

    def dtmf(self, call_id: int, digits: str) -> None:
        self.bridge.submit(cmd.SendDtmf(call_id, digits))

    def transfer(self, call_id: int, target: str) -> None:
        self.bridge.submit(cmd.BlindTransfer(call_id, target))

    def attended_transfer(self, call_id: int, to_call_id: int) -> None:
        self.bridge.submit(cmd.AttendedTransfer(call_id, to_call_id))

    def conference(self) -> None:
        ids = tuple(c.call_id for c in self.calls.values() if c.state is CallState.CONFIRMED)
        if len(ids) >= 2:
            for i in ids:
                self.bridge.submit(cmd.Resume(i))
            self.bridge.submit(cmd.Conference(ids))

    def incognito(self, call_id: int) -> None:
        call = self.calls.get(call_id)
        if call is not None:
            call.incognito = True
        self.store.run(lambda _p: self.store.journal and self.store.journal.incognito(call_id))

    # ------------------------------------------------------------------ events
    def _on_event(self, ev: Event) -> None:
        self.store.engine_event(ev)
        if isinstance(ev, RegistrationChanged):
            status = self.accounts.get(ev.account_id)
            if status is not None:
                status.state, status.code, status.reason = ev.state.value, ev.code, ev.reason
                if ev.state.value == "registered":
                    status.detail = ""
                self.accounts_changed.emit()
        elif isinstance(ev, TransportError):
            status = self.accounts.get(ev.account_id) if ev.account_id is not None else None
            if status is not None:
                status.detail = ev.message
                self.accounts_changed.emit()
        elif isinstance(ev, IncomingCall):
            self.calls[ev.call_id] = LiveCall(ev.call_id, ev.account_id, "incoming", ev.remote_uri, ev.remote_name,
                                              CallState.INCOMING)
            self.incoming.emit(ev.call_id)
            self.call_updated.emit(ev.call_id)
        elif isinstance(ev, CallChanged):
            call = self.calls.get(ev.call_id)
            if call is None:
                call = self.calls[ev.call_id] = LiveCall(ev.call_id, ev.account_id, ev.direction.value,
                                                         ev.remote_uri)
            answered_now = ev.state is CallState.CONFIRMED and call.state is not CallState.CONFIRMED
            call.state, call.changed = ev.state, ev
            call.remote_uri = ev.remote_uri or call.remote_uri
            call.remote_name = ev.remote_name or call.remote_name
            if answered_now and call.account_id:  # not the echo test
                self._record_if_always(ev.call_id)
            self.call_updated.emit(ev.call_id)
        elif isinstance(ev, CallQualityUpdated):
            call = self.calls.get(ev.call_id)
            if call is not None:
                call.quality = ev.quality
                self.call_updated.emit(ev.call_id)
        elif isinstance(ev, CallEnded):
            call = self.calls.pop(ev.call_id, None)
            if ev.direction.value == "incoming" and not ev.answered and ev.code not in (486, 600, 603) and not (
                    call and call.incognito):
                self.missed += 1
                self.missed_count.emit(self.missed)
            if not ev.answered and ev.direction.value == "outgoing" and ev.code not in (487, 0):
                self.message.emit(self.tr("Call failed: {code} {reason}").format(code=ev.code, reason=ev.reason))
            self.call_removed.emit(ev.call_id)
        elif isinstance(ev, RecordingStarted | RecordingStopped):
            self._recording_event(ev)
        elif isinstance(ev, AudioCaptureChanged):
            self.microphone_active.emit(ev.open)
        elif isinstance(ev, EngineError):
            self.message.emit(ev.message)

    # ------------------------------------------------------------------ recording (opt-in)
    def recording_allowed(self) -> bool:
        return self.permission(Permission.RECORDING) is True

    def start_recording(self, call_id: int) -> None:
        """Record this call; refused (with the reason) while the opt-in is off. The row is written on the
        store's thread first, then the engine is told to start."""
        call = self.calls.get(call_id)
        if call is None or call.recording_since is not None or call.recording_asked:
            return
        if not self.recording_allowed():
            self.message.emit(self.tr("Call recording is off. Turn it on in Settings > Privacy."))
            self.call_updated.emit(call_id)
            return
        call.recording_asked = True

        def failed(text: str) -> None:
            call.recording_asked = False
            self.message.emit(text)
            self.call_updated.emit(call_id)

        self.store.run(lambda _p: self.store.recording.start(call_id), self.bridge.submit, failed)
        self.call_updated.emit(call_id)

    def stop_recording(self, call_id: int) -> None:
        self.bridge.submit(cmd.StopRecording(call_id))

    def set_recording_allowed(self, on: bool, accepted_notice: bool = False, done: Any = None) -> None:
        """The opt-in (Settings > Privacy). Turning it off stops every recording in progress at once."""
        if not on:
            for call in self.calls.values():
                if call.recording_since is not None or call.recording_asked:
                    self.bridge.submit(cmd.StopRecording(call.call_id))

        def apply(_p):
            lib = self.store.recording.library
            lib.enable(accepted_notice, "gui") if on else lib.disable("gui")
            return lib.enabled()

        def applied(state: bool) -> None:
            self.permissions[Permission.RECORDING.value] = state
            self.permissions_changed.emit()
            for call_id in self.calls:
                self.call_updated.emit(call_id)
            if done is not None:
                done(state)

        self.store.run(apply, applied, self.message.emit)

    def _record_if_always(self, call_id: int) -> None:
        """At the answer: the store's thread decides (opt-in and "always record"), and writes the row if so."""
        if not self.recording_allowed():
            return

        def done(command) -> None:
            if command is None:
                return
            self.bridge.submit(command)  # even if the call just ended: the engine's answer completes the row
            call = self.calls.get(call_id)
            if call is not None:
                call.recording_asked = True
                self.call_updated.emit(call_id)

        self.store.run(lambda _p: self.store.recording.on_answered(call_id), done, self.message.emit)

    def _recording_event(self, ev: RecordingStarted | RecordingStopped) -> None:
        call = self.calls.get(ev.call_id)
        if isinstance(ev, RecordingStarted):
            if call is not None:
                call.recording_asked, call.recording_since = False, time.monotonic()
        else:
            if call is not None:
                call.recording_asked, call.recording_since = False, None
            if ev.error:
                self.message.emit(self.tr("Recording stopped: {why}").format(why=ev.error))
            self.recordings_changed.emit()
        if call is not None:
            self.call_updated.emit(ev.call_id)

    def clear_missed(self) -> None:
        self.missed = 0
        self.missed_count.emit(0)

    def replace_account(self, account: AccountConfig) -> None:
        """After Settings saved an account: register it again with the new settings."""
        old = self.accounts.get(account.id)
        self.accounts[account.id] = replace(old, account=account, state="registering", code=0, reason="",
                                            detail="") if old else AccountStatus(account)
        if account.enabled:
            self.bridge.submit(cmd.AddAccount(account))
        else:
            self.bridge.submit(cmd.RemoveAccount(account.id))
            self.accounts[account.id].state = "disabled"
        self.accounts_changed.emit()

    def remove_account(self, account_id: int) -> None:
        self.accounts.pop(account_id, None)
        self.bridge.submit(cmd.RemoveAccount(account_id))
        self.accounts_changed.emit()


def _held(call: LiveCall) -> bool:
    return bool(call.changed and call.changed.media.local_hold)
