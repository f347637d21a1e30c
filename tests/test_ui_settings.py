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
            qtbot.waitUntil(lambda: "stored in keyring" in self.password.placeholderText(), timeout=5000)
            assert self.password.text() == ""  # the stored password is never shown
            assert "S3cret" not in self.password.placeholderText()
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


def _add_account(app, qtbot, monkeypatch, uri: str = "sip:bob@example.com"):
    from octasip.ui.account_editor import AccountEditor

    def run_editor(self) -> int:
        self.uri.setText(uri)
        self._save()
        return self.result()

    monkeypatch.setattr(AccountEditor, "exec", run_editor)
    app.settings_dialog.pages["accounts"].add()
    qtbot.waitUntil(lambda: any(s.account.uri == uri for s in app.controller.accounts.values()), timeout=5000)
    return next(s.account for s in app.controller.accounts.values() if s.account.uri == uri)


def test_test_registration_shows_the_live_answer_not_a_stale_state(app, qtbot, monkeypatch) -> None:
    from octasip.core.events import RegistrationChanged, RegState, TransportError

    acc = _add_account(app, qtbot, monkeypatch)
    page = app.settings_dialog.pages["accounts"]
    engine = app.engines[0]
    engine.on_event(TransportError(acc.id, "TLS handshake failed: certificate verify failed"))
    qtbot.waitUntil(lambda: "transport problem" in page.status.text(), timeout=5000)
    engine.on_event(RegistrationChanged(acc.id, RegState.FAILED, 503, "Service Unavailable"))
    qtbot.waitUntil(lambda: "Registration failed" in page.status.text(), timeout=5000)
    assert "503 Service Unavailable" in page.status.text() and "certificate verify failed" in page.status.text()
    engine.on_event(RegistrationChanged(acc.id, RegState.REGISTERED, 200, "OK", expires=300))
    qtbot.waitUntil(lambda: app.controller.accounts[acc.id].state == "registered", timeout=5000)
    assert "Registration failed" in page.status.text(), "no test running: the text stays"
    page.list.setCurrentRow(0)
    before = len(_sent(app))
    page.test()
    assert page.status.text() == "Registering…", "the old 'registered' state is not the test's answer"
    assert any(isinstance(c, cmd.AddAccount) and c.account.id == acc.id for c in _sent(app)[before:])
    engine.on_event(RegistrationChanged(acc.id + 1, RegState.REGISTERED, 200, "OK"))  # another account
    engine.on_event(RegistrationChanged(acc.id, RegState.REGISTERED, 200, "OK", expires=300))
    qtbot.waitUntil(lambda: "Registration works: 200 OK" in page.status.text(), timeout=5000)


def test_test_registration_times_out(app, qtbot, monkeypatch) -> None:
    from octasip.ui import settings_accounts

    monkeypatch.setattr(settings_accounts, "TEST_TIMEOUT_MS", 300)
    _add_account(app, qtbot, monkeypatch)
    page = app.settings_dialog.pages["accounts"]
    qtbot.waitUntil(lambda: "No answer from the registrar" in page.status.text(), timeout=5000)


def test_audio_page_lists_devices_off_the_gui_thread_and_switches_live(app, qtbot, monkeypatch) -> None:
    import threading

    from octasip import audio_qt_io

    threads: list[str] = []

    def fake_list():
        threads.append(threading.current_thread().name)
        return {"inputs": [{"id": "mic-1", "description": "USB mic", "default": True}],
                "outputs": [{"id": "spk-1", "description": "Headset", "default": True}]}

    monkeypatch.setattr(audio_qt_io, "list_devices", fake_list)
    dialog = app.settings_dialog
    page = dialog.pages["audio"]
    dialog.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.combos["input"].count() == 2, timeout=5000)
    assert threads == ["octasip-store"]
    assert page._meter_stop is None, "the microphone was never allowed: no meter, and no question either"
    page.combos["input"].setCurrentIndex(page.combos["input"].findData("mic-1"))
    assert _sent(app)[-1] == cmd.SetAudioDevices("mic-1", "", "")
    stored: list = []
    app.store.run(lambda p: p.settings.get("audio.input"), stored.append)
    qtbot.waitUntil(lambda: stored == ["mic-1"], timeout=5000)


