"""Which OctaSIP processes are alive, so that a crashed one's open calls can be closed as interrupted.

Each process that writes the call log holds an exclusive OS lock on ``<data_dir>/run/<session>.lock``
for as long as it runs. The OS drops the lock when the process dies, even after ``kill -9``. A session
whose lock can be taken is dead. The file holds nothing but its name (a random id).
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

RUN_DIR = "run"


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


class SessionLock:
    """``with SessionLock(data_dir) as lock: ... lock.id`` marks this process alive."""

    def __init__(self, data_dir: Path) -> None:
        self.dir = Path(data_dir) / RUN_DIR
        self.id = secrets.token_hex(8)
        self._fd: int | None = None

    def acquire(self) -> SessionLock:
        self.dir.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(self.dir / f"{self.id}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise RuntimeError("could not lock this session's run file")
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                (self.dir / f"{self.id}.lock").unlink(missing_ok=True)
            finally:
                os.close(fd)

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def dead_sessions(data_dir: Path, sessions: set[str]) -> set[str]:
    """Those of ``sessions`` that no running process holds (their run files are cleaned up)."""
    run = Path(data_dir) / RUN_DIR
    dead = set()
    for s in sessions:
        path = run / f"{s}.lock"
        if not s or not s.isalnum():
            dead.add(s)
            continue
        try:
            fd = os.open(path, os.O_RDWR)
        except FileNotFoundError:
            dead.add(s)
            continue
        try:
            if _try_lock(fd):
                dead.add(s)
                path.unlink(missing_ok=True)
        finally:
            os.close(fd)
    return dead
