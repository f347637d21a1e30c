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

from octasip.core.events import RegistrationChanged, TransportError
from octasip.ui.account_editor import AccountEditor

TEST_TIMEOUT_MS = 15000


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
        app.bridge.event.connect(self._on_event)
        self._testing: int | None = None  # the account whose registration answer is awaited
        self._test_token = 0  # a newer test makes an older test's timeout harmless
        self._test_detail = ""
        self._editor: AccountEditor | None = None
        self.refresh()

    def _state_text(self, state: str) -> str:
        return {"registering": self.tr("registering"), "registered": self.tr("registered"),
                "failed": self.tr("failed"), "retrying": self.tr("retrying"),
                "unregistered": self.tr("not registered"), "disabled": self.tr("disabled")}.get(state, state)

    def refresh(self) -> None:
        current = self.selected_id()
        self.list.clear()
        for s in self.controller.accounts.values():
            why = f" — {s.detail or f'{s.code} {s.reason}'.strip()}" if s.state in ("failed", "retrying") else ""
            item = QListWidgetItem(f"{s.account.display_name or s.account.uri}   [{self._state_text(s.state)}]{why}")
            item.setData(256, s.account.id)
            self.list.addItem(item)
            if s.account.id == current:
                self.list.setCurrentItem(item)
        if current is None and self.list.count():
            self.list.setCurrentRow(0)
        has = self.list.count() > 0
        for b in (self.edit_button, self.remove_button, self.test_button):
            b.setEnabled(has)

    def _on_event(self, ev) -> None:
        """The registrar's live answer for the account under test (the controller has already seen it)."""
        if self._testing is None or getattr(ev, "account_id", None) != self._testing:
            return
        if isinstance(ev, TransportError):
            self._test_detail = ev.message
            self.status.setText(self.tr("Registering… transport problem: {why}").format(why=ev.message))
            return
        if not isinstance(ev, RegistrationChanged):
            return
        state = ev.state.value
        if state == "registered":
            self.status.setText(self.tr("Registration works: {code} {reason} (renewed every {expires} s).").format(
                code=ev.code, reason=ev.reason, expires=ev.expires))
        elif state in ("failed", "retrying", "unregistered"):
            why = " — ".join(x for x in (f"{ev.code} {ev.reason}".strip() if ev.code else ev.reason,
                                         self._test_detail) if x)
            self.status.setText(self.tr("Registration failed: {why}").format(why=why or self.tr("no reason given")))
        else:
            return
        self._testing = None

    def _start_test(self, account_id: int) -> None:
        self._testing, self._test_detail = account_id, ""
        self._test_token += 1
        token = self._test_token
        QTimer.singleShot(TEST_TIMEOUT_MS, lambda: self._test_timeout(token))

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
        self._editor = editor
        if account is not None:  # only whether a password is stored: it is never read into the field
            account_id = account.id
            self.app.store.run(lambda p: p.secrets.get_sip_password(account_id) is not None,
                               lambda stored: self._editor is editor and editor.set_password_stored(stored))
        try:
            accepted = editor.exec() == AccountEditor.DialogCode.Accepted
        finally:
            self._editor = None
        if not accepted:
            return
        acc, password = editor.result_account, editor.result_password
        editor.result_password = None

        def save(profile):
            saved = (profile.accounts.update(acc) or acc) if acc.id else profile.accounts.add(acc)
            if password:
                profile.secrets.set_sip_password(saved.id, password)
            return saved

        def done(saved) -> None:
            self.status.setText(self.tr("Saved. Its password is in your system keyring only.") if password
                                else self.tr("Saved."))
            if saved.enabled:
                self._start_test(saved.id)
            self.controller.replace_account(saved)

        self.app.store.run(save, done, lambda msg: self.status.setText(
            self.tr("Not saved: {why}").format(why=msg)))

    def remove(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            return
        if QMessageBox.question(self, self.tr("Remove account?"),
                                self.tr("Remove this account and its password from the keyring? Its call history "
                                        "stays.")) != QMessageBox.StandardButton.Yes:
            return

        def drop(profile):
            # The keyring first: if it cannot be reached, the account stays and the user can try again.
            profile.secrets.delete_sip_password(account_id)
            profile.accounts.remove(account_id)

        def done(_r) -> None:
            if self._testing == account_id:
                self._testing = None
            self.controller.remove_account(account_id)
            self.status.setText(self.tr("Removed, with its password."))

        self.app.store.run(drop, done, lambda msg: self.status.setText(self.tr("Not removed: {why}").format(why=msg)))

    def test(self) -> None:
        account_id = self.selected_id()
        if account_id is None or account_id not in self.controller.accounts:
            return
        account = self.controller.accounts[account_id].account
        if not account.enabled:
            self.status.setText(self.tr("This account is disabled: enable it (Edit…) to register."))
            return
        self.status.setText(self.tr("Registering…"))
        self._start_test(account_id)
        self.controller.replace_account(account)

    def _test_timeout(self, token: int) -> None:
        if self._testing is not None and token == self._test_token:
            detail = f" ({self._test_detail})" if self._test_detail else ""
            self.status.setText(self.tr("No answer from the registrar within {s} s.").format(
                s=TEST_TIMEOUT_MS // 1000) + detail)
            self._testing = None
