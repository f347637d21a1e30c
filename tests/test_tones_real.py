"""Sounds (scripts/make_sounds.py, resources/sounds) and TonePlayer (octasip/audio_qt_tones.py).

The WAVs are checked against their spec (README in resources/sounds) with numpy. TonePlayer runs
against a real PulseAudio daemon (the ``pulseaudio`` fixture) in a subprocess, because
QtMultimedia connects to PulseAudio once per process and reads PULSE_SERVER then: this file, run as
``python -m tests.test_tones_real drive gui|audio``, is that subprocess. It reads one JSON command a
line on stdin (``play``, ``stop``, ``exit``), hands it to the player through queued Qt signals (on
the main thread, or on an audio thread made by ``octasip.audio_qt_io.start_thread``) and prints one
JSON event a line: ``ready``, ``played``/``stopped`` once the player's slot has run, ``finished`` and
``error`` from the player's signals. Times are ``time.monotonic()``, shared with the test process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from octasip.audio_qt_tones import SOUND_NAMES, load_sound, sound_path
from tests.servers.audio import read_wav_mono
from tests.servers.child import JsonLinesChild, emit
from tests.servers.pulseaudio import SPEAKER, PulseAudio

REPO = Path(__file__).resolve().parent.parent
SOUNDS = REPO / "resources" / "sounds"
RATE = 16000
SILENT_RMS = 1e-3


# analysis helpers


def samples_of(name: str) -> np.ndarray:
    data, rate = read_wav_mono(SOUNDS / f"{name}.wav")
    assert rate == RATE
    return data


def peaks(samples: np.ndarray, rate: int, count: int, min_gap_hz: float = 40.0) -> list[float]:
    """The ``count`` strongest spectral peaks (Hz), at least ``min_gap_hz`` apart, strongest first."""
    padded = np.zeros(max(len(samples), rate))  # at least 1 Hz resolution
    padded[: len(samples)] = samples - samples.mean()
    magnitudes = np.abs(np.fft.rfft(padded * np.hanning(len(padded))))
    frequencies = np.fft.rfftfreq(len(padded), d=1.0 / rate)
    found: list[float] = []
    for index in np.argsort(magnitudes)[::-1]:
        if all(abs(frequencies[index] - f) >= min_gap_hz for f in found):
            found.append(float(frequencies[index]))
            if len(found) == count:
                break
    return found


def loud_seconds(samples: np.ndarray, rate: int, threshold: float = 0.02) -> float:
    """How long the sound is on: 10 ms windows whose RMS exceeds ``threshold``."""
    window = rate // 100
    frames = samples[: len(samples) - len(samples) % window].reshape(-1, window)
    return float(np.count_nonzero(np.sqrt((frames**2).mean(axis=1)) > threshold)) / 100


def rms_of(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples**2))) if len(samples) else 0.0


def near(found: list[float], wanted: list[float], tolerance: float = 5.0) -> bool:
    return sorted(found) == pytest.approx(sorted(wanted), abs=tolerance)


# the WAVs against their spec (no servers)


def test_every_sound_is_16k_mono_16bit_small_and_click_free() -> None:
    total = 0
    for name in SOUND_NAMES:
        path = SOUNDS / f"{name}.wav"
        assert sound_path(name) == path
        with wave.open(str(path), "rb") as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2), name
        total += path.stat().st_size
        data = samples_of(name)
        assert np.abs(data).max() < 0.95, f"{name} clips"
        # starts and ends at (near) zero: no click at the start, at the end, or where a loop wraps
        assert abs(data[0]) < 0.01 and abs(data[-1]) < 0.01, name
    assert sorted(p.stem for p in SOUNDS.glob("*.wav")) == sorted(SOUND_NAMES)
    assert total < 400_000, f"sounds take {total} bytes"


def test_ringtone_spec() -> None:
    data = samples_of("ringtone")
    assert len(data) == 3 * RATE
    ring, rest = data[: 2 * RATE], data[2 * RATE :]
    assert near(peaks(ring, RATE, 2), [784, 988])
    assert not rest.any(), "1 s of digital silence after the 2 s ring"
    # two bursts of four alternating notes, 0.2 s each, with 0.2 s pauses
    assert loud_seconds(data, RATE) == pytest.approx(1.6, abs=0.1)
    for k, hz in enumerate([784, 988, 784, 988]):
        note = ring[int((0.2 * k + 0.02) * RATE) : int((0.2 * k + 0.18) * RATE)]
        assert near(peaks(note, RATE, 1), [hz], 10), (k, peaks(note, RATE, 1))


def test_ringback_and_busy_spec() -> None:
    ringback = samples_of("ringback")
    assert len(ringback) == 5 * RATE
    assert near(peaks(ringback[:RATE], RATE, 1), [425])
    assert loud_seconds(ringback, RATE) == pytest.approx(1.0, abs=0.03)
    assert not ringback[RATE:].any(), "4 s off"
    busy = samples_of("busy")
    assert len(busy) == RATE
    assert near(peaks(busy, RATE, 1), [425])
    assert loud_seconds(busy, RATE) == pytest.approx(0.5, abs=0.03)
    assert not busy[RATE // 2 :].any(), "0.5 s off"


def test_error_call_waiting_test_sound_and_click_spec() -> None:
    sit = samples_of("error")
    assert len(sit) == round(0.99 * RATE)
    segment = round(0.33 * RATE)
    for k, hz in enumerate([950, 1400, 1800]):
        assert near(peaks(sit[k * segment + 100 : (k + 1) * segment - 100], RATE, 1), [hz]), k
    assert loud_seconds(sit, RATE) == pytest.approx(0.99, abs=0.03)

    waiting = samples_of("call-waiting")
    assert len(waiting) == round(0.6 * RATE)
    assert near(peaks(waiting, RATE, 1), [425])
    assert loud_seconds(waiting, RATE) == pytest.approx(0.4, abs=0.03)
    assert not waiting[round(0.2 * RATE) : round(0.4 * RATE)].any()

    chime = samples_of("test-sound")
    assert len(chime) == round(1.2 * RATE)
    assert near(peaks(chime, RATE, 3), [1046.5, 1318.5, 1568], 5)

    click = samples_of("click")
    assert len(click) == round(0.25 * RATE)
    loud = np.flatnonzero(np.abs(click) > 0.5)
    assert loud[0] == round(0.05 * RATE), "onset at exactly 50 ms"
    assert (loud[-1] - loud[0] + 1) / RATE <= 0.005
    assert not np.delete(click, np.arange(loud[0], loud[-1] + 1)).any(), "silence around the click"


def test_the_script_regenerates_the_committed_files(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "make_sounds.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert "total" in done.stdout
    for name in SOUND_NAMES:
        assert (tmp_path / f"{name}.wav").read_bytes() == (SOUNDS / f"{name}.wav").read_bytes(), name


def test_sound_path_names_and_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCTASIP_RESOURCES", raising=False)
    assert sound_path("ringtone") == sound_path("ringtone.wav") == SOUNDS / "ringtone.wav"
    for bad in ("", "../ringtone", "/etc/passwd", "a/b", ".hidden", "ring tone", "x" * 70):
        with pytest.raises(ValueError, match="not a sound name"):
            sound_path(bad)
    assert load_sound("busy").seconds == pytest.approx(1.0)
    monkeypatch.setenv("OCTASIP_RESOURCES", str(tmp_path))
    assert sound_path("busy") == tmp_path / "sounds" / "busy.wav"
    with pytest.raises(ValueError, match="not found"):
        load_sound("busy")  # an override never falls back to the repository's files
    (tmp_path / "sounds").mkdir()
    (tmp_path / "sounds" / "busy.wav").write_bytes(b"not a wav")
    with pytest.raises(ValueError, match="cannot be read"):
        load_sound("busy")


# TonePlayer against a real PulseAudio daemon (Qt in a subprocess)


class Driver(JsonLinesChild):
    """``python -m tests.test_tones_real drive <thread>``, spoken to line by line."""

    label = "driver"
    fail_on_error = True

    def __init__(self, tmp_path: Path, thread: str) -> None:
        super().__init__("tests.test_tones_real", "drive", thread, stderr_path=tmp_path / f"driver-{thread}.stderr")
        self.expect("ready")

    def play(self, name: str, device: str = "", loop: bool = False) -> float:
        self.send("play", name=name, device=device, loop=loop)
        return self.expect("played")["t"]

    def stop(self) -> float:
        self.send("stop")
        return self.expect("stopped")["t"]


@pytest.fixture
def driver(tmp_path: Path):
    made: list[Driver] = []

    def make(thread: str = "gui") -> Driver:
        made.append(Driver(tmp_path, thread))
        return made[-1]

    yield make
    for d in made:
        d.kill()


@pytest.mark.real
def test_ringtone_rings_on_the_ringer_not_on_the_speaker(pulseaudio: PulseAudio, driver, tmp_path: Path) -> None:
    pulseaudio.load_extra_sink("ringer", "Ringer")
    player = driver("audio")  # on an audio thread made by audio_qt_io.start_thread
    player.play("ringtone", device="ringer", loop=True)
    (stream,) = pulseaudio.wait_sink_inputs(1, sink="ringer")
    assert stream["properties"]["application.process.id"] == str(player.popen.pid)
    ringer = pulseaudio.start_recording(tmp_path / "ringer.wav", source="ringer.monitor")
    speaker = pulseaudio.start_recording(tmp_path / "speaker.wav", source=f"{SPEAKER}.monitor")
    ringer.wait_seconds(3.5)
    speaker.wait_seconds(3.5)
    assert [s["sink_name"] for s in pulseaudio.sink_inputs()] == ["ringer"], "one stream, on the ringer"
    player.stop()
    assert player.finish() == 0
    heard, rate = read_wav_mono(ringer.stop(max_seconds=3.5))
    quiet, _ = read_wav_mono(speaker.stop(max_seconds=3.5))
    assert near(peaks(heard, rate, 2), [784, 988]), peaks(heard, rate, 2)
    # 3.5 s of a looped 3 s pattern (2 s ring, 1 s off) holds 2.0-2.5 s of ring, 1.6-2.0 s of it loud
    assert 1.5 <= loud_seconds(heard, rate) <= 2.2, loud_seconds(heard, rate)
    assert rms_of(quiet) < SILENT_RMS, "the ringtone leaked onto the default speaker"


@pytest.mark.real
def test_ringback_once_is_425_hz_for_1_s_then_finishes(pulseaudio: PulseAudio, driver, tmp_path: Path) -> None:
    player = driver("gui")
    recording = pulseaudio.start_recording(tmp_path / "ringback.wav")
    started = player.play("ringback", device="", loop=False)
    pulseaudio.wait_sink_inputs(1, sink=SPEAKER)
    recording.wait_seconds(2.0)
    heard, rate = read_wav_mono(recording.stop())
    assert near(peaks(heard, rate, 1), [425]), peaks(heard, rate, 1)
    assert loud_seconds(heard, rate) == pytest.approx(1.0, abs=0.06)
    finished = player.expect("finished", timeout=8.0)
    assert finished["name"] == "ringback"
    assert 4.9 <= finished["t"] - started <= 5.8, finished["t"] - started  # the 4 s off is played too
    pulseaudio.wait_sink_inputs(0)  # the stream is closed after the sound
    assert player.finish() == 0


@pytest.mark.real
def test_stop_silences_at_once_and_bad_input_is_reported(pulseaudio: PulseAudio, driver, tmp_path: Path) -> None:
    player = driver("gui")
    for bad in ("no-such-sound", "../../etc/passwd"):
        player.send("play", name=bad, device="", loop=False)
        message = player.expect("error")["message"]
        assert f"sound {bad!r} not found" in message or f"not a sound name: {bad!r}" in message, message
    # the SIT loops as a continuous tone; a device that is gone falls back to the default speaker
    player.play("error", device="unplugged-headset", loop=True)
    pulseaudio.wait_sink_inputs(1, sink=SPEAKER)
    before = pulseaudio.record_speaker(0.8, tmp_path / "before.wav")
    stopped = player.stop()
    after = pulseaudio.start_recording(tmp_path / "after.wav")
    after.wait_seconds(0.5)
    pulseaudio.wait_sink_inputs(0, timeout=2.0)
    print(json.dumps({"stop_to_recording_s": time.monotonic() - stopped}))
    heard, rate = read_wav_mono(before)
    assert set(np.round(peaks(heard, rate, 3), -1)) <= {950, 1400, 1800}, peaks(heard, rate, 3)
    assert loud_seconds(heard, rate) >= 0.75
    silence, _ = read_wav_mono(after.stop())
    assert rms_of(silence) < SILENT_RMS, rms_of(silence)
    assert player.finish() == 0


# the driver (runs in the subprocess)


def _emit(event: str, **data: Any) -> None:
    emit(event, t=time.monotonic(), **data)


def _drive(thread_kind: str) -> int:
    from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

    from octasip.audio_qt_io import start_thread, stop_thread
    from octasip.audio_qt_tones import TonePlayer

    app = QCoreApplication([sys.argv[0]])

    class Control(QObject):
        play = Signal(str, bytes, bool)
        stop = Signal()
        done = Signal()

    class Acker(QObject):
        """Lives on the player's thread; its slots run right after the player's (events keep order)."""

        @Slot(str, bytes, bool)
        def played(self, name: str, device: bytes, loop: bool) -> None:
            _emit("played", name=name, playing=player.playing())

        @Slot()
        def stopped(self) -> None:
            _emit("stopped", playing=player.playing())

    player = TonePlayer()
    acker = Acker()
    player.finished.connect(lambda name: _emit("finished", name=name))
    player.error.connect(lambda message: _emit("error", message=message))
    thread = None
    if thread_kind == "audio":
        thread = start_thread(player)  # type: ignore[arg-type]  # setup/shutdown slots, as QtAudioIO
        acker.moveToThread(thread)
    control = Control()
    control.play.connect(player.play)
    control.play.connect(acker.played)
    control.stop.connect(player.stop)
    control.stop.connect(acker.stopped)
    control.done.connect(app.quit)

    def read_commands() -> None:
        for line in sys.stdin:
            command = json.loads(line)
            if command["cmd"] == "play":
                control.play.emit(command["name"], command["device"].encode(), command["loop"])
            elif command["cmd"] == "stop":
                control.stop.emit()
            else:
                break
        control.done.emit()

    threading.Thread(target=read_commands, daemon=True).start()
    _emit("ready", thread=thread_kind)
    app.exec()
    if thread is not None:
        stop_thread(player, thread)  # type: ignore[arg-type]
    else:
        player.shutdown()
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] != ["drive"] or len(sys.argv) != 3:
        raise SystemExit("usage: python -m tests.test_tones_real drive gui|audio")
    raise SystemExit(_drive(sys.argv[2]))
