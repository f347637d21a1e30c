"""The Recordings tab: each recording beside its call, played in the app (decrypted in memory, with
seek), exported (behind the storage permission, to a place the user picks), checked or deleted.
Every play, export and deletion goes to the access log. Also the History tab's Recording column."""

from __future__ import annotations

import time

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from octasip.core.consent import Permission
from octasip.core.history import format_duration


def _library(store):
    if store.recording is None:
        raise RuntimeError("the profile is not open")
    return store.recording.library


class RecordingIndex(QObject):
    """Which history rows have recordings (for the History tab's Recording column), kept fresh."""

    changed = Signal()

    def __init__(self, controller, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.by_call: dict[int, list] = {}
        controller.recordings_changed.connect(self.reload)
        controller.store.opened.connect(lambda _info: self.reload())
        self.reload()

    def reload(self) -> None:
        def read(_p):
            recs = _library(self.controller.store).repo.list(limit=100_000)
            out: dict[int, list] = {}
            for r in recs:
                if r.call_row is not None:
                    out.setdefault(r.call_row, []).append(r)
            return out

        def done(by_call) -> None:
            self.by_call = by_call
            self.changed.emit()

        self.controller.store.run(read, done, None)

    def text(self, record) -> str:
        recs = self.by_call.get(record.id)
        return "● " + ", ".join(format_duration(r.seconds) for r in recs) if recs else ""


class Player(QObject):
    """Plays PCM held in memory through the default output (QtMultimedia), with seek. The position is
    what the sink has played (its processed time since the last start), not what it has buffered."""

    position = Signal(float, float)  # seconds played, seconds total
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.sink = None
        self.buffer: QBuffer | None = None
        self.bytes_per_second = 1
        self.frame_bytes = 2
        self.total = 0.0
        self._base = 0.0  # where the sink started (seconds into the recording)
        self._playing = False
        self._timer = QTimer(self)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self._tick)

    def load(self, fmt, pcm: bytes) -> None:
        from PySide6.QtMultimedia import QAudioFormat, QAudioSink, QMediaDevices

        self.stop()
        af = QAudioFormat()
        af.setSampleRate(fmt.rate)
        af.setChannelCount(fmt.channels)
        af.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self.bytes_per_second = fmt.rate * fmt.channels * fmt.sample_width
        self.frame_bytes = fmt.channels * fmt.sample_width
        self.total = len(pcm) / self.bytes_per_second
        self._base = 0.0
        self.buffer = QBuffer(self)
        self.buffer.setData(QByteArray(pcm))
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.sink = QAudioSink(QMediaDevices.defaultAudioOutput(), af, self)

    def play(self) -> None:
        if self.sink is None or self.buffer is None:
            return
        from PySide6.QtMultimedia import QAudio

        if self.sink.state() == QAudio.State.SuspendedState:
            self.sink.resume()
        else:
            if self.seconds() >= self.total:  # played to the end: from the start again
                self.seek(0.0)
                return self.play()
            self.sink.start(self.buffer)
        self._playing = True
        self._timer.start()

    def pause(self) -> None:
        if self.sink is not None and self._playing:
            self.sink.suspend()
        self._playing = False
        self._timer.stop()

    def playing(self) -> bool:
        return self._playing

    def seek(self, seconds: float) -> None:
        if self.buffer is None or self.sink is None:
            return
        was_playing = self._playing
        self.sink.stop()  # drops what it had buffered from the old position
        pos = int(max(0.0, min(seconds, self.total)) * self.bytes_per_second)
        pos -= pos % self.frame_bytes
        self.buffer.seek(pos)
        self._base = pos / self.bytes_per_second
        self._playing = False
        if was_playing:
            self.sink.start(self.buffer)
            self._playing = True
        self._tick()

    def seconds(self) -> float:
        from PySide6.QtMultimedia import QAudio

        if self.sink is None or self.sink.state() == QAudio.State.StoppedState:
            return self._base
        return min(self.total, self._base + self.sink.processedUSecs() / 1e6)

    def stop(self) -> None:
        self._timer.stop()
        self._playing = False
        if self.sink is not None:
            self.sink.stop()
            self.sink.deleteLater()
            self.sink = None
        if self.buffer is not None:
            self.buffer.close()
            self.buffer.setData(QByteArray())  # the decrypted audio does not outlive the player
            self.buffer.deleteLater()
            self.buffer = None

    def _tick(self) -> None:
        played = self.seconds()
        self.position.emit(played, self.total)
        if self._playing and played >= self.total - 0.05:
            self._playing = False
            self._timer.stop()
            self.finished.emit()


