"""QtMultimedia facts (devices, Qt version). The audio bridge itself comes with the audio issue."""

from __future__ import annotations


def qt_version() -> str:
    from PySide6 import QtCore, __version__

    return f"Qt {QtCore.qVersion()} (PySide6 {__version__})"


def list_devices() -> dict[str, list[dict[str, object]]]:
    """Audio inputs and outputs as QtMultimedia sees them (id, description, default)."""
    import os

    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    from PySide6.QtCore import QCoreApplication

    from octasip.audio_qt_io import list_devices as _list

    _app = QCoreApplication.instance() or QCoreApplication([])
    return _list()
