"""Settings > Audio: microphone, speaker and ringer (switched live), an input level meter, echo test."""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from octasip.core.commands import SetAudioDevices
from octasip.core.consent import Permission

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
    level = Signal(float)
    meter_done = Signal()

    def __init__(self, app, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for key, label in (("input", self.tr("Microphone")), ("output", self.tr("Speaker or headset")),
                           ("ringer", self.tr("Ringtone on"))):
            combo = QComboBox()
            combo.setAccessibleName(label)
            combo.addItem(self.tr("System default"), "")
            combo.currentIndexChanged.connect(lambda _i: self._save())
            self.combos[key] = combo
            form.addRow(label, combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        self.meter = QProgressBar()
        self.meter.setRange(-60, 0)
        self.meter.setValue(-60)
        self.meter.setFormat(self.tr("Input level"))
        self.meter.setAccessibleName(self.tr("Microphone level"))
        self.meter_button = QPushButton(self.tr("Test the &microphone (5 s)"))
        self.meter_button.setAccessibleName(self.tr("Test the microphone"))
        self.meter_button.clicked.connect(self.test_microphone)
        self.echo_button = QPushButton(self.tr("&Echo test call"))
        self.echo_button.setAccessibleName(self.tr("Echo test call"))
        self.echo_button.clicked.connect(app.controller.echo_test)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setAccessibleName(self.tr("Audio status"))
        for w in (self.meter, self.meter_button, self.echo_button, self.note):
            layout.addWidget(w)
        layout.addStretch(1)
        self.level.connect(lambda db: self.meter.setValue(max(-60, min(0, int(db)))))
        self.meter_done.connect(lambda: (self.meter_button.setEnabled(True), self.meter.setValue(-60)))
        self._loaded = False

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self._load()

    def _load(self) -> None:
        from octasip.audio_qt_io import list_devices

        devices = list_devices()  # QtMultimedia wants its device list read on the GUI thread; it is fast

        def saved(profile):
            return {k: profile.settings.get(v, "") or "" for k, v in KEYS.items()}

        def fill(chosen: dict) -> None:
            for key, combo in self.combos.items():
                combo.blockSignals(True)
                for d in devices["inputs" if key == "input" else "outputs"]:
                    combo.addItem(str(d["description"]), str(d["id"]))
                index = combo.findData(chosen.get(key, ""))
                combo.setCurrentIndex(max(0, index))
                combo.blockSignals(False)

        self.app.store.run(saved, fill, self.note.setText)

    def _save(self) -> None:
        chosen = {k: c.currentData() or "" for k, c in self.combos.items()}

        def save(profile):
            for key, value in chosen.items():
                profile.settings.set(KEYS[key], value)

        self.app.store.run(save, None, self.note.setText)
        self.app.bridge.submit(SetAudioDevices(chosen["input"], chosen["output"], chosen["ringer"]))
        self.note.setText(self.tr("Switched. Calls in progress use the new devices now."))

    def test_microphone(self) -> None:
        if self.app.controller.calls:
            self.note.setText(self.tr("Finish the call first: the microphone is in use."))
            return
        if not self.app.controller.ensure_permission(Permission.MICROPHONE, self):
            self.note.setText(self.tr("The microphone is not allowed (Settings > Privacy)."))
            return
        self.meter_button.setEnabled(False)
        device = self.combos["input"].currentData() or ""

        def run() -> None:
            from octasip.audio_qt_io import DeviceAudio

            audio = DeviceAudio(_Silence(), _Silence(), input_id=device)
            try:
                audio.meter(5.0, self.level.emit)
            finally:
                audio.stop()
                self.meter_done.emit()

        threading.Thread(target=run, name="octasip-meter", daemon=True).start()
