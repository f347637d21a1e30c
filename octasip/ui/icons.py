"""SVG icons from resources/icons (sharp at any DPI)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap


def path(name: str) -> Path:
    base = os.environ.get("OCTASIP_RESOURCES") or str(Path(__file__).resolve().parents[2] / "resources")
    return Path(base) / "icons" / f"{name}.svg"


def icon(name: str) -> QIcon:
    return QIcon(str(path(name)))


def pixmap(name: str, size: int = 16, device_ratio: float = 2.0) -> QPixmap:
    pm = icon(name).pixmap(QSize(size, size), device_ratio)
    return pm
