"""One call: who, state and timer, security and quality, microphone, and the in-call buttons."""

from __future__ import annotations

import time

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from octasip.core.events import CallState
from octasip.core.history import format_duration
from octasip.ui import icons


class CallView(QWidget):
    open_settings = Signal()  # the "Change in Settings" link of the receive-only notice

    def __init__(self, controller, call_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.call_id = call_id
        self._answered_at: float | None = None
        self.setAccessibleName(self.tr("Call"))
        layout = QVBoxLayout(self)
        self.name = QLabel()
        self.name.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.uri = QLabel()
        self.state = QLabel()
        self.timer = QLabel("00:00")
        self.security = QLabel()
        self.security.setWordWrap(True)
        self.quality = QLabel()
        self.mic = QLabel()
        self.receive_only = QLabel()
        self.receive_only.setWordWrap(True)
        self.receive_only.setOpenExternalLinks(False)
        self.receive_only.linkActivated.connect(lambda _l: self.open_settings.emit())
        self.security_icon = QLabel()
        self.mic_icon = QLabel()
        self.recording = QLabel()  # "● Recording 0:12" while this call is being recorded
        self.recording.setStyleSheet("color: #c62828; font-weight: 700;")
        self.recording.setAccessibleName(self.tr("Recording indicator"))
        self.recording.setVisible(False)
        layout.addWidget(self.recording)
        for w, name in ((self.name, "Remote name"), (self.uri, "Remote address"), (self.state, "Call state"),
                        (self.timer, "Call duration"), (self.security, "Call security"),
                        (self.quality, "Call quality"), (self.mic, "Microphone"),
                        (self.receive_only, "Receive-only notice")):
            w.setAccessibleName(self.tr(name))
            if w is self.security or w is self.mic:
                row = QHBoxLayout()
                row.addWidget(self.security_icon if w is self.security else self.mic_icon)
                row.addWidget(w, 1)
                layout.addLayout(row)
            else:
                layout.addWidget(w)
        layout.addStretch(1)
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        specs = [("mute", self.tr("&Mute"), True), ("hold", self.tr("&Hold"), True),
                 ("keypad", self.tr("&Keypad"), False), ("transfer", self.tr("&Transfer"), False),
                 ("attended", self.tr("Consult && transfer"), False),
                 ("conference", self.tr("Con&ference"), False), ("record", self.tr("&Record"), True),
                 ("hangup", self.tr("Hang &up"), False)]
        for i, (key, label, checkable) in enumerate(specs):
            b = QPushButton(label)
            b.setCheckable(checkable)
            b.setAccessibleName(label.replace("&&", "and").replace("&", ""))
            grid.addWidget(b, i // 4, i % 4)
            self.buttons[key] = b
        self.buttons["hangup"].setStyleSheet("background: #c62828; color: white; font-weight: 600;")
        self.buttons["hangup"].setIcon(icons.icon("hangup"))
        layout.addLayout(grid)
        row = QHBoxLayout()
        layout.addLayout(row)
        self.buttons["mute"].toggled.connect(lambda on: controller.mute(call_id, on))
        self.buttons["hold"].toggled.connect(lambda on: controller.hold(call_id, on))
        self.buttons["hangup"].clicked.connect(lambda: controller.hangup(call_id))
        self.buttons["keypad"].clicked.connect(self._keypad)
        self.buttons["transfer"].clicked.connect(self._transfer)
        self.buttons["attended"].clicked.connect(self._attended)
        self.buttons["conference"].clicked.connect(controller.conference)
        self.buttons["record"].toggled.connect(self._record_toggled)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._update_timer)
        self._tick.start(1000)
        controller.call_updated.connect(self._on_update)
        controller.microphone_active.connect(self._on_mic)
        self._on_mic(False)
        self._on_update(call_id)

    # ------------------------------------------------------------------ updates
    def _on_update(self, call_id: int) -> None:
        if call_id != self.call_id:
            return
        call = self.controller.calls.get(call_id)
        if call is None:
            return
        self.name.setText(call.remote_name or call.remote_uri)
        self.uri.setText(call.remote_uri if call.remote_name else "")
        self.state.setText(self._state_text(call.state))
        ev = call.changed
        if call.state is CallState.CONFIRMED and self._answered_at is None:
            self._answered_at = time.monotonic() - (ev.duration if ev else 0.0)
        if ev is not None and call.state is CallState.CONFIRMED:
            suite = ev.media.srtp_suite
            transport = (ev.transport or "").upper()
            if suite:
                tls = self.tr("TLS signalling, ") if transport == "TLS" else ""
                self.security.setText(tls + self.tr("encrypted media (SRTP {suite})").format(suite=suite))
                self.security.setStyleSheet("color: #2e7d32;")
                self.security_icon.setPixmap(icons.pixmap("lock"))
            else:
                self.security.setText(self.tr("Media is NOT encrypted: others on the network could listen."))
                self.security.setStyleSheet("color: #c62828; font-weight: 600;")
                self.security_icon.setPixmap(icons.pixmap("warning"))
            held = ev.media.local_hold
            if self.buttons["hold"].isChecked() != held:
                with QSignalBlocker(self.buttons["hold"]):
                    self.buttons["hold"].setChecked(held)
            if held:
                self.state.setText(self.tr("On hold"))
            elif ev.media.remote_hold:
                self.state.setText(self.tr("Held by the other side"))
        q = call.quality
        if q is not None and call.state is CallState.CONFIRMED:
            grade = {"good": self.tr("Good"), "fair": self.tr("Fair"), "poor": self.tr("Poor")}[q.grade]
            self.quality.setText(self.tr("Quality: {grade}").format(grade=grade))
            self.quality.setToolTip(self.tr("Jitter {j} ms, loss {l} %, round trip {r} ms").format(
                j=_num(q.jitter_ms), l=_num(q.loss_pct), r=_num(q.rtt_ms)))
        if call.receive_only:
            self.receive_only.setText(self.tr("Receive-only: the microphone is not allowed, the other side hears "
                                              "silence. <a href='settings'>Change in Settings</a>"))
            self.buttons["mute"].setEnabled(False)
        else:
            self.receive_only.setText("")
            self.buttons["mute"].setEnabled(True)
        connected = call.state is CallState.CONFIRMED
        for key in ("hold", "keypad", "transfer", "attended"):
            self.buttons[key].setEnabled(connected)
        self.buttons["conference"].setEnabled(
            sum(1 for c in self.controller.calls.values() if c.state is CallState.CONFIRMED) >= 2)
        self._update_recording(call, connected)

    def _update_recording(self, call, connected: bool) -> None:
        button = self.buttons["record"]
        allowed = self.controller.recording_allowed()
        recording = call.recording_since is not None
        button.setEnabled(allowed and connected and not call.recording_asked)
        if not allowed:
            button.setToolTip(self.tr("Call recording is off. Turn it on in Settings > Privacy (you will be told "
                                      "about the consent the law may require first)."))
        elif not connected:
            button.setToolTip(self.tr("A call can be recorded once it is answered."))
        else:
            button.setToolTip(self.tr("Stop recording") if recording else
                              self.tr("Record this call (encrypted; the other side hears a short tone)"))
        button.setAccessibleDescription(button.toolTip())
        if button.isChecked() != (recording or call.recording_asked):
            with QSignalBlocker(button):
                button.setChecked(recording or call.recording_asked)
        button.setText(self.tr("Stop &recording") if recording else self.tr("&Record"))
        self.recording.setVisible(recording)
        self._update_timer()

    def _record_toggled(self, on: bool) -> None:
        if on:
            self.controller.start_recording(self.call_id)
        else:
            self.controller.stop_recording(self.call_id)

    def _state_text(self, state: CallState) -> str:
        return {CallState.CALLING: self.tr("Calling…"), CallState.INCOMING: self.tr("Incoming call"),
                CallState.EARLY: self.tr("Ringing…"), CallState.CONNECTING: self.tr("Connecting…"),
                CallState.CONFIRMED: self.tr("Connected"), CallState.DISCONNECTED: self.tr("Call ended")}[state]

    def _update_timer(self) -> None:
        if self._answered_at is not None:
            self.timer.setText(format_duration(time.monotonic() - self._answered_at))
        call = self.controller.calls.get(self.call_id)
        since = call.recording_since if call is not None else None
        if since is not None:
            self.recording.setText(self.tr("● Recording {t}").format(t=format_duration(time.monotonic() - since)))

    def _on_mic(self, active: bool) -> None:
        self.mic.setText(self.tr("Microphone in use") if active else self.tr("Microphone off"))
        self.mic_icon.setPixmap(icons.pixmap("mic" if active else "mic-off"))

    # ------------------------------------------------------------------ actions
    def _keypad(self) -> None:
        digits, ok = QInputDialog.getText(self, self.tr("Keypad"), self.tr("Digits to send (0-9, *, #):"))
        if ok and digits:
            self.controller.dtmf(self.call_id, "".join(c for c in digits if c in "0123456789*#ABCD"))

    def _transfer(self) -> None:
        target, ok = QInputDialog.getText(self, self.tr("Transfer"), self.tr("Transfer this call to:"))
        if ok and target.strip():
            self.controller.transfer(self.call_id, target.strip())

    def _attended(self) -> None:
        others = [c for c in self.controller.calls.values()
                  if c.call_id != self.call_id and c.state is CallState.CONFIRMED]
        if not others:
            target, ok = QInputDialog.getText(self, self.tr("Consult"),
                                              self.tr("Call whom first? (this call is put on hold)"))
            if ok and target.strip():
                self.controller.hold(self.call_id, True)
                self.controller.dial(target.strip(), parent=self)
            return
        self.controller.attended_transfer(self.call_id, others[0].call_id)

    def keyPressEvent(self, event) -> None:
        text = event.text()
        if text and text in "0123456789*#":
            self.controller.dtmf(self.call_id, text)
            return
        super().keyPressEvent(event)


def _num(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"
