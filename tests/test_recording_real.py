"""Call recording against real peers: OctaSIP -> Kamailio (TLS, digest auth) -> baresip, recording on.

The engine records through its own tap ports into the encrypted file; the test then checks what
baresip heard (the recording tone), what the file holds once decrypted (our tone, the recording tone
and baresip's tone, each on its own channel), and that no plaintext audio exists on disk.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from octasip.core import commands as cmd
from octasip.core.events import RecordingStarted, RecordingStopped
from octasip.engine import EngineSettings
from octasip.engine.recording import TONE_HZ
from octasip.privacy.recording_format import ReadReport, decrypt
from tests.engine_fixtures import kam  # noqa: F401 (fixture)
from tests.engine_harness import (
    BOB_TONE,
    OUR_TONE,
    Harness,
    account,
    connected_call,
    contains_tone,
    peer,
    wait_wav,
    write_tone,
)
from tests.servers.audio import bytes_contain_tone, samples_contain_tone

pytestmark = pytest.mark.real


def _record(h: Harness, call_id: int, path: Path, rid: str, announce: bool = True, channels: int = 2,
            seconds: float = 3.0) -> RecordingStopped:
    h.submit(cmd.StartRecording(call_id, rid, str(path), announce=announce, channels=channels))
    started = h.expect(lambda e: isinstance(e, RecordingStarted) and e.recording_id == rid, what="RecordingStarted")
    assert (started.channels, started.rate) == (channels, 16000)
    time.sleep(seconds)
    h.submit(cmd.StopRecording(call_id))
    return h.expect(lambda e: isinstance(e, RecordingStopped) and e.recording_id == rid, what="RecordingStopped")


def _decrypted(path: Path, master: bytes, channels: int = 2) -> tuple[np.ndarray, ReadReport]:
    report = ReadReport()
    pcm = b"".join(decrypt(path, master, report))
    return np.frombuffer(pcm, dtype="<i2").reshape(-1, channels).astype(np.float64), report


def _level(samples: np.ndarray, hz: float, rate: int = 16000) -> float:
    mags = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    freqs = np.fft.rfftfreq(len(samples), 1.0 / rate)
    return float(mags[(freqs > hz - 15) & (freqs < hz + 15)].max())


def plaintext_audio_files(roots: list[Path], since: float, tones: tuple[float, ...], exclude: tuple[Path, ...] = ()
                          ) -> list[str]:
    """Files under `roots` changed since `since` that hold a RIFF/WAVE header or PCM with one of `tones`."""
    found = []
    for root in roots:
        for p in root.rglob("*"):
            try:
                if not p.is_file() or p.stat().st_mtime < since or any(p.is_relative_to(x) for x in exclude):
                    continue
                data = p.read_bytes()
            except OSError:
                continue
            if b"RIFF" in data and b"WAVE" in data:
                found.append(f"{p}: RIFF/WAVE header")
            elif len(data) <= 64 << 20 and any(bytes_contain_tone(data, hz) for hz in tones):
                found.append(f"{p}: audio matching a tone")
    return found


def test_recorded_call_to_baresip_is_announced_encrypted_and_has_both_sides(kam, tmp_path,  # noqa: F811
                                                                            tmp_path_factory):
    since = time.time() - 1
    home = tmp_path / "home"
    (home / "recordings").mkdir(parents=True)
    master = secrets.token_bytes(32)
    tone = write_tone(tmp_path / "ours.wav", OUR_TONE, seconds=2.0)
    h = Harness(EngineSettings(bind_address="127.0.0.1", play_wav=tone), recording_key=lambda: master).start()
    bob = peer(kam, tmp_path, mediaenc="srtp-mand")
    try:
        with bob:
            h.register(account(kam, srtp="mandatory"), "alice-secret")
            call_id = connected_call(h, kam)
            time.sleep(0.5)
            path = home / "recordings" / "rec1.octarec"
            stopped = _record(h, call_id, path, "rec1", seconds=3.0)
            h.submit(cmd.Hangup(call_id))
            h.ended(call_id)
            heard = wait_wav(bob.received_audio_wavs()[-1], min_seconds=2.0)
    finally:
        h.stop()
    assert stopped.error == "" and stopped.dropped_frames == 0
    assert 2.5 <= stopped.seconds <= 4.0
    # the other party was told: baresip heard the recording tone
    assert contains_tone(heard, TONE_HZ, skip_seconds=0.0)
    # the decrypted recording: ours (file tone + recording tone) left, baresip's right
    audio, report = _decrypted(path, master)
    assert report.intact and report.seconds_recovered == pytest.approx(stopped.seconds, abs=0.05)
    left, right = audio[:, 0], audio[:, 1]
    assert samples_contain_tone(left, 16000, OUR_TONE) and samples_contain_tone(left[:16000], 16000, TONE_HZ)
    assert samples_contain_tone(right, 16000, BOB_TONE)
    assert _level(right, OUR_TONE) < _level(left, OUR_TONE) / 30  # two channels, not a mix
    # no plaintext anywhere: not in the data directory, not in the temp directory
    assert b"RIFF" not in path.read_bytes()
    # Everything the test's fixtures write (the peers' own dumps, the WAV we play) is under pytest's base
    # temporary folder; OctaSIP's data directory there is scanned on its own.
    tones = (OUR_TONE, BOB_TONE, TONE_HZ)
    leaks = plaintext_audio_files([home], since, tones)
    fixtures = tmp_path_factory.getbasetemp()
    leaks += plaintext_audio_files([Path(tempfile.gettempdir())], since, tones, exclude=(fixtures,))
    assert leaks == []


def test_mixed_recording_without_announcement(kam, tmp_path):  # noqa: F811
    master = secrets.token_bytes(32)
    tone = write_tone(tmp_path / "ours.wav", OUR_TONE, seconds=2.0)
    h = Harness(EngineSettings(bind_address="127.0.0.1", play_wav=tone), recording_key=lambda: master).start()
    try:
        with peer(kam, tmp_path):
            h.register(account(kam), "alice-secret")
            call_id = connected_call(h, kam)
            path = tmp_path / "mixed.octarec"
            stopped = _record(h, call_id, path, "mixed", announce=False, channels=1, seconds=2.0)
            h.submit(cmd.Hangup(call_id))
            h.ended(call_id)
    finally:
        h.stop()
    assert stopped.error == ""
    audio, report = _decrypted(path, master, channels=1)
    mono = audio[:, 0]
    assert report.intact
    assert samples_contain_tone(mono, 16000, OUR_TONE) and samples_contain_tone(mono, 16000, BOB_TONE)
    assert _level(mono, TONE_HZ) < _level(mono, OUR_TONE) / 30  # no announcement


def test_missing_master_key_is_reported_and_writes_nothing(kam, tmp_path):  # noqa: F811
    h = Harness(EngineSettings(bind_address="127.0.0.1"), recording_key=lambda: None).start()
    try:
        with peer(kam, tmp_path):
            h.register(account(kam), "alice-secret")
            call_id = connected_call(h, kam)
            path = tmp_path / "none.octarec"
            h.submit(cmd.StartRecording(call_id, "none", str(path)))
            stopped = h.expect(lambda e: isinstance(e, RecordingStopped), what="RecordingStopped")
            assert not any(isinstance(e, RecordingStarted) for e in h.history)
            h.submit(cmd.Hangup(call_id))
            h.ended(call_id)
    finally:
        h.stop()
    assert "master key is not in the keyring" in stopped.error
    assert not path.exists()


def test_recording_ends_with_the_call_and_a_call_not_in_progress_is_refused(kam, tmp_path):  # noqa: F811
    master = secrets.token_bytes(32)
    h = Harness(EngineSettings(bind_address="127.0.0.1"), recording_key=lambda: master).start()
    try:
        with peer(kam, tmp_path) as bob:
            h.register(account(kam), "alice-secret")
            h.submit(cmd.StartRecording(12345, "nocall", str(tmp_path / "nocall.octarec")))
            refused = h.expect(lambda e: isinstance(e, RecordingStopped) and e.recording_id == "nocall")
            call_id = connected_call(h, kam)
            path = tmp_path / "ends.octarec"
            h.submit(cmd.StartRecording(call_id, "ends", str(path)))
            h.expect(lambda e: isinstance(e, RecordingStarted))
            time.sleep(1.0)
            bob.hangup()  # the other side hangs up mid-recording
            stopped = h.expect(lambda e: isinstance(e, RecordingStopped) and e.recording_id == "ends")
    finally:
        h.stop()
    assert "only a call in progress" in refused.error and not (tmp_path / "nocall.octarec").exists()
    assert stopped.error == "" and stopped.seconds >= 0.8
    _, report = _decrypted(path, master)
    assert report.intact


def test_interleave_and_announcement_tone():
    from octasip.engine.recording import announcement_pcm, interleave

    left, right = np.arange(4, dtype="<i2").tobytes(), (np.arange(4, dtype="<i2") + 10).tobytes()
    assert np.frombuffer(interleave(left, right), "<i2").tolist() == [0, 10, 1, 11, 2, 12, 3, 13]
    tone = np.frombuffer(announcement_pcm(16000), "<i2").astype(np.float64)
    assert len(tone) == int(16000 * 1.3) and np.abs(tone).max() <= 32767 * 0.25 + 1
    assert samples_contain_tone(tone, 16000, TONE_HZ) and abs(tone[0]) < 200  # ramped: no click
