"""QtMultimedia side of the audio bridge: microphone and speaker <-> the engine's frame buffers.

Runs on its own QThread, so a busy GUI thread never starves the sound card; the engine's BridgePort
moves the same buffers to and from PJSIP's clock thread. The microphone is open only while
`set_active(True)` (the engine says a call needs it).

Buffers are duck-typed: `write(pcm: bytes)` and `read(nbytes) -> bytes` (silence-padded), PCM16 mono
at `rate` Hz (see octasip.engine.audio_port.FrameBuffer).
"""

from __future__ import annotations

import array
import logging
import math
import os
from typing import Protocol

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QAudioSource, QMediaDevices

log = logging.getLogger("octasip.audio")

FRAME_MS = 20
SINK_TARGET_MS = 20  # audio queued in the sound card's buffer: our share of mouth-to-ear latency


class PcmBuffer(Protocol):
    def write(self, pcm: bytes) -> int: ...
    def read(self, nbytes: int) -> bytes: ...


def device_id(dev: QAudioDevice) -> str:
    return bytes(dev.id().data()).decode("utf-8", "replace")


def pick_device(devices: list[QAudioDevice], wanted: str, default: QAudioDevice) -> QAudioDevice:
    """The device whose id (or description) is `wanted`; else the system default: "" means follow
    the system, and a chosen device that is unplugged falls back to the default."""
    if wanted:
        for dev in devices:
            if wanted in (device_id(dev), dev.description()):
                return dev
    return default


def list_devices() -> dict[str, list[dict[str, object]]]:
    """Inputs and outputs with id, description and whether each is the system default."""
    din, dout = QMediaDevices.defaultAudioInput(), QMediaDevices.defaultAudioOutput()

    def rows(devs: list[QAudioDevice], default: QAudioDevice) -> list[dict[str, object]]:
        return [{"id": device_id(d), "description": d.description(), "default": d.id() == default.id()}
                for d in devs]

    return {"inputs": rows(QMediaDevices.audioInputs(), din), "outputs": rows(QMediaDevices.audioOutputs(), dout)}


def rms_dbfs(pcm: bytes) -> float:
    samples = array.array("h", pcm[: len(pcm) - len(pcm) % 2])
    if not samples:
        return -120.0
    mean_sq = sum(s * s for s in samples[::4]) / max(1, len(samples[::4]))
    return -120.0 if mean_sq <= 0 else max(-120.0, 10 * math.log10(mean_sq / (32768.0**2)))


