"""Fixture for a real PulseAudio daemon with null devices (see ``pulseaudio.py``).

``pulseaudio`` (function): a fresh private daemon per test (it starts in about 0.1 s). The microphone
``octasip_mic`` plays a looped ``MIC_TONE_HZ`` sine; ``octasip_speaker`` is the default sink. For the
test's duration this process's environment points every PulseAudio client at that daemon
(``PULSE_SERVER``, ``PULSE_RUNTIME_PATH``, ``PULSE_CLIENTCONFIG``, ``PULSE_COOKIE``), so subprocesses
inherit it. ``QT_AUDIO_BACKEND`` is removed, so QtMultimedia uses its PulseAudio backend (it would
use PipeWire only if that variable said "pipewire"). XDG_RUNTIME_DIR is left alone: PULSE_SERVER is
enough for libpulse, and other fixtures may own that variable.

QtMultimedia connects to PulseAudio once per process, when audio is first used; start the fixture
before that. Tests in this repository run Qt audio in a subprocess (``tests/test_pulseaudio_fixture.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.pulseaudio import PulseAudio, write_tone_wav

MIC_TONE_HZ = 440


@pytest.fixture
def pulseaudio(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PulseAudio]:
    workdir = tmp_path / "pulseaudio"
    workdir.mkdir()
    daemon = PulseAudio(workdir, mic_wav=write_tone_wav(workdir / "mic-tone.wav", MIC_TONE_HZ))
    daemon.start()
    try:
        for key, value in daemon.env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("QT_AUDIO_BACKEND", raising=False)
        yield daemon
    finally:
        daemon.stop()
