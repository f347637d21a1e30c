"""Settings > Privacy > Call recording: the opt-in (behind the consent notice), "always record", the
announcement tone (off only after a warning), how long recordings are kept, and the access log."""

from __future__ import annotations

import time

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from octasip.core.recordings import RECORDING_RETENTION_DAYS, RECORDING_RETENTION_LABELS


class ConsentNoticeDialog(QDialog):
    """The recording-consent notice. "Turn on" is enabled only once the box is ticked."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Before you record calls"))
        layout = QVBoxLayout(self)
        body = QPlainTextEdit(text)
        body.setReadOnly(True)
        body.setAccessibleName(self.tr("Recording consent notice"))
        layout.addWidget(body, 1)
        self.accept_box = QCheckBox(self.tr("I have read this. I will make sure the people I record have agreed "
                                            "where the law requires it."))
        self.accept_box.setAccessibleName(self.tr("I accept the recording consent notice"))
        layout.addWidget(self.accept_box)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.turn_on = self.buttons.addButton(self.tr("Turn recording &on"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.turn_on.setEnabled(False)
        self.accept_box.toggled.connect(self.turn_on.setEnabled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(560, 420)


class RecordingSettings(QGroupBox):
    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Call recording"), parent)
        self.app = app
        self.controller = app.controller
        self.ask_notice = self._ask_notice  # tests replace it (the dialog is modal)
        self.confirm_no_tone = self._confirm_no_tone
        self.confirm_purge = self._confirm_purge
        self._kept = ""
        grid = QGridLayout(self)
        self.allow = QCheckBox(self.tr("Allow call recording"))
        self.always = QCheckBox(self.tr("Always record every call from its answer"))
        self.announce = QCheckBox(self.tr("Play a tone into the call when recording starts (the other side hears "
                                          "it)"))
        self.keep = QComboBox()
        for key in RECORDING_RETENTION_DAYS:
            self.keep.addItem(self.tr(RECORDING_RETENTION_LABELS[key]), key)
        self.log = QTableWidget(0, 4)
        self.log.setHorizontalHeaderLabels([self.tr("When"), self.tr("What"), self.tr("Recording"), self.tr("Where")])
        self.log.horizontalHeader().setStretchLastSection(True)
        self.log.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.log.setMaximumHeight(140)
        for w, name in ((self.allow, "Allow call recording"), (self.always, "Always record"),
                        (self.announce, "Recording announcement tone"), (self.keep, "Keep recordings"),
                        (self.log, "Recording access log")):
            w.setAccessibleName(self.tr(name))
        grid.addWidget(self.allow, 0, 0, 1, 2)
        grid.addWidget(self.always, 1, 0, 1, 2)
        grid.addWidget(self.announce, 2, 0, 1, 2)
        grid.addWidget(QLabel(self.tr("Keep recordings:")), 3, 0)
        grid.addWidget(self.keep, 3, 1)
        grid.addWidget(QLabel(self.tr("Access log (every play, export and deletion):")), 4, 0, 1, 2)
        grid.addWidget(self.log, 5, 0, 1, 2)
        self._wired = False
        self.controller.recordings_changed.connect(self.load)
        self.load()

    # ------------------------------------------------------------------ loading
    def load(self) -> None:
        def read(_profile):
            lib = self.app.store.recording.library
            entries = [(e.at, e.action.value, e.recording_id, e.source) for e in lib.repo.access_log(200)]
            return lib.enabled(), lib.always_record(), lib.announce(), lib.retention(), entries

        self.app.store.run(read, self._fill, self.controller.message.emit)

    def _fill(self, result) -> None:
        enabled, always, announce, keep, entries = result
        for box, value in ((self.allow, enabled), (self.always, always), (self.announce, announce)):
            self._set(box, value)
        self.always.setEnabled(enabled)
        self.always.setToolTip("" if enabled else self.tr("Available once call recording is allowed"))
        with QSignalBlocker(self.keep):
            self.keep.setCurrentIndex(self.keep.findData(keep))
        self._kept = keep
        names = {"play": self.tr("played"), "export": self.tr("exported"), "delete": self.tr("deleted"),
                 "purge": self.tr("deleted (retention)")}
        self.log.setRowCount(len(entries))
        for i, (at, action, rid, source) in enumerate(reversed(entries)):
            for j, text in enumerate((time.strftime("%Y-%m-%d %H:%M", time.localtime(at)), names.get(action, action),
                                      rid[:12], source)):
                self.log.setItem(i, j, QTableWidgetItem(text))
        if not self._wired:
            self._wired = True
            self.allow.toggled.connect(self._allow_toggled)
            self.always.toggled.connect(self._always_toggled)
            self.announce.toggled.connect(self._announce_toggled)
            self.keep.currentIndexChanged.connect(self._keep_changed)

    # ------------------------------------------------------------------ changes
    def _ask_notice(self) -> bool:
        from octasip.privacy.recordings import CONSENT_NOTICE

        return ConsentNoticeDialog(self.tr(CONSENT_NOTICE), self).exec() == QDialog.DialogCode.Accepted

    def _confirm_no_tone(self) -> bool:
        return QMessageBox.warning(
            self, self.tr("Record without telling?"),
            self.tr("Without the tone, the other side is not told that the call is recorded. Where everyone on a "
                    "call must agree, you must then ask them yourself, every time. Turn the tone off?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes

    def _allow_toggled(self, on: bool) -> None:
        if on and not self.ask_notice():
            self._set(self.allow, False)
            return
        self.controller.set_recording_allowed(on, accepted_notice=on, done=lambda _state: self.load())

    def _always_toggled(self, on: bool) -> None:
        self.app.store.run(lambda _p: self.app.store.recording.library.set_always_record(on), None,
                           self._failed(self.always, not on))

    def _announce_toggled(self, on: bool) -> None:
        if not on and not self.confirm_no_tone():
            self._set(self.announce, True)
            return
        self.app.store.run(lambda _p: self.app.store.recording.library.set_announce(on), None,
                           self._failed(self.announce, not on))

    def _confirm_purge(self, n: int) -> bool:
        return QMessageBox.question(
            self, self.tr("Delete old recordings?"),
            self.tr("Keeping recordings for \"{label}\" deletes {n} recordings now. Continue?").format(
                label=self.keep.currentText(), n=n)) == QMessageBox.StandardButton.Yes

    def _keep_changed(self) -> None:
        choice = self.keep.currentData()
        days = RECORDING_RETENTION_DAYS[choice]

        def count(_p) -> int:
            lib = self.app.store.recording.library
            return 0 if days is None else len(lib.repo.older_than(time.time() - days * 86400))

        def confirm(n: int) -> None:
            if n and not self.confirm_purge(n):
                with QSignalBlocker(self.keep):
                    self.keep.setCurrentIndex(self.keep.findData(self._kept))
                return
            self._kept = choice
            self.app.store.run(lambda _p: self.app.store.recording.library.set_retention(choice), done,
                               self.controller.message.emit)

        def done(purged: int) -> None:
            if purged:
                self.controller.message.emit(self.tr("{n} recordings older than that were deleted.").format(n=purged))
            self.controller.recordings_changed.emit()

        self.app.store.run(count, confirm, self.controller.message.emit)

    def _failed(self, box: QCheckBox, previous: bool):
        def failed(text: str) -> None:
            self._set(box, previous)
            self.controller.message.emit(text)

        return failed

    @staticmethod
    def _set(box: QCheckBox, value: bool) -> None:
        with QSignalBlocker(box):
            box.setChecked(value)