def test_audio_meter_runs_only_while_allowed_and_visible(app, qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QObject, Signal

    from octasip import audio_qt_io

    opened: list[str] = []

    class FakeIO(QObject):
        inputLevel = Signal(float)
        error = Signal(str)

    class FakeDeviceAudio:
        def __init__(self, capture, playback, input_id="", echo_cancel=True, **kw) -> None:
            self.io = FakeIO()
            opened.append(input_id)

        def set_active(self, on: bool) -> None:
            if on:
                self.io.inputLevel.emit(-12.0)

        def stop(self) -> None:
            opened.append("closed")

    monkeypatch.setattr(audio_qt_io, "list_devices", lambda: {"inputs": [], "outputs": []})
    monkeypatch.setattr(audio_qt_io, "DeviceAudio", FakeDeviceAudio)
    dialog = app.settings_dialog
    page = dialog.pages["audio"]
    app.controller.record_permission(Permission.MICROPHONE, False)
    dialog.tabs.setCurrentWidget(page)
    page.meter_button.click()
    assert "not allowed" in page.note.text() and not opened
    app.controller.record_permission(Permission.MICROPHONE, True)
    page.meter_button.click()
    qtbot.waitUntil(lambda: page.meter.value() == -12, timeout=5000)
    dialog.tabs.setCurrentWidget(dialog.pages["about"])  # leaving the page closes the microphone
    qtbot.waitUntil(lambda: page._meter_stop is None, timeout=5000)
    assert opened == ["", "closed"] and page.meter.value() == -60
    dialog.tabs.setCurrentWidget(page)  # allowed now: it runs again while the page is visible
    qtbot.waitUntil(lambda: page._meter_stop is not None and page.meter.value() == -12, timeout=5000)
    app.controller.record_permission(Permission.MICROPHONE, False)  # revoked: closed at once
    qtbot.waitUntil(lambda: page._meter_stop is None, timeout=5000)
    assert opened[-1] == "closed"


def test_about_page_shows_notice_licences_and_versions(app, qtbot) -> None:
    page = app.settings_dialog.pages["about"]
    text = page.text.toPlainText()
    assert "GPL v3 or later" in text and "LGPL v3" in text and "GPL v2 or later" in text
    qtbot.waitUntil(lambda: "python" in page.versions.text(), timeout=15000)
    assert "sqlcipher" in page.versions.text()


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
    exports = tmp_path / "exports"
    exports.mkdir()
    out = exports / "export.json"
    page.export(str(out), "json")
    assert not out.exists() and "not allowed" in page.note.text()
    assert not list(exports.iterdir()), "nothing at all was written outside the data directory"
    qtbot.waitUntil(lambda: page.ledger.rowCount() >= 1 and page.ledger.item(0, 2).text() == "refused",
                    timeout=5000)
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
    (octasip_home / "recordings").mkdir(exist_ok=True)
    (octasip_home / "recordings" / "call-1.oct").write_bytes(b"x" * 100)
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
    assert not (octasip_home / "recordings").exists()
    assert cmd.SetDiagnosticLog("") in _sent(app)
    assert "All local data was deleted" in app.window.statusBar().currentMessage()
    assert not app.settings_dialog.isVisible()


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


_METER_CHILD = r'''
import sys, time
from pathlib import Path
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication
from octasip.core.consent import Permission
from octasip.ui.controller import AppController
from octasip.ui.settings_audio import AudioPage

qt = QApplication([])
flags = Path(sys.argv[1])


class Bridge(QObject):
    event = Signal(object)

    def submit(self, c):
        pass


class Store:  # no profile in this process: device list only (synchronous is fine for this test)
    def run(self, fn, done=None, failed=None):
        failed and failed("no profile here")

    def run_raw(self, fn, done=None, failed=None):
        done(fn())


class App:
    pass


app = App()
app.bridge, app.store = Bridge(), Store()
app.controller = AppController(app.bridge, app.store)
app.controller.permissions[Permission.MICROPHONE.value] = True
page = AudioPage(app)
page.show()


def until(check, timeout=15.0):
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            print("timeout", page.note.text(), flush=True)
            sys.exit(1)
        qt.processEvents()
        time.sleep(0.01)


until(lambda: page.meter.value() > -40)
print("open", page.meter.value(), page.combos["input"].count(), flush=True)
until(lambda: (flags / "hide").exists())
page.hide()
until(lambda: page._meter_stop is None)
print("closed", page.meter.value(), flush=True)
until(lambda: (flags / "done").exists())
'''


def test_audio_meter_real_microphone_in_the_gui_process(pulseaudio, tmp_path) -> None:
    """The level meter on a real PulseAudio microphone (a 440 Hz tone): it opens a capture stream while
    the page is visible, the level reaches the bar, and hiding the page closes the stream. Qt audio runs in
    a child process (QtMultimedia binds to one sound server per process)."""
    import os
    import subprocess
    import sys

    assert pulseaudio.source_outputs() == []
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", _METER_CHILD, str(tmp_path)], env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        line = child.stdout.readline().split()
        assert line and line[0] == "open", line
        assert int(line[1]) > -40 and int(line[2]) >= 2  # a real level; the mic listed besides "System default"
        pulseaudio.wait_source_outputs(1, timeout=10)
        (tmp_path / "hide").touch()
        assert child.stdout.readline().split() == ["closed", "-60"]
        pulseaudio.wait_source_outputs(0, timeout=10)
        (tmp_path / "done").touch()
        assert child.wait(timeout=15) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
