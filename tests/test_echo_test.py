"""`octasip echo-test`: a real SIP call (with SRTP) to OctaSIP's built-in echo peer on 127.0.0.1."""

from __future__ import annotations

import json
import threading

import pytest

from tests.engine_harness import contains_tone
from tests.test_cli_real import octasip

pytestmark = pytest.mark.real


def test_echo_test_needs_no_account_and_measures_the_click(tmp_path, monkeypatch):
    monkeypatch.setenv("OCTASIP_HOME", str(tmp_path / "fresh"))  # a fresh install: no account, no keyring use
    res = octasip("echo-test", "--json", "--duration", "2.5")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["answered"] and summary["srtp"] and summary["codec"]
    assert 1000 <= summary["click_round_trip_ms"] <= 1250, summary  # the 1 s echo delay plus the bridge
    assert not (tmp_path / "fresh" / "octasip.db").exists()


def test_echo_test_through_microphone_and_speaker(pulseaudio, tmp_path, monkeypatch):
    monkeypatch.setenv("OCTASIP_HOME", str(tmp_path / "fresh"))
    out: dict = {}
    speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
    t = threading.Thread(target=lambda: out.update(r=octasip("echo-test", "--audio", "devices", "--duration", "4")))
    t.start()
    assert pulseaudio.wait_source_outputs(1, timeout=15)
    t.join(30)
    wav = speaker.stop()
    assert out["r"].returncode == 0, out["r"].stderr
    assert contains_tone(wav, 440, skip_seconds=1.5)  # the virtual microphone's tone, echoed back
    assert pulseaudio.source_outputs() == []
