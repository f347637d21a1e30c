"""Real audio: a call through Kamailio to baresip using QtMultimedia on a real PulseAudio daemon
(null speaker, a virtual microphone fed with a tone). Tones are detected by frequency."""

from __future__ import annotations

import json
import threading
import time

import pytest

from tests.engine_harness import BOB_TONE, contains_tone
from tests.servers.baresip import Baresip
from tests.test_cli_real import add_account, octasip

pytestmark = pytest.mark.real

MIC_TONE = 440  # what the fixture's virtual microphone plays


def test_call_with_microphone_and_speaker(pulseaudio, octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    assert pulseaudio.source_outputs() == []  # nothing captures before the call
    out: dict = {}
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE) as bob:
        speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
        t = threading.Thread(target=lambda: out.update(r=octasip("call", "bob", "--audio", "devices",
                                                                 "--duration", "4", "--json")))
        t.start()
        during = pulseaudio.wait_source_outputs(1, timeout=15)  # the mic opens for the call
        t.join(60)
        speaker_wav = speaker.stop()
    res = out["r"]
    assert res.returncode == 0, res.stderr
    assert during
    time.sleep(0.3)
    assert pulseaudio.source_outputs() == []  # and closes with it (PulseAudio's view, not our flag)
    assert contains_tone(speaker_wav, BOB_TONE), "baresip's tone did not reach the speaker"
    assert any(contains_tone(p, MIC_TONE) for p in bob.received_audio_wavs()), "our microphone did not reach baresip"


def test_chosen_headset_unplugged_mid_call_falls_back_to_the_default(pulseaudio, octasip_home, secret_service, kam,
                                                                      tmp_path):
    add_account(kam, "alice-secret")
    pulseaudio.load_extra_sink("headset", "USB headset")
    listed = octasip("audio", "devices", "--json")
    assert listed.returncode == 0, listed.stderr
    assert any(d["id"] == "headset" for d in json.loads(listed.stdout)["outputs"])
    chosen = octasip("audio", "use", "--output", "headset")
    assert chosen.returncode == 0, chosen.stderr
    out: dict = {}
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE):
        headset = pulseaudio.start_recording(tmp_path / "headset.wav", source="headset.monitor")
        t = threading.Thread(target=lambda: out.update(r=octasip("call", "bob", "--audio", "devices",
                                                                 "--duration", "6")))
        t.start()
        pulseaudio.wait_source_outputs(1, timeout=15)
        time.sleep(2.0)
        headset_wav = headset.stop()
        speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
        pulseaudio.unload_device("headset")  # unplugged mid-call
        time.sleep(2.5)
        speaker_wav = speaker.stop()
        t.join(60)
    assert out["r"].returncode == 0, out["r"].stderr  # the call survived
    assert contains_tone(headset_wav, BOB_TONE)  # first on the chosen headset
    assert contains_tone(speaker_wav, BOB_TONE, skip_seconds=1.0)  # then on the default speaker


def test_receive_only_call_never_opens_the_microphone(pulseaudio, octasip_home, secret_service, kam, tmp_path):
    add_account(kam, "alice-secret")
    out: dict = {}
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE) as bob:
        speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
        t = threading.Thread(target=lambda: out.update(r=octasip("call", "bob", "--audio", "devices", "--no-microphone",
                                                                 "--duration", "3")))
        t.start()
        seen = []
        while t.is_alive():
            seen += pulseaudio.source_outputs()
            time.sleep(0.1)
        speaker_wav = speaker.stop()
    assert out["r"].returncode == 0, out["r"].stderr
    assert seen == []  # not even briefly
    assert contains_tone(speaker_wav, BOB_TONE)  # but we hear the other side
    assert not any(contains_tone(p, MIC_TONE) for p in bob.received_audio_wavs())


def test_ringback_while_ringing_and_error_tone_when_unreachable(pulseaudio, octasip_home, secret_service, kam,
                                                                  tmp_path):
    add_account(kam, "alice-secret")
    with Baresip(kam, tmp_path / "bob", user="bob", auto_answer=False):
        speaker = pulseaudio.start_recording(tmp_path / "ringback.wav")
        res = octasip("call", "bob", "--audio", "devices", "--ring-timeout", "2.5")
        ringback = speaker.stop()
    assert res.returncode == 1 and "call failed" in res.stderr  # nobody answered; we gave up
    assert contains_tone(ringback, 425)  # the ringback tone played while it rang
    speaker = pulseaudio.start_recording(tmp_path / "error.wav")
    res = octasip("call", "dave", "--audio", "devices")  # dave is not registered: 480
    error = speaker.stop()
    assert res.returncode == 1 and "480" in res.stderr
    assert contains_tone(error, 950) and contains_tone(error, 1400)  # special information tone


