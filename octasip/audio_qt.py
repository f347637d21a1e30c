"""QtMultimedia facts (devices, Qt version). The audio bridge itself comes with the audio issue."""

from __future__ import annotations


def qt_version() -> str:
    from PySide6 import QtCore, __version__

    return f"Qt {QtCore.qVersion()} (PySide6 {__version__})"


def list_devices() -> dict[str, list[str]]:
    """Audio inputs and outputs as QtMultimedia sees them; the default is marked with '*'."""
    import os

    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia*=false")
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtMultimedia import QMediaDevices

    _app = QCoreApplication.instance() or QCoreApplication([])
    din = QMediaDevices.defaultAudioInput()
    dout = QMediaDevices.defaultAudioOutput()

    def names(devs, default) -> list[str]:
        return [("* " if d.id() == default.id() else "  ") + d.description() for d in devs]

    return {"inputs": names(QMediaDevices.audioInputs(), din), "outputs": names(QMediaDevices.audioOutputs(), dout)}
