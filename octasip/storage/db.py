"""Open the SQLCipher database with a raw 256-bit key from the keyring, and migrate it.

Never continues on an unencrypted SQLite: if the linked SQLite has no SQLCipher, opening fails.

The connection is in autocommit mode (``isolation_level=None``): use ``transaction(conn)`` to group
statements. It is opened with ``check_same_thread=False`` so it can be handed to a worker thread,
but a connection must be used by ONE thread at a time; give each thread its own connection, or
serialise access yourself.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3.dbapi2 as sqlcipher

from octasip.storage import migrations
from octasip.storage.errors import (
    CHOICE_HELP,
    DatabaseError,
    DatabaseKeyMissingError,
    DatabaseUnreadableError,
    DiskFullError,
    disk_full,
    is_disk_full,
    translate,
)

__all__ = [
    "KEY_BYTES",
    "DatabaseError",
    "DatabaseKeyMissingError",
    "DatabaseUnreadableError",
    "DiskFullError",
    "open_database",
    "transaction",
    "writing",
]

KEY_BYTES = 32
CACHE_KIB = 8192  # page cache per connection (the SQLite default is 2 MiB)
BUSY_TIMEOUT_S = 5.0


def open_database(path: Path, key: bytes) -> sqlcipher.Connection:
    """Open (or create) the encrypted database at ``path`` with the raw 32-byte ``key``, migrated.

    Raises DatabaseUnreadableError if the key does not open it or the file is damaged, and
    DatabaseError for every other failure (no SQLCipher, newer schema, migration failed, I/O).
    """
    if not isinstance(key, bytes | bytearray) or len(key) != KEY_BYTES:
        raise ValueError(f"the database key must be {KEY_BYTES} bytes")
    path = Path(path)
    _prepare_file(path)
    try:
        conn = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_S,
                                 factory=_Connection)
    except sqlcipher.Error as e:
        raise DatabaseError(f"cannot open the database file {path}: {e}") from None
    try:
        _unlock(conn, path, bytes(key))
        migrations.check_not_newer(conn)
        _configure(conn, path)
        migrations.migrate(conn)
    except BaseException as e:
        conn.close()
        if isinstance(e, Exception) and not isinstance(e, DiskFullError) and is_disk_full(e):
            raise disk_full(path.parent) from None
        raise
    conn._octasip_path = path  # from now on, a full disk or a damaged page raise our errors
    return conn


def _call(path: Path | None, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except sqlcipher.Error as e:
        mapped = e if path is None else translate(e, path)
        if mapped is e:
            raise
        raise mapped from None


class _Cursor(sqlcipher.Cursor):
    """Rows are read lazily, so a damaged page may only show while fetching: translated here too."""

    def _path(self) -> Path | None:
        return getattr(self.connection, "_octasip_path", None)

    def execute(self, *args, **kwargs):
        return _call(self._path(), super().execute, *args, **kwargs)

    def executemany(self, *args, **kwargs):
        return _call(self._path(), super().executemany, *args, **kwargs)

    def fetchone(self):
        return _call(self._path(), super().fetchone)

    def fetchmany(self, *args, **kwargs):
        return _call(self._path(), super().fetchmany, *args, **kwargs)

    def fetchall(self):
        return _call(self._path(), super().fetchall)

    def __next__(self):
        return _call(self._path(), super().__next__)


class _Connection(sqlcipher.Connection):
    """Once the database is open, a full disk raises DiskFullError and a damaged page raises
    DatabaseUnreadableError (with the choice), instead of SQLCipher's bare OperationalError/DatabaseError,
    from statements, fetches and commits alike. Messages name the directory or file, never data."""

    _octasip_path: Path | None = None

    def cursor(self, factory=_Cursor):
        return super().cursor(factory)

    def execute(self, *args, **kwargs):
        return self.cursor().execute(*args, **kwargs)

    def executemany(self, *args, **kwargs):
        return self.cursor().executemany(*args, **kwargs)

    def executescript(self, *args, **kwargs):
        return _call(self._octasip_path, super().executescript, *args, **kwargs)

    def commit(self):
        return _call(self._octasip_path, super().commit)


@contextlib.contextmanager
def writing(conn_or_path: object) -> Iterator[None]:
    """``with writing(path_or_conn): ...``: a full disk (SQLite's "database or disk is full", ENOSPC) or a
    damaged page inside becomes DiskFullError / DatabaseUnreadableError with a clear message."""
    where = getattr(conn_or_path, "_octasip_path", None) or conn_or_path
    try:
        yield
    except (sqlcipher.Error, OSError) as e:
        mapped = translate(e, where)
        if mapped is e:
            raise
        raise mapped from None


@contextlib.contextmanager
def transaction(conn: sqlcipher.Connection, mode: str = "IMMEDIATE") -> Iterator[sqlcipher.Connection]:
    """``with transaction(conn): ...`` commits on success and rolls back on any exception."""
    if mode not in ("DEFERRED", "IMMEDIATE", "EXCLUSIVE"):
        raise ValueError("transaction mode must be DEFERRED, IMMEDIATE or EXCLUSIVE")
    conn.execute(f"BEGIN {mode}")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _prepare_file(path: Path) -> None:
    """Create a new database file as 0600 (SQLite gives -wal/-shm the same mode); tighten an old one."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    except OSError as e:
        if is_disk_full(e):
            raise disk_full(path.parent) from None
        raise DatabaseError(f"cannot create the database file {path}: {e.strerror}") from None
    else:
        os.close(fd)
        return
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            os.chmod(path, 0o600)
    except OSError as e:
        raise DatabaseError(f"cannot open the database file {path}: {e.strerror}") from None
    if not stat.S_ISREG(mode):
        raise DatabaseError(f"the database path {path} is not a regular file")


def _unlock(conn: sqlcipher.Connection, path: Path, key: bytes) -> None:
    # SQLCipher's own log goes to stderr ("hmac check failed for pgno=1" on a wrong key): our errors say
    # it better, and once. (A process-wide setting, allowed before the key.)
    conn.execute("PRAGMA cipher_log_level = NONE")
    # The key must be the first statement that touches the database. Raw key: no KDF.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    row = conn.execute("PRAGMA cipher_version").fetchone()
    if not row or not row[0]:
        raise DatabaseError(
            "this build of SQLite has no SQLCipher (PRAGMA cipher_version is empty), so the database "
            "cannot be encrypted; OctaSIP will not store anything unencrypted. Reinstall the sqlcipher3 "
            "package (pip install --force-reinstall sqlcipher3)."
        )
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as e:
        # Wrong key and damaged file look the same to SQLCipher ("file is not a database").
        raise DatabaseUnreadableError(
            f"cannot read the database {path}: the key from the keyring does not open it, or the file is "
            f"damaged or not an OctaSIP database ({e}). The file was left untouched." + CHOICE_HELP
        ) from None


def _configure(conn: sqlcipher.Connection, path: Path) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise DatabaseError(f"cannot switch the database {path} to WAL mode (got {mode!r})")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB:d}")
    conn.execute("PRAGMA secure_delete = ON")  # overwrite deleted rows, not just unlink them
    conn.execute("PRAGMA temp_store = MEMORY")  # no temporary files on disk