class RecordingsView(QWidget):
    def __init__(self, controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.store = controller.store
        self.recordings: list = []
        self.loaded_id: str | None = None
        self.player = Player(self)
        self.ask_export_path = self._ask_export_path  # tests replace the modal dialogs
        self.confirm_delete = self._confirm_delete
        layout = QVBoxLayout(self)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(self.tr("Recordings status"))
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, 4)
        self.table.setAccessibleName(self.tr("Recordings"))
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("With"), self.tr("Length"), self.tr("State")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.play())
        layout.addWidget(self.table, 1)
        player = QHBoxLayout()
        self.play_button = QPushButton(self.tr("&Play"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName(self.tr("Playback position"))
        self.slider.sliderReleased.connect(lambda: self.player.seek(self.slider.value() / 1000))
        self.time = QLabel("0:00 / 0:00")
        self.time.setAccessibleName(self.tr("Playback time"))
        player.addWidget(self.play_button)
        player.addWidget(self.slider, 1)
        player.addWidget(self.time)
        layout.addLayout(player)
        row = QHBoxLayout()
        self.export_button = QPushButton(self.tr("E&xport…"))
        self.verify_button = QPushButton(self.tr("&Check"))
        self.delete_button = QPushButton(self.tr("&Delete…"))
        for b in (self.play_button, self.export_button, self.verify_button, self.delete_button):
            b.setAccessibleName(b.text().replace("&", "").replace("…", ""))
        for b in (self.export_button, self.verify_button, self.delete_button):
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.play_button.clicked.connect(self.play)
        self.export_button.clicked.connect(self.export)
        self.verify_button.clicked.connect(self.verify)
        self.delete_button.clicked.connect(self.delete)
        self.player.position.connect(self._position)
        self.player.finished.connect(lambda: self.play_button.setText(self.tr("&Play")))
        controller.recordings_changed.connect(self.reload)
        controller.permissions_changed.connect(self._update_empty)
        self.reload()

    # ------------------------------------------------------------------ list
    def reload(self) -> None:
        self.store.run(lambda _p: _library(self.store).repo.list(limit=1000), self._fill, self.controller.message.emit)

    def _fill(self, recs: list) -> None:
        selected = self.selected_id()
        self.recordings = recs
        self.table.setRowCount(len(recs))
        states = {"complete": self.tr("complete"), "truncated": self.tr("cut short"), "failed": self.tr("failed"),
                  "recording": self.tr("recording…")}
        for i, r in enumerate(recs):
            for j, text in enumerate((time.strftime("%Y-%m-%d %H:%M", time.localtime(r.started_at)),
                                      r.remote or self.tr("(not in the history)"), format_duration(r.seconds),
                                      states.get(r.state.value, r.state.value))):
                self.table.setItem(i, j, QTableWidgetItem(text))
            if r.id == selected:
                self.table.selectRow(i)
        self._update_empty()
        self._update_buttons()

    def _update_empty(self) -> None:
        if self.recordings:
            self.empty.hide()
            return
        self.empty.setText(self.tr("No recordings.") + " " + (
            self.tr("Press Record during a call to record it.") if self.controller.recording_allowed() else
            self.tr("Call recording is off; it can be turned on in Settings > Privacy.")))
        self.empty.show()

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.recordings[rows[0].row()].id if rows and rows[0].row() < len(self.recordings) else None

    def select(self, recording_id: str) -> None:
        for i, r in enumerate(self.recordings):
            if r.id == recording_id:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        rid = self.selected_id()
        for b in (self.export_button, self.verify_button, self.delete_button):
            b.setEnabled(rid is not None)
        self.play_button.setEnabled(rid is not None or self.player.sink is not None)

    # ------------------------------------------------------------------ actions
    def play(self) -> None:
        rid = self.selected_id()
        if self.player.playing():
            self.player.pause()
            self.play_button.setText(self.tr("&Play"))
            return
        if rid is not None and rid != self.loaded_id:
            def decode(_p):
                return _library(self.store).decode(rid, "gui")

            self.store.run(decode, lambda r: self._loaded(rid, r), self.controller.message.emit)
            return
        self.player.play()
        self.play_button.setText(self.tr("&Pause"))

    def _loaded(self, rid: str, result) -> None:
        fmt, pcm, report = result
        self.loaded_id = rid
        self.player.load(fmt, pcm)
        self.slider.setRange(0, int(self.player.total * 1000))
        if not report.intact:
            self.controller.message.emit(self.tr("This recording is {state}.").format(state=report.describe()))
        self.player.play()
        self.play_button.setText(self.tr("&Pause"))

    def _position(self, played: float, total: float) -> None:
        if not self.slider.isSliderDown():
            self.slider.setValue(int(played * 1000))
        self.time.setText(f"{format_duration(played)} / {format_duration(total)}")

    def _ask_export_path(self) -> tuple[str, str]:
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export recording"), "recording.wav",
                                                   self.tr("WAV audio (*.wav);;Opus audio in OGG (*.ogg)"))
        return path, ("ogg" if path.lower().endswith((".ogg", ".opus")) or "OGG" in chosen else "wav")

    def export(self) -> None:
        rid = self.selected_id()
        if rid is None:
            return
        if not self.controller.ensure_permission(Permission.STORAGE, self):
            self.controller.message.emit(self.tr("Exporting needs the permission to write files outside OctaSIP "
                                                 "(Settings > Privacy)."))
            return
        path, fmt = self.ask_export_path()
        if not path:
            return
        from pathlib import Path

        # The save dialog already asked before replacing an existing file.
        self.store.run(lambda _p: _library(self.store).export(rid, Path(path), fmt, overwrite=True, source="gui"),
                       lambda out: self._exported(out), self.controller.message.emit)

    def _exported(self, out) -> None:
        self.controller.message.emit(self.tr("Recording exported to {path}.").format(path=str(out)))
        self.controller.recordings_changed.emit()  # the access log changed

    def verify(self) -> None:
        rid = self.selected_id()
        if rid is not None:
            self.store.run(lambda _p: _library(self.store).verify(rid),
                           lambda report: self.controller.message.emit(
                               self.tr("Recording check: {result}").format(result=report.describe())),
                           self.controller.message.emit)

    def _confirm_delete(self) -> bool:
        return QMessageBox.question(self, self.tr("Delete recording?"),
                                    self.tr("Delete this recording for good? This cannot be undone.")
                                    ) == QMessageBox.StandardButton.Yes

    def delete(self) -> None:
        rid = self.selected_id()
        if rid is None or not self.confirm_delete():
            return
        if rid == self.loaded_id:
            self.player.stop()
            self.loaded_id = None
        self.store.run(lambda _p: _library(self.store).delete(rid, "gui"),
                       lambda _r: self.controller.recordings_changed.emit(), self.controller.message.emit)

    def hideEvent(self, event) -> None:
        self.player.pause()
        self.play_button.setText(self.tr("&Play"))
        super().hideEvent(event)
