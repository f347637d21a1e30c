"""Settings > Privacy: permissions (each revocable), history retention, SIP logs, the consent ledger,
"Export my data" and "Delete all local data"."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from octasip import diaglog
from octasip.core.consent import Permission
from octasip.core.history import RETENTION_DAYS, RETENTION_LABELS

CONFIRM_WORD = "DELETE"


def _ledger(profile) -> list:
    return [(e.at, e.permission, e.granted, e.source, e.detail) for e in profile.consent.entries()]


class PrivacyPage(QWidget):
    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.controller = app.controller
        layout = QVBoxLayout(self)
        perms = QGroupBox(self.tr("Permissions"))
        grid = QGridLayout(perms)
        self.perm_labels: dict[Permission, QLabel] = {}
        self.perm_buttons: dict[Permission, QPushButton] = {}
        names = {Permission.MICROPHONE: self.tr("Microphone"), Permission.CONTACTS: self.tr("Contacts"),
                 Permission.STORAGE: self.tr("Files outside OctaSIP's folder (exports)")}
        for row, (p, name) in enumerate(names.items()):
            label, button = QLabel(), QPushButton()
            label.setAccessibleName(self.tr("{name} permission").format(name=name))
            button.clicked.connect(lambda _=False, p=p: self._toggle(p))
            grid.addWidget(QLabel(name), row, 0)
            grid.addWidget(label, row, 1)
            grid.addWidget(button, row, 2)
            self.perm_labels[p], self.perm_buttons[p] = label, button
        layout.addWidget(perms)
        history = QGroupBox(self.tr("Call history"))
        h = QHBoxLayout(history)
        self.retention = QComboBox()
        self.retention.setAccessibleName(self.tr("Keep call history"))
        for key in RETENTION_DAYS:
            self.retention.addItem(self.tr(RETENTION_LABELS[key]), key)
        h.addWidget(QLabel(self.tr("Keep call history:")))
        h.addWidget(self.retention, 1)
        layout.addWidget(history)
        from octasip.ui.recording_settings import RecordingSettings

        self.recording = RecordingSettings(app)
        layout.addWidget(self.recording)
        self.logs = QCheckBox(self.tr("Write redacted SIP logs (for diagnosing problems)"))
        self.logs.setAccessibleName(self.logs.text())
        layout.addWidget(self.logs)
        self.ledger = QTableWidget(0, 4)
        self.ledger.setAccessibleName(self.tr("Consent ledger"))
        self.ledger.setHorizontalHeaderLabels([self.tr("When"), self.tr("Permission"), self.tr("Decision"),
                                               self.tr("Where")])
        self.ledger.horizontalHeader().setStretchLastSection(True)
        self.ledger.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(QLabel(self.tr("Consent ledger (every decision, with its time):")))
        layout.addWidget(self.ledger, 1)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("E&xport my data…"))
        self.wipe_button = QPushButton(self.tr("&Delete all local data…"))
        self.wipe_button.setStyleSheet("color: #c62828; font-weight: 600;")
        for b in (self.export_button, self.wipe_button):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
            row.addWidget(b)
        layout.addLayout(row)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Privacy status"))
        layout.addWidget(self.note)
        self.export_button.clicked.connect(self.export)
        self.wipe_button.clicked.connect(self.wipe)
        self._wired = False
        self.controller.permissions_changed.connect(self._permissions_changed)
        app.store.opened.connect(lambda _info: self._load())  # the profile was reopened (after a wipe)
        self._refresh_permissions()
        self._load()

    # ------------------------------------------------------------------ loading
    def _load(self) -> None:
        def read(profile):
            from octasip.privacy import retention

            return (retention.retention(profile.settings), bool(profile.settings.get(diaglog.SETTING, False)),
                    _ledger(profile))

        def fill(result) -> None:
            keep, logs, entries = result
            self.retention.blockSignals(True)
            self.retention.setCurrentIndex(self.retention.findData(keep))
            self.retention.blockSignals(False)
            self._kept = keep
            self.logs.blockSignals(True)
            self.logs.setChecked(logs)
            self.logs.blockSignals(False)
            self._fill_ledger(entries)
            if not self._wired:  # the user's changes count only once the stored values are shown
                self._wired = True
                self.retention.currentIndexChanged.connect(self._retention_changed)
                self.logs.toggled.connect(self._logs_toggled)

        self.app.store.run(read, fill, self.note.setText)

    def _fill_ledger(self, entries: list) -> None:
        names = {"microphone": self.tr("Microphone"), "contacts": self.tr("Contacts"), "storage": self.tr("Files"),
                 "recording": self.tr("Call recording"),
                 "privacy-notice": self.tr("Privacy notice")}
        self.ledger.setRowCount(len(entries))
        for i, (at, perm, granted, source, detail) in enumerate(reversed(entries)):
            what = names.get(perm, perm) + (f" ({detail})" if detail and perm == "recording" else "")
            for j, text in enumerate((time.strftime("%Y-%m-%d %H:%M", time.localtime(at)), what,
                                      self.tr("granted") if granted else self.tr("refused"), source)):
                self.ledger.setItem(i, j, QTableWidgetItem(text))

    def _refresh_permissions(self) -> None:
        for p, label in self.perm_labels.items():
            state = self.controller.permission(p)
            label.setText({True: self.tr("Allowed"), False: self.tr("Not allowed"), None: self.tr("Not asked yet")
                           }[state])
            button = self.perm_buttons[p]
            button.setText(self.tr("Revoke") if state else self.tr("Allow"))
            button.setAccessibleName(f"{button.text()} {label.accessibleName()}")

    # ------------------------------------------------------------------ actions
    def _toggle(self, p: Permission) -> None:
        self.controller.record_permission(p, not self.controller.permission(p))

    def _permissions_changed(self) -> None:
        self._refresh_permissions()
        # After the caller's handler has queued its ledger write: jobs run in order, so this reads it.
        QTimer.singleShot(0, self._reload_ledger)

    def _reload_ledger(self) -> None:
        self.app.store.run(_ledger, self._fill_ledger, None)

    def _retention_changed(self) -> None:
        choice = self.retention.currentData()

        def count(profile):
            from octasip.privacy.retention import would_purge

            return would_purge(profile.conn, choice)

        def confirm(n: int) -> None:
            if n and QMessageBox.question(
                    self, self.tr("Delete old calls?"),
                    self.tr("Keeping history for \"{label}\" deletes {n} calls now. Continue?").format(
                        label=self.retention.currentText(), n=n)) != QMessageBox.StandardButton.Yes:
                self.retention.blockSignals(True)
                self.retention.setCurrentIndex(self.retention.findData(self._kept))
                self.retention.blockSignals(False)
                return

            def apply(profile):
                from octasip.privacy.retention import set_retention

                return set_retention(profile.conn, choice)

            self._kept = choice
            self.app.store.run(apply, lambda d: self.note.setText(self.tr("{n} calls deleted.").format(n=d)),
                               self.note.setText)

        self.app.store.run(count, confirm, self.note.setText)

    def _logs_toggled(self, on: bool) -> None:
        def save(profile):
            profile.settings.set(diaglog.SETTING, on)
            if not on:
                diaglog.delete_all(profile.data_dir)
            return str(profile.data_dir)

        def done(data_dir: str) -> None:
            self.app.set_diagnostic_log(on, data_dir)
            self.note.setText(self.tr("SIP logs are on: {dir}").format(dir=str(diaglog.log_dir(Path(data_dir))))
                              if on else self.tr("SIP logs are off, and the old ones were deleted."))

        self.app.store.run(save, done, self.note.setText)

    def export(self, path: str | None = None, fmt: str | None = None) -> None:
        """Behind the storage permission: refused means nothing is written outside the data folder."""
        if not self.controller.ensure_permission(Permission.STORAGE, self):
            self.note.setText(self.tr("Nothing was exported: writing outside OctaSIP's folder is not allowed "
                                      "(allow it above)."))
            return
        if path is None:
            json_filter, csv_filter = self.tr("One JSON file (*.json)"), self.tr("CSV files in a new folder (*)")
            path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export my data"), "octasip-export.json",
                                                       f"{json_filter};;{csv_filter}")
            if not path:
                return
            fmt = "csv" if chosen == csv_filter else "json"
            if fmt == "csv" and path.endswith(".json"):
                path = path[: -len(".json")]
        fmt = fmt or "json"
        self.export_button.setEnabled(False)

        def run(profile):
            from octasip.privacy.export import export_csv, export_json

            if fmt == "csv":  # never replaces files already in that folder
                return export_csv(profile.conn, Path(path))
            return export_json(profile.conn, Path(path), force=True)  # the file dialog asked before replacing

        def done(report) -> None:
            self.export_button.setEnabled(True)
            counts = ", ".join(f"{n} {k}" for k, n in report.counts.items())
            self.note.setText(self.tr("Exported {counts} to {path}. The export is NOT encrypted: keep it safe, "
                                      "and delete it when you no longer need it.").format(counts=counts, path=path))

        def failed(why: str) -> None:
            self.export_button.setEnabled(True)
            self.note.setText(self.tr("Nothing was exported: {why}").format(why=why))

        self.app.store.run(run, done, failed)

    def wipe(self, confirmed: bool = False) -> None:
        if not confirmed and not WipeConfirm(self).exec():
            return
        self.note.setText(self.tr("Deleting…"))
        for b in (self.export_button, self.wipe_button):
            b.setEnabled(False)
        # Stop everything that uses the data or the credentials first: calls, registrations, the SIP log.
        for call_id in list(self.controller.calls):
            self.controller.hangup(call_id)
        for account_id in list(self.controller.accounts):
            self.controller.remove_account(account_id)
        self.app.set_diagnostic_log(False, "")
        data_dir = Path(self.app.data_dir) if self.app.data_dir else None

        def run_wipe():
            from octasip import paths
            from octasip.privacy.wipe import wipe

            return wipe(data_dir or paths.data_dir())

        def done_wipe(report) -> None:
            for b in (self.export_button, self.wipe_button):
                b.setEnabled(True)
            lines = [self.tr("Deleted: {part}").format(part=p) for p in report.wiped]
            lines += [self.tr("NOT deleted: {part}: {why}").format(part=k, why=v) for k, v in report.failed.items()]
            if report.ok:
                self.note.setText("\n".join(lines))
                self.controller.message.emit(self.tr("All local data was deleted ({parts}). OctaSIP starts afresh.")
                                             .format(parts="; ".join(report.wiped)))
                self.window().close()
            else:
                self.note.setText("\n".join([self.tr("Some data could NOT be deleted:"), *lines]))
                self.controller.message.emit(self.tr("Some local data could not be deleted: see Settings > "
                                                     "Privacy."))
            self.app.after_wipe()

        def failed(why: str) -> None:
            for b in (self.export_button, self.wipe_button):
                b.setEnabled(True)
            self.note.setText(self.tr("Nothing could be confirmed as deleted: {why}").format(why=why))
            self.app.after_wipe()

        self.app.store.close_profile(lambda _r: self.app.store.run_raw(run_wipe, done_wipe, failed))


class WipeConfirm(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Delete all local data"))
        layout = QVBoxLayout(self)
        text = QLabel(self.tr("This deletes your call history, contacts, settings, accounts, logs and recordings "
                              "from this computer, and OctaSIP's passwords and keys from the keyring. It cannot "
                              "be undone.\n\nType {word} to confirm:").format(word=CONFIRM_WORD))
        text.setWordWrap(True)
        self.word = QLineEdit()
        self.word.setAccessibleName(self.tr("Type {word} to confirm").format(word=CONFIRM_WORD))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.go = buttons.addButton(self.tr("Delete everything"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.go.setEnabled(False)
        self.go.setAccessibleName(self.tr("Delete everything"))
        self.word.textChanged.connect(lambda t: self.go.setEnabled(t.strip() == CONFIRM_WORD))
        self.go.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        for w in (text, self.word, buttons):
            layout.addWidget(w)
