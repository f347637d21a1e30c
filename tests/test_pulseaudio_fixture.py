"""Self-tests of the PulseAudio fixture, with PulseAudio's own tools and with QtMultimedia.

Qt runs in a subprocess (this file, run as ``python -m tests.test_pulseaudio_fixture <command>``):
a QCoreApplication exists once per process and QtMultimedia connects to PulseAudio once, so each
probe gets a fresh process that inherits the fixture's PULSE_SERVER. A probe prints one JSON object
per line (``{"event": ...}``) and, after its last event, waits for a line on stdin before it exits,
so the test can look at the daemon while the probe is still connected.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.servers.audio import dominant_frequency, has_tone, rms
from tests.servers.child import JsonLinesChild, emit
from tests.servers.fixtures_audio import MIC_TONE_HZ
from tests.servers.pulseaudio import MIC, MIC_FEED, SPEAKER, PulseAudio, write_tone_wav

pytestmark = pytest.mark.real
RATE = 48000


# PulseAudio's own tools


def test_daemon_is_private_and_environment_points_at_it(pulseaudio: PulseAudio) -> None:
    assert os.environ["PULSE_SERVER"] == pulseaudio.server == f"unix:{pulseaudio.socket_path}"
    assert pulseaudio.socket_path.is_socket()
    info = pulseaudio.pactl("info")
    assert f"Server String: {pulseaudio.server}" in info
    assert f"Default Sink: {SPEAKER}" in info
    assert f"Default Source: {MIC}" in info
    assert set(pulseaudio.sink_names()) == {SPEAKER, MIC_FEED}
    assert set(pulseaudio.source_names()) == {MIC, f"{SPEAKER}.monitor", f"{MIC_FEED}.monitor"}
    speaker = next(sink for sink in pulseaudio.sinks() if sink["name"] == SPEAKER)
    assert speaker["sample_specification"] == f"s16le 2ch {RATE}Hz"
    assert speaker["latency"]["actual"] < 100_000, "keepalive should keep the null sink's latency small"
    # nothing but the fixture's own streams exists yet
    assert pulseaudio.source_outputs() == []
    assert pulseaudio.sink_inputs() == []
    assert pulseaudio.source_outputs(include_internal=True), "the remap source's own stream"


def test_stop_leaves_nothing_behind(tmp_path: Path) -> None:
    daemon = PulseAudio(tmp_path / "pa", mic_wav=write_tone_wav(tmp_path / "tone.wav", 440))
    started = time.monotonic()
    with daemon:
        startup = time.monotonic() - started
        pid = daemon._process.pid if daemon._process else None
        assert pid is not None and os.getpgid(pid) == pid, "its own process group"
    assert startup < 3.0, f"startup took {startup:.2f} s"
    assert not daemon.running()
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    assert not daemon.socket_path.exists()


def test_mic_delivers_the_wav_to_parecord(pulseaudio: PulseAudio, tmp_path: Path) -> None:
    out = tmp_path / "parecord.wav"
    # parecord finalizes its WAV header on SIGINT
    subprocess.run(
        ["timeout", "-s", "INT", "1.2", "parecord", f"--device={MIC}", "--file-format=wav", "--channels=1",
         f"--rate={RATE}", "--format=s16le", str(out)],
        check=False, timeout=10,
    )  # fmt: skip
    assert has_tone(out, MIC_TONE_HZ, skip_seconds=0.2), dominant_frequency(out, 0.2)

    pulseaudio.play_on_mic(write_tone_wav(tmp_path / "700.wav", 700))
    recording = pulseaudio.start_recording(tmp_path / "mic-700.wav", source=MIC)
    recording.wait_seconds(1.0)
    assert has_tone(recording.stop(), 700, skip_seconds=0.3)

    pulseaudio.stop_mic()
    silent = pulseaudio.start_recording(tmp_path / "silent.wav", source=MIC)
    silent.wait_seconds(0.6)
    assert rms(silent.stop(), skip_seconds=0.3) < 1e-3


def test_record_speaker_hears_paplay(pulseaudio: PulseAudio, tmp_path: Path) -> None:
    wav = write_tone_wav(tmp_path / "1k.wav", 1000, seconds=4.0)
    player = subprocess.Popen(["paplay", f"--device={SPEAKER}", str(wav)])
    try:
        streams = pulseaudio.wait_sink_inputs(1, sink=SPEAKER)
        assert streams[0]["properties"]["application.process.id"] == str(player.pid)
        out = pulseaudio.record_speaker(1.0, tmp_path / "speaker.wav")
    finally:
        player.send_signal(signal.SIGTERM)
        player.wait(timeout=5)
    assert has_tone(out, 1000, skip_seconds=0.1), dominant_frequency(out, 0.1)
    pulseaudio.wait_sink_inputs(0)


def test_hot_plug_and_defaults(pulseaudio: PulseAudio) -> None:
    pulseaudio.load_extra_sink("headset", "USB Headset")
    pulseaudio.load_extra_source("headset_mic", "USB_Headset_Mic")
    assert "headset" in pulseaudio.sink_names()
    assert "headset_mic" in pulseaudio.source_names()
    pulseaudio.set_default_sink("headset")
    pulseaudio.set_default_source("headset_mic")
    assert (pulseaudio.default_sink(), pulseaudio.default_source()) == ("headset", "headset_mic")
    pulseaudio.unload_device("headset")
    pulseaudio.unload_device("headset_mic")
    assert "headset" not in pulseaudio.sink_names()
    assert "headset_mic" not in pulseaudio.source_names()
    # PulseAudio picks a new default by itself; reset() restores the fixture's own
    pulseaudio.reset()
    assert (pulseaudio.default_sink(), pulseaudio.default_source()) == (SPEAKER, MIC)


# QtMultimedia, in a subprocess


class QtProbe(JsonLinesChild):
    """One ``python -m tests.test_pulseaudio_fixture <args>`` process, read line by line."""

    label = "probe"

    def __init__(self, tmp_path: Path, *args: str) -> None:
        super().__init__("tests.test_pulseaudio_fixture", *args, stderr_path=tmp_path / f"probe-{args[0]}.stderr")


@pytest.fixture
def qt_probe(tmp_path: Path):
    probes: list[QtProbe] = []

    def make(*args: str) -> QtProbe:
        probe = QtProbe(tmp_path, *args)
        probes.append(probe)
        return probe

    yield make
    for probe in probes:
        probe.kill()


def test_qt_lists_the_null_devices(pulseaudio: PulseAudio, qt_probe) -> None:
    probe = qt_probe("devices")
    devices = probe.expect("devices")
    assert probe.finish() == 0
    inputs = {d["id"]: d for d in devices["inputs"]}
    outputs = {d["id"]: d for d in devices["outputs"]}
    print(json.dumps(devices, indent=1))
    # Qt's PulseAudio backend leaves monitor sources out
    assert set(inputs) == {MIC}
    assert set(outputs) == {SPEAKER, MIC_FEED}
    assert inputs[MIC]["description"] == "OctaSIP Microphone"
    assert outputs[SPEAKER]["description"] == "OctaSIP Speaker"
    assert (devices["default_input"], devices["default_output"]) == (MIC, SPEAKER)
    assert inputs[MIC]["preferred"] == [RATE, 1, "Int16"]
    assert outputs[SPEAKER]["preferred"] == [RATE, 2, "Int16"]
    assert {"Int16", "Float"} <= set(inputs[MIC]["sample_formats"])


def test_qt_audio_source_captures_the_mic_tone(pulseaudio: PulseAudio, qt_probe, tmp_path: Path) -> None:
    out = tmp_path / "qt-capture.wav"
    probe = qt_probe("capture", MIC, "1.0", str(out))
    started = probe.expect("started")
    assert started["state"] in ("ActiveState", "IdleState") and started["error"] == "NoError", started
    (stream,) = pulseaudio.wait_source_outputs(1, source=MIC)
    assert stream["properties"]["application.process.id"] == str(probe.popen.pid)
    stopped = probe.expect("stopped")
    print(json.dumps({"started": started, "stopped": stopped, "stream": stream["sample_specification"]}))
    # QAudioSource.stop() closes the PulseAudio stream (not just corks it) while Qt stays connected
    pulseaudio.wait_source_outputs(0, source=MIC)
    assert probe.finish() == 0
    assert stopped["bytes"] >= 0.8 * RATE * 2, stopped
    assert stopped["first_data_ms"] < 500, stopped
    assert has_tone(out, MIC_TONE_HZ, skip_seconds=0.2), dominant_frequency(out, 0.2)


def test_qt_audio_sink_plays_to_the_speaker(pulseaudio: PulseAudio, qt_probe, tmp_path: Path) -> None:
    probe = qt_probe("play", SPEAKER, "1000", "2.5")
    started = probe.expect("started")
    assert started["error"] == "NoError", started
    (stream,) = pulseaudio.wait_sink_inputs(1, sink=SPEAKER)
    out = pulseaudio.record_speaker(1.0, tmp_path / "qt-speaker.wav")
    stopped = probe.expect("stopped")
    print(json.dumps({"started": started, "stopped": stopped, "stream": stream["sample_specification"]}))
    pulseaudio.wait_sink_inputs(0)
    assert probe.finish() == 0
    assert has_tone(out, 1000, skip_seconds=0.1), dominant_frequency(out, 0.1)


def test_qt_audio_sink_survives_unplugged_device(pulseaudio: PulseAudio, qt_probe, tmp_path: Path) -> None:
    pulseaudio.load_extra_sink("headset", "USB Headset")
    probe = qt_probe("play", "headset", "1000", "3.0")
    started = probe.expect("started")
    pulseaudio.wait_sink_inputs(1, sink="headset")
    pulseaudio.unload_device("headset")
    # PulseAudio moves the orphaned stream to the default sink; Qt keeps playing into it
    (moved,) = pulseaudio.wait_sink_inputs(1, sink=SPEAKER)
    out = pulseaudio.record_speaker(0.6, tmp_path / "after-unplug.wav")
    stopped = probe.expect("stopped")
    print(json.dumps({"started": started, "stopped": stopped}))
    assert probe.finish() == 0, probe.stderr()
    assert moved["properties"]["application.process.id"] == str(probe.popen.pid)
    assert has_tone(out, 1000, skip_seconds=0.1), dominant_frequency(out, 0.1)
    # What Qt 6.12 reports: nothing. The sink stays Active with NoError (the move is invisible to it),
    # and QMediaDevices neither emits audioOutputsChanged nor drops "headset" from audioOutputs() on
    # removal (it notices additions only). Unplug handling cannot rely on Qt's state or device list.
    assert (stopped["state_before_stop"], stopped["error_before_stop"]) == ("ActiveState", "NoError"), stopped


# The probe itself (runs in the subprocess)


def _probe_main(argv: list[str]) -> int:
    import numpy as np
    from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, QTimer, Slot
    from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QAudioSource, QMediaDevices, QtAudio

    app = QCoreApplication([sys.argv[0]])
    media_devices = QMediaDevices()

    def ids(devices: list) -> list[str]:
        return [bytes(d.id()).decode() for d in devices]

    def describe(device) -> dict[str, Any]:
        preferred = device.preferredFormat()
        return {
            "id": bytes(device.id()).decode(),
            "description": device.description(),
            "default": device.isDefault(),
            "preferred": [preferred.sampleRate(), preferred.channelCount(), preferred.sampleFormat().name],
            "rates": [device.minimumSampleRate(), device.maximumSampleRate()],
            "channels": [device.minimumChannelCount(), device.maximumChannelCount()],
            "sample_formats": [f.name for f in device.supportedSampleFormats()],
        }

    audio_format = QAudioFormat()
    audio_format.setSampleRate(RATE)
    audio_format.setChannelCount(1)
    audio_format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    t0 = time.monotonic()

    def ms() -> float:
        return round((time.monotonic() - t0) * 1000, 1)

    class Watcher(QObject):
        """Slots typed with QtAudio.State: PySide6 6.12 cannot pass QAudio::State into a lambda."""

        def __init__(self, device) -> None:
            super().__init__()
            self.device = device
            self.states: list[tuple[float, str, str]] = []
            self.outputs_changed: list[tuple[float, list[str]]] = []

        @Slot(QtAudio.State)
        def on_state(self, state) -> None:
            self.states.append((ms(), state.name, self.device.error().name))

        @Slot()
        def on_outputs(self) -> None:
            self.outputs_changed.append((ms(), ids(QMediaDevices.audioOutputs())))

    command = argv[0]
    if command == "devices":
        emit(
            "devices",
            inputs=[describe(d) for d in QMediaDevices.audioInputs()],
            outputs=[describe(d) for d in QMediaDevices.audioOutputs()],
            default_input=bytes(QMediaDevices.defaultAudioInput().id()).decode(),
            default_output=bytes(QMediaDevices.defaultAudioOutput().id()).decode(),
        )
    elif command == "capture":
        device_id, seconds, out = argv[1], float(argv[2]), Path(argv[3])
        device = next(d for d in QMediaDevices.audioInputs() if bytes(d.id()).decode() == device_id)
        source = QAudioSource(device, audio_format)
        watcher = Watcher(source)
        source.stateChanged.connect(watcher.on_state)
        data = bytearray()
        chunks: list[int] = []
        first_data: list[float] = []
        t0 = time.monotonic()
        io = source.start()

        def read() -> None:
            chunk = bytes(io.readAll())
            if chunk:
                first_data[:] = first_data or [ms()]
                chunks.append(len(chunk))
                data.extend(chunk)

        io.readyRead.connect(read)
        emit("started", state=source.state().name, error=source.error().name, buffer_size=source.bufferSize())
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()
        read()
        source.stop()
        from tests.servers.pulseaudio import write_wav

        write_wav(out, bytes(data), RATE, 1)
        emit(
            "stopped", bytes=len(data), first_data_ms=first_data[0] if first_data else None,
            chunk_bytes=sorted(set(chunks))[:5], chunks=len(chunks), states=watcher.states,
            error=source.error().name, buffer_size=source.bufferSize(),
        )  # fmt: skip
    elif command == "play":
        device_id, hz, seconds = argv[1], float(argv[2]), float(argv[3])
        device = next(d for d in QMediaDevices.audioOutputs() if bytes(d.id()).decode() == device_id)
        t = np.arange(int((seconds + 1) * RATE)) / RATE
        pcm = (0.5 * 32767 * np.sin(2 * np.pi * hz * t)).astype("<i2").tobytes()
        buffer = QBuffer()
        buffer.setData(QByteArray(pcm))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(device, audio_format)
        watcher = Watcher(sink)
        sink.stateChanged.connect(watcher.on_state)
        media_devices.audioOutputsChanged.connect(watcher.on_outputs)
        t0 = time.monotonic()
        sink.start(buffer)
        emit("started", state=sink.state().name, error=sink.error().name, buffer_size=sink.bufferSize())
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()
        state, error, processed = sink.state().name, sink.error().name, sink.processedUSecs()
        sink.stop()
        emit(
            "stopped", state_before_stop=state, error_before_stop=error, processed_usecs=processed,
            states=watcher.states, outputs_changed=watcher.outputs_changed,
            outputs_at_end=ids(QMediaDevices.audioOutputs()),
        )  # fmt: skip
    else:
        raise SystemExit(f"unknown probe command {command!r}")
    sys.stdin.readline()
    return 0


if __name__ == "__main__":
    raise SystemExit(_probe_main(sys.argv[1:]))
