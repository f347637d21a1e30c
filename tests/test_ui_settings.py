"""The Settings window on a real App (a fake engine records commands) with the real Secret Service and an
encrypted profile: accounts and the keyring, permissions and the ledger, retention, export behind the
storage permission, and "Delete all local data" back to first run."""

from __future__ import annotations

import json
import time

import pytest

from octasip.core import commands as cmd
from octasip.core.consent import Permission
from octasip.secrets import SecretStore

pytestmark = pytest.mark.real


class FakeEngine:
    def __init__(self, on_event) -> None:
        self.on_event = on_event
        self.sent: list = []
        self.n = 0

    def start(self) -> None:
        pass

    def submit(self, c) -> None:
        self.sent.append(c)

    def new_call_id(self) -> int:
        self.n += 1
        return self.n

    def stop(self) -> None:
        pass


@pytest.fixture
def app(qtbot, octasip_home, secret_service):
    from octasip.app import App

    engines: list[FakeEngine] = []
    answers = {Permission.MICROPHONE: True, Permission.STORAGE: False}

    def make(on_event):
        engines.append(FakeEngine(on_event))
        return engines[-1]

    a = App(data_dir=octasip_home, secrets=SecretStore(), engine_factory=make,
            ask_permission=lambda p, parent: answers.get(p, False))
    a.engines, a.answers = engines, answers
    qtbot.addWidget(a.window)
    a.window.show()
    a.start()
    qtbot.waitUntil(lambda: a.first_run_shown and bool(engines), timeout=10000)
    a.first_run.later.click()
    a.open_settings()
    yield a
    a.quit()


def _sent(app) -> list:
    return app.engines[0].sent


