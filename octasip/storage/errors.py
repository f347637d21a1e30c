"""Storage errors. Their messages are safe to show: never a key, a password or a full number.

Errors the user must decide about carry ``choices``: what OctaSIP can do about them, only when asked
(``octasip database keep-aside`` / ``start-fresh``, or the buttons of the window's dialog).
"""

from __future__ import annotations

KEEP_ASIDE = "keep-aside"
START_FRESH = "start-fresh"
CHOICE_HELP = (
    " Choose: `octasip database keep-aside` moves the file aside (it is kept, with its key if there is one) "
    "and starts with an empty profile; `octasip database start-fresh` deletes it for good. Nothing is done "
    "until you choose."
)


class DatabaseError(Exception):
    """The encrypted database cannot be used. Nothing was changed unless the message says so."""

    choices: tuple[str, ...] = ()


class DatabaseUnreadableError(DatabaseError):
    """The key does not open the database, or the file is damaged or not an OctaSIP database."""

    choices = (KEEP_ASIDE, START_FRESH)


class DatabaseKeyMissingError(DatabaseError):
    """The database exists but its key is not in the keyring. The file is left untouched."""

    choices = (KEEP_ASIDE, START_FRESH)


class DiskFullError(DatabaseError):
    """The disk holding the data directory is full. What was saved before is intact."""


def is_disk_full(e: BaseException) -> bool:
    import errno

    text = str(e).lower()
    return "database or disk is full" in text or getattr(e, "errno", None) == errno.ENOSPC or "disk is full" in text


def disk_full(where: object) -> DiskFullError:
    return DiskFullError(f"the disk holding {where} is full: free some space and try again. Everything saved "
                         "before is intact; nothing was deleted.")
