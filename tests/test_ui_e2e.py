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
from tests.engine_harness import account
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


def _add_account_via_store(app, kam, qtbot) -> int:
    done: list = []

    def add(profile):
        acc = profile.accounts.add(account(kam))
        profile.secrets.set_sip_password(acc.id, "alice-secret")
        return acc

    app.store.run(add, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=10000)
    app.controller.replace_account(done[0])
    return done[0].id


def test_first_run_call_history_incoming_receive_only_and_wipe(app, qtbot, kam, pulseaudio, tmp_path):
    ctl = app.controller
    # First run: the privacy notice, then "Add an account".
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=10000)
    from PySide6.QtWidgets import QTextBrowser

    notice = app.first_run.findChild(QTextBrowser).toPlainText()
    assert "Never sent anywhere" in notice and "SQLCipher" in notice and "version 1" in notice
    app.first_run.later.click()
    account_id = _add_account_via_store(app, kam, qtbot)
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
