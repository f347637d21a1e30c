"""SVG icons from resources/icons (sharp at any DPI)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

from octasip.paths import resources_dir


def path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def icon(name: str) -> QIcon:
    return QIcon(str(path(name)))


def pixmap(name: str, size: int = 16, device_ratio: float = 2.0) -> QPixmap:
    pm = icon(name).pixmap(QSize(size, size), device_ratio)
    return pm
