"""Ringtone, call-progress tones and short sounds on a chosen output device (QtMultimedia).

`TonePlayer` plays one of the WAVs in resources/sounds (made by scripts/make_sounds.py) through a
QAudioSink in push mode: a 20 ms timer tops up about 100 ms of audio, looping the file or playing it
once. It can live on the GUI thread or on the audio thread (`player.moveToThread(thread)`, with the
thread from `octasip.audio_qt_io.start_thread`, or `start_thread(player)` on its own); call its slots
through queued signals from other threads. Each `play` opens its own stream, so the ringtone can go
to a "ringer" device while a call uses the headset.

The sounds directory is ``$OCTASIP_RESOURCES/sounds`` if that variable is set (bundles), else
``resources/sounds`` inside a PyInstaller bundle (``sys._MEIPASS``), else the repository's
``octasip/../resources/sounds``.
"""

from __future__ import annotations

import logging
import re
import sys
import time
import wave
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

from octasip.audio_qt_io import pick_device
from octasip.paths import RESOURCES_ENV, resources_dir

log = logging.getLogger("octasip.audio.tones")

TICK_MS = 20
BUFFER_MS = 100  # queued in the sink: how long a sound may go on after stop()
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")

SOUND_NAMES = ("ringtone", "ringback", "busy", "error", "click", "test-sound", "call-waiting")


def sound_path(name: str) -> Path:
    """The WAV file of the sound ``name`` ("ringtone" or "ringtone.wav"); it need not exist.

    Only plain names are accepted (letters, digits, "-" and "_"): no paths."""
    stem = name[:-4] if name.endswith(".wav") else name
    if not _NAME.fullmatch(stem):
        raise ValueError(f"not a sound name: {name!r}")
    return resources_dir() / "sounds" / f"{stem}.wav"


@dataclass(frozen=True)
class Sound:
    name: str
    pcm: bytes  # 16-bit little-endian
    rate: int
    channels: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (2 * self.channels * self.rate)


def load_sound(name: str) -> Sound:
    """Read a sound's PCM. A missing or unusable file raises ValueError with a clear message."""
    path = sound_path(name)
    try:
        with wave.open(str(path), "rb") as wav:
            if wav.getsampwidth() != 2 or wav.getcomptype() != "NONE":
                raise ValueError(f"sound {name!r} ({path}): only 16-bit PCM WAV is supported")
            rate, channels = wav.getframerate(), wav.getnchannels()
            pcm = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise ValueError(f"sound {name!r} not found: {path} (${RESOURCES_ENV} selects the resources)") from None
    except (OSError, EOFError, wave.Error) as exc:
        raise ValueError(f"sound {name!r} ({path}) cannot be read: {exc}") from exc
    if sys.byteorder == "big":  # WAV is little-endian; QAudioFormat's Int16 is native
        import array

        samples = array.array("h", pcm)
        samples.byteswap()
        pcm = samples.tobytes()
    if not pcm or channels < 1 or rate < 1:
        raise ValueError(f"sound {name!r} ({path}) is empty")
    return Sound(name, pcm, rate, channels)


class TonePlayer(QObject):
    """One sound at a time on one output device. `play` replaces what is playing."""

    finished = Signal(str)  # the name of a sound played once, after its last sample went out
    error = Signal(str)  # a sound or device could not be used: the message is safe to show

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cache: dict[str, Sound] = {}
        self._timer: QTimer | None = None
        self._sink: QAudioSink | None = None
        self._io = None
        self._sound: Sound | None = None
        self._pos = 0
        self._loop = False
        self._written_at = 0.0  # monotonic time the last byte of a once-sound was handed to the sink

    # ---- slots
    @Slot()
    def setup(self) -> None:
        """Nothing to prepare (everything is made on first use); lets `audio_qt_io.start_thread` run it."""

    @Slot(str, bytes, bool)
    def play(self, name: str, device_id: bytes = b"", loop: bool = False) -> None:
        """Play sound ``name`` on the output whose id is ``device_id`` (b"" = the system default;
        an unplugged device falls back to the default too), looping until `stop` or once."""
        self.stop()
        try:
            sound = self._cache.get(name) or load_sound(name)
        except ValueError as exc:
            log.warning("%s", exc)
            self.error.emit(str(exc))
            return
        self._cache[name] = sound
        if isinstance(device_id, str):
            device_id = device_id.encode()
        wanted = bytes(device_id).decode("utf-8", "replace")
        device = pick_device(QMediaDevices.audioOutputs(), wanted, QMediaDevices.defaultAudioOutput())
        if device.isNull():
            self.error.emit(self.tr("No speaker or headset found"))
            return
        if wanted and wanted not in (bytes(device.id().data()).decode("utf-8", "replace"), device.description()):
            log.info("sound output %r is not available; playing %s on the default output", wanted, name)
        fmt = QAudioFormat()
        fmt.setSampleRate(sound.rate)
        fmt.setChannelCount(sound.channels)
        fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._sink = QAudioSink(device, fmt, self)
        self._sink.setBufferSize(sound.rate * sound.channels * 2 * BUFFER_MS // 1000)
        self._io = self._sink.start()
        if self._io is None or self._sink.error().name != "NoError":
            message = self.tr("Cannot play sounds on %s") % device.description()
            log.warning("%s (%s)", message, self._sink.error().name)
            self._close()
            self.error.emit(message)
            return
        self._sound, self._pos, self._loop, self._written_at = sound, 0, loop, 0.0
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setInterval(TICK_MS)
            self._timer.timeout.connect(self._pump)
        self._timer.start()
        self._pump()

    @Slot()
    def stop(self) -> None:
        """Stop at once, dropping what is still queued. No `finished` signal."""
        self._close()

    @Slot()
    def shutdown(self) -> None:
        """Before the thread it lives on quits (`audio_qt_io.stop_thread` calls this)."""
        self._close()

    def playing(self) -> str:
        """The name of the sound being played, or ""."""
        return self._sound.name if self._sound is not None else ""

    # ---- internals
    def _close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        if self._sink is not None:
            self._sink.reset()  # drop the queued audio rather than let it play out
            self._sink.stop()
            self._sink.deleteLater()
        self._sink = self._io = self._sound = None

    @Slot()
    def _pump(self) -> None:
        sink, io, sound = self._sink, self._io, self._sound
        if sink is None or io is None or sound is None:
            return
        frame = 2 * sound.channels
        free = sink.bytesFree()
        while free >= frame:
            if self._pos >= len(sound.pcm):
                if not self._loop:
                    break
                self._pos = 0
            chunk = sound.pcm[self._pos : self._pos + free - free % frame]
            written = io.write(chunk)
            if written <= 0:
                break
            self._pos += written
            free -= written
        if self._loop or self._pos < len(sound.pcm):
            return
        if not self._written_at:
            self._written_at = time.monotonic()
        # The last byte is out when the sink runs dry (IdleState); allow for a backend that never
        # says so: the queued buffer plus a margin after the last write.
        drained = sink.state().name == "IdleState" or sink.bytesFree() >= sink.bufferSize()
        if drained or time.monotonic() - self._written_at > (BUFFER_MS + 400) / 1000:
            name = sound.name
            self._close()
            self.finished.emit(name)
