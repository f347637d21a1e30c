"""SIP and diagnostic logs: off by default. When on, written in <data dir>/logs, rotated with a size
cap (1 MiB x 4 files), 0600, and redacted again on the way out (octasip.core.redact), whoever wrote the
record. No Qt, no pjsua2."""

from __future__ import annotations

import logging
import logging.handlers
import os
from pathlib import Path

SETTING = "diagnostics.sip_log"
LOG_DIR = "logs"
LOG_NAME = "sip.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 3


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        from octasip.core.redact import redact

        try:
            message = record.getMessage()
        except Exception:  # a bad format string: log what there is, still redacted
            message = f"{record.msg} {record.args}"
        record.msg = redact(message)
        record.args = ()
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    def _open(self):
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # a file left by an older version or another umask
        return os.fdopen(fd, self.mode.replace("w", "a"), encoding=self.encoding, errors=self.errors)


def log_dir(data_dir: Path) -> Path:
    return Path(data_dir) / LOG_DIR


def enable(data_dir: Path) -> logging.Handler:
    """Attach the file log to the "octasip" logger (DEBUG); returns the handler for `disable`."""
    directory = log_dir(data_dir)
    directory.mkdir(mode=0o700, exist_ok=True)
    directory.chmod(0o700)  # also when it was already there with a looser mode
    handler = _PrivateRotatingHandler(directory / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                      encoding="utf-8", delay=True)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("octasip")
    # Records now reach the root logger's handlers at DEBUG too: keep those at their old threshold.
    root = logging.getLogger()
    for h in root.handlers:
        if h.level == logging.NOTSET:
            h.setLevel(root.getEffectiveLevel())
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return handler


def disable(handler: logging.Handler) -> None:
    logger = logging.getLogger("octasip")
    logger.removeHandler(handler)
    handler.close()
    if not any(isinstance(h, _PrivateRotatingHandler) for h in logger.handlers):
        logger.setLevel(logging.NOTSET)


def files(data_dir: Path) -> list[Path]:
    directory = log_dir(data_dir)
    return sorted(directory.glob(LOG_NAME + "*")) if directory.is_dir() else []


def delete_all(data_dir: Path) -> int:
    n = 0
    for p in files(data_dir):
        p.unlink(missing_ok=True)
        n += 1
    return n
