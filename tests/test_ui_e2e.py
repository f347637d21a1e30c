"""The desktop app end to end, offscreen, with every real part: the engine host process (PJSIP, our
audio bridge on a private PulseAudio), Kamailio over TLS, baresip as the other phone, the real Secret
Service and the encrypted profile. Driven through the widgets as a user would."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from octasip.core.consent import Permission
from octasip.core.events import CallState
from octasip.engine import EngineSettings
from octasip.secrets import SecretStore
from tests.servers.baresip import Baresip

pytestmark = pytest.mark.real


@pytest.fixture
def app(qtbot, octasip_home, secret_service, pulseaudio):
    from octasip.app import App

    answers: dict[Permission, bool] = {Permission.MICROPHONE: True}
    asked: list[Permission] = []

    def ask(p, _parent):
        asked.append(p)
        return answers.get(p, False)

    a = App(data_dir=octasip_home, secrets=SecretStore(), engine_settings=EngineSettings(bind_address="127.0.0.1"),
            ask_permission=ask)
    a.asked = asked
    qtbot.addWidget(a.window)
    a.window.show()
    a.start()
    yield a
    a.quit()


def _calls(app):
    return app.controller.calls


def _view(app):
    views = list(app.window.call_views.values())
    return views[0] if views else None


def _add_account_in_settings(app, kam, qtbot, monkeypatch) -> int:
    """First run > "Add an account" opens Settings > Accounts; the editor is filled as a user would."""
    from octasip.ui.account_editor import AccountEditor

    def fill(editor) -> int:
        editor.uri.setText(f"sip:alice@{kam.domain}")
        editor.registrar.setText(f"sip:{kam.host}:{kam.tls_port}")
        editor.transport.setCurrentIndex(editor.transport.findData("tls"))
        editor.ca_file.setText(str(kam.pki.ca_cert))
        editor.password.setText("alice-secret")
        editor._save()
        return editor.result()

    monkeypatch.setattr(AccountEditor, "exec", fill)
    app.first_run.add_account.click()
    qtbot.waitUntil(lambda: hasattr(app, "settings_dialog") and app.settings_dialog.isVisible(), timeout=5000)
    app.settings_dialog.pages["accounts"].add()
    qtbot.waitUntil(lambda: len(app.controller.accounts) == 1, timeout=10000)
    return next(iter(app.controller.accounts))


def test_first_run_call_history_incoming_receive_only_and_wipe(app, qtbot, kam, pulseaudio, tmp_path,
                                                              secret_service, monkeypatch):
    ctl = app.controller

    def secret_service_items() -> list[str]:
        return [i.get("attribute.username", "") for i in secret_service.search("OctaSIP")]

    # First run: the privacy notice, then "Add an account".
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=10000)
    from PySide6.QtWidgets import QTextBrowser

    notice = app.first_run.findChild(QTextBrowser).toPlainText()
    assert "Never sent anywhere" in notice and "SQLCipher" in notice and "version 1" in notice
    account_id = _add_account_in_settings(app, kam, qtbot, monkeypatch)
    qtbot.waitUntil(lambda: ctl.accounts[account_id].state == "registered", timeout=20000)
    assert "Registered" in app.window.accounts_label.text()

    with Baresip(kam, tmp_path / "bob", user="bob", display_name="Bob Peer") as bob:
        # Dial, see SRTP, hold and resume, hang up.
        qtbot.keyClicks(app.window.dial_entry, "bob")
        qtbot.mouseClick(app.window.call_button, Qt.MouseButton.LeftButton)
        assert app.asked == [Permission.MICROPHONE]
        qtbot.waitUntil(lambda: _view(app) is not None and "SRTP" in _view(app).security.text(), timeout=20000)
        view = _view(app)
        assert "TLS" in view.security.text()
        qtbot.waitUntil(lambda: len(pulseaudio.source_outputs()) == 1, timeout=10000)
        view.buttons["hold"].click()
        qtbot.waitUntil(lambda: view.state.text() == "On hold", timeout=10000)
        view.buttons["hold"].click()
        qtbot.waitUntil(lambda: view.state.text() == "Connected", timeout=10000)
        view.buttons["hangup"].click()
        qtbot.waitUntil(lambda: not app.window.call_views and not _calls(app), timeout=10000)

        # The call is in the history.
        rows: list = []
        app.store.run(lambda p: p.calls.newest(10), rows.append)
        qtbot.waitUntil(lambda: bool(rows), timeout=5000)
        assert len(rows[0]) == 1 and rows[0][0].status.value == "answered" and rows[0][0].srtp_suite

        # An incoming call: the non-modal window, Answer.
        bob.dial(kam.aor("alice"))
        qtbot.waitUntil(lambda: bool(app.incoming_windows), timeout=15000)
        window = next(iter(app.incoming_windows.values()))
        assert not window.isModal()
        window.answer.click()
        qtbot.waitUntil(lambda: any(c.state is CallState.CONFIRMED for c in _calls(app).values()), timeout=15000)
        _view(app).buttons["hangup"].click()
        qtbot.waitUntil(lambda: not _calls(app), timeout=10000)

        # Revoke the microphone: the next call is receive-only, and the microphone never opens.
        ctl.record_permission(Permission.MICROPHONE, False)
        qtbot.keyClicks(app.window.dial_entry, "bob")
        app.window.call_button.click()
        qtbot.waitUntil(lambda: _view(app) is not None and "Receive-only" in _view(app).receive_only.text(),
                        timeout=20000)
        qtbot.waitUntil(lambda: any(c.state is CallState.CONFIRMED for c in _calls(app).values()), timeout=15000)
        time.sleep(1.0)
        assert pulseaudio.source_outputs() == []
        assert not _view(app).buttons["mute"].isEnabled()
        _view(app).buttons["hangup"].click()
        qtbot.waitUntil(lambda: not _calls(app), timeout=10000)

    ledger: list = []
    app.store.run(lambda p: [(e.permission, e.granted) for e in p.consent.entries()], ledger.append)
    qtbot.waitUntil(lambda: bool(ledger), timeout=5000)
    assert ("microphone", True) in ledger[0] and ledger[0][-1] == ("microphone", False)

    # Delete all local data (Settings > Privacy): everything goes, and first run appears again.
    app.open_settings(page="privacy")
    app.first_run_shown = False
    app.settings_dialog.pages["privacy"].wipe(confirmed=True)
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=20000)
    assert not ctl.accounts and "No account yet" in app.window.accounts_label.text()
    assert app.settings_dialog.isHidden()
    assert not [i for i in secret_service_items() if i.startswith("sip-password:")]
    rows = []
    app.store.run(lambda p: (p.calls.count(), p.accounts.list()), rows.append)
    qtbot.waitUntil(lambda: bool(rows), timeout=5000)
    assert rows[0] == (0, [])
