"""Call recording in the desktop app, end to end and offscreen, with every real part (engine host on a
private PulseAudio, Kamailio over TLS, baresip, the Secret Service, the encrypted profile):
off by default (the button is disabled and says why, and nothing is written), the opt-in behind the
consent notice, the record button and indicator, the Recordings tab (play, export, delete), the
History tab's Recording column, the access log in Settings > Privacy, and the wipe."""

from __future__ import annotations

import time

import pytest

from octasip.core.consent import Permission
from octasip.core.events import CallState
from octasip.engine.recording import TONE_HZ
from tests.engine_harness import BOB_TONE, contains_tone
from tests.servers.baresip import Baresip
from tests.test_ui_e2e import _add_account_in_settings, _calls, _view, app  # noqa: F401 (fixture)

pytestmark = pytest.mark.real


def _wait_job(app, qtbot, fn):  # noqa: F811
    out: list = []
    app.store.run(fn, out.append)
    qtbot.waitUntil(lambda: bool(out), timeout=5000)
    return out[0]


def _call_bob(app, qtbot):  # noqa: F811
    app.window.dial_entry.clear()
    qtbot.keyClicks(app.window.dial_entry, "bob")
    app.window.call_button.click()
    qtbot.waitUntil(lambda: any(c.state is CallState.CONFIRMED for c in _calls(app).values()), timeout=20000)
    return _view(app)


def test_recording_off_by_default_then_opt_in_record_play_export_delete(app, qtbot, kam, tmp_path,  # noqa: F811
                                                                        octasip_home, secret_service,
                                                                        monkeypatch):
    ctl = app.controller
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=10000)
    account_id = _add_account_in_settings(app, kam, qtbot, monkeypatch)
    qtbot.waitUntil(lambda: ctl.accounts[account_id].state == "registered", timeout=20000)
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE, display_name="Bob Peer") as bob:
        # Off by default: the button is disabled and says why; forcing it writes nothing.
        view = _call_bob(app, qtbot)
        record = view.buttons["record"]
        assert not record.isEnabled() and "Settings > Privacy" in record.toolTip()
        ctl.start_recording(view.call_id)
        time.sleep(1.0)
        assert not list(octasip_home.rglob("*.octarec")) and not view.recording.isVisible()
        view.buttons["hangup"].click()
        qtbot.waitUntil(lambda: not _calls(app), timeout=10000)

        # The opt-in: the notice first (refused: still off), then accepted.
        app.open_settings(page="privacy")
        rec_settings = app.settings_dialog.pages["privacy"].recording
        qtbot.waitUntil(lambda: rec_settings._wired, timeout=5000)
        assert not rec_settings.always.isEnabled()
        rec_settings.ask_notice = lambda: False
        rec_settings.allow.setChecked(True)
        assert not rec_settings.allow.isChecked() and not ctl.recording_allowed()
        rec_settings.ask_notice = lambda: True
        rec_settings.allow.setChecked(True)
        qtbot.waitUntil(ctl.recording_allowed, timeout=5000)
        qtbot.waitUntil(rec_settings.always.isEnabled, timeout=5000)
        assert secret_service.search("OctaSIP") and any(
            i.get("attribute.username") == "key:recordings" for i in secret_service.search("OctaSIP"))
        app.settings_dialog.close()

        # Record a call: the indicator while it lasts; the other side hears the tone.
        view = _call_bob(app, qtbot)
        qtbot.waitUntil(view.buttons["record"].isEnabled, timeout=5000)
        view.buttons["record"].click()
        qtbot.waitUntil(lambda: view.recording.isVisible(), timeout=10000)
        assert "Recording" in view.recording.text()
        time.sleep(3.0)
        view.buttons["record"].click()  # stop
        qtbot.waitUntil(lambda: not view.recording.isVisible(), timeout=10000)
        view.buttons["hangup"].click()
        qtbot.waitUntil(lambda: not _calls(app), timeout=10000)
    assert any(contains_tone(p, TONE_HZ, skip_seconds=0.0) for p in bob.received_audio_wavs())

    # The Recordings tab lists it beside its call; the History tab shows it in its Recording column.
    app.window.views()
    recordings = app.window.recordings
    qtbot.waitUntil(lambda: len(recordings.recordings) == 1, timeout=10000)
    rec = recordings.recordings[0]
    assert rec.state.value == "complete" and 2.0 <= rec.seconds <= 4.5 and "bob" in rec.remote
    history = app.window.history
    qtbot.waitUntil(lambda: history.model.rowCount() >= 2, timeout=10000)

    def marked() -> int:  # the index is read on the store's thread: wait for it
        return sum(1 for r in history.model.rows if app.window.recording_index.text(r).startswith("●"))

    qtbot.waitUntil(lambda: marked() == 1, timeout=10000)

    # Play (decrypted in memory), seek, pause.
    recordings.table.selectRow(0)
    recordings.play()
    qtbot.waitUntil(lambda: recordings.player.playing(), timeout=10000)
    recordings.player.seek(1.5)
    assert recordings.player.seconds() >= 1.4
    qtbot.waitUntil(lambda: recordings.player.seconds() > 1.8, timeout=5000)  # it plays on from there
    recordings.play()  # pause
    assert not recordings.player.playing()

    # Export: the storage permission first (refused: nothing written), then allowed.
    out = tmp_path / "call.wav"
    recordings.ask_export_path = lambda: (str(out), "wav")
    app.asked.clear()
    recordings.export()
    assert app.asked == [Permission.STORAGE] and not out.exists()
    ctl.record_permission(Permission.STORAGE, True)
    recordings.export()
    qtbot.waitUntil(out.exists, timeout=10000)
    assert contains_tone(out, BOB_TONE)

    # Delete, then the access log in Settings > Privacy shows play, export and delete.
    recordings.confirm_delete = lambda: True
    recordings.delete()
    qtbot.waitUntil(lambda: not recordings.recordings, timeout=10000)
    assert not list(octasip_home.rglob("*.octarec"))
    app.open_settings(page="privacy")
    log = app.settings_dialog.pages["privacy"].recording.log
    qtbot.waitUntil(lambda: log.rowCount() >= 3, timeout=10000)
    actions = {log.item(i, 1).text() for i in range(log.rowCount())}
    assert {"played", "exported", "deleted"} <= actions

    # Turning the opt-in off is in the ledger; the wipe removes the master key.
    rec_settings = app.settings_dialog.pages["privacy"].recording
    rec_settings.allow.setChecked(False)
    qtbot.waitUntil(lambda: not ctl.recording_allowed(), timeout=5000)
    ledger = _wait_job(app, qtbot, lambda p: [(e.permission, e.granted) for e in p.consent.entries()])
    assert [g for p, g in ledger if p == "recording"] == [True, False]
    app.first_run_shown = False
    app.settings_dialog.pages["privacy"].wipe(confirmed=True)
    qtbot.waitUntil(lambda: app.first_run_shown, timeout=20000)
    assert not any(i.get("attribute.username") == "key:recordings" for i in secret_service.search("OctaSIP"))


def test_recording_errors_reach_the_window_with_their_message():
    from octasip.privacy.recording_format import MasterKeyMissingError, RecordingError
    from octasip.ui.store import _message

    missing = MasterKeyMissingError("the recording master key is not in the keyring, so no recording can be opened")
    assert _message(missing) == str(missing)  # not "unexpected error (MasterKeyMissingError)"
    assert _message(RecordingError("call.wav already exists there")) == "call.wav already exists there"
