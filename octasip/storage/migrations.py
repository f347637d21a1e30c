"""Versioned schema migrations, tracked in ``PRAGMA user_version``.

``MIGRATIONS[i]`` takes the schema from version ``i`` to ``i + 1``. Each step runs in its own
``BEGIN IMMEDIATE`` transaction together with the ``user_version`` bump, so a crash leaves the
database at a whole version. Append new steps at the end (call log, contacts, consent ledger, ...);
never edit or reorder a step that has been released.

A step is a sequence of SQL statements, or a callable ``step(conn)`` for data migrations that need
Python. Steps must not COMMIT or ROLLBACK themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from octasip.storage.errors import DatabaseError


@dataclass(frozen=True)
class Migration:
    description: str
    steps: Sequence[str] | Callable[[Any], None]


MIGRATIONS: list[Migration] = [
    # v1: accounts and settings.
    Migration(
        "accounts and settings",
        (
            # AUTOINCREMENT: an id is never reused, so a stale keyring entry `sip-password:<id>` can
            # never attach itself to a later account.
            """
            CREATE TABLE accounts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                uri TEXT NOT NULL,
                display_name TEXT NOT NULL DEFAULT '',
                registrar TEXT NOT NULL DEFAULT '',
                username TEXT NOT NULL DEFAULT '',
                transport TEXT NOT NULL,
                outbound_proxy TEXT NOT NULL DEFAULT '',
                expiry INTEGER NOT NULL,
                ca_file TEXT NOT NULL DEFAULT '',
                srtp TEXT,                                   -- NULL: the transport's default policy
                allow_direct_calls INTEGER NOT NULL CHECK (allow_direct_calls IN (0, 1)),
                dtmf_mode TEXT NOT NULL,
                enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
                created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            )
            """,
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY NOT NULL,
                value TEXT NOT NULL                          -- JSON
            )
            """,
        ),
    ),
]

LATEST_VERSION = len(MIGRATIONS)


def schema_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def check_not_newer(conn: Any, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Return the schema version; raise DatabaseError if this code is too old for it."""
    version = schema_version(conn)
    if version > len(migrations):
        raise DatabaseError(
            f"the database has schema version {version}, but this OctaSIP only knows versions up to "
            f"{len(migrations)}: it was written by a newer OctaSIP. Update OctaSIP to open it; "
            "the file was left untouched."
        )
    return version


def migrate(conn: Any, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema up to date; return the final version.

    ``conn`` must be in autocommit mode (``isolation_level=None``). The version is re-read inside each
    transaction, so two processes opening the same database at once do not apply a step twice.
    """
    while True:
        version: int | None = None
        try:
            conn.execute("BEGIN IMMEDIATE")
            version = check_not_newer(conn, migrations)
            if version == len(migrations):
                conn.execute("COMMIT")
                return version
            step = migrations[version]
            if callable(step.steps):
                step.steps(conn)
            else:
                for sql in step.steps:
                    conn.execute(sql)
            conn.execute(f"PRAGMA user_version = {version + 1:d}")
            conn.execute("COMMIT")
        except BaseException as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(e, DatabaseError) or not isinstance(e, Exception):
                raise
            if version is None:
                raise DatabaseError(f"could not read the database schema version: {type(e).__name__}: {e}") from e
            raise DatabaseError(
                f"database migration to schema version {version + 1} ({migrations[version].description}) "
                f"failed: {type(e).__name__}: {e}. The database was left at version {version}."
            ) from e
