"""An incoming call: a small non-modal window with Answer, Decline and Busy (call waiting too)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class IncomingCallWindow(QDialog):
    def __init__(self, controller, call_id: int, waiting: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.call_id = call_id
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, True)
        call = controller.calls.get(call_id)
        who = (call.remote_name or call.remote_uri) if call else "?"
        self.setWindowTitle(self.tr("Incoming call from {who}").format(who=who))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("Call waiting") if waiting else self.tr("Incoming call"))
        name = QLabel(f"<b>{html.escape(who, quote=False)}</b>")
        name.setStyleSheet("font-size: 16pt;")
        uri = QLabel(html.escape(call.remote_uri, quote=False) if call and call.remote_name else "")
        for w, n in ((title, "Call kind"), (name, "Caller"), (uri, "Caller address")):
            w.setAccessibleName(self.tr(n))
            layout.addWidget(w)
        if waiting:
            note = QLabel(self.tr("Answering puts your current call on hold."))
            layout.addWidget(note)
        row = QHBoxLayout()
        self.answer = QPushButton(self.tr("&Answer"))
        self.decline = QPushButton(self.tr("&Decline"))
        self.busy = QPushButton(self.tr("&Busy"))
        self.answer.setStyleSheet("background: #2e7d32; color: white;")
        for b in (self.answer, self.decline, self.busy):
            b.setAccessibleName(b.text().replace("&", ""))
            row.addWidget(b)
        layout.addLayout(row)
        self.answer.setDefault(True)
        self.answer.clicked.connect(self._answer)
        self.decline.clicked.connect(lambda: self._reject(False))
        self.busy.clicked.connect(lambda: self._reject(True))
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._answer)
        controller.call_removed.connect(self._on_removed)
        controller.call_updated.connect(self._on_update)

    def _answer(self) -> None:
        self.controller.answer(self.call_id, self)
        self.close()

    def _reject(self, busy: bool) -> None:
        self.controller.decline(self.call_id, busy)
        self.close()

    def _on_removed(self, call_id: int) -> None:
        if call_id == self.call_id:
            self.close()

    def _on_update(self, call_id: int) -> None:
        call = self.controller.calls.get(call_id)
        if call_id == self.call_id and call is not None and call.state.value not in ("incoming", "early"):
            self.close()
