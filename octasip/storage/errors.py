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
    """The disk holding the data directory is full. What was saved before is intact.

    No ``choices``: moving the file aside or deleting it is not the answer to a full disk; freeing space is.
    """


# SQLite's primary result codes (sqlite3.h) for the errors translated here.
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_NOTADB = 11, 13, 26


def _code(e: BaseException) -> int | None:
    code = getattr(e, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_disk_full(e: BaseException) -> bool:
    """SQLITE_FULL ("database or disk is full"), ENOSPC or EDQUOT (over quota) from the OS, or our DiskFullError."""
    import errno

    if isinstance(e, DiskFullError):
        return True
    text = str(e).lower()
    return (_code(e) == SQLITE_FULL or getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT)
            or "database or disk is full" in text or "disk is full" in text)


def is_damaged(e: BaseException) -> bool:
    """SQLITE_CORRUPT ("database disk image is malformed") or SQLITE_NOTADB ("file is not a database")."""
    if isinstance(e, DatabaseError):
        return False
    text = str(e).lower()
    return (_code(e) in (SQLITE_CORRUPT, SQLITE_NOTADB) or "database disk image is malformed" in text
            or "file is not a database" in text)


def disk_full(where: object) -> DiskFullError:
    return DiskFullError(f"the disk holding {where} is full: free some space and try again. Everything saved "
                         "before is intact; nothing was deleted.")


def damaged(path: object) -> DatabaseUnreadableError:
    return DatabaseUnreadableError(
        f"the database {path} is damaged: part of it cannot be read (SQLCipher's page check failed). The file "
        "was left untouched." + CHOICE_HELP)


def describe(e: BaseException, where: object) -> str | None:
    """The one-line message to show for a storage error ``e``, else None (not one of ours).

    A DatabaseError (a DiskFullError too) keeps its own message; a full disk that escaped untranslated
    (a raw SQLite or OS error) gets the DiskFullError message naming ``where``."""
    if isinstance(e, DatabaseError):
        return str(e)
    if is_disk_full(e):
        return str(disk_full(where))
    return None


def translate(e: BaseException, path: object) -> BaseException:
    """The error to raise instead of ``e`` (from SQLCipher or the OS, about the database at ``path``):
    DiskFullError for a full disk, DatabaseUnreadableError (with the choice) for a damaged file, else ``e``.
    Messages name the directory or file, never any data."""
    from pathlib import Path

    if isinstance(e, DatabaseError):
        return e
    if is_disk_full(e):
        return disk_full(Path(str(path)).parent)
    if is_damaged(e):
        return damaged(path)
    return e