def _tone_level(paths, hz: float, skip_seconds: float) -> float:
    """Peak magnitude at `hz` (normalised by length) in the loudest of the files."""
    import numpy as np

    from tests.servers.audio import read_wav_mono

    best = 0.0
    for path in paths:
        samples, rate = read_wav_mono(path)
        samples = samples[int(skip_seconds * rate):]
        if len(samples) < rate:
            continue
        mags = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) / len(samples)
        freqs = np.fft.rfftfreq(len(samples), 1.0 / rate)
        best = max(best, float(mags[(freqs > hz - 20) & (freqs < hz + 20)].max()))
    return best


def test_echo_cancellation_removes_the_speaker_from_the_microphone(pulseaudio, octasip_home, secret_service, kam,
                                                                     tmp_path):
    """The speaker is looped into the microphone (as on a laptop without a headset): what baresip
    sends us must not come back to it, with echo cancellation on (the default)."""
    add_account(kam, "alice-secret")
    pulseaudio.stop_mic()  # the microphone hears only what the speaker plays
    loop = pulseaudio.pactl("load-module", "module-loopback", "source=octasip_speaker.monitor",
                            "sink=octasip_mic_feed", "latency_msec=30").strip()
    levels = {}
    try:
        for mode, extra in (("off", ["--no-echo-cancel"]), ("on", [])):
            with Baresip(kam, tmp_path / f"bob-{mode}", user="bob", tone_hz=BOB_TONE) as bob:
                res = octasip("call", "bob", "--audio", "devices", "--duration", "8", *extra)
                assert res.returncode == 0, res.stderr
            levels[mode] = _tone_level(bob.received_audio_wavs(), BOB_TONE, skip_seconds=4.0)
    finally:
        pulseaudio.pactl("unload-module", loop)
    assert levels["off"] > 0.005, levels  # without the canceller, bob hears himself
    print(f"echo level at {BOB_TONE} Hz: off {levels['off']:.5f}, on {levels['on']:.5f}")
    assert levels["on"] < levels["off"] / 10, levels  # at least 20 dB less echo with it


def test_devices_at_48k_stereo_are_converted(pulseaudio, octasip_home, secret_service, kam, tmp_path, monkeypatch):
    """A device that only runs at its own format (forced here to 48 kHz stereo): we convert."""
    add_account(kam, "alice-secret")
    monkeypatch.setenv("OCTASIP_AUDIO_DEVICE_FORMAT", "48000x2")
    out: dict = {}
    with Baresip(kam, tmp_path / "bob", user="bob", tone_hz=BOB_TONE) as bob:
        speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
        t = threading.Thread(target=lambda: out.update(r=octasip("call", "bob", "--audio", "devices",
                                                                 "--duration", "4")))
        t.start()
        streams = pulseaudio.wait_source_outputs(1, timeout=15)
        t.join(60)
        speaker_wav = speaker.stop()
    assert out["r"].returncode == 0, out["r"].stderr
    assert "48000" in str(streams[0].get("sample_specification", streams[0]))
    assert contains_tone(speaker_wav, BOB_TONE)
    assert any(contains_tone(p, MIC_TONE) for p in bob.received_audio_wavs())


def test_audio_test_plays_the_chime_and_meters_the_microphone(pulseaudio, octasip_home, secret_service, tmp_path):
    speaker = pulseaudio.start_recording(tmp_path / "speaker.wav")
    res = octasip("audio", "test", "--seconds", "2")
    wav = speaker.stop()
    assert res.returncode == 0, res.stderr
    assert "microphone level: peak" in res.stdout
    peak = float(res.stdout.split("peak", 1)[1].split("dBFS")[0])
    assert peak > -20  # the virtual microphone's tone is loud
    assert contains_tone(wav, 1047, skip_seconds=0.0) or contains_tone(wav, 1319, skip_seconds=0.0)  # the chime
    assert pulseaudio.source_outputs() == []  # and the microphone is closed again