def test_add_edit_remove_account_password_only_in_the_keyring(app, qtbot, octasip_home, secret_service,
                                                               monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from octasip.ui.account_editor import AccountEditor

    page = app.settings_dialog.pages["accounts"]
    editors: list[AccountEditor] = []

    def run_editor(self) -> int:
        editors.append(self)
        if len(editors) == 1:
            self.uri.setText("sip:alice@example.com")
            self.password.setText("S3cret-Alice")
        else:
            assert self.password.text() == ""  # the stored password is never shown
            self.name.setText("Alice at work")
        self._save()
        return self.result()

    monkeypatch.setattr(AccountEditor, "exec", run_editor)
    page.add()
    qtbot.waitUntil(lambda: len(app.controller.accounts) == 1, timeout=5000)
    (status,) = app.controller.accounts.values()
    assert any(isinstance(c, cmd.AddAccount) and c.account.uri == "sip:alice@example.com" for c in _sent(app))
    assert SecretStore().get_sip_password(status.account.id) == "S3cret-Alice"
    for p in octasip_home.rglob("*"):
        if p.is_file():
            assert b"S3cret-Alice" not in p.read_bytes()
    page.list.setCurrentRow(0)
    page.edit()
    qtbot.waitUntil(lambda: app.controller.accounts[status.account.id].account.display_name == "Alice at work",
                    timeout=5000)
    assert SecretStore().get_sip_password(status.account.id) == "S3cret-Alice", "an empty field keeps it"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.list.setCurrentRow(0)
    page.remove()
    qtbot.waitUntil(lambda: not app.controller.accounts, timeout=5000)
    assert SecretStore().get_sip_password(status.account.id) is None
    assert cmd.RemoveAccount(status.account.id) in _sent(app)


def test_editor_shows_invalid_input_inline(app, qtbot) -> None:
    from octasip.ui.account_editor import AccountEditor

    editor = AccountEditor(None, app.window)
    qtbot.addWidget(editor)
    editor.uri.setText("alice at example")
    editor._save()
    assert editor.result_account is None and "SIP URI" in editor.error.text()


def test_revoke_microphone_is_recorded_and_applied(app, qtbot) -> None:
    page = app.settings_dialog.pages["privacy"]
    app.controller.record_permission(Permission.MICROPHONE, True)
    page.perm_buttons[Permission.MICROPHONE].click()  # Revoke
    assert app.controller.permission(Permission.MICROPHONE) is False
    assert _sent(app)[-1] == cmd.SetMicrophoneAllowed(False)
    assert page.perm_labels[Permission.MICROPHONE].text() == "Not allowed"
    ledger: list = []
    app.store.run(lambda p: [(e.permission, e.granted) for e in p.consent.entries()], ledger.append)
    qtbot.waitUntil(lambda: bool(ledger), timeout=5000)
    assert ledger[0][-2:] == [("microphone", True), ("microphone", False)]


def test_export_needs_the_storage_permission(app, qtbot, tmp_path) -> None:
    page = app.settings_dialog.pages["privacy"]
    out = tmp_path / "export.json"
    page.export(str(out), "json")
    assert not out.exists() and "not allowed" in page.note.text()
    app.answers[Permission.STORAGE] = True
    app.controller.permissions.pop(Permission.STORAGE.value)  # not decided yet: ask again
    page.export(str(out), "json")
    qtbot.waitUntil(lambda: out.exists(), timeout=5000)
    assert json.loads(out.read_text())["format"] == "octasip-export"
    assert "NOT encrypted" in page.note.text()


def test_retention_and_wipe_back_to_first_run(app, qtbot, octasip_home, secret_service, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from octasip.core.events import CallDirection

    def add_old(profile):
        row = profile.calls.start(direction=CallDirection.OUTGOING, remote_uri="sip:old@x", account_id=1,
                                  session="t", started_at=time.time() - 40 * 86400)
        profile.calls.finish(row, status="answered", code=200, reason="OK", duration=1.0,
                             ended_at=time.time() - 40 * 86400)
        profile.secrets.set_sip_password(1, "pw-to-wipe")

    app.store.run(add_old)
    page = app.settings_dialog.pages["privacy"]
    qtbot.waitUntil(lambda: page.retention.currentData() == "forever" and hasattr(page, "_kept"), timeout=5000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.retention.setCurrentIndex(page.retention.findData("30d"))
    qtbot.waitUntil(lambda: "1 calls deleted" in page.note.text(), timeout=5000)
    assert secret_service.search("OctaSIP")
    app.first_run_shown = False
    page.wipe(confirmed=True)
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=15000)
    assert secret_service.search("OctaSIP") == [] or all(
        i.get("attribute.username") == "key:database" for i in secret_service.search("OctaSIP")), \
        "only the new profile's fresh key may exist after the wipe"
    assert not any(p.name.startswith("octasip.db.") for p in octasip_home.glob("*"))


def test_wipe_confirmation_needs_the_typed_word(app, qtbot) -> None:
    from octasip.ui.settings_privacy import WipeConfirm

    d = WipeConfirm(app.window)
    qtbot.addWidget(d)
    assert not d.go.isEnabled()
    d.word.setText("delete")
    assert not d.go.isEnabled()
    d.word.setText("DELETE")
    assert d.go.isEnabled()


def test_contacts_tab_is_gated_by_the_permission_then_imports_and_calls(app, qtbot, monkeypatch) -> None:
    from pathlib import Path

    app.window.tabs.setCurrentIndex(2)  # built when first shown
    view = app.window.contacts
    assert view.stack.currentIndex() == 0  # nothing read before the permission
    view.import_file(str(Path(__file__).parent / "data" / "contacts" / "apple-v3.vcf"))
    assert "needs the contacts permission" in view.note.text()
    app.answers[Permission.CONTACTS] = True
    app.controller.permissions.pop(Permission.CONTACTS.value, None)
    view.allow_button.click()
    assert view.stack.currentIndex() == 1
    view.import_file(str(Path(__file__).parent / "data" / "contacts" / "apple-v3.vcf"))
    qtbot.waitUntil(lambda: view.list.count() == 3, timeout=5000)
    assert "3 added" in view.note.text()
    view.search.setText("chen")
    qtbot.waitUntil(lambda: view.list.count() == 1, timeout=5000)
    view.list.setCurrentRow(0)
    from PySide6.QtWidgets import QInputDialog

    from octasip.ui import contacts_view

    calls = []
    app.controller.dial = lambda target, **kw: calls.append(target)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("sip:chen@sip.example.cn", True)))
    view.call()
    assert calls == ["sip:chen@sip.example.cn"]
    assert contacts_view.ContactRole


def test_every_settings_page_and_tab_control_has_an_accessible_name(app, qtbot) -> None:
    from tests.test_ui_widgets import _unnamed_controls

    app.answers[Permission.CONTACTS] = True
    app.window.views()  # build History and Contacts
    for key, page in app.settings_dialog.pages.items():
        app.settings_dialog.tabs.setCurrentWidget(page)
        assert _unnamed_controls(page) == [], key
    for view in (app.window.history, app.window.contacts):
        app.window.tabs.setCurrentWidget(view)
        assert _unnamed_controls(view) == [], type(view).__name__
