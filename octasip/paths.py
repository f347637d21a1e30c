"""Where OctaSIP keeps its local data, and where its resources are. No Qt here."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "OctaSIP"
DB_FILENAME = "octasip.db"
RESOURCES_ENV = "OCTASIP_RESOURCES"


def data_dir() -> Path:
    """The per-user data directory: $OCTASIP_HOME if set, else the platform's user data dir.

    Created with mode 0700 (owner only) if it does not exist yet. An existing directory is left as it
    is: its permissions are the user's choice.
    """
    env = os.environ.get("OCTASIP_HOME", "").strip()
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.absolute()
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    return path


def db_path(data_dir: Path) -> Path:
    """The encrypted database inside ``data_dir``."""
    return Path(data_dir) / DB_FILENAME


def resources_dir() -> Path:
    """Icons, sounds and translations: $OCTASIP_RESOURCES, else the PyInstaller bundle's resources/
    (``sys._MEIPASS``), else the repository's resources/."""
    env = os.environ.get(RESOURCES_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
