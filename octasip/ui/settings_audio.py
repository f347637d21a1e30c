"""Settings > Audio: microphone, speaker and ringer (switched live), an input level meter, echo test."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from octasip.core.commands import SetAudioDevices
from octasip.core.consent import Permission

METER_SECONDS = 60
KEYS = {"input": "audio.input", "output": "audio.output", "ringer": "audio.ringer"}


class _Silence:
    """The meter needs no call audio: what is captured is dropped, what is played is silence."""

    def write(self, pcm: bytes) -> int:
        return len(pcm)

    def read(self, nbytes: int) -> bytes:
        return bytes(nbytes)

    def clear(self) -> None:
        pass


class AudioPage(QWidget):
    """The meter runs only while this page is visible, the microphone is allowed and no call is up; it
    stops on its own after METER_SECONDS (the button starts it again)."""

    level = Signal(float)
    meter_done = Signal()
    meter_error = Signal(str)

    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.controller = app.controller
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for key, label in (("input", self.tr("Microphone")), ("output", self.tr("Speaker or headset")),
                           ("ringer", self.tr("Ringtone on"))):
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.addItem(self.tr("System default"), "")
            combo.currentIndexChanged.connect(lambda _i, key=key: self._save(key))
            self.combos[key] = combo
            form.addRow(label, combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.meter = QProgressBar()
        self.meter.setRange(-60, 0)
        self.meter.setValue(-60)
        self.meter.setFormat(self.tr("Input level"))
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.meter_button = QPushButton(self.tr("Start the &microphone level meter"))
        self.meter_button.setAccessibleName(self.tr("Start or stop the microphone level meter"))
        self.meter_button.clicked.connect(self._meter_clicked)
        self.echo_button = QPushButton(self.tr("&Echo test call"))
        self.echo_button.setAccessibleName(self.tr("Echo test call"))
        self.echo_button.clicked.connect(self.controller.echo_test)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Audio status"))
        for w in (self.meter, self.meter_button, self.echo_button, self.note):
            layout.addWidget(w)
        layout.addStretch(1)
        self.level.connect(lambda db: self.meter.setValue(max(-60, min(0, int(db)))))
        self.meter_done.connect(self._meter_stopped)
        self.meter_error.connect(self.note.setText)
        self.controller.call_updated.connect(lambda _id: self.stop_meter())
        self.controller.permissions_changed.connect(self._permissions_changed)
        self._loaded = False
        self._meter_stop: threading.Event | None = None  # set: the meter thread closes the microphone
        self._restart = False  # the input device changed while metering: start again on the new one

    # ------------------------------------------------------------------ visibility
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self._load()
        elif self.controller.permission(Permission.MICROPHONE) is True:
            self.start_meter()  # never asks: an allowed microphone only (the button asks)

    def hideEvent(self, event) -> None:
        self.stop_meter()
        super().hideEvent(event)

    # ------------------------------------------------------------------ devices
    def _load(self) -> None:
        def devices():
            from octasip.audio_qt_io import list_devices

            return list_devices()  # its first call connects to the sound server: not on the GUI thread

        def saved(profile):
            return {k: profile.settings.get(v, "") or "" for k, v in KEYS.items()}

        def fill(found: dict, chosen: dict) -> None:
            for key, combo in self.combos.items():
                combo.blockSignals(True)
                for d in found["inputs" if key == "input" else "outputs"]:
                    combo.addItem(str(d["description"]), str(d["id"]))
                wanted = chosen.get(key, "")
                index = combo.findData(wanted)
                if index < 0 and wanted:  # saved but not plugged in now: keep it visible and chosen
                    combo.addItem(self.tr("{id} (not connected)").format(id=wanted), wanted)
                    index = combo.count() - 1
                combo.setCurrentIndex(max(0, index))
                combo.blockSignals(False)
            if self.isVisible() and self.controller.permission(Permission.MICROPHONE) is True:
                self.start_meter()

        def listed(found: dict) -> None:
            self.app.store.run(saved, lambda chosen: fill(found, chosen),
                               lambda msg: (fill(found, {}), self.note.setText(msg)))

        self.app.store.run_raw(devices, listed, lambda msg: (listed({"inputs": [], "outputs": []}),
                                                             self.note.setText(msg)))

    def _save(self, key: str) -> None:
        chosen = {k: c.currentData() or "" for k, c in self.combos.items()}

        def save(profile):
            for name, value in chosen.items():
                profile.settings.set(KEYS[name], value)

        self.app.store.run(save, None, self.note.setText)
        self.app.bridge.submit(SetAudioDevices(chosen["input"], chosen["output"], chosen["ringer"]))
        self.note.setText(self.tr("Switched. Calls in progress use the new devices now."))
        if key == "input" and self._meter_stop is not None:
            self.stop_meter()
            self._restart = True

    # ------------------------------------------------------------------ meter
    def _meter_clicked(self) -> None:
        if self._meter_stop is not None:
            self.stop_meter()
            return
        if not self.controller.ensure_permission(Permission.MICROPHONE, self):
            self.note.setText(self.tr("The microphone is not allowed (Settings > Privacy)."))
            return
        self.start_meter()

    def _permissions_changed(self) -> None:
        if self.controller.permission(Permission.MICROPHONE) is not True:
            self.stop_meter()

    def start_meter(self) -> None:
        if self._meter_stop is not None or self.controller.permission(Permission.MICROPHONE) is not True:
            return
        if self.controller.calls:
            self.note.setText(self.tr("The level meter waits until the call ends: the call uses the microphone."))
            return
        device = self.combos["input"].currentData() or ""
        stop = self._meter_stop = threading.Event()
        self._restart = False
        self.meter_button.setText(self.tr("Stop the &microphone level meter"))
        self.note.setText(self.tr("The microphone is open for the level meter (it stops when you leave this "
                                  "page, or after {s} s).").format(s=METER_SECONDS))

        def run() -> None:
            from PySide6.QtCore import Qt

            from octasip.audio_qt_io import DeviceAudio

            audio = None
            try:
                audio = DeviceAudio(_Silence(), _Silence(), input_id=device, echo_cancel=False)
                audio.io.inputLevel.connect(self.level.emit, Qt.ConnectionType.DirectConnection)
                audio.io.error.connect(self.meter_error.emit, Qt.ConnectionType.DirectConnection)
                audio.set_active(True)
                stop.wait(METER_SECONDS)
                audio.set_active(False)
                time.sleep(0.1)
            except Exception as e:  # shown as one safe line, never a traceback
                self.meter_error.emit(self.tr("The level meter could not open the microphone ({kind}).").format(
                    kind=type(e).__name__))
            finally:
                if audio is not None:
                    audio.stop()
                self.meter_done.emit()

        threading.Thread(target=run, name="octasip-meter", daemon=True).start()

    def stop_meter(self) -> None:
        if self._meter_stop is not None:
            self._meter_stop.set()

    def _meter_stopped(self) -> None:
        self._meter_stop = None
        self.meter.setValue(-60)
        self.meter_button.setText(self.tr("Start the &microphone level meter"))
        if self.note.text().startswith(self.tr("The microphone is open")):
            self.note.setText(self.tr("The level meter stopped; the microphone is closed."))
        if self._restart and self.isVisible():
            self.start_meter()
