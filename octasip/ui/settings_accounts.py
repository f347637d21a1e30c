"""Settings > Accounts: the list with live status; add, edit, remove; test registration."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from octasip.ui.account_editor import AccountEditor


class AccountsPage(QWidget):
    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.controller = app.controller
        layout = QVBoxLayout(self)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Accounts"))
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("&Add…"))
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.remove_button = QPushButton(self.tr("&Remove"))
        self.test_button = QPushButton(self.tr("&Test registration"))
        for b, slot in ((self.add_button, self.add), (self.edit_button, self.edit),
                        (self.remove_button, self.remove), (self.test_button, self.test)):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
            b.clicked.connect(slot)
            row.addWidget(b)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Account status"))
        layout.addWidget(self.status)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit())
        self.controller.accounts_changed.connect(self.refresh)
        self._testing: int | None = None
        self.refresh()

    def refresh(self) -> None:
        current = self.selected_id()
        self.list.clear()
        for s in self.controller.accounts.values():
            why = f" — {s.detail or f'{s.code} {s.reason}'.strip()}" if s.state in ("failed", "retrying") else ""
            item = QListWidgetItem(f"{s.account.display_name or s.account.uri}   [{s.state}]{why}")
            item.setData(256, s.account.id)
            self.list.addItem(item)
            if s.account.id == current:
                self.list.setCurrentItem(item)
        if self._testing is not None and self._testing in self.controller.accounts:
            s = self.controller.accounts[self._testing]
            if s.state == "registered":
                self.status.setText(self.tr("Registration works: {code} {reason}").format(code=s.code, reason=s.reason))
                self._testing = None
            elif s.state in ("failed", "retrying"):
                self.status.setText(self.tr("Registration failed: {why}").format(
                    why=s.detail or f"{s.code} {s.reason}"))
                self._testing = None

    def selected_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(256) if item else None

    def add(self) -> None:
        self._edit(None)

    def edit(self) -> None:
        account_id = self.selected_id()
        if account_id is not None:
            self._edit(self.controller.accounts[account_id].account)

    def _edit(self, account) -> None:
        editor = AccountEditor(account, self)
        editor.setModal(True)
        if editor.exec() != AccountEditor.DialogCode.Accepted:
            return
        acc, password = editor.result_account, editor.result_password

        def save(profile):
            saved = profile.accounts.update(acc) or acc if acc.id else profile.accounts.add(acc)
            if password:
                profile.secrets.set_sip_password(saved.id, password)
            return saved

        def done(saved) -> None:
            self.status.setText(self.tr("Saved. The password is in your system keyring only."))
            self.controller.replace_account(saved)
            self._testing = saved.id

        self.app.store.run(save, done, self.status.setText)

    def remove(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            return
        if QMessageBox.question(self, self.tr("Remove account?"),
                                self.tr("Remove this account and its password from the keyring? Its call history "
                                        "stays.")) != QMessageBox.StandardButton.Yes:
            return

        def drop(profile):
            profile.accounts.remove(account_id)
            profile.secrets.delete_sip_password(account_id)

        self.app.store.run(drop, lambda _r: self.controller.remove_account(account_id), self.status.setText)

    def test(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            return
        self._testing = account_id
        self.status.setText(self.tr("Registering…"))
        self.controller.replace_account(self.controller.accounts[account_id].account)
        QTimer.singleShot(15000, self._test_timeout)

    def _test_timeout(self) -> None:
        if self._testing is not None:
            self.status.setText(self.tr("No answer from the registrar within 15 s."))
            self._testing = None