class QtAudioIO(QObject):
    """Lives on its own thread (see `start_thread`). All slots are called through queued signals."""

    captureOpenChanged = Signal(bool)  # the microphone is really open (for the UI's indicator)
    inputLevel = Signal(float)  # dBFS of the last captured chunk, for a level meter
    error = Signal(str)  # a device could not be opened: the message is safe to show

    def __init__(self, capture: PcmBuffer, playback: PcmBuffer, rate: int = 16000) -> None:
        super().__init__()
        self.capture = capture
        self.playback = playback
        self.rate = rate
        self.frame_bytes = rate * FRAME_MS // 1000 * 2
        self.input_id = ""  # "" = the system default, followed live
        self.output_id = ""
        self.active = False
        self.mic_allowed = True
        self.echo_cancel = True  # PulseAudio's WebRTC canceller during calls (octasip.audio_ec)
        self._ec = None
        self._opened = ("", "")  # (input, output) ids actually open
        self.device_format: tuple[int, int] | None = None  # (rate, channels) to force; None = 16 kHz mono
        self._in_conv = self._out_conv = None
        self._source: QAudioSource | None = None
        self._source_io = None
        self._sink: QAudioSink | None = None
        self._sink_io = None
        self._timer: QTimer | None = None
        self._devices: QMediaDevices | None = None

    def format(self, rate: int | None = None, channels: int = 1) -> QAudioFormat:
        fmt = QAudioFormat()
        fmt.setSampleRate(rate or self.rate)
        fmt.setChannelCount(channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        return fmt

    def _device_format(self, dev: QAudioDevice) -> QAudioFormat:
        """16 kHz mono if the device takes it (PulseAudio converts for us); else the device's own
        rate and channels, and we convert (octasip.core.resample)."""
        if self.device_format is not None:
            return self.format(*self.device_format)
        wanted = self.format()
        if dev.isFormatSupported(wanted):
            return wanted
        pref = dev.preferredFormat()
        return self.format(pref.sampleRate(), pref.channelCount())

    # ---- slots (audio thread)
    @Slot()
    def setup(self) -> None:
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._pump_playback)
        self._devices = QMediaDevices(self)
        self._devices.audioInputsChanged.connect(self._devices_changed)
        self._devices.audioOutputsChanged.connect(self._devices_changed)

    @Slot(bool)
    def set_active(self, active: bool) -> None:
        """Open microphone and speaker for a call (True), close both when no call needs them."""
        self.active = active
        self._close()
        if active:
            self._open()

    @Slot(bool)
    def set_mic_allowed(self, allowed: bool) -> None:
        """Without the microphone permission calls run receive-only: capture never opens."""
        self.mic_allowed = allowed
        if self.active:
            self.set_active(True)

    @Slot(str, str)
    def set_devices(self, input_id: str, output_id: str) -> None:
        """Device ids (see `device_id`); "" = follow the system default. Switches live, mid-call too."""
        self.input_id, self.output_id = input_id, output_id
        if self.active:
            self.set_active(True)

    @Slot()
    def shutdown(self) -> None:
        self._close()

    # ---- internals
    def _echo_cancelled_ids(self) -> tuple[str, str]:
        """Load the sound server's echo canceller on the chosen devices; (input, output) ids to open."""
        from octasip import audio_ec

        if not (self.echo_cancel and self.mic_allowed):
            return self.input_id, self.output_id
        if self._ec is None:
            self._ec = audio_ec.PulseEchoCanceller()
        try:
            source, sink = self._ec.load(self.input_id, self.output_id)
        except audio_ec.EchoCancelError as e:
            self.error.emit(self.tr("Echo cancellation is off: %s") % str(e))
            return self.input_id, self.output_id
        # QtMultimedia learns about new devices asynchronously: wait briefly for the pair to appear.
        for _ in range(50):
            ids_in = {device_id(d) for d in QMediaDevices.audioInputs()}
            ids_out = {device_id(d) for d in QMediaDevices.audioOutputs()}
            if source in ids_in and sink in ids_out:
                return source, sink
            QThread.msleep(20)
        self._ec.unload()
        self.error.emit(self.tr("Echo cancellation is off: the sound server's cancelled devices did not appear"))
        return self.input_id, self.output_id

    def _open(self) -> None:
        input_id, output_id = self._echo_cancelled_ids()
        out_dev = pick_device(QMediaDevices.audioOutputs(), output_id, QMediaDevices.defaultAudioOutput())
        in_dev = pick_device(QMediaDevices.audioInputs(), input_id, QMediaDevices.defaultAudioInput())
        self._opened = (device_id(in_dev), device_id(out_dev))
        if not out_dev.isNull():
            out_fmt = self._device_format(out_dev)
            self._out_conv = _Converter(self.rate, 1, out_fmt.sampleRate(), out_fmt.channelCount())
            self._sink = QAudioSink(out_dev, out_fmt, self)
            self._sink.setBufferSize(self._out_conv.dst_bytes(self.frame_bytes * 2))
            self._sink_io = self._sink.start()
            assert self._timer is not None
            self._timer.start()
        else:
            self.error.emit(self.tr("No speaker or headset found"))
        if not self.mic_allowed:
            self.error.emit(self.tr("The microphone is not allowed: the other side cannot hear you. "
                                    "You can allow it in Settings > Privacy."))
            return
        if in_dev.isNull():
            self.error.emit(self.tr("No microphone found: the other side will not hear you"))
            return
        in_fmt = self._device_format(in_dev)
        self._in_conv = _Converter(in_fmt.sampleRate(), in_fmt.channelCount(), self.rate, 1)
        self._source = QAudioSource(in_dev, in_fmt, self)
        self._source.setBufferSize(self._in_conv.src_bytes(self.frame_bytes))
        self._source_io = self._source.start()
        self._source_io.readyRead.connect(self._read_mic)
        self.captureOpenChanged.emit(True)

    def _close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        was_open = self._source is not None
        if self._source is not None:
            self._source.stop()
            self._source.deleteLater()
            self._source = self._source_io = None
        if self._sink is not None:
            self._sink.stop()
            self._sink.deleteLater()
            self._sink = self._sink_io = None
        if self._ec is not None:
            self._ec.unload()
        if was_open:
            self.captureOpenChanged.emit(False)

    @Slot()
    def _read_mic(self) -> None:
        if self._source_io is None:
            return
        data = bytes(self._source_io.readAll().data())
        if data and self._in_conv is not None:
            data = self._in_conv.convert(data)
        if data:
            self.capture.write(data)
            self.inputLevel.emit(rms_dbfs(data))

    @Slot()
    def _pump_playback(self) -> None:
        """Keep about SINK_TARGET_MS queued in the sink: what it played since the last tick."""
        if self._sink is None or self._sink_io is None:
            return
        conv = self._out_conv
        assert conv is not None
        queued = self._sink.bufferSize() - self._sink.bytesFree()  # device bytes
        target = conv.dst_bytes(self.rate * 2 * SINK_TARGET_MS // 1000)
        need = conv.src_bytes(target - queued) if target > queued else 0  # bridge bytes
        need -= need % 2
        if need > 0:
            self._sink_io.write(conv.convert(self.playback.read(need)))

    @Slot()
    def _devices_changed(self) -> None:
        """Follow the system default mid-call when no device was chosen. A chosen device that is
        unplugged needs nothing here: PulseAudio moves the live stream to the default by itself.
        Devices we add ourselves (the echo canceller's) change nothing, so this cannot loop."""
        if not self.active or (self._ec is not None and self._ec.module is not None):
            return
        defaults = (device_id(QMediaDevices.defaultAudioInput()), device_id(QMediaDevices.defaultAudioOutput()))
        follow = (not self.input_id and defaults[0] != self._opened[0],
                  not self.output_id and defaults[1] != self._opened[1])
        if any(follow):
            log.info("the system default audio device changed during a call; following it")
            self.set_active(True)


class _Converter:
    """PCM16 between a device format and the bridge's (16 kHz mono). Identity when they match."""

    def __init__(self, src_rate: int, src_channels: int, dst_rate: int, dst_channels: int) -> None:
        from octasip.core.resample import Resampler

        self.src_rate, self.src_channels = src_rate, src_channels
        self.dst_rate, self.dst_channels = dst_rate, dst_channels
        self.identity = (src_rate, src_channels) == (dst_rate, dst_channels)
        self._resampler = Resampler(src_rate, dst_rate)

    def src_bytes(self, dst_bytes: int) -> int:
        n = dst_bytes * self.src_rate * self.src_channels // (self.dst_rate * self.dst_channels)
        return n - n % (2 * self.src_channels)

    def dst_bytes(self, src_bytes: int) -> int:
        n = src_bytes * self.dst_rate * self.dst_channels // (self.src_rate * self.src_channels)
        return n - n % (2 * self.dst_channels)

    def convert(self, pcm: bytes) -> bytes:
        if self.identity:
            return pcm
        from octasip.core.resample import from_mono, to_mono

        mono = to_mono(pcm, self.src_channels)
        return from_mono(self._resampler.process(mono), self.dst_channels)


def start_thread(io: QtAudioIO) -> QThread:
    """Move `io` to a new high-priority thread and start it. Stop with `stop_thread`."""
    thread = QThread()
    thread.setObjectName("octasip-audio")
    io.moveToThread(thread)
    thread.started.connect(io.setup)
    thread.start(QThread.Priority.TimeCriticalPriority)
    return thread


def stop_thread(io: QtAudioIO, thread: QThread) -> None:
    from PySide6.QtCore import QMetaObject, Qt

    QMetaObject.invokeMethod(io, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
    thread.quit()
    thread.wait(2000)


class _Control(QObject):
    active = Signal(bool)
    mic_allowed = Signal(bool)
    devices = Signal(str, str)
    tone = Signal(str, bytes, bool)  # sound name, device id, loop
    stop_tone = Signal()


class DeviceAudio:
    """Microphone and speaker for a process without a GUI event loop (the CLI): owns a
    QCoreApplication if there is none, and the audio thread. `set_active` may be called from any
    thread; the engine's AudioCaptureChanged events drive it."""

    def __init__(self, capture: PcmBuffer, playback: PcmBuffer, rate: int = 16000, input_id: str = "",
                 output_id: str = "", microphone: bool = True, echo_cancel: bool = True) -> None:
        from PySide6.QtCore import QCoreApplication

        self._app = QCoreApplication.instance() or QCoreApplication([])
        self.io = QtAudioIO(capture, playback, rate)
        self.io.input_id, self.io.output_id = input_id, output_id
        self.io.mic_allowed = microphone  # False: calls run receive-only, the microphone never opens
        forced = os.environ.get("OCTASIP_AUDIO_DEVICE_FORMAT", "")  # e.g. "48000x2": diagnose conversion
        if forced:
            rate, _, channels = forced.partition("x")
            self.io.device_format = (int(rate), int(channels or 1))
        self.io.echo_cancel = echo_cancel
        from octasip.audio_qt_tones import TonePlayer

        self.tones = TonePlayer()
        self._control = _Control()
        self._control.active.connect(self.io.set_active)  # queued: io lives on the audio thread
        self._control.mic_allowed.connect(self.io.set_mic_allowed)
        self._control.devices.connect(self.io.set_devices)
        self._control.tone.connect(self.tones.play)
        self._control.stop_tone.connect(self.tones.stop)
        self.thread = start_thread(self.io)
        self.tones.moveToThread(self.thread)

    def set_active(self, active: bool) -> None:
        self._control.active.emit(active)

    def set_mic_allowed(self, allowed: bool) -> None:
        """False: receive-only, the microphone is closed at once (mid-call too) and never opened."""
        self._control.mic_allowed.emit(allowed)

    def set_devices(self, input_id: str, output_id: str) -> None:
        self._control.devices.emit(input_id, output_id)

    def play_tone(self, name: str, device_id: str = "", loop: bool = False) -> None:
        self._control.tone.emit(name, device_id.encode(), loop)

    def stop_tone(self) -> None:
        self._control.stop_tone.emit()

    def meter(self, seconds: float, on_level) -> None:
        """Open the microphone (and speaker) for `seconds`, calling `on_level(dbfs)` from the audio
        thread for every captured chunk: the input level meter, without a call."""
        import time

        from PySide6.QtCore import Qt

        self.io.inputLevel.connect(on_level, Qt.ConnectionType.DirectConnection)
        self.set_active(True)
        time.sleep(seconds)
        self.set_active(False)
        time.sleep(0.1)

    def stop(self) -> None:
        from PySide6.QtCore import QMetaObject, Qt

        QMetaObject.invokeMethod(self.tones, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        stop_thread(self.io, self.thread)
