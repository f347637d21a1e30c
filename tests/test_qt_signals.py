"""Guard against PySide6 6.12.0's refcount bug: every Signal.emit() over-released the True singleton,
so a process that emits a few thousand signals (an audio thread does ~200/s) aborted with
"Fatal Python error: bool_dealloc". pyproject.toml excludes that version; this catches a relapse."""

import sys

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot


class _Emitter(QObject):
    plain = Signal()
    number = Signal(int)

    @Slot()
    def receive(self) -> None:
        pass


def test_signal_emit_keeps_refcounts():
    _app = QCoreApplication.instance() or QCoreApplication([])
    o = _Emitter()
    o.plain.connect(o.receive)
    before_true, before_false = sys.getrefcount(True), sys.getrefcount(False)
    for _ in range(500):
        o.plain.emit()
        o.number.emit(1)
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(False) - before_false) < 50
